"""A number written at an ordinary size on a page photographed whole is read from the photo's own
pixels round it, not from the working copy alone.

In an 8-12 MP photo of a whole page, writing 6-9 mm tall is 40-100 pixels tall, and 8-20 at the
working size (768 pixels on the long side): too few for a digit's shape. "1967" read "1961",
"893" read "89", a 4 read 1. The part round the writing is decoded again at its own resolution
and read there (ml.zoom); the boxes of the digits still point into the whole picture.
"""
import io

import numpy as np
import pytest
from PIL import Image

from ml.pipeline_data import training_digits
from ml.preprocess import Preprocessed, preprocess
from ml.recognise import recognise
from ml.render import generate, number_ink
from ml.zoom import closer_look

# A render seed of its own (neither the corpus' tuning nor its held-out seed), of MNIST training
# digits outside the validation split.
SEED = 99173


@pytest.mark.parametrize("i", [4, 9, 37, 56, 58])
def test_a_number_written_small_on_a_whole_page_is_read(i):
    # Each was misread from the working copy alone: "1967" as "1961", "6035" as "603", "893" as
    # "89", "4" as "1", "3173" as "373".
    x, y = training_digits()
    data, _, truth = generate("whole_page", i, x, y, SEED)
    w, h = Image.open(io.BytesIO(data)).size
    assert w * h >= 7_000_000
    assert recognise(data).number == truth


def _page_with_number(size=(4000, 3000), at=(2100, 1400), height=60):
    """JPEG bytes of a big photo of paper with a three-digit number `height` pixels tall written
    at `at`, its truth, and the ink's box (left, top, right, bottom)."""
    x, y = training_digits()
    rng = np.random.default_rng(5)
    idx = [3, 5, 7]
    ink = number_ink([x[j] for j in idx], height, rng)
    w, h = size
    grey = np.full((h, w), 225.0, np.float32) - rng.normal(0, 3, (h, w)).astype(np.float32)
    ih, iw = ink.shape
    grey[at[1]:at[1] + ih, at[0]:at[0] + iw] -= 190 * ink
    rows, cols = np.where(ink.max(1) > 0.3)[0], np.where(ink.max(0) > 0.3)[0]
    box = (at[0] + cols[0], at[1] + rows[0], at[0] + cols[-1] + 1, at[1] + rows[-1] + 1)
    out = io.BytesIO()
    Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue(), "".join(str(int(y[j])) for j in idx), box


def _inside(inner, outer, slack):
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def test_the_digits_boxes_point_into_the_whole_picture():
    data, truth, ink_box = _page_with_number()
    result = recognise(data)
    assert result.number == truth
    assert result.size == (4000, 3000)
    for answer in result.answers:
        assert _inside(answer.box, ink_box, slack=6), (answer.box, ink_box)
    # Together the boxes span the number.
    assert min(a.box[0] for a in result.answers) <= ink_box[0] + 6
    assert max(a.box[2] for a in result.answers) >= ink_box[2] - 6


def test_within_a_crop_the_boxes_point_into_the_crop():
    data, truth, ink_box = _page_with_number()
    crop = (0.25, 0.25, 0.75, 0.75)
    out = preprocess(data, crop=crop)
    assert len(out.inputs) == 3 and out.size == (2000, 1500)
    shifted = (ink_box[0] - 1000, ink_box[1] - 750, ink_box[2] - 1000, ink_box[3] - 750)
    for box in out.boxes:
        assert _inside(box, shifted, slack=6), (box, shifted)


def _read(box, height):
    out = Preprocessed(np.zeros((1, 28, 28), np.float32), [box])
    out.digit_height, out.marks = height, 1
    return out


def test_only_small_writing_in_a_bigger_picture_is_read_again():
    box = (1000, 1000, 1100, 1060)
    # Small writing in a 12 MP picture read at 768 x 576: read again, round the writing.
    part = closer_look(_read(box, 12), (4000, 3000), (576, 768))
    assert part is not None
    assert part[0] < 1000 and part[1] < 1000 and part[2] > 1100 and part[3] > 1060
    assert part[2] - part[0] < 1000
    # Writing tall enough at the working size, and a picture read at its own size: not.
    assert closer_look(_read(box, 40), (4000, 3000), (576, 768)) is None
    assert closer_look(_read((100, 100, 110, 112), 12), (700, 500), (500, 700)) is None
