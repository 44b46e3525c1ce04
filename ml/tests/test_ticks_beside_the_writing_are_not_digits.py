"""A tick drawn beside the digit (a teacher's mark, or a person's own) is no digit: it was read as
one of its own, most often a 4, a 7 or a 1. A digit's own strokes are never taken for a tick: a
7 (its bar lies flat over its foot), a bowl broken off a digit (round, within the digit's box),
and a tick that is the only mark in the picture stays for the model to read."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.tests.drawn import photo_with_mark, pieces
from ml.ticks import ticks

TICK = np.array([[250, 150], [280, 200], [360, 70]])


def test_a_tick_beside_a_digit_is_found():
    def draw(mask):
        cv2.line(mask, (120, 60), (120, 240), 1, 12)       # a 1
        cv2.polylines(mask, [TICK], False, 1, 8)           # the tick beside it
    _, labels, comps = pieces(draw)
    assert ticks(labels, comps) == {int(labels[200, 280])}


@pytest.mark.parametrize("name,draw", [
    ("a 7 beside a 1", lambda m: (cv2.line(m, (250, 60), (360, 60), 1, 10), cv2.line(m, (360, 60), (290, 230), 1, 10),
                                  cv2.line(m, (120, 60), (120, 240), 1, 12))),
    ("a bowl within a digit's box", lambda m: (cv2.line(m, (150, 40), (150, 150), 1, 10),
                                               cv2.ellipse(m, (200, 180), (60, 50), 0, 20, 160, 1, 10))),
    ("a tick alone", lambda m: cv2.polylines(m, [TICK], False, 1, 8)),
])
def test_no_digits_stroke_is_a_tick(name, draw):
    _, labels, comps = pieces(draw)
    assert ticks(labels, comps) == set(), name


def _tick_beside(canvas, box, rng):
    """A tick to the right of the digit, its point about level with the digit's lower half."""
    _, top, right, bottom = box
    x, y = right + rng.uniform(50, 130), top + rng.uniform(0.4, 0.9) * (bottom - top)
    short = rng.uniform(25, 45) * rng.uniform(0.6, 1.4)
    long_ = short * rng.uniform(1.6, 3.0)
    a, b = np.radians(rng.uniform(35, 65)), np.radians(rng.uniform(40, 70))
    points = [(x - short * np.cos(a), y - short * np.sin(a)), (x, y), (x + long_ * np.cos(b), y - long_ * np.sin(b))]
    cv2.polylines(canvas, [np.int32(points)], False, 1, int(rng.uniform(3, 9)), cv2.LINE_AA)


# MNIST test digits that were read with their tick: "74", "71", "01", "44", "51", "64", "04", "54".
@pytest.mark.parametrize("i,seed", [(0, 1), (0, 4), (3, 1), (4, 3), (8, 1), (11, 1), (13, 1), (15, 3)])
def test_digits_with_a_tick_beside_are_read(i, seed, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    assert recognise(photo_with_mark(x[i], _tick_beside, np.random.default_rng(seed))).number == str(int(y[i]))


# Rendered corpus pictures (tuning split), drawings whose strokes broke into pieces: a 5's and a
# 6's bowl broken off were taken for ticks (read "2", "17") before ticks had to lie apart and
# come to a point.
@pytest.mark.parametrize("case,i", [("canvas", 139), ("canvas", 202)])
def test_broken_off_bowls_are_read_as_before(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
