"""Segmentation: which pieces of ink are digits, how they group, and where touching digits may be cut.

Works on the binary ink mask preprocess() made; knows nothing of pixels' grey levels or of the model.
"""

import cv2
import numpy as np

from ml.quantiles import median
from ml.regions import regions

MAX_DIGITS = 12
# More digit-like marks than this is a page of writing, not a number: the person is asked to crop.
MAX_MARKS = MAX_DIGITS
# Working pixels: a mark shorter than this is a speck of grain or dust, not a digit that could
# be read (the model needs its 20x20 box drawn from more than a few pixels).
MIN_HEIGHT = 6
# A piece at most this tall for its width is a flat dash (_dashes_only).
DASH_FLAT = 0.25
# A group of specks covering less than this share of its own height is grain, not a digit
# (_specks_only). Tuning split (3,900 pictures): 2 single digits lose a second digit made of
# grain, 1 of them now read right; no picture read worse (the same at 0.4-0.6 of the tallest
# group for its tallest speck).
SPECK_COVER = 0.5
# A long piece that does not reach the picture's border is a line (ruled, a margin, a page's
# edge) only when its mean thickness is under this share of the picture's short side.
LINE_THICKNESS = 0.04
# A short flat stroke is a digit's detached top bar (a 5's, often drawn apart) when it is at least
# this many times as wide as tall, lies in the top TOP_BAR_REACH of a digit's height, and is no
# further from that digit's columns than TOP_BAR_GAP of its height (_attach_top_bars).
TOP_BAR_FLAT = 1.5
TOP_BAR_REACH = 0.35
TOP_BAR_GAP = 0.1
# A piece shorter than this share of the group it overlaps in columns is part of that group even
# where together they are too wide for one digit (group).
PART_HEIGHT = 0.6
# Pieces sharing fewer rows than this share of the shorter one's height lie one above the other.
STACKED_ROWS = 0.25
# A piece much shorter than the one above or below it (PART_HEIGHT) is part of the same digit only
# when the gap between them is under this share of the taller one's height (a 5's top bar drawn
# apart): a binder's punched hole or a notebook's spiral far over a digit is no part of it. Pieces
# of a height (the dashes of a faint stroke) stack at any gap. Tuning split, the 24 cases before
# notebook pages (7,200 pictures): at 0.5, 3 read right that were wrong and 2 wrong that were
# right; at 0.8, 2 and 2; at 1.2, 1 and 1, with 6 more notebook pages wrong than at 0.5.
STACK_GAP = 0.5
# A column of marks, three or more pieces one above another each under COLUMN_PIECE of the
# column's height, standing more than COLUMN_TALL times as tall as the digits beside it is the
# page's binding or its holes (a notebook's spiral, a binder's punched holes), not writing; the
# digits are not measured against it (_columns_of_marks). Alone, or as tall as the digits (a 1
# drawn faint, broken into dashes), it is still read.
COLUMN_PIECE = 0.35
COLUMN_TALL = 1.5
# A group beside a digit is a piece of it broken off (a 4's stroke, the specks of a 1's faint
# edge, a 6's hook drawn apart) rather than a digit of its own when it lies within that digit's
# rows, no further from it than FRAGMENT_GAP of its height, and holds less than FRAGMENT_AREA of
# its ink while shorter than FRAGMENT_HEIGHT of it, or less than SLIVER_AREA at any height (a
# digit of the same number, written with the same pen, holds more: a 1 beside an 8 about a
# quarter), and together they are no wider than JOINED_ASPECT of their height: as wide as one
# digit, not a group of touching digits. So is a group below or above a digit, sharing a few of
# its columns (a slanted 1 broken in two). Joined, the group is still cut where they meet if the
# model, in doubt, reads two digits better (ml.recognise).
FRAGMENT_AREA = 0.35
FRAGMENT_HEIGHT = 0.75
SLIVER_AREA = 0.15
FRAGMENT_GAP = 0.25
JOINED_ASPECT = 1.2


class Lattice:
    """The ways to cut one group of ink that may be several touching digits.

    Cut points run left to right; `pieces[(i, j)]` is the index, in `inputs`/`boxes`/
    `penalties`/`aspects`, of the ink between points i and j drawn as one digit (-1: no ink there).
    The pieces are drawn on first use (`expand`): most groups are one digit read without doubt.
    """

    def __init__(self, start, count, default_aspects, expand):
        self.start = start            # first slot of this group in Preprocessed.inputs
        self.count = count            # slots the shape-only default takes there
        self.default_aspects = default_aspects  # width / height of each default slot
        self._expand = expand
        self._drawn = None

    def _pieces(self):
        if self._drawn is None:
            points, pieces, inputs, boxes, penalties, aspects = self._expand()
            self._drawn = (pieces, np.stack(inputs) if inputs else np.zeros((0, 28, 28), np.float32),
                           boxes, penalties, aspects, points)
        return self._drawn

    pieces = property(lambda self: self._pieces()[0])
    inputs = property(lambda self: self._pieces()[1])
    boxes = property(lambda self: self._pieces()[2])
    penalties = property(lambda self: self._pieces()[3])   # log-probability handicaps from shape alone
    aspects = property(lambda self: self._pieces()[4])     # width / height of each piece
    points = property(lambda self: self._pieces()[5])


def components(mask):
    n, labels, stats = regions(mask)
    comps = []
    for i in range(1, n):
        x0, y0, bw, bh, area = (int(v) for v in stats[i])
        comps.append({"label": i, "area": area, "box": [x0, y0, x0 + bw, y0 + bh]})
    return labels, comps


CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
# Taking a mask's edge with a square instead of a cross counts its diagonal steps as edge too.
SQUARE = np.ones((3, 3), np.uint8)


def stroke_width(mask, kernel=CROSS):
    """Mean width of a mask's strokes (bool, or uint8 0/1): twice its area over its edge, the
    pixels an erosion by `kernel` takes off, the mask's own border counting as background; 0
    for a mask with no ink."""
    m = mask.view(np.uint8) if mask.dtype == bool else mask.astype(np.uint8, copy=False)
    area = int(np.count_nonzero(m))
    inner = cv2.erode(m, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return 2.0 * area / max(area - int(np.count_nonzero(inner)), 1)


def piece_mask(labels, c):
    """A piece's own ink within its box (uint8, 1 on its pixels): what the steps that judge one
    piece by its shape (frames, pens, scribbles) look at."""
    x0, y0, x1, y1 = c["box"]
    return (labels[y0:y1, x0:x1] == c["label"]).view(np.uint8)


def _border_strips(comps, shape):
    """Labels of the pieces of a sliver of table or page edge along the picture's border: thin
    pieces against one side that together run along more than a tenth of it. A faint photo's
    sliver often breaks into a column of short dashes, each too short to be called a sliver alone."""
    h, w = shape
    strips = set()
    # Per side: the box coordinate lying on it and that coordinate's value there.
    for k, side in ((0, 0), (2, w), (1, 0), (3, h)):
        upright = k in (0, 2)
        thin, length = (0.04 * w, h) if upright else (0.04 * h, w)
        pieces = []
        for c in comps:
            x0, y0, x1, y1 = c["box"]
            across, along = (x1 - x0, (y0, y1)) if upright else (y1 - y0, (x0, x1))
            if c["box"][k] == side and across < thin:
                pieces.append((c["label"], along))
        if pieces and max(e for _, (_, e) in pieces) - min(s for _, (s, _) in pieces) > 0.1 * length:
            strips.update(label for label, _ in pieces)
    return strips


def _dashes_only(grp, boxes):
    """Whether a group is only flat dashes one above another, like "=": pieces of ruled or squared
    paper's lines that survived their removal. No digit is drawn from flat strokes alone."""
    flat = [boxes[label] for label in grp["labels"]]
    return len(flat) > 1 and all(b[3] - b[1] <= DASH_FLAT * (b[2] - b[0]) for b in flat)


def _specks_only(grp, boxes, tallest):
    """Whether a group is only specks in a column with more gap than ink along its height, none
    of them half as tall as the tallest group: the grain of a faint stroke beside a digit (the
    faint edge of a scanned digit), not a digit of its own. Alone, it is still read."""
    pieces = [boxes[label] for label in grp["labels"]]
    if len(pieces) < 2:
        return False
    y0, y1 = grp["box"][1], grp["box"][3]
    cover = np.zeros(y1 - y0, bool)
    for b in pieces:
        cover[b[1] - y0:b[3] - y0] = True
    return cover.mean() < SPECK_COVER and max(b[3] - b[1] for b in pieces) < 0.5 * tallest


def _column_of_marks(grp, boxes):
    heights = [boxes[label][3] - boxes[label][1] for label in grp["labels"]]
    return len(heights) >= 3 and max(heights) < COLUMN_PIECE * (grp["box"][3] - grp["box"][1])


def _columns_of_marks(groups, boxes):
    """The groups without the columns of marks much taller than the writing beside them."""
    column = [_column_of_marks(g, boxes) for g in groups]
    if all(column):
        return groups
    tallest = max(g["box"][3] - g["box"][1] for g, c in zip(groups, column) if not c)
    return [g for g, c in zip(groups, column) if not c or g["box"][3] - g["box"][1] <= COLUMN_TALL * tallest]


def _far_apart(height_a, height_b, shared_rows):
    """Whether of two pieces one above the other, the shorter is too far from the taller to be
    part of the same digit (STACK_GAP); pieces of a height are never too far apart."""
    short, tall = sorted((height_a, height_b))
    return short < PART_HEIGHT * tall and -shared_rows > STACK_GAP * tall


def _take_in(g, labels, area, box):
    """Group `g` with more ink (component labels, their area and box) taken in."""
    g["labels"] += labels
    g["area"] += area
    b = g["box"]
    g["box"] = [min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])]


def _attach_top_bars(groups, short):
    """Groups with the short flat strokes beside their tops taken in: a 5's top bar drawn apart
    from its body and reaching past it is a group of its own, too short to be a digit, and would
    be dropped, leaving the body to be read as a 1 or a 3 (or, beside a touching 1, a 1 or a 7).
    A stroke above a neighbour's top in a number goes to the nearest digit."""
    tall = [g for g in groups if not short(g)]
    kept = []
    for bar in groups:
        x0, y0, x1, y1 = bar["box"]
        if not short(bar) or x1 - x0 < TOP_BAR_FLAT * (y1 - y0):
            kept.append(bar)
            continue
        middle, best = (y0 + y1) / 2, None
        for g in tall:
            gx0, gy0, gx1, gy1 = g["box"]
            height = gy1 - gy0
            gap = max(gx0 - x1, x0 - gx1, 0)
            if gy0 - 0.1 * height <= middle <= gy0 + TOP_BAR_REACH * height and gap <= TOP_BAR_GAP * height:
                if best is None or gap < best[0]:
                    best = (gap, g)
        if best is None:
            kept.append(bar)
            continue
        _take_in(best[1], bar["labels"], bar["area"], bar["box"])
    return kept


def _join_fragments(groups):
    """Groups, left to right, with the pieces broken off a neighbouring digit taken into it."""
    out = []
    for g in groups:
        if out and _fragment_of(g, out[-1]):
            _take_in(out[-1], g["labels"], g["area"], g["box"])
            continue
        if out and _fragment_of(out[-1], g):
            prev = out.pop()
            _take_in(g, prev["labels"], prev["area"], prev["box"])
        out.append(g)
    return out


def _fragment_of(piece, digit):
    """Whether `piece` (a group) is a bit broken off `digit`, the group beside it: small and close
    beside it, or (whatever its size) below or above it with a few columns in common, as a
    slanted 1 broken in two lies (digits of a number stand side by side, not stacked)."""
    px0, py0, px1, py1 = piece["box"]
    dx0, dy0, dx1, dy1 = digit["box"]
    height = dy1 - dy0
    joined_width = max(px1, dx1) - min(px0, dx0)
    shared_columns = min(px1, dx1) - max(px0, dx0)
    shared_rows = min(py1, dy1) - max(py0, dy0)
    if shared_columns > 0 and shared_rows < STACKED_ROWS * min(py1 - py0, height):
        return (not _far_apart(py1 - py0, height, shared_rows)
                and joined_width <= JOINED_ASPECT * (max(py1, dy1) - min(py0, dy0)))
    small = (piece["area"] < SLIVER_AREA * digit["area"]
             or (piece["area"] < FRAGMENT_AREA * digit["area"] and py1 - py0 < FRAGMENT_HEIGHT * height))
    slack = 0.1 * height
    return (small and py0 >= dy0 - slack and py1 <= dy1 + slack and -shared_columns <= FRAGMENT_GAP * height
            and joined_width <= JOINED_ASPECT * height)


def fills_hull(labels, c, outline=None):
    """Whether a piece fills its convex hull (CONVEX), as a strip of table, a shadow or a pen's
    end does; a digit's strokes bend round its hollows and bays. `outline`, its outer outline
    where the caller has it already."""
    if outline is None:
        contours, _ = cv2.findContours(piece_mask(labels, c), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        outline = np.concatenate(contours)
    hull = cv2.contourArea(cv2.convexHull(outline))
    return c["area"] >= CONVEX * hull


def _along_border(labels, c, shape):
    """Whether a piece lies along a side of the picture it touches, as a sliver of table does: at
    least as long along that side as across it, and on the side's own pixels for at least
    ALONG_BORDER of that length."""
    h, w = shape
    x0, y0, x1, y1 = c["box"]
    own = labels[y0:y1, x0:x1] == c["label"]
    sides = ((x0 == 0, own[:, 0], y1 - y0, x1 - x0), (x1 == w, own[:, -1], y1 - y0, x1 - x0),
             (y0 == 0, own[0], x1 - x0, y1 - y0), (y1 == h, own[-1], x1 - x0, y1 - y0))
    return any(on and length >= across and line.mean() >= ALONG_BORDER
               for on, line, length, across in sides)


def group(comps, shape, labels=None):
    """(groups, marks): components of one digit share a column range; digits of a number sit side
    by side. `marks` counts the digit-like groups before any are dropped for being too many.
    `labels`, the components' labels: with them, a piece running off the picture is solid only
    where it also fills its hull (a digit cropped close fills half its box, as a table does), and
    a strip of table only where it also lies along the border (_along_border)."""
    h, w = shape
    if not comps:
        return [], 0
    keep, edges = [], []
    strips = _border_strips(comps, shape)
    for c in comps:
        x0, y0, x1, y1 = c["box"]
        bw, bh = x1 - x0, y1 - y0
        touches = x0 == 0 or y0 == 0 or x1 == w or y1 == h
        solid = c["area"] > 0.5 * bw * bh
        if solid and touches and labels is not None:
            solid = fills_hull(labels, c)
        long_thin = (bw >= 0.75 * w and bh < 0.3 * h) or (bh >= 0.75 * h and bw < 0.3 * w)
        strip = touches and solid and (labels is None or _along_border(labels, c, shape))
        if long_thin and not strip:
            # A line is a few pixels thick along its length; a 1 drawn as tall as the canvas is a
            # stroke a tenth of its height thick or more. Running off the picture, a solid strip
            # lying along the border is a sliver of table; a digit that a close crop cut into at
            # the border is neither (a 1 cut across its end or its corner meets the border there).
            long_thin = c["area"] < LINE_THICKNESS * min(w, h) * np.hypot(bw, bh)
        if long_thin or c["label"] in strips or (touches and solid and bw * bh > 0.25 * w * h):
            # A line across the picture or a solid region running off it: the paper's edge,
            # the table beside it, a ruled line, a shadow, a frame.
            edges.append(c)
            continue
        keep.append(c)
    # Specks are small beside the writing (not beside the table's edge).
    big = max(c["area"] for c in (keep or edges))
    keep = [c for c in keep if c["area"] >= max(3, 0.02 * big)]
    edges = [c for c in edges if c["area"] >= max(3, 0.02 * big)]
    if not keep:
        keep = edges  # on a bare canvas, a bar drawn edge to edge is the digit itself
    keep.sort(key=lambda c: c["box"][0])
    groups = []
    for c in keep:
        x0, _, x1, _ = c["box"]
        placed = False
        for g in groups:
            gx0, gx1 = g["box"][0], g["box"][2]
            overlap = min(x1, gx1) - max(x0, gx0)
            merged_w = max(x1, gx1) - min(x0, gx0)
            merged_h = max(c["box"][3], g["box"][3]) - min(c["box"][1], g["box"][1])
            # Pieces of one digit overlap in columns and together still look like one digit;
            # a slanted 1 leaning over its neighbour makes a group too wide for one. A piece much
            # shorter than the group it overlaps is a part of a digit all the same (a 3's lower
            # hook under the 9 its top touches), and so is one above or below it (a 5's top bar
            # drawn apart over its belly; digits of a number stand side by side, not stacked):
            # the group is then cut as touching digits are.
            ch, gh = c["box"][3] - c["box"][1], g["box"][3] - g["box"][1]
            partial = min(ch, gh) < PART_HEIGHT * max(ch, gh)
            shared_rows = min(c["box"][3], g["box"][3]) - max(c["box"][1], g["box"][1])
            stacked = shared_rows < STACKED_ROWS * min(ch, gh)
            if (overlap > 0.5 * min(x1 - x0, gx1 - gx0) and not _far_apart(ch, gh, shared_rows)
                    and (merged_w <= 1.2 * merged_h or partial or stacked)):
                _take_in(g, [c["label"]], c["area"], c["box"])
                placed = True
                break
        if not placed:
            groups.append({"labels": [c["label"]], "area": c["area"], "box": list(c["box"])})
    boxes = {c["label"]: c["box"] for c in keep}
    groups = [g for g in groups if not _dashes_only(g, boxes)]
    groups = _columns_of_marks(groups, boxes)
    if not groups:
        return [], 0
    tallest = max(g["box"][3] - g["box"][1] for g in groups)

    def short(g):
        return g["box"][3] - g["box"][1] < max(MIN_HEIGHT, 0.4 * tallest)

    groups = _attach_top_bars(groups, short)
    biggest = max(g["area"] for g in groups)
    groups = [g for g in groups if not short(g) and g["area"] >= 0.08 * biggest]
    digits = [g for g in groups if not _specks_only(g, boxes, tallest)]
    groups = digits or groups
    groups.sort(key=lambda g: g["box"][0])
    groups = _join_fragments(groups)
    marks = len(groups)
    if len(groups) > MAX_DIGITS:
        groups = sorted(groups, key=lambda g: -g["area"])[:MAX_DIGITS]
    groups.sort(key=lambda g: g["box"][0])
    return groups, marks


# Height (pixels) of the small copy of a group that cuts between touching digits are searched on.
SEAM_HEIGHT = 48
# A cut may wander this share of the group's height left or right of where it starts: enough to
# pass between a digit and its neighbour's slanted stroke, not enough to go round a whole digit.
SEAM_REACH = 0.2
# Ink-equivalent (share of a pixel) a path pays per row at its full reach from its start.
SEAM_STRAY = 0.05
# Ink a cut may cross, in stroke widths: one stroke where two digits touch, a little more where
# they overlap.
SEAM_INK = 1.6
# Candidate cuts per group at most: each pair of them is a piece the model reads.
MAX_CUTS = 6
# A piece running off the picture fills at least this share of its convex hull when it is a strip
# of table or a shadow, not writing (group).
CONVEX = 0.85
# ... and lies along the border on this share of its length at least (_along_border).
ALONG_BORDER = 0.5
# Groups narrower than this (width / height) are one digit: even two 1s side by side are wider.
MIN_SPLIT_ASPECT = 0.5
# Log-probability a reading loses per height its cuts stray sideways: between cuts the model reads
# alike, the straight one takes no stroke's end from a neighbour.
BEND_COST = 0.05


def bend(cut, height):
    """How far a cut strays sideways, in heights of its group."""
    return float(cut.max() - cut.min()) / max(1, height)


def _vertical(x, rows):
    return np.full(rows, int(x), np.int32)


def _seams(mask, margin):
    """(path, ink crossed in stroke widths, share of the ink on its left) of the least-inked
    top-to-bottom paths, one per start column.

    A path is a column per row: it bends round the strokes, so digits that overlap a little
    (a slanted 1 leaning over its neighbour) are cut apart where a straight column cannot. The
    search runs on a copy SEAM_HEIGHT pixels tall; one path per start column, each within
    SEAM_REACH of the height of its start.
    """
    h, w = mask.shape
    rows = np.where(mask.any(1))[0]
    cols = np.where(mask.any(0))[0]
    height = rows[-1] - rows[0] + 1
    f = min(1.0, SEAM_HEIGHT / height)
    sw, sh = max(1, round(w * f)), max(1, round(h * f))
    small = cv2.resize(mask.astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    fx, fy = sw / w, sh / h
    lo, hi = int((cols[0] + margin) * fx), int((cols[-1] - margin) * fx)
    if hi <= lo:
        return []
    starts = np.arange(lo, hi + 1)
    reach = max(2, int(round(SEAM_REACH * height * fy)))
    offsets = np.arange(-reach, reach + 1)
    where = starts[:, None] + offsets[None, :]
    outside = (where < 0) | (where >= sw)
    where = np.clip(where, 0, sw - 1)
    # Bending costs a little, so that among equally clean paths the straightest is taken.
    bend = 0.05
    # Straying from the start column costs a little on every row, so that starts a few columns
    # apart keep paths of their own rather than all running into the one cleanest path.
    stray = SEAM_STRAY * np.abs(offsets)[None, :] / reach
    cost = small[0][where] + stray
    cost[outside] = np.inf
    back = np.zeros((sh,) + where.shape, np.int8)
    options = np.full((3,) + where.shape, np.inf, np.float32)
    for r in range(1, sh):
        options[0, :, 1:] = cost[:, :-1] + bend
        options[1] = cost
        options[2, :, :-1] = cost[:, 1:] + bend
        step = options.argmin(0)
        cost = np.take_along_axis(options, step[None], 0)[0] + small[r][where] + stray
        cost[outside] = np.inf
        back[r] = step - 1
    # Ink crossed, in stroke widths at this scale (2 * area / outline).
    stroke = max(1.0, stroke_width(mask) * fy)
    ink = cost.min(1) / stroke
    d = cost.argmin(1)
    k = np.arange(len(starts))
    paths = np.empty((sh, len(starts)), np.int32)
    for r in range(sh - 1, -1, -1):
        paths[r] = starts + offsets[d]
        d = d + back[r, k, d]
    # Share of the ink left of each path, on the small copy.
    before = np.concatenate([np.zeros((sh, 1), np.float32), np.cumsum(small, 1)], 1)
    share = before[np.arange(sh)[:, None], np.clip(paths, 0, sw)].sum(0) / max(1e-6, float(before[:, -1].sum()))
    # Back to the group's own pixels: each row takes the path's column at its height.
    ys = np.clip(np.round((np.arange(h) + 0.5) * fy - 0.5), 0, sh - 1).astype(int)
    full = np.clip(np.round((paths[ys] + 0.5) / fx), 0, w).astype(np.int32)
    return [(full[:, i], float(ink[i]), float(share[i])) for i in range(len(starts))]


def cut_points(mask):
    """(default cuts, candidate cuts) for one group's ink; a cut is a column per row of `mask`.

    Handwritten digits of a number often touch. MNIST digits are at most about as wide as
    tall, so by shape alone a group much wider than that is cut at the thinnest columns
    near where equal shares of its width would put the cuts. Groups that might be touching
    digits also get candidate cuts, for the model to judge: the thin columns, and the paths
    from top to bottom that cross the least ink (they bend between digits that overlap).
    `candidates` is None for a group too narrow to be two digits, else a function giving the
    candidate cuts, left to right with both ends (None when there are none).
    """
    rows_n, end = mask.shape
    rows = np.where(mask.any(1))[0]
    cols = np.where(mask.any(0))[0]
    if len(rows) == 0:
        return [_vertical(0, rows_n), _vertical(end, rows_n)], None
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    aspect = width / height
    ends = [_vertical(0, rows_n), _vertical(end, rows_n)]
    if aspect < MIN_SPLIT_ASPECT:
        return ends, None
    # A running mean (scipy.ndimage.uniform_filter1d's, reflecting at the ends, the same values):
    # OpenCV's, so that serving never imports scipy (half a second of a worker's start).
    profile = cv2.blur(mask.sum(0).astype(np.float32)[None, :], (max(1, width // 40), 1),
                       borderType=cv2.BORDER_REFLECT)[0]
    default = [0, end]
    k = min(MAX_DIGITS, int(round(aspect / 0.8)))
    if aspect > 1.35 and k > 1:
        default = [0]
        step = width / k
        for i in range(1, k):
            centre = cols[0] + i * step
            lo, hi = int(max(default[-1] + 1, centre - 0.35 * step)), int(min(cols[-1], centre + 0.35 * step))
            if hi > lo:
                default.append(lo + int(np.argmin(profile[lo:hi])))
        default.append(end)
    default_cuts = [_vertical(c, rows_n) for c in default]

    def candidates():
        # Looked for on first use: most groups are one digit read without doubt (ml.recognise).
        # Candidates: the thinnest local minima of the column profile, not too near each other
        # nor the ends (a 1 is about a tenth of the height wide).
        margin = max(2, int(0.1 * height))
        lo, hi = cols[0] + margin, cols[-1] - margin
        inner = profile[lo:hi]
        if inner.size < 3:
            return None
        is_min = np.r_[False, (inner[1:-1] <= inner[:-2]) & (inner[1:-1] <= inner[2:]), False]
        order = np.argsort(inner + np.arange(inner.size) * 1e-6)
        chosen = []
        for i in order:
            if not is_min[i] or inner[i] > 0.6 * float(median(profile[cols[0]:cols[-1] + 1])):
                continue
            if all(abs(i - j) >= margin for j in chosen):
                chosen.append(int(i))
            if len(chosen) == 6:
                break
        # A cut is known by the share of the ink it leaves on its left: two cuts that share out
        # the ink alike are one cut, and one with (almost) all the ink on one side cuts nothing.
        before = np.concatenate([[0], np.cumsum(mask.sum(0))]) / max(1, int(mask.sum()))
        cuts = {}
        for c in [lo + i for i in chosen] + default[1:-1]:
            cuts.setdefault(round(float(before[c]), 2), _vertical(c, rows_n))
        # Paths that bend between digits, cleanest first.
        for path, ink, share in sorted(_seams(mask, margin), key=lambda s: s[1]):
            if ink > SEAM_INK or len(cuts) >= MAX_CUTS:
                break
            if 0.05 <= share <= 0.95 and all(abs(share - c) >= 0.03 for c in cuts):
                cuts[round(share, 2)] = path
        inner_cuts = [cuts[c] for c in sorted(cuts, key=lambda c: (float(np.mean(cuts[c])), c))]
        cuts = [ends[0]] + inner_cuts + [ends[1]]
        return cuts if len(cuts) > 2 else None

    return default_cuts, candidates

