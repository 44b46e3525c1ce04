"""A line drawn under a digit and touching it is taken off it: a 7 underlined read "2", a 1 "2".
The line under writing apart from it was already left out; touching, it was one piece with the
digit. A digit's own flat strokes stay: a 2's base (its stroke comes down into one end), a
serif's foot under a 1 (short), a 4's bar (the stem goes on below it)."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.tests.drawn import left_alone, photo_with_mark, taken_off


def test_a_line_under_a_7_touching_its_foot_is_taken_off():
    def draw(mask):
        cv2.line(mask, (150, 50), (250, 50), 1, 12)     # the 7's bar
        cv2.line(mask, (250, 50), (190, 230), 1, 12)    # its stem, down to the line
        cv2.line(mask, (110, 236), (290, 230), 1, 6)    # the line, sloping a little
    mask = taken_off(draw)
    assert not mask[235, 120] and not mask[231, 280]   # the line's ends are gone
    assert mask[50, 200] and mask[140, 220]            # the 7's bar and stem are kept


@pytest.mark.parametrize("name,draw", [
    ("a 2's base", lambda m: (cv2.ellipse(m, (200, 90), (50, 45), 0, 180, 400, 1, 10),
                              cv2.line(m, (240, 120), (150, 230), 1, 10),
                              cv2.line(m, (150, 230), (260, 230), 1, 10))),
    ("a 1's foot", lambda m: (cv2.line(m, (200, 50), (200, 230), 1, 12),
                              cv2.line(m, (170, 230), (230, 230), 1, 8))),
    ("a 4's bar", lambda m: (cv2.line(m, (170, 50), (130, 170), 1, 10),
                             cv2.line(m, (130, 170), (270, 170), 1, 10),
                             cv2.line(m, (230, 60), (230, 260), 1, 10))),
])
def test_a_digits_own_flat_stroke_is_no_line(name, draw):
    left_alone(draw, name)


def _line_under(canvas, box, rng):
    """A pen's line under the digit, touching its foot, a little past it on each side, sloping."""
    left, _, right, bottom = box
    y = int(bottom - rng.uniform(0, 4))
    cv2.line(canvas, (int(left - rng.uniform(10, 40)), y + int(rng.uniform(-4, 4))),
             (int(right + rng.uniform(10, 40)), y + int(rng.uniform(-4, 4))), 1, int(rng.uniform(4, 8)), cv2.LINE_AA)


# MNIST test digits that were read with their line: "2", "1", "2", "32", "12", "3", "32", "10".
@pytest.mark.parametrize("i,seed", [(0, 0), (6, 1), (17, 0), (18, 1), (22, 1), (36, 2), (51, 1), (54, 5)])
def test_underlined_digits_are_read(i, seed, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    assert recognise(photo_with_mark(x[i], _line_under, np.random.default_rng(seed))).number == str(int(y[i]))


# Rendered corpus pictures (tuning split) whose flat strokes looser versions of the test took for
# a line: 2s' bases (read "7"; the last two curl at the left and run on past the curl), a 3's, a
# typed 1's foot and a typed 2's base.
@pytest.mark.parametrize("case,i", [("formats", 241), ("pen_beside", 29), ("tiny_in_big_photo", 124),
                                    ("typed_font", 41), ("typed_font", 81), ("multi_digit", 189),
                                    ("multi_digit", 197), ("multi_digit", 252), ("typed_font", 132),
                                    ("shadow", 110), ("sticky_note", 151), ("number_on_sheet", 29),
                                    ("ruled_paper", 197), ("multi_digit_touching", 98)])
def test_flat_strokes_of_digits_are_read_as_before(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
