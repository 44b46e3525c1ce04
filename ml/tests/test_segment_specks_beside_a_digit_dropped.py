"""A column of specks beside a digit, more gap than ink (the faint edge of a scanned digit broken
into grain), is not read as a digit of its own; alone, a broken stroke is still read."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def page(with_digit=True):
    mask = np.zeros((400, 500), np.uint8)
    if with_digit:
        cv2.line(mask, (200, 80), (170, 320), 1, 24)          # a bold 1
    for top in (90, 190, 290):                                 # three specks in a column
        cv2.rectangle(mask, (300, top), (306, top + 30), 1, -1)
    return mask.astype(bool)


def test_specks_beside_a_digit_are_dropped():
    groups, marks = group(components(page())[1], (400, 500))
    assert marks == 1 and groups[0]["box"][0] < 250


def test_specks_alone_are_still_read():
    groups, marks = group(components(page(with_digit=False))[1], (400, 500))
    assert marks == 1


@pytest.mark.parametrize("case,i", [("tiny_in_big_photo", 87)])
def test_a_digit_with_grain_beside_it_is_one_digit(case, i, mnist_test_set):
    """Rendered corpus pictures (tuning split) read with an extra digit from the grain."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
