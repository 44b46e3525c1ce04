"""Lines: the ruled or squared-paper lines and the margin line printed on a page.

A printed line is long, straight and thin; a stroke is none of these for long. Lines are found by
opening the ink mask with long thin segments (a few angles either side of level, for pages that
are not quite straight), kept only when they run across most of the page, and taken out. Where a
stroke crossed a line, the gap left is as wide as the line; it is closed again across the line's
direction, inside the line only, so a digit is not cut in two.
"""
import cv2
import numpy as np

ANGLES = (-3.0, -1.5, 0.0, 1.5, 3.0)
# A line runs across at least this share of the page.
MIN_SPAN = 0.6
# ... and is at most this thick, as a share of the page's short side.
MAX_THICK = 0.025


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


def remove_lines(mask):
    """(mask without printed lines, mask of the lines taken out); both bool, same shape as `mask`."""
    m = mask.astype(np.uint8)
    h, w = m.shape
    horizontal = _lines_one_way(m, MIN_SPAN * w)
    vertical = _lines_one_way(np.ascontiguousarray(m.T), MIN_SPAN * h).T
    lines = (horizontal | vertical).astype(bool)
    if not lines.any():
        return mask, lines
    # Take the lines out with their anti-aliased rim.
    wide = cv2.dilate(lines.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    rest = (mask & ~wide).astype(np.uint8)
    thick = _thickness(lines)
    # Bridge the gaps strokes leave where they crossed a line: across the line only, inside it only.
    span = thick + 5
    bridge = np.zeros_like(rest)
    if horizontal.any():
        bridge |= cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((span, 1), np.uint8))
    if vertical.any():
        bridge |= cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((1, span), np.uint8))
    repaired = rest.astype(bool) | (bridge.astype(bool) & wide & mask)
    return repaired, lines


def _thickness(lines):
    d = cv2.distanceTransform(lines.astype(np.uint8), cv2.DIST_L2, 3)
    vals = d[d > 0]
    return int(np.ceil(2 * np.percentile(vals, 95))) if vals.size else 1
