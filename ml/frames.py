"""Marks round the writing that are not digits: a box or a circle drawn round it (a form's field,
a worksheet's answer ringed) and a line drawn under it.

Left in, a box's sides were read as 1s (a 7 in a box read "111"), a circle as a 0 round the digit,
and a line under a digit was taken into it as a stroke ("7" underlined read "1"). Works on the
labelled ink mask, before the pieces are grouped into digits (ml.segment). A box or a circle that
the digit touches is one piece with it: its own ink, the band along the piece's outline, is
cleared from the mask (clear_touching_frames), the band as wide as the frame's own stroke where
a thin pen ringed a marker's digit. So is a line under the writing that touches it: the lowest
long flat run of ink, spanning the writing, the writing meeting it away from its ends.
"""
import cv2
import numpy as np

from ml.quantiles import percentile
from ml.segment import SQUARE, piece_mask, stroke_width

# A frame holds a piece at least this share of its own height: a digit written in it, not a speck
# in a 0's hole or a broken-off bit of a loop.
HELD_HEIGHT = 0.3
# A frame is an outline: its ink covers at most this share of its box (a box or a ring drawn
# with a pen covers a few per cent to a quarter; a blot round a hole is no frame).
FRAME_FILL = 0.5
# The outline of a box or a ring round writing is convex: the piece fills at least this share of
# its outline's convex hull (a digit's outline has bays: a 3's, a 7's, an 8's waist).
RING_SOLIDITY = 0.93
# A frame's own ink lies in the band this many stroke widths wide along its outline ...
RING_BAND = 1.5
# ... and covers at least this share of that band all round (a stroke as wide as two thirds of
# the band: a closed ring; less, a ring with gaps or no ring).
RING_COVER = 0.5
# Writing framed holds at least this share of the frame's own ink (a 1 in a circle about a fifth):
# a 0 seen as "framed" by the outer part of its own stroke has only a sliver of it within.
RING_HELD = 0.1
# The writing within touches the frame where it meets it, a stroke's width or two at a few
# places: along at most this share of its length. The rest of a thick 0's own stroke, cut off by
# the band, touches it all along.
RING_CONTACT = 0.4
# A ring drawn with a thinner pen than the writing within is looked for again with its own
# stroke when that is under THIN_RING of the whole piece's (measured within OUTLINE_DEPTH of the
# piece's size from its outline). Then at least RING_FAR of the writing must lie further than
# RING_APART of its own strokes from the ring, and it may touch the ring along THIN_CONTACT of
# its length (a 7's bar along the ring's top). Tuning split (8,100 pictures): the same answers
# for THIN_RING from 0.6 to 0.9; rings drawn tight round 480 MNIST test digits (as in
# ml/tests/test_frames_thin_ring_drawn_tight_round_a_digit.py, seeds 0-7): 381 read right with
# the whole piece's stroke alone, 447 with this, none worse.
THIN_RING = 0.75
OUTLINE_DEPTH = 0.08
RING_APART = 1.5
RING_FAR = 0.3
THIN_CONTACT = 0.85
# A circle left open where the digit touches it has no convex outline of its own: its convex hull
# is taken for the outline instead, when the frame's ink lies in the band along it in at least
# this share of the directions from its middle (a gap of a tenth of the way round). A digit's
# own hull is bare along its bays. Tuning split: 5 ringed digits read right at 0.85, 0.9 and 0.95,
# no picture worse; at 0.75, 14 worse (3s, 6s and 8s).
OPEN_AROUND = 0.9
# A line under writing is at least this many times as wide as tall ...
UNDERLINE_FLAT = 4.0
# ... no taller than this share of the writing above it ...
UNDERLINE_THIN = 0.25
# ... and apart from it by at least this share of the writing's height, more than a crack in a
# stroke (a 2's base broken off lies against it). Tuning split: underlines drawn 0.03-0.07 of the
# digit's height below it were read into the digit at 0.1; at 0.02 and 0 none, no picture worse.
UNDERLINE_GAP = 0.02
# A line under the writing that touches it: its run of ink is at least UNDERLINE_RUN of the
# piece's width long in every row of it, at least UNDERLINE_LONG of the writing's height, the
# writing meets it no nearer its ends than UNDERLINE_REACH of its height, at most
# UNDERLINE_BELOW of the piece's ink lies below it, and it bends (90th percentile of its lowest
# pixels' distance from the fitted line) by at most UNDERLINE_STRAIGHT of the writing's height.
# Lines drawn under 480 MNIST test digits, touching them (as in
# ml/tests/test_frames_line_touching_the_writing_underneath.py, seeds 0-7): 410 read right
# before, 477 with this (3 worse: a 2 whose base lies along the line, a 4 read "21"); the
# straight lines bend by at most 0.008, the bases of 2s taken for lines without that test by
# 0.020-0.022; lines drawn with a sag of up to 3 % of their length, 120 pictures: 103 before,
# 110 with this. Tuning split, 8,100 pictures: the same answers. At a reach of 0.05 and a
# length of 0.8 (no bend test), seven 2s and a typed 1's foot were taken for lines.
UNDERLINE_RUN = 0.5
UNDERLINE_LONG = 0.95
UNDERLINE_REACH = 0.1
UNDERLINE_BELOW = 0.02
UNDERLINE_STRAIGHT = 0.012
# Working pixels: a frame round a digit the model could read is at least this wide and tall.
MIN_FRAME = 12


def _height(c):
    return c["box"][3] - c["box"][1]


def _outline_only(c):
    """Whether a piece is thin for its box, as a frame's outline is."""
    x0, y0, x1, y1 = c["box"]
    return c["area"] <= FRAME_FILL * (x1 - x0) * (y1 - y0)


def _surrounds(labels, frame, inner):
    """Whether the frame's ink lies on all four sides of the inner piece: left and right of it
    within its rows, above and below it within its columns (a circle drawn by hand is not always
    closed). Looked for within the frame's box, where all its ink lies."""
    fx0, fy0, fx1, fy1 = frame["box"]
    x0, y0, x1, y1 = (v - o for v, o in zip(inner["box"], (fx0, fy0, fx0, fy0)))
    own = piece_mask(labels, frame)
    return bool(own[y0:y1, :x0].any() and own[y0:y1, x1:].any() and own[:y0, x0:x1].any() and own[y1:, x0:x1].any())


def _is_frame(labels, c, comps):
    x0, y0, x1, y1 = c["box"]
    if not _outline_only(c):
        return False
    for d in comps:
        dx0, dy0, dx1, dy1 = d["box"]
        if (d is not c and x0 < dx0 and dx1 < x1 and y0 < dy0 and dy1 < y1
                and _height(d) >= HELD_HEIGHT * _height(c) and _surrounds(labels, c, d)):
            return True
    return False


def _is_underline(c, comps, speck):
    x0, y0, x1, y1 = c["box"]
    thick = y1 - y0
    if x1 - x0 < UNDERLINE_FLAT * thick:
        return False
    # The writing over the line: every piece sharing its columns, but specks. All of it must end
    # above the line; a stroke going on below it makes the line part of a digit (a 4's bar).
    over = [d["box"] for d in comps if d is not c and d["area"] >= speck and min(x1, d["box"][2]) > max(x0, d["box"][0])]
    if not over:
        return False
    top, bottom = min(b[1] for b in over), max(b[3] for b in over)
    writing = bottom - top
    return thick <= UNDERLINE_THIN * writing and y0 - bottom >= UNDERLINE_GAP * writing


def around_writing(labels, comps):
    """Labels of the pieces that frame the writing or underline it, to be left out of the digits."""
    if len(comps) < 2:
        return set()
    speck = max(3, 0.02 * max(c["area"] for c in comps))
    return {c["label"] for c in comps
            if c["area"] >= speck and (_is_frame(labels, c, comps) or _is_underline(c, comps, speck))}


def _touching_frame(piece):
    """The pixels of a box or a ring round writing that touches it (bool, piece's shape), or None.

    `piece` is one piece's mask (uint8, its box). Its outline is convex (or, a circle left open,
    its hull is ringed by its ink) and its ink runs all along it; what lies within, a band's width
    in from the outline, is a digit-sized piece of writing.
    """
    pad = cv2.copyMakeBorder(piece, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    contours, _ = cv2.findContours(pad, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(outline)
    if cv2.contourArea(hull) <= 0:
        return None
    open_ring = cv2.contourArea(outline) < RING_SOLIDITY * cv2.contourArea(hull)
    if open_ring:
        if _bays(outline, 0.05 * max(piece.shape)) > 3 * (1 - OPEN_AROUND) * cv2.arcLength(hull, True):
            return None   # a digit's bays: told from the outline alone, before any pixel work
        outline = hull
    filled = np.zeros_like(pad)
    cv2.drawContours(filled, [outline], -1, 1, -1)
    # Distance from the outline, inwards (a distance transform: an erosion by a disc as wide as
    # a band costs several times more); shared by both tries below.
    depth = cv2.distanceTransform(filled, cv2.DIST_L2, 3)
    stroke = stroke_width(pad, SQUARE)
    ring = _ring(pad, filled, depth, open_ring, stroke)
    if ring is None:
        # A pen's thin ring round a marker's digit, or drawn tight round it so that the digit
        # crosses it: the stroke of the whole piece is the digit's, and a band that wide takes
        # the digit's ends for frame. Tried again with the stroke along the outline, when that
        # is much the thinner; what is left within must then be writing apart from the ring
        # for the most part, not a thick 0's or a fat 8's own stroke beside it.
        thin = _outline_stroke(pad, depth)
        if thin < THIN_RING * stroke:
            ring = _ring(pad, filled, depth, open_ring, thin, apart=True)
    return None if ring is None else ring[1:-1, 1:-1].astype(bool)


def _ring(pad, filled, depth, open_ring, stroke, apart=False):
    """The frame's ink in the band RING_BAND strokes wide along the outline `filled` (`depth`:
    each pixel's distance from it), or None when the band is no frame's or what lies within is
    no writing held by one."""
    inner = (depth > RING_BAND * stroke).view(np.uint8)
    inside = pad & inner
    rows = np.where(inside.any(1))[0]
    if len(rows) == 0 or rows[-1] - rows[0] + 1 < HELD_HEIGHT * (pad.shape[0] - 2):
        return None
    band = filled & (1 - inner)
    ring = pad & band
    if open_ring and _around(ring, band) < OPEN_AROUND:
        return None
    if ring.sum() < RING_COVER * band.sum() or inside.sum() < RING_HELD * ring.sum():
        return None
    contact = int((inside & cv2.dilate(ring, np.ones((3, 3), np.uint8))).sum())
    if not apart:
        # Length of the writing within, in pixels along its strokes, against where it meets
        # the frame.
        return None if contact > RING_CONTACT * inside.sum() / stroke else ring
    # The writing's own stroke, and how much of it lies further than RING_APART of them from
    # the ring: a digit's middle does; the rest of a 0's stroke cut off by the band does not.
    held = int(inside.sum())
    own = stroke_width(inside, SQUARE)
    far = int((inside & (cv2.distanceTransform(1 - ring, cv2.DIST_L2, 3) > RING_APART * own)).sum())
    if far < RING_FAR * held or contact > THIN_CONTACT * held / own:
        return None
    return ring


def _outline_stroke(pad, depth):
    """Width of the stroke along a piece's outline, from the ink within OUTLINE_DEPTH of the
    piece's size from it: mostly the frame's own (the writing within reaches it only where it
    touches)."""
    near = (depth <= OUTLINE_DEPTH * min(pad.shape)).view(np.uint8)
    return stroke_width(pad & near, SQUARE)


def _bays(outline, depth):
    """Length of the hull's sides that span bays deeper than `depth` pixels into the outline (a
    3's, a 7's): far more than an open circle's gap."""
    try:
        defects = cv2.convexityDefects(outline, cv2.convexHull(outline, returnPoints=False))
    except cv2.error:   # an outline that crosses itself: no bays to measure
        return 0.0
    if defects is None:
        return 0.0
    defects = defects.reshape(-1, 4)   # start, end, farthest point, depth in 1/256 pixel
    points = outline.reshape(-1, 2).astype(np.float32)
    deep = defects[defects[:, 3] / 256.0 > depth]
    return float(np.hypot(*(points[deep[:, 0]] - points[deep[:, 1]]).T).sum())


def _around(ring, band, bins=36):
    """Share of the directions from the band's middle (in `bins` sectors) in which it holds ink."""
    ys, xs = np.nonzero(band)
    cy, cx = ys.mean(), xs.mean()
    angle = ((np.arctan2(ys - cy, xs - cx) + np.pi) / (2 * np.pi) * bins).astype(int) % bins
    inked = np.zeros(bins, bool)
    inked[angle[ring[ys, xs] > 0]] = True
    return inked.mean()


def _touching_underline(piece):
    """The pixels of a line drawn under the writing and touching it (bool, piece's shape), or None.

    The line is the piece's lowest long flat run of ink, fitted straight (a line drawn by hand
    slopes a little): no more than a sliver of the piece lies below it, it is thin and long for
    the writing above it, it reaches past the writing on both sides, and the writing meets it away
    from both its ends. A 2's stroke comes down into one end of its base, a serif's foot under a 1
    is short, a 4's bar has the stem going on below it.
    """
    h, w = piece.shape
    # A row of the line holds at least a run's worth of ink, and the line lies in the piece's
    # lowest third (it is thin beside the writing): a row sum rules out most pieces at once.
    if piece[2 * h // 3:].sum(1, dtype=np.int32).max() < UNDERLINE_RUN * w:
        return None
    runs = cv2.morphologyEx(piece, cv2.MORPH_OPEN, np.ones((1, max(3, int(UNDERLINE_RUN * w))), np.uint8))
    has_run = runs.any(1)
    if not has_run.any():
        return None
    # The lowest band of consecutive rows holding a long run.
    bottom = h - 1 - int(np.argmax(has_run[::-1]))
    gaps = np.where(~has_run[:bottom])[0]
    top = int(gaps[-1]) + 1 if len(gaps) else 0
    thick = bottom - top + 1
    ys, xs = np.nonzero(runs[top:bottom + 1])
    left, right = xs.min(), xs.max() + 1
    # Measured against the writing's height first: most pieces end here, before any per-pixel work.
    height = top - int(np.argmax(piece.any(1)))
    if thick > UNDERLINE_THIN * height or right - left < max(UNDERLINE_FLAT * thick, UNDERLINE_LONG * height):
        return None
    # The line is the lowest ink in its columns: fitted to their lowest pixels (the long runs
    # alone miss a sloping line's ends), half its width up.
    span = np.arange(left, right)
    lowest = h - 1 - np.argmax(piece[::-1, left:right], axis=0)
    inked = piece[:, left:right].any(0)
    if inked.sum() < 2:
        return None
    slope, offset = np.polyfit(span[inked], lowest[inked], 1)
    offset -= (thick - 1) / 2
    # Only the rows near the line are looked at pixel by pixel: from a line's width above the
    # highest point of it to the bottom.
    y0 = max(0, int(min(slope * left, slope * right) + offset - 2 * thick - 2))
    ink = piece[y0:] > 0
    py, px = np.mgrid[y0:h, 0:w]
    along = py - (slope * px + offset)
    # Within half its width (and a pixel) of the fitted line, between its ends: the line's own ink.
    own = (np.abs(along) <= thick / 2 + 1) & (px >= left) & (px < right) & ink
    writing = ink & ~own & (along < 0)
    # Where the writing meets the line: its ink within a line's width above it.
    meets = np.where((writing & (along >= -(thick / 2 + 1 + thick))).any(0))[0]
    reach = UNDERLINE_REACH * height
    below = int((ink & ~own & (along > 0)).sum())
    # An underline spans the writing: a 2 whose top reaches further than its base is no line.
    spanned = np.where(piece[:y0].any(0) | writing.any(0))[0]
    # A line drawn under writing is straight; a 2's base, drawn on from its stroke, bends.
    bend = float(percentile(np.abs(lowest[inked] - (slope * span[inked] + offset + (thick - 1) / 2)), 90))
    if (bend > UNDERLINE_STRAIGHT * height or below > UNDERLINE_BELOW * int(piece.sum())
            or len(meets) == 0 or meets[0] - left < reach or right - 1 - meets[-1] < reach
            or spanned[0] < left or spanned[-1] >= right):
        return None
    line = np.zeros(piece.shape, bool)
    line[y0:] = own
    return line


def clear_touching_frames(mask, labels, comps):
    """Clears, in `mask`, the ink of each box or ring round writing and of each line under it
    that the writing touches; True when any was cleared (the pieces must then be found again)."""
    cleared = False
    for c in comps:
        x0, y0, x1, y1 = c["box"]
        if min(x1 - x0, y1 - y0) < MIN_FRAME:
            continue
        # A line under writing is as long as UNDERLINE_LONG of the writing, the writing at least
        # (1 - UNDERLINE_THIN) / 1 of the piece's height: narrower pieces are not looked at.
        flat_enough = x1 - x0 >= UNDERLINE_LONG * (y1 - y0) / (1 + UNDERLINE_THIN)
        outline = _outline_only(c)
        if not outline and not flat_enough:
            continue
        piece = piece_mask(labels, c)
        frame = _touching_frame(piece) if outline else None
        if frame is None and flat_enough:
            frame = _touching_underline(piece)
        if frame is not None:
            mask[y0:y1, x0:x1] &= ~frame
            cleared = True
    return cleared
