"""A pen lying across a page that fills the picture is no sheet's edge: cut off by it, the corner of
the page beyond it (lit a little brighter than the rest) was taken for a sheet lying on a dark
table, and everything outside it, the digit too, was ignored ("no digit found"). A sheet's edge
has the table beyond it; a pen has more paper."""
import cv2
import numpy as np
import pytest

from ml.page import find_page


def _page(pen=True, table=False):
    h, w = 900, 1200
    light = np.linspace(0.7, 0.95, w, dtype=np.float32)[None, :].repeat(h, 0)   # brighter to the right
    g = light.copy()
    cv2.ellipse(g, (400, 450), (70, 110), 0, 0, 360, 0.15, 14)                  # a 0
    if pen:
        box = cv2.boxPoints(((900, 330), (1100, 60), 50)).astype(np.int32)
        cv2.fillPoly(g, [box], 0.25)
    if table:
        g[:, 1000:] = 0.3
    return g


def test_a_pen_across_the_corner_of_a_full_page_makes_no_sheet():
    assert find_page(_page()) is None


def test_a_sheet_on_a_table_is_still_found():
    page = find_page(_page(pen=False, table=True))
    assert page is not None and not page.inside[:, 1050:].any() and page.inside[450, 400]


@pytest.mark.parametrize("i", [6, 43])
def test_a_digit_on_a_page_a_pen_lies_across_is_read(i, mnist_test_set):
    """Corpus pictures (tuning split): a 9 and a 2 answered "no digit found"."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate("pen_beside", i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
