"""A piece broken off a digit and lying beside it (a stroke of a 4 drawn apart, the faint edge of
a 1 broken into a sliver) or below it, a little to one side (a slanted 1 broken in two), is
part of that digit, not a digit of its own: a single 1 was read "15" or "11", a 7 "71". A digit of the same number, written with the same pen, is not taken in, nor is
a digit beside a group of touching digits."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.segment import components, group


def _groups(draw):
    mask = np.zeros((300, 500), np.uint8)
    draw(mask)
    comps = components(mask.astype(bool))[1]
    return group(comps, mask.shape)


def test_a_thin_sliver_beside_a_seven_is_part_of_it():
    def draw(mask):
        cv2.line(mask, (150, 80), (250, 80), 1, 14)     # the 7's bar
        cv2.line(mask, (250, 80), (190, 230), 1, 14)    # its stem
        cv2.line(mask, (272, 110), (272, 200), 1, 3)    # a thin sliver beside it, apart
    groups, marks = _groups(draw)
    assert marks == 1 and len(groups) == 1 and groups[0]["box"][2] >= 272


def test_a_slanted_one_broken_in_two_is_one_digit():
    def draw(mask):
        cv2.line(mask, (235, 60), (215, 140), 1, 12)    # the top half
        cv2.line(mask, (205, 160), (185, 240), 1, 12)   # the bottom half, below and to its left
    groups, marks = _groups(draw)
    assert marks == 1 and len(groups) == 1


def test_a_one_beside_a_zero_in_the_same_pen_stays_a_digit():
    def draw(mask):
        cv2.line(mask, (150, 80), (150, 230), 1, 14)                  # 1
        cv2.ellipse(mask, (230, 155), (45, 75), 0, 0, 360, 1, 14)     # 0
    groups, marks = _groups(draw)
    assert marks == 2 and len(groups) == 2


def test_a_short_piece_beside_a_group_of_touching_digits_stays_a_digit():
    def draw(mask):
        cv2.line(mask, (60, 110), (110, 110), 1, 12)                  # a small 7, shorter...
        cv2.line(mask, (110, 110), (85, 200), 1, 12)
        cv2.ellipse(mask, (170, 150), (45, 70), 0, 0, 360, 1, 14)     # ...beside two touching 0s
        cv2.ellipse(mask, (255, 150), (45, 70), 0, 0, 360, 1, 14)
    groups, marks = _groups(draw)
    assert len(groups) == 2 and groups[0]["box"][2] <= 120


# Rendered corpus pictures (tuning split), each read with an extra digit before: "15", "41",
# "11", "1121", "11", "502", "71"; and touching digits whose first was taken into its
# neighbours ("2700").
@pytest.mark.parametrize("case,i", [("scan", 53), ("coloured_ink", 135), ("formats", 141), ("multi_digit", 169),
                                    ("sheet_fills_frame", 246), ("keystone", 66), ("squared_paper", 242),
                                    ("multi_digit_touching", 234)])
def test_rendered_pictures_read_with_their_broken_off_pieces(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
