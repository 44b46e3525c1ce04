"""A number written left to right is split into its digits, each normalised on its own."""
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


def test_it_splits_a_number_into_digits_left_to_right():
    pre = preprocess((IMAGES / "number_2027.png").read_bytes())
    assert pre.inputs.shape == (4, 28, 28)
    lefts = [box[0] for box in pre.boxes]
    assert lefts == sorted(lefts)
    for (l1, _, r1, _), (l2, _, _, _) in zip(pre.boxes, pre.boxes[1:]):
        assert r1 <= l2


def test_it_keeps_the_broken_strokes_of_one_digit_together():
    pixels = np.asarray(Image.open(IMAGES / "broken_stroke_5.png").convert("L")) < 128
    assert ndimage.label(pixels, np.ones((3, 3)))[1] >= 2  # the picture really has separate strokes
    pre = preprocess((IMAGES / "broken_stroke_5.png").read_bytes())
    assert len(pre.inputs) == 1


def test_it_splits_typed_digits_too():
    pre = preprocess((IMAGES / "typed_318.png").read_bytes())
    assert len(pre.inputs) == 3


def test_it_normalises_each_digit_separately():
    pre = preprocess((IMAGES / "number_2027.png").read_bytes())
    for digit in pre.inputs:
        rows = np.where(digit.max(1) > 0.1)[0]
        assert 18 <= rows[-1] - rows[0] + 1 <= 22  # each one fills MNIST's 20-pixel box


def test_it_offers_other_cuts_for_digits_that_touch():
    pixels = np.asarray(Image.open(IMAGES / "touching_47.png").convert("L")) < 128
    assert ndimage.label(pixels, np.ones((3, 3)))[1] == 1  # one stroke of ink for two digits
    pre = preprocess((IMAGES / "touching_47.png").read_bytes())
    assert len(pre.alternatives) == 1
    lattice = pre.alternatives[0]
    assert len(lattice.inputs) == len(lattice.boxes) == len(lattice.penalties) == len(lattice.aspects)
    assert (0, len(lattice.points) - 1) in lattice.pieces  # reading it whole stays an option


def test_it_reads_touching_digits_apart_with_the_model():
    from ml.recognise import recognise

    rec = recognise((IMAGES / "touching_47.png").read_bytes())
    assert rec.number == "47"
    (l1, _, r1, _), (l2, _, r2, _) = [a.box for a in rec.answers]
    assert l1 < l2 and r1 <= l2 + 2
