"""A faint photo's sliver of table or page edge along the picture's border often comes apart into a
column of short dashes, each too short to be called a sliver alone: together they are still the
border, not a 1 beside the digit (rendered corpus pictures, tuning split; before, "61", "11", "71")."""
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


@pytest.mark.parametrize("index", [31, 43, 94])
def test_it_reads_the_digit_and_not_the_dashed_sliver(mnist_test_set, index):
    from ml.recognise import recognise

    data, _, truth = generate("faint_pencil", index, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


def _dashes(mask, x0, x1):
    for top in range(40, 160, 12):
        mask[top:top + 6, x0:x1] = True


def test_a_column_of_dashes_against_a_side_is_dropped_and_the_digit_kept():
    mask = np.zeros((200, 300), bool)
    mask[60:140, 120:130] = True          # a 1
    _dashes(mask, 292, 300)               # the sheet's edge, broken up, against the right side
    _dashes(mask, 0, 7)                   # and against the left
    groups, _ = group(components(mask)[1], mask.shape)
    assert [g["box"] for g in groups] == [[120, 60, 130, 140]]


def test_the_same_dashes_away_from_the_border_are_kept():
    mask = np.zeros((200, 300), bool)
    mask[60:140, 120:130] = True
    _dashes(mask, 200, 207)               # a dashed stroke written on the sheet is not the border
    groups, _ = group(components(mask)[1], mask.shape)
    assert len(groups) == 2
