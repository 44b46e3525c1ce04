"""A tick beside the writing: a teacher's mark on a worksheet, or a person's own "this one".

Left in, a tick was read as a digit of its own, most often a 4, a 7 or a 1 ("74" for a 7 with a
tick beside it). A tick is one stroke down to a point and up again, the second arm longer: from
its lowest point, a short arm rises to the left and a long one to the right, each a single stroke
in every column it crosses. No digit is drawn so: a 7's bar lies flat over its foot, a 2's base
under its stroke, a 4's, 8's or 0's columns cross two strokes. Works on the labelled ink mask,
before the pieces are grouped into digits (ml.segment); a tick is looked for only beside other
writing, never as the only mark.
"""
import numpy as np

from ml.quantiles import median
from ml.segment import piece_mask

# Ticks drawn beside 480 MNIST test digits (as in
# ml/tests/test_ticks_beside_the_writing_are_not_digits.py, seeds 0-7): 299 read right without
# this step, 450 with it, none worse; tuning split, 8,100 pictures: the same answers.
# A tick's box is about as wide as tall: from this ...
TICK_NARROW = 0.5
# ... to this many times its height.
TICK_WIDE = 2.5
# Its short arm spans at least this share of its width, its long arm at least SHORT_ARM more
# than that.
SHORT_ARM = 0.12
# Each arm's middle line runs straight up from the point: its rows correlate with its columns at
# least this strongly (a 7's bar over its foot is flat).
ARM_STRAIGHT = 0.9
# In at least this share of an arm's columns the arm is one stroke (one run of ink).
ONE_STROKE = 0.9
# The short arm rises at least this share of the tick's height, and the long one reaches higher.
ARM_RISE = 0.3
# Its lowest point is a point: the columns as low as it span at most this share of its width.
SHARP = 0.2
# Pieces shorter than this (working pixels) are not looked at.
MIN_HEIGHT = 12


def _runs(own):
    """Runs of ink in each column (number of starts)."""
    starts = own[1:] > own[:-1]
    return starts.sum(0) + (own[0] > 0)


def _arm(cols, top, bottom, runs, towards_point):
    """Whether the columns `cols` hold one straight stroke rising away from the point; and how
    high it reaches (the lowest `top` row among them)."""
    if len(cols) < 3:
        return False, None
    middle = (top[cols] + bottom[cols]) / 2.0
    if np.ptp(cols) == 0 or np.ptp(middle) == 0:
        return False, None
    r = np.corrcoef(cols, middle)[0, 1] * towards_point
    return bool(r >= ARM_STRAIGHT and (runs[cols] == 1).mean() >= ONE_STROKE), int(top[cols].min())


def _is_tick(own):
    """Whether a piece's own ink (uint8, its box) is drawn as a tick."""
    h, w = own.shape
    inked = own.any(0)
    top = np.argmax(own, axis=0)
    bottom = h - 1 - np.argmax(own[::-1], axis=0)
    low = np.where(inked & (bottom >= bottom[inked].max() - 1))[0]
    if np.ptp(low) > SHARP * w:
        return False   # a round bottom (a broken-off bowl of a 5 or a 6), not a point
    point = int(median(low))
    cols = np.where(inked)[0]
    runs = _runs(own)
    left, right = cols[cols < low.min()], cols[cols > low.max()]
    if len(left) < SHORT_ARM * w or len(right) < len(left) + SHORT_ARM * w:
        return False
    # Going right, the short arm comes down to the point (its rows grow), the long one goes up.
    ok_left, left_top = _arm(left, top, bottom, runs, 1)
    ok_right, right_top = _arm(right, top, bottom, runs, -1)
    if not (ok_left and ok_right):
        return False
    depth = bottom[point]
    return depth - left_top >= ARM_RISE * h and right_top < left_top


def _apart(c, comps):
    """Whether no other piece's box overlaps the piece's: a part of a digit broken off lies
    within the digit's box."""
    x0, y0, x1, y1 = c["box"]
    return not any(d is not c and min(x1, d["box"][2]) > max(x0, d["box"][0])
                   and min(y1, d["box"][3]) > max(y0, d["box"][1]) for d in comps)


def ticks(labels, comps):
    """Labels of the pieces that are ticks beside other writing."""
    if len(comps) < 2:
        return set()
    return {c["label"] for c in comps if _could_be(c) and _apart(c, comps) and _is_tick(piece_mask(labels, c))}


def _could_be(c):
    """From the piece's box alone: tall enough, and about as wide as tall."""
    x0, y0, x1, y1 = c["box"]
    return y1 - y0 >= MIN_HEIGHT and TICK_NARROW * (y1 - y0) <= x1 - x0 <= TICK_WIDE * (y1 - y0)
