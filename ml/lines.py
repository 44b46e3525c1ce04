"""Lines: the ruled or squared-paper lines and the margin line printed on a page.

A printed line is long, straight and thin; a stroke is none of these for long. Lines are found by
opening the ink mask with long thin segments (a few angles either side of level, for pages that
are not quite straight, and steeper ones on a sheet lying on a table), kept only when they run
across most of the page, and taken out. Where a stroke crosses a line, it runs on beyond the line
on both sides, further than the line is thick; those pixels stay, so a digit is not cut in two.
"""
import cv2
import numpy as np

from ml.quantiles import percentile
from ml.regions import regions

ANGLES = (-3.0, -1.5, 0.0, 1.5, 3.0)
# Steeper lines, looked for only on a sheet found lying on a table: a page photographed whole is
# seldom straight (lines turned by 7 degrees had been read as "2222"). Not with ANGLES, on
# squared paper a wider fan takes in a 1's stroke with the grid; nor on a picture that is all
# page, where a 1 filling a tight crop runs as far as a line.
TURNED = (-7.5, -6.0, -4.5, 4.5, 6.0, 7.5)
# They replace those found within ANGLES where they hold this many times the ink: lines turned
# by 5-7 degrees are found in pieces within ANGLES (71 % of them at 6 degrees), whole within
# TURNED; a squared grid's thick lines are found either way (TURNED 2-4 % more, from the grid's
# crossings), and the grid found within ANGLES is the one to keep (a margin line beside a 4
# stayed and read "14").
TURNED_GAIN = 1.2
# A line runs across at least this share of the page.
MIN_SPAN = 0.6
# ... and is at most this thick, as a share of the page's short side.
MAX_THICK = 0.025
# Ink this much stronger than a page's lines is writing lying on a line.
LINE_DARKER = 1.35
# Steps of ink in which a line's shade is measured.
SHADE_BINS = 128
# Scale of the quick look for lines, before the full-size search.
COARSE = 4


def _segment(length, angle):
    """A one-pixel line kernel `length` long at `angle` degrees from horizontal."""
    a = np.deg2rad(angle)
    dy = int(round(abs(np.tan(a)) * (length - 1)))
    k = np.zeros((dy + 1, length), np.uint8)
    for x in range(length):
        y = int(round(abs(np.tan(a)) * x))
        k[y if angle >= 0 else dy - y, x] = 1
    return k


_KERNELS = {}


def _kernels(length, angles):
    if (length, angles) not in _KERNELS:
        _KERNELS[length, angles] = [_segment(length, a) for a in angles]
    return _KERNELS[length, angles]


def _lines_one_way(mask, span, turned=False):
    """Horizontal lines of a uint8 mask (1 = ink) that run across at least `span` pixels: those
    within ANGLES of level, or, if `turned`, those within TURNED where they hold TURNED_GAIN times
    more ink."""
    lines = _lines_at(mask, span, ANGLES)
    if not turned:
        return lines
    steeper = _lines_at(mask, span, TURNED)
    return steeper if np.count_nonzero(steeper) > TURNED_GAIN * np.count_nonzero(lines) else lines


def _lines_at(mask, span, angles):
    h, w = mask.shape
    length = max(15, int(0.06 * w))
    found = np.zeros_like(mask)
    for k in _kernels(length, angles):
        found |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    if not found.any():
        return found
    # Join a line's pieces broken by gaps in the print or by the opening, then keep long ones:
    # no thicker than a line turned a little more than the steepest angle looked at.
    slope = np.tan(np.deg2rad(max(abs(a) for a in angles) + 0.5))
    joined = cv2.morphologyEx(found, cv2.MORPH_CLOSE, np.ones((1, length), np.uint8))
    n, labels, stats = regions(joined)
    long_ = np.zeros(n, bool)
    long_[1:] = (stats[1:, cv2.CC_STAT_WIDTH] >= span) & (stats[1:, cv2.CC_STAT_HEIGHT] <= MAX_THICK * min(h, w)
                                                          + slope * stats[1:, cv2.CC_STAT_WIDTH])
    lines = (found & long_[labels]).astype(np.uint8)
    # A digit written across a line joins it, and would make it too thick to be one: such a
    # line is still a line where it is thin along most of its length, and only its thin part is
    # the line (the digit's columns are left to the digit).
    limit = MAX_THICK * min(h, w)
    tall = np.ones((int(limit) + 1, 1), np.uint8)
    for k in np.nonzero((stats[1:, cv2.CC_STAT_WIDTH] >= span) & ~long_[1:])[0] + 1:
        x, y, bw, bh = stats[k, :4]
        own = labels[y:y + bh, x:x + bw] == k
        # Thin where no run down a column is thicker than a line: two lines that the digit
        # joins are still two thin lines beside it.
        thin = ~cv2.morphologyEx(own.astype(np.uint8), cv2.MORPH_OPEN, tall).any(0)
        # Half the span: a big digit written across several lines covers much of their length.
        if np.count_nonzero(thin) >= 0.5 * span:
            lines[y:y + bh, x:x + bw] |= (own & thin[None, :] & (found[y:y + bh, x:x + bw] > 0)).astype(np.uint8)
    return lines


def _may_have_lines(small, span, turned=False):
    """Whether a mask reduced by COARSE (any ink in a cell marks it) has a long level run.

    Looser than _lines_one_way in every way (shorter segments, longer joins, no thickness limit),
    so that a page without lines, most uploads, skips the full-size search at a sixteenth of its
    cost, and a page with lines never does.
    """
    h, w = small.shape
    length = max(3, int(0.7 * max(15, 0.06 * w * COARSE) / COARSE))
    # The closing below bridges gaps of at most 2 * length: the columns holding any ink, with
    # such gaps bridged, must run on as far as a line would, or no region can (a digit alone on
    # a page, most uploads, is decided here for next to nothing).
    cols = np.flatnonzero(small.any(0))
    if cols.size == 0:
        return False
    apart = np.flatnonzero(np.diff(cols) > 2 * length + 2)
    starts, ends = cols[np.r_[0, apart + 1]], cols[np.r_[apart, cols.size - 1]]
    if (ends - starts + 1).max() < 0.8 * span / COARSE:
        return False
    found = np.zeros_like(small)
    for a in ANGLES + TURNED if turned else ANGLES:
        found |= cv2.morphologyEx(small, cv2.MORPH_OPEN, _segment(length, a))
    if not found.any():
        return False
    joined = cv2.morphologyEx(found, cv2.MORPH_CLOSE, np.ones((1, 2 * length), np.uint8))
    n, _, stats = regions(joined)
    return bool(n > 1 and stats[1:, cv2.CC_STAT_WIDTH].max() >= 0.8 * span / COARSE)


def find_lines(mask, extent=None):
    """(horizontal, vertical, thickness): the printed lines of a bool mask, as uint8 masks.

    `extent`, (width, height) in pixels, is the size of the page the mask shows where the page
    is only part of it (a sheet on a table): its lines run across most of the page, not of the
    picture (a whole page photographed from above is often half the picture's width or less),
    and may be turned by up to the TURNED angles.
    """
    m = mask.astype(np.uint8)
    h, w = m.shape
    span_w, span_h = (w, h) if extent is None else (min(w, extent[0]), min(h, extent[1]))
    # Lines are long: whether there are any shows at a quarter of the size.
    # (Padded to whole cells: OpenCV reduces by a whole-number ratio several times faster.)
    padded = cv2.copyMakeBorder(m * 255, 0, -h % COARSE, 0, -w % COARSE, cv2.BORDER_CONSTANT, value=0)
    small = (cv2.resize(padded, (padded.shape[1] // COARSE, padded.shape[0] // COARSE),
                        interpolation=cv2.INTER_AREA) > 0).astype(np.uint8)
    turned = extent is not None
    if _may_have_lines(small, MIN_SPAN * span_w, turned):
        horizontal = _lines_one_way(m, MIN_SPAN * span_w, turned)
    else:
        horizontal = np.zeros_like(m)
    if _may_have_lines(np.ascontiguousarray(small.T), MIN_SPAN * span_h, turned):
        vertical = _lines_one_way(np.ascontiguousarray(m.T), MIN_SPAN * span_h, turned)
        vertical = np.ascontiguousarray(vertical.T)
    else:
        vertical = np.zeros_like(m)
    both = horizontal | vertical
    if not both.any():
        return horizontal, vertical, 0
    d = cv2.distanceTransform(both, cv2.DIST_L2, 3)
    vals = d[d > 0]
    return horizontal, vertical, int(np.ceil(2 * percentile(vals, 75)))


def erase_lines(mask, horizontal, vertical, thickness, ink=None):
    """`mask` without the lines, keeping every pixel where a stroke crosses or covers one.

    A stroke that crosses a horizontal line runs on above and below it, further than the line is
    thick; a line's own pixels do not. So only pixels whose run across the line is short go, and,
    given `ink`, only those no darker than the lines themselves: printed lines are pale beside
    a pen, so a stroke lying along a line stays.
    """
    if thickness == 0:
        return mask
    m = mask.astype(np.uint8)
    run = thickness + 3
    crossing_h = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    crossing_v = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    # With the lines' anti-aliased rim.
    rim = np.ones((3, 3), np.uint8)
    h_wide = cv2.dilate(horizontal, rim)
    v_wide = cv2.dilate(vertical, rim)
    gone = ((h_wide & (1 - crossing_h)) | (v_wide & (1 - crossing_v)) | (h_wide & v_wide)).astype(bool)
    if ink is not None:
        # Each line against its own shade: a red margin line is darker than a pale grid. The
        # two directions are measured apart, or the margin line, joined to the grid at every
        # crossing, would be judged against the grid's paler shade and kept as writing.
        level = np.maximum(_shade_near(horizontal, crossing_h, ink, rim),
                           _shade_near(vertical, crossing_v, ink, rim))
        gone &= ink <= LINE_DARKER * level + 0.05
    return mask & ~gone


def _shade_near(lines, crossing, ink, rim):
    """Per pixel, the shade of the line (one direction's) it lies on or beside; 0 off the lines.

    A line's shade is the upper quartile of its own thin pixels' ink: its core, not the
    anti-aliased rim that a mean would count in (a grid's core pixels would then pass for
    writing), and not a stroke lying along it or across it (`crossing`: runs across the line
    longer than it is thick), which the search for lines takes in with the line.
    """
    n, labels = cv2.connectedComponents(lines, connectivity=8, ltype=cv2.CV_16U)
    if n < 2:
        return np.zeros(ink.shape, np.float32)
    xy = cv2.findNonZero(lines).reshape(-1, 2)
    ys, xs = xy[:, 1], xy[:, 0]
    lab = labels[ys, xs].astype(np.int64)
    thin = crossing[ys, xs] == 0
    # A line that is all stroke (none of it thin) keeps its stroke's shade: nothing is taken.
    use = thin | (np.bincount(lab[thin], minlength=n) == 0)[lab]
    lab = lab[use]
    # Quartiles from a histogram per line (ink in 1/SHADE_BINS steps): one pass, no sorting.
    b = np.clip((ink[ys[use], xs[use]] * SHADE_BINS).astype(np.int64), 0, SHADE_BINS - 1)
    hist = np.bincount(lab * SHADE_BINS + b, minlength=n * SHADE_BINS).reshape(n, SHADE_BINS)
    cum = np.cumsum(hist, 1)
    upper = (cum >= 0.75 * cum[:, -1:]).argmax(1)
    shade = ((upper + 0.5) / SHADE_BINS).astype(np.float32)
    shade[0] = 0
    near = cv2.dilate(labels, rim)
    return shade[near]


def remove_lines(mask, found=None):
    """(mask without printed lines, mask of the lines); `found` reuses find_lines() of another mask."""
    horizontal, vertical, thickness = find_lines(mask) if found is None else found
    return erase_lines(mask, horizontal, vertical, thickness), (horizontal | vertical).astype(bool)
