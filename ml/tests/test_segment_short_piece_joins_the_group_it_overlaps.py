"""A piece much shorter than the group whose columns it lies under is part of that group, even
where together they are wider than one digit: a 3 whose top touches the 9 before it and whose
lower hook is apart. The group is then cut as touching digits are."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def test_a_lower_hook_joins_the_group_above_it():
    mask = np.zeros((300, 500), np.uint8)
    cv2.line(mask, (100, 80), (260, 80), 1, 10)         # a wide piece at the top
    cv2.line(mask, (100, 80), (100, 170), 1, 10)
    cv2.line(mask, (260, 80), (220, 150), 1, 10)
    cv2.line(mask, (225, 168), (290, 205), 1, 10)        # a short hook under its right end, apart
    comps = components(mask.astype(bool))[1]
    assert len(comps) == 2
    groups, marks = group(comps, (300, 500))
    assert marks == 1 and groups[0]["box"][2] >= 290


@pytest.mark.parametrize("case,i", [("number_on_sheet", 230)])
def test_a_three_in_two_pieces_after_a_nine(case, i, mnist_test_set):
    """A rendered corpus picture (tuning split): "93" read as "922" before."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
