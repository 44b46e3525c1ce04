"""Flat dashes one above another ("=", "≡") are pieces of ruled or squared paper's lines that
survived their removal, not a digit; a digit with a flat stroke of its own is still a digit."""
import numpy as np

from ml.corpus import generate
from ml.segment import components, group


def _groups(mask):
    return group(components(mask)[1], mask.shape)[0]


def test_stacked_dashes_beside_a_1_are_dropped():
    mask = np.zeros((200, 300), bool)
    for top in (60, 90, 120):
        mask[top:top + 3, 20:70] = True   # what is left of three grid lines
    mask[50:150, 150:160] = True          # a 1
    assert [g["box"] for g in _groups(mask)] == [[150, 50, 160, 150]]


def test_a_7_whose_bar_came_apart_is_kept():
    mask = np.zeros((200, 300), bool)
    mask[50:56, 120:180] = True           # the bar, a flat dash
    for y in range(60, 150):              # the stem, leaning left
        x = 175 - (y - 60) // 3
        mask[y, x:x + 7] = True
    [seven] = _groups(mask)
    assert len(seven["labels"]) == 2


def test_it_reads_the_1_on_squared_paper(mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("squared_paper", 2, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
