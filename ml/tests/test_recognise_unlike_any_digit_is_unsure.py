"""A mark like no whole digit is answered unsure, however surely the digit model reads it.

The digit model always names a digit, often surely: a hash sign reads "4" and a square "0" at
over 99 %. The wholeness model (ml.pieces), which tells whole digits from fragments and merged
pairs, gives such marks almost nothing; below UNLIKE_DIGIT the answer is kept but shown unsure,
with a hint that says why. Digits people write keep their sure answers: every committed sample
picture of the corpus and every fixture of a number.
"""
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

import ml.recognise
from ml.recognise import HINT_NOT_DIGIT, recognise_many

FIXTURES = Path(__file__).parent / "fixtures"
NUMBERS = ["number_2027.png", "number_75.jpg", "touching_0114.jpg", "touching_2552.jpg", "touching_47.png",
           "typed_318.png", "drawn_0_black_on_white.png", "paper_on_table_3.jpg"]


def _drawn(draw):
    img = Image.new("L", (240, 240), 235)
    draw(ImageDraw.Draw(img))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _hash_sign(d):
    for x in (95, 145):
        d.line((x, 40, x - 10, 200), fill=30, width=9)
    for y in (90, 150):
        d.line((45, y, 195, y), fill=30, width=9)


def _square(d):
    d.rectangle((60, 60, 180, 180), outline=30, width=9)


@pytest.fixture(scope="module")
def shapes():
    return recognise_many([_drawn(_hash_sign), _drawn(_square)])


def test_the_digit_model_reads_the_shapes_surely(shapes):
    # What makes the test below worth having: confidence alone would call these sure.
    assert [r.number for r in shapes] == ["4", "0"]
    assert all(r.confidence >= ml.recognise.LOW_CONFIDENCE for r in shapes)


def test_shapes_like_no_digit_are_unsure_and_say_why(shapes):
    for result in shapes:
        assert result.unlike_digit
        assert result.low_confidence
        assert result.hint == HINT_NOT_DIGIT


@pytest.mark.slow
def test_written_digits_keep_their_sure_answers():
    labels = json.loads((FIXTURES / "corpus" / "labels.json").read_text())
    names = sorted(labels)
    pictures = [(FIXTURES / "corpus" / n).read_bytes() for n in names]
    pictures += [(FIXTURES / "images" / n).read_bytes() for n in NUMBERS]
    results = recognise_many(pictures)
    unlike = [n for n, r in zip(names + NUMBERS, results) if getattr(r, "unlike_digit", False)]
    assert len(results) == len(names) + len(NUMBERS) > 70
    assert unlike == []
