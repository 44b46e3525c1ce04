"""Lines: the ruled or squared-paper lines and the margin line printed on a page.

A printed line is long, straight and thin; a stroke is none of these for long. Lines are found by
opening the ink mask with long thin segments (a few angles either side of level, for pages that
are not quite straight), kept only when they run across most of the page, and taken out. Where a
stroke crosses a line, it runs on beyond the line on both sides, further than the line is thick;
those pixels stay, so a digit is not cut in two.
"""
import cv2
import numpy as np

ANGLES = (-3.0, -1.5, 0.0, 1.5, 3.0)
# A line runs across at least this share of the page.
MIN_SPAN = 0.6
# ... and is at most this thick, as a share of the page's short side.
MAX_THICK = 0.025
# Ink this much stronger than a page's lines is writing lying on a line.
LINE_DARKER = 1.35
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


def _kernels(length):
    if length not in _KERNELS:
        _KERNELS[length] = [_segment(length, a) for a in ANGLES]
    return _KERNELS[length]


def _lines_one_way(mask, span):
    """Horizontal lines of a uint8 mask (1 = ink) that run across at least `span` pixels."""
    h, w = mask.shape
    length = max(15, int(0.06 * w))
    found = np.zeros_like(mask)
    for k in _kernels(length):
        found |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    if not found.any():
        return found
    # Join a line's pieces broken by gaps in the print or by the opening, then keep long ones.
    joined = cv2.morphologyEx(found, cv2.MORPH_CLOSE, np.ones((1, length), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    long_ = np.zeros(n, bool)
    long_[1:] = (stats[1:, cv2.CC_STAT_WIDTH] >= span) & (stats[1:, cv2.CC_STAT_HEIGHT] <= MAX_THICK * min(h, w)
                                                          + np.tan(np.deg2rad(3.5)) * stats[1:, cv2.CC_STAT_WIDTH])
    return (found & long_[labels]).astype(np.uint8)


def _may_have_lines(small, span):
    """Whether a mask reduced by COARSE (any ink in a cell marks it) has a long level run.

    Looser than _lines_one_way in every way (shorter segments, longer joins, no thickness limit),
    so that a page without lines, most uploads, skips the full-size search at a sixteenth of its
    cost, and a page with lines never does.
    """
    h, w = small.shape
    length = max(3, int(0.7 * max(15, 0.06 * w * COARSE) / COARSE))
    found = np.zeros_like(small)
    for a in ANGLES:
        found |= cv2.morphologyEx(small, cv2.MORPH_OPEN, _segment(length, a))
    if not found.any():
        return False
    joined = cv2.morphologyEx(found, cv2.MORPH_CLOSE, np.ones((1, 2 * length), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    return bool(n > 1 and stats[1:, cv2.CC_STAT_WIDTH].max() >= 0.8 * span / COARSE)


def find_lines(mask):
    """(horizontal, vertical, thickness): the printed lines of a bool mask, as uint8 masks."""
    m = mask.astype(np.uint8)
    h, w = m.shape
    # Lines are long: whether there are any shows at a quarter of the size.
    # (Padded to whole cells: OpenCV reduces by a whole-number ratio several times faster.)
    padded = cv2.copyMakeBorder(m * 255, 0, -h % COARSE, 0, -w % COARSE, cv2.BORDER_CONSTANT, value=0)
    small = (cv2.resize(padded, (padded.shape[1] // COARSE, padded.shape[0] // COARSE),
                        interpolation=cv2.INTER_AREA) > 0).astype(np.uint8)
    if _may_have_lines(small, MIN_SPAN * w):
        horizontal = _lines_one_way(m, MIN_SPAN * w)
    else:
        horizontal = np.zeros_like(m)
    if _may_have_lines(np.ascontiguousarray(small.T), MIN_SPAN * h):
        vertical = np.ascontiguousarray(_lines_one_way(np.ascontiguousarray(m.T), MIN_SPAN * h).T)
    else:
        vertical = np.zeros_like(m)
    both = horizontal | vertical
    if not both.any():
        return horizontal, vertical, 0
    d = cv2.distanceTransform(both, cv2.DIST_L2, 3)
    vals = d[d > 0]
    return horizontal, vertical, int(np.ceil(2 * np.percentile(vals, 75)))


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
        # Each line against its own shade: a red margin line is darker than a pale grid.
        n, labels = cv2.connectedComponents((horizontal | vertical).astype(np.uint8), connectivity=8)
        flat = labels.ravel()
        level = np.bincount(flat, weights=ink.ravel(), minlength=n) / np.maximum(np.bincount(flat, minlength=n), 1)
        near = cv2.dilate(labels.astype(np.float32), rim).astype(np.int32)
        gone &= ink <= LINE_DARKER * level[near] + 0.05
    return mask & ~gone


def remove_lines(mask, found=None):
    """(mask without printed lines, mask of the lines); `found` reuses find_lines() of another mask."""
    horizontal, vertical, thickness = find_lines(mask) if found is None else found
    return erase_lines(mask, horizontal, vertical, thickness), (horizontal | vertical).astype(bool)
