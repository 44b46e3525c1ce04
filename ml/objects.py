"""Things lying on the page that are not writing: the pen or the pencil the digit was written with,
put down beside it before the photo was taken.

Left in, a pen was the tallest mark in the picture: the digit beside it, under 0.4 of its length,
was dropped as a speck and the pen read as a 1 ("1" answered for a 3 with a pen beside it). A pen
is a straight bar with parallel sides, much longer than the writing is tall and thicker than any
of its strokes; a 1 written with the same pen as its neighbours is as thick as their strokes and
about as tall. Works on the labelled ink mask, before the pieces are grouped into digits
(ml.segment). A pen lying across the writing is one piece with it and is left alone.
"""
import cv2
import numpy as np

from ml.quantiles import percentile
from ml.segment import fills_hull, piece_mask

# A pen is a straight bar: it fills at least this share of its rotated bounding box (its cone tip
# costs a few per cent; a flag or a foot on a 1 costs far more) ...
BAR_FILL = 0.8
# ... at least this many times as long as it is thick, and this many times as long as the tallest
# other piece of ink is tall or wide (a 1 drawn with a fat marker is about 5 times as long as
# thick, and as tall as the digits beside it) ...
BAR_LONG = 7.0
LONGER_THAN_WRITING = 2.0
# ... or, where it runs off the picture or off the sheet read, only its end showing, at least this
# many times as long as it is thick (a solid block at the border, which writing cut off by the
# frame is not) ...
STUB_LONG = 1.5
# ... or, a marker or a fat pen, at least this many times as long as it is thick where it is also
# FAR_LONGER_THAN_WRITING and this many times as thick as the writing's thickest stroke ...
FAT_BAR_LONG = 5.0
FAT_BAR_THICK = 2.5
# ... and at least this many times as thick as the thickest stroke of that ink (_thickest_stroke:
# a dot of the same pen is as thick as its width), or far longer than it, as a pen is beside a
# digit written with a fat marker.
THICKER_THAN_WRITING = 1.5
FAR_LONGER_THAN_WRITING = 3.5
# The writing it lies beside is at least this share of the picture's short side: what a photo
# of a digit is taken of, not a speck or a full stop beside a 1 (tuning split: at 0.05, with the
# fat bars above, a corpus 1 on a notebook page was taken for a pen beside the spiral's holes).
WRITING_SIZE = 0.08
# Pieces smaller than this (pixels) are grain, not writing to measure the bar against.
MIN_AREA = 30
# Strokes are measured at this percentile of the discs along their middle lines.
STROKE_PERCENTILE = 90
# A pen is among the largest pieces of ink: only these many are looked at.
CANDIDATES = 4
# An end cut off by the edge of what is read, slanting, fills less of its box: it is a bar's when
# its stroke (_thickest_stroke) is at least this share of its box's width (as thick all along as
# a bar).
STUB_EVEN = 0.85
# Ends lying side by side are one pen's, split by its highlight, within this many degrees of
# parallel and together at most this many times as thick as the two of them (a binder's holes in
# a row along the border are further apart).
PARALLEL_DEGREES = 5.0
SIDE_GAP = 1.25
# A long bar whose own strokes are under this share of its thickness is hollow: its outline is
# drawn round a light middle (a glossy or transparent barrel's highlight running all along it).
# No written 1 is hollow, so such a bar need not be thicker than the writing's strokes.
HOLLOW = 0.5


def _crop(labels, c, pad=1):
    return cv2.copyMakeBorder(piece_mask(labels, c), pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)


def _outline(labels, c):
    """The piece's outer outline, in the picture's coordinates."""
    contours, _ = cv2.findContours(_crop(labels, c), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return max(contours, key=cv2.contourArea) + np.int32([c["box"][0] - 1, c["box"][1] - 1])


def _bar(outline):
    """(length, thickness) of an outline that is a straight solid bar's, else None."""
    (_, _), (a, b), _ = cv2.minAreaRect(outline)
    length, thick = max(a, b), min(a, b)
    if thick < 1 or length < STUB_LONG * thick:
        return None
    if cv2.contourArea(cv2.convexHull(outline)) < BAR_FILL * length * thick:
        return None
    return length, thick


def _stub(labels, c, outline):
    """(length, thickness) of a piece cut off by the edge of what is read that is a bar's end: as
    thick all along as its rotated box is wide, where the slant of the cut costs its box's fill;
    else None."""
    (_, _), (a, b), _ = cv2.minAreaRect(outline)
    length, thick = max(a, b), min(a, b)
    if thick < 1 or length < STUB_LONG * thick or _thickest_stroke(labels, c) < STUB_EVEN * thick:
        return None
    return length, thick


def _side_by_side(one, other):
    """(length, thickness) of two bars lying side by side, parallel and close, as one (a pen's
    halves either side of its highlight, not a binder's holes in a row); else None."""
    angles, thick, longest = [], 0.0, 0.0
    for outline in (one, other):
        (_, _), (a, b), angle = cv2.minAreaRect(outline)
        angles.append(angle if a >= b else angle + 90)
        thick += min(a, b)
        longest = max(longest, a, b)
    turn = abs((angles[0] - angles[1] + 90) % 180 - 90)
    (_, _), (a, b), _ = cv2.minAreaRect(np.concatenate([one, other]))
    length, across = max(a, b), min(a, b)
    # Side by side, not end to end nor in a row across: as long as the longer, and still a bar.
    if (turn > PARALLEL_DEGREES or across > SIDE_GAP * thick or length > 1.1 * longest
            or length < STUB_LONG * across):
        return None
    return length, across


def _thickest_stroke(labels, c):
    """How thick the piece's strokes are at their thickest, junctions aside: the diameter of the
    discs along its middle lines (where the distance to its outline peaks), at STROKE_PERCENTILE.
    A dot's is its own width; where an 8's strokes cross, the wider disc there is left out."""
    inside = cv2.distanceTransform(_crop(labels, c), cv2.DIST_L2, 3)
    ridge = (inside > 0) & (inside >= cv2.dilate(inside, np.ones((3, 3), np.uint8)) - 0.5)
    return 2.0 * float(percentile(inside[ridge], STROKE_PERCENTILE))


def _near(c, d, reach):
    """Whether the boxes of two pieces overlap or lie within `reach` of each other."""
    return (d["box"][0] <= c["box"][2] + reach and c["box"][0] <= d["box"][2] + reach
            and d["box"][1] <= c["box"][3] + reach and c["box"][1] <= d["box"][3] + reach)


def _extent(c):
    x0, y0, x1, y1 = c["box"]
    return max(x1 - x0, y1 - y0)


def lying_on_page(labels, comps, edge=None):
    """Labels of the pieces that are a pen or a pencil lying beside the writing. `edge`, when
    given, is a function returning where what is read ends short of the picture's border (bool,
    the labels' shape), as on a sheet found in a photo, where a pen running off the sheet is cut;
    it is called only if a piece that could be a pen's end needs it."""
    pieces = [c for c in comps if c["area"] >= MIN_AREA]
    if len(pieces) < 2:
        return set()
    h, w = labels.shape
    cut_off = None
    outlines, strokes = {}, {}

    def at_border(c):
        nonlocal cut_off
        x0, y0, x1, y1 = c["box"]
        if x0 == 0 or y0 == 0 or x1 == w or y1 == h:
            return True
        if edge is None:
            return False
        if cut_off is None:
            cut_off = set(np.unique(labels[edge()]).tolist())
        return c["label"] in cut_off

    def outline_of(c):
        if c["label"] not in outlines:
            outlines[c["label"]] = _outline(labels, c)
        return outlines[c["label"]]

    def stroke_of(c):
        if c["label"] not in strokes:
            strokes[c["label"]] = _thickest_stroke(labels, c)
        return strokes[c["label"]]

    objects = set()
    for c in sorted(pieces, key=lambda c: c["area"], reverse=True)[:CANDIDATES]:
        if c["label"] in objects:
            continue
        outline = outline_of(c)
        bar = _bar(outline) or (_stub(labels, c, outline) if at_border(c) else None)
        if bar is None:
            continue
        # A glossy barrel's highlight or a grip of another colour can split a pen lengthwise or
        # across: pieces beside it that make one straight bar with it are the same pen; so are
        # stubs lying side by side along the same edge.
        parts = [c]
        for d in pieces:
            if d is c or d["label"] in objects or not _near(c, d, bar[1]):
                continue
            other = outline_of(d)
            joined = np.concatenate([outline, other])
            joined_bar = _bar(joined)
            if joined_bar is None and at_border(c) and at_border(d) and _stub(labels, d, other):
                joined_bar = _side_by_side(outline, other)
            if joined_bar is not None:
                parts.append(d)
                outline, bar = joined, joined_bar
        writing = [d for d in pieces if d not in parts and d["label"] not in objects]
        size = max((_extent(d) for d in writing), default=0)
        if size < WRITING_SIZE * min(h, w):
            continue
        length, thick = bar
        # The writing's strokes, measured on its largest pieces (specks hold no thicker stroke).
        largest = sorted(writing, key=lambda d: d["area"], reverse=True)[:CANDIDATES]
        stroke = max(stroke_of(d) for d in largest)
        long_bar = length >= BAR_LONG * thick and length >= LONGER_THAN_WRITING * size
        fat_bar = (length >= FAT_BAR_LONG * thick and length >= FAR_LONGER_THAN_WRITING * size
                   and thick >= FAT_BAR_THICK * stroke)
        if not (long_bar or fat_bar or any(at_border(d) for d in parts)):
            continue
        if not (long_bar or fat_bar) and not all(fills_hull(labels, d, outline_of(d)) for d in parts):
            # Only its end showing, a pen's fills its outline; a digit that a close crop cut into
            # at the border (a 0, a 3) is strokes round its hollows, though its hull is a bar's.
            continue
        if (thick >= THICKER_THAN_WRITING * stroke
                or (long_bar and (length >= FAR_LONGER_THAN_WRITING * size
                                  or (len(parts) == 1 and stroke_of(c) < HOLLOW * thick)))):
            objects.update(d["label"] for d in parts)
    return objects
