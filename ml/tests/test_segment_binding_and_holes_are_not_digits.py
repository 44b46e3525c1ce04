"""A notebook's spiral binding and a binder's punched holes are not writing: a column of rings along
the page's edge, much taller than the digit, made the digit look small beside it and it was
dropped (a 5 read "1"), and a hole far above a digit was taken in as its top bar (a 0 read "6").
A column of dashes as tall as the digits (a faint 1 broken up) is still a digit, and a 5's top bar
drawn apart just over its belly is still part of it."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def _groups(draw, shape=(400, 500)):
    mask = np.zeros(shape, np.uint8)
    draw(mask)
    return group(components(mask.astype(bool))[1], mask.shape)[0]


def _seven(mask, x=250, y=150, h=120):
    cv2.line(mask, (x - 40, y), (x + 40, y), 1, 10)
    cv2.line(mask, (x + 40, y), (x, y + h), 1, 10)


def test_a_spiral_down_the_edge_is_not_a_digit():
    def draw(mask):
        for y in range(15, 400, 28):
            cv2.circle(mask, (30, y), 8, 1, 3)         # the spiral's holes, one above another
        _seven(mask)
    groups = _groups(draw)
    assert len(groups) == 1 and groups[0]["box"][0] > 150


def test_a_hole_far_over_a_digit_is_no_part_of_it():
    def draw(mask):
        cv2.circle(mask, (250, 30), 14, 1, -1)         # a punched hole, in the 7's columns
        _seven(mask, y=200)
    groups = _groups(draw)
    assert [g["box"][1] for g in groups] == [195]      # the 7 alone: the hole is too small to read


def test_a_faint_one_broken_into_dashes_beside_a_seven_is_still_a_digit():
    def draw(mask):
        for y in range(150, 270, 30):
            cv2.line(mask, (120, y), (118, y + 18), 1, 8)   # a 1 as tall as the 7, in dashes
        _seven(mask)
    assert len(_groups(draw)) == 2


def test_a_fives_top_bar_drawn_apart_is_still_part_of_it():
    def draw(mask):
        cv2.line(mask, (225, 100), (290, 100), 1, 10)                 # the bar, apart
        cv2.line(mask, (230, 118), (228, 160), 1, 10)                 # the 5's stem
        cv2.ellipse(mask, (250, 195), (40, 38), 0, -150, 150, 1, 10)  # its belly
    groups = _groups(draw)
    assert len(groups) == 1 and groups[0]["box"][1] <= 100


# Rendered corpus pictures (tuning split) read wrong before: with the binding or holes down the
# edge "1", "1", "1"; with a hole over the digit "6", "2", "7", "1".
@pytest.mark.parametrize("i", [0, 1, 2, 3, 7, 20, 43])
def test_rendered_notebook_and_binder_pages_are_read(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("bound_page", i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
