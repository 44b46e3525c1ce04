"""Digits are fitted into a 20x20 box and placed by centre of mass in 28x28, as MNIST was made."""
from pathlib import Path

import numpy as np

from ml.preprocess import MNIST_COM, normalise_digit, preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


def _com(img):
    ys, xs = np.mgrid[:28, :28]
    return (img * ys).sum() / img.sum(), (img * xs).sum() / img.sum()


def test_it_centres_a_digit_from_a_corner_of_the_picture_by_its_mass():
    pre = preprocess((IMAGES / "off_centre_1.png").read_bytes())
    cy, cx = _com(pre.inputs[0])
    assert abs(cy - MNIST_COM[0]) <= 0.75 and abs(cx - MNIST_COM[1]) <= 0.75
    left, top, right, bottom = pre.boxes[0]
    assert left > 400 and top > 240  # the box is where the digit is in the picture


def test_it_fits_the_longer_side_into_twenty_pixels_keeping_the_aspect():
    wide = np.zeros((50, 200), np.float32)
    wide[20:30, :] = 1.0
    out = normalise_digit(wide, fix_stroke=False)
    cols = np.where(out.max(0) > 0.1)[0]
    rows = np.where(out.max(1) > 0.1)[0]
    assert cols[-1] - cols[0] + 1 == 20
    assert rows[-1] - rows[0] + 1 <= 3


def test_it_places_the_centre_of_mass_not_the_box_centre():
    seven = np.zeros((100, 60), np.float32)
    seven[:15, :] = 1.0           # heavy top bar
    seven[15:, 25:35] = 1.0       # thin stem
    out = normalise_digit(seven, fix_stroke=False)
    cy, cx = _com(out)
    assert abs(cy - MNIST_COM[0]) <= 0.6 and abs(cx - MNIST_COM[1]) <= 0.6
    rows = np.where(out.max(1) > 0.1)[0]
    assert (rows[0] + rows[-1]) / 2 > 14.5  # the box sits lower than the middle to balance the bar


def test_it_redraws_mnist_digits_almost_unchanged(mnist):
    _, (x_test, _) = mnist
    diffs = [np.abs(normalise_digit(x / 255.0, fix_stroke=False) - x / 255.0).mean() for x in x_test[:100]]
    assert np.mean(diffs) < 0.03
