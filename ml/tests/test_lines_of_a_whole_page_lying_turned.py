"""The ruled lines of a notebook page photographed whole, lying turned on a table, are found.

Such a page is often half the picture's width or less, and turned by several degrees. Lines were
looked for only where they ran across 60 % of the *picture*, and within 3 degrees of level: this
page's lines were never found, stayed in the ink, and joined the writing or were read as digits
("1" read "2222", "324" not found). On a sheet found lying on a table they are now looked for
across 60 % of the sheet, and turned by up to 7.5 degrees.
"""
import cv2
import numpy as np

from ml.lines import find_lines

SHAPE = (552, 768)          # the working copy of a 4:3 photo
PAGE = (200, 40, 620, 540)  # the sheet's box in it: 420 of 768 pixels wide


def _ruled_page(degrees, spacing=18):
    """A mask of a sheet's ruled lines, one or two pixels thick, turned by `degrees`."""
    mask = np.zeros(SHAPE, np.uint8)
    x0, y0, x1, y1 = PAGE
    slope = np.tan(np.deg2rad(degrees))
    for y in range(y0 + 20, y1 - 20, spacing):
        cv2.line(mask, (x0 + 5, y), (x1 - 5, int(round(y + slope * (x1 - x0 - 10)))), 1, 1 + (y // spacing) % 2)
    return mask.astype(bool)


def _found(mask, extent=None):
    """The share of the lines' pixels found, or beside one found: lines are taken out with the
    pixel round them (ml.lines.erase_lines)."""
    horizontal, _, _ = find_lines(mask, extent)
    near = cv2.dilate(horizontal, np.ones((3, 3), np.uint8)).astype(bool)
    return np.count_nonzero(near & mask) / np.count_nonzero(mask)


def test_lines_spanning_the_sheet_but_not_the_picture_are_found():
    mask = _ruled_page(1.0)
    extent = (PAGE[2] - PAGE[0], PAGE[3] - PAGE[1])
    assert _found(mask) == 0            # 420 pixels: short of 60 % of the picture's 768
    assert _found(mask, extent) > 0.9


def test_lines_of_a_sheet_turned_by_six_degrees_are_found():
    mask = _ruled_page(6.0)
    extent = (PAGE[2] - PAGE[0], PAGE[3] - PAGE[1])
    assert _found(mask, extent) > 0.9


def test_a_one_filling_a_tight_crop_is_no_line():
    # A picture that is all page (no sheet on a table): a 1 slanted by 5 degrees that fills most
    # of it runs as far as a line would, and stays.
    mask = np.zeros((300, 300), np.uint8)
    cv2.line(mask, (140, 40), (158, 250), 1, 9)
    _, vertical, _ = find_lines(mask.astype(bool))
    assert not vertical.any()
