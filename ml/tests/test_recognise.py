"""recognise() and recognise_many(): answers per picture, one batched model call for all digits."""
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ml.decode import ImageRejected
from ml.recognise import LOW_CONFIDENCE, NoDigitFound, Recognition, input_png, recognise, recognise_many

IMAGES = Path(__file__).parent / "fixtures" / "images"


class CountingPredictor:
    """Says 3 for everything, surely, and counts how often it is asked."""

    def __init__(self, sure=0.99):
        self.calls = []
        self.sure = sure

    def predict(self, inputs):
        inputs = np.asarray(inputs)
        self.calls.append(inputs.shape)
        out = np.full((len(inputs), 10), (1 - self.sure) / 9, np.float32)
        out[:, 3] = self.sure
        return out


def _read(name):
    return (IMAGES / name).read_bytes()


def test_it_asks_the_model_once_for_all_digits_of_all_pictures():
    model = CountingPredictor()
    results = recognise_many([_read("drawn_0_black_on_white.png"), _read("number_2027.png"),
                              b"not a picture", _read("blank_white.png"), _read("typed_318.png")], model)
    assert len(model.calls) == 1
    # Every digit, plus the other cuts of groups that might be touching digits.
    assert model.calls[0][0] >= 1 + 4 + 3 and model.calls[0][1:] == (28, 28)
    assert [type(r) for r in results] == [Recognition, Recognition, ImageRejected, NoDigitFound, Recognition]
    assert results[1].number == "3333" and results[1].digit is None
    assert results[0].digit == 3 and results[0].number == "3"


def test_it_does_not_load_a_model_when_nothing_needs_one():
    results = recognise_many([b"", _read("blank_black.png")], predictor=None)
    assert results[0].status == 400 and results[1].status == 422


def test_it_raises_no_digit_found_as_a_422_image_rejection():
    with pytest.raises(NoDigitFound) as info:
        recognise(_read("blank_paper_photo.jpg"), CountingPredictor())
    assert info.value.status == 422 and str(info.value) == "No digit found in the picture"
    assert isinstance(info.value, ImageRejected)


def test_it_raises_image_rejected_for_unreadable_files():
    with pytest.raises(ImageRejected) as info:
        recognise(b"\x89PNG\r\n\x1a\n broken", CountingPredictor())
    assert info.value.status == 400


def test_it_reports_confidence_as_the_least_sure_digit_and_flags_low_confidence():
    sure = recognise(_read("number_2027.png"), CountingPredictor(0.99))
    assert sure.confidence == pytest.approx(0.99) and not sure.low_confidence
    unsure = recognise(_read("number_2027.png"), CountingPredictor(LOW_CONFIDENCE / 2))
    assert unsure.low_confidence
    answer = sure.answers[0]
    assert len(answer.probabilities) == 10 and answer.box == sure.answers[0].box
    assert all(isinstance(p, float) for p in answer.probabilities)


def test_it_keeps_what_the_model_saw():
    rec = recognise(_read("number_2027.png"), CountingPredictor())
    assert rec.inputs.shape == (4, 28, 28) and rec.inverted is True


def test_it_draws_the_model_inputs_side_by_side_as_png():
    rec = recognise(_read("number_2027.png"), CountingPredictor())
    img = Image.open(io.BytesIO(input_png(rec.inputs)))
    assert img.format == "PNG" and img.size == (4 * 28, 28) and img.mode == "L"
    assert Image.open(io.BytesIO(input_png(rec.inputs[0]))).size == (28, 28)
    assert Image.open(io.BytesIO(input_png(np.zeros((0, 28, 28))))).size == (28, 28)


def test_it_reads_hand_drawn_pictures_right_with_the_real_model():
    expected = {"canvas_7_black_on_transparent.png": "7", "canvas_4_white_on_transparent.png": "4",
                "canvas_3_blue_on_transparent.png": "3", "drawn_0_black_on_white.png": "0",
                "chalk_2_light_on_dark.jpg": "2", "broken_stroke_5.png": "5", "off_centre_1.png": "1",
                "exif_rotated_7.jpg": "7", "number_2027.png": "2027", "typed_318.png": "318",
                "mode_cmyk_7.jpg": "7", "mode_16bit_7.png": "7", "mode_p_transparent_7.gif": "7",
                "paper_on_table_3.jpg": "3", "tight_crop_bold_2.png": "2"}
    results = recognise_many([_read(name) for name in expected])
    assert {name: r.number for name, r in zip(expected, results)} == expected
