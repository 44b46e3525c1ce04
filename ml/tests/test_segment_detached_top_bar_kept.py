"""A 5's top bar drawn apart from its body, reaching past it, is part of that digit: alone it is
too short to be a digit and was dropped, leaving the body to be read as a 1 or a 3. A dash at a
digit's middle height (a minus sign) is not taken in."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def five(bar_top, bar_left=170):
    mask = np.zeros((300, 400), np.uint8)
    cv2.line(mask, (150, 90), (145, 160), 1, 12)                  # the 5's stem
    cv2.ellipse(mask, (170, 200), (40, 45), 0, -120, 150, 1, 12)  # its belly
    cv2.line(mask, (bar_left, bar_top), (bar_left + 70, bar_top), 1, 12)  # a stroke apart from it
    return mask.astype(bool)


def test_a_detached_top_bar_joins_its_digit():
    comps = components(five(bar_top=72, bar_left=195))[1]
    assert len(comps) == 2
    groups, marks = group(comps, (300, 400))
    assert marks == 1
    assert groups[0]["box"][2] >= 265          # the bar's right end is in the digit's box


def test_a_dash_at_middle_height_is_not_a_top_bar():
    comps = components(five(bar_top=150, bar_left=228))[1]
    assert len(comps) == 2
    groups, _ = group(comps, (300, 400))
    assert all(g["box"][2] < 228 for g in groups)


@pytest.mark.parametrize("case,i", [("multi_digit_touching", 196)])
def test_a_five_with_its_bar_apart_reads_as_five(case, i, mnist_test_set):
    """A rendered corpus picture (tuning split): "15" read as "11" before."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
