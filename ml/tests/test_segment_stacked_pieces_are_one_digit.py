"""Pieces lying one above the other, sharing columns, are one digit even where together they are
wider than one digit: a 5 whose wide top bar is drawn apart over its small belly. Digits of a
number stand side by side, not stacked."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def test_a_wide_bar_over_a_belly_is_one_digit():
    mask = np.zeros((300, 500), np.uint8)
    cv2.line(mask, (150, 100), (268, 66), 1, 12)                 # a wide, slanting top bar
    cv2.ellipse(mask, (180, 140), (28, 20), 0, -150, 160, 1, 12)  # the belly, apart below it
    comps = components(mask.astype(bool))[1]
    assert len(comps) == 2
    groups, marks = group(comps, (300, 500))
    assert marks == 1 and groups[0]["box"][2] >= 268 and groups[0]["box"][3] >= 160


@pytest.mark.parametrize("case,i", [("multi_digit", 125)])
def test_a_five_in_two_stacked_pieces_in_a_number(case, i, mnist_test_set):
    """A rendered corpus picture (tuning split): "3751" read as "37421" before."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
