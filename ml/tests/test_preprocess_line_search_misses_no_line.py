"""The quick look for lines at a quarter of the size never hides a line the full-size search finds.

find_lines() skips the full-size search when the reduced mask shows no long level run; these
pages have lines at every angle, thickness and length the full search accepts, just over the
shortest span, in ink among noise, and the result must be the full search's.
"""
import cv2
import numpy as np
import pytest

from ml import lines


def _full_search(mask):
    m = mask.astype(np.uint8)
    h, w = m.shape
    horizontal = lines._lines_one_way(m, lines.MIN_SPAN * w)
    vertical = np.ascontiguousarray(lines._lines_one_way(np.ascontiguousarray(m.T), lines.MIN_SPAN * h).T)
    return horizontal, vertical


@pytest.mark.parametrize("angle", [-3.0, -2.2, -1.0, 0.0, 0.7, 1.5, 2.6, 3.0])
@pytest.mark.parametrize("thickness", [2, 3, 5])
def test_it_finds_every_line_the_full_search_finds(angle, thickness):
    rng = np.random.default_rng(int(10 * angle) + 100 * thickness)
    h, w = 701, 903   # not whole cells of the quick look
    mask = rng.random((h, w)) < 0.01
    m = mask.astype(np.uint8)
    span = int(lines.MIN_SPAN * w) + 12
    x0 = int(rng.integers(0, w - span))
    for y in (150, 400, 650):
        dy = int(round(np.tan(np.deg2rad(angle)) * span))
        cv2.line(m, (x0, y), (x0 + span, y + dy), 1, thickness)
    # One vertical line, as a margin.
    cv2.line(m, (120, 30), (120 + int(round(np.tan(np.deg2rad(angle)) * 480)), 30 + 480), 1, thickness)
    mask = m.astype(bool)
    horizontal, vertical, found_thickness = lines.find_lines(mask)
    full_h, full_v = _full_search(mask)
    assert full_h.any() and full_v.any()
    assert np.array_equal(horizontal, full_h) and np.array_equal(vertical, full_v)
    assert found_thickness > 0


def test_it_finds_no_lines_on_a_page_of_writing_and_noise():
    rng = np.random.default_rng(3)
    m = (rng.random((768, 1024)) < 0.02).astype(np.uint8)
    for x in range(100, 900, 160):
        cv2.putText(m, "7", (x, 500), cv2.FONT_HERSHEY_SIMPLEX, 6, 1, 12)
    horizontal, vertical, thickness = lines.find_lines(m.astype(bool))
    assert thickness == 0 and not horizontal.any() and not vertical.any()
