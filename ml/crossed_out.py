"""Writing crossed out: a digit scribbled over, or an earlier try struck out beside the one meant.

A person who gets a digit wrong scribbles it out and writes it again beside it. Left in, the
scribble was cut into digits of its own ("820" answered for a 2 beside a scribble). Scribbled
strokes cross each other again and again and close many small loops, where a digit closes at most
two (an 8) and a number of touching digits at most two for each digit's width. Works on the
labelled ink mask, before the pieces are grouped into digits (ml.segment).
"""
import cv2
import numpy as np

from ml.segment import SQUARE, piece_mask, stroke_width

# A loop counts when its hole is at least this share of the piece's box (a 0's or an 8's hole is
# a tenth of it or more; a scribble's loops are smaller, and grain in a fat stroke smaller still).
LOOP_AREA = 0.004
# A piece is as many digits wide as its width holds this share of its height, counted up (three
# narrow 8s touching, half as wide as tall, are three digits: counted to the nearest, two, and
# their six loops a scribble's) ...
DIGIT_WIDTH = 0.7
# ... and is crossed out when it closes more than this many loops for each of them, and one more
# (tuning split: at 1, eight pictures whose 8 closes a third loop of grain were lost; at 2, none).
LOOPS_PER_DIGIT = 2
# Lines thinner than this share of the piece's stroke width (2 x area / outline) are not its own.
THIN_LINE = 0.5
# Pieces smaller than this (pixels) are not looked at.
MIN_AREA = 200


def _loops(labels, c):
    """The number of the piece's holes of at least LOOP_AREA of its box, once lines much thinner
    than its strokes are opened away (a grid line left in a 0's hole parts it into cells)."""
    x0, y0, x1, y1 = c["box"]
    own = piece_mask(labels, c)
    k = max(3, int(THIN_LINE * stroke_width(own, SQUARE)) | 1)
    own = cv2.morphologyEx(own, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, hierarchy = cv2.findContours(own, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    least = LOOP_AREA * (x1 - x0) * (y1 - y0)
    return sum(1 for k, h in enumerate(hierarchy[0]) if h[3] >= 0 and cv2.contourArea(contours[k]) >= least)


def crossed_out(labels, comps):
    """Labels of the pieces that are scribbles: writing crossed out."""
    out = set()
    for c in comps:
        if c["area"] < MIN_AREA:
            continue
        x0, y0, x1, y1 = c["box"]
        digits = max(1, int(np.ceil((x1 - x0) / (DIGIT_WIDTH * max(1, y1 - y0)))))
        if _loops(labels, c) > LOOPS_PER_DIGIT * digits + 1:
            out.add(c["label"])
    return out

