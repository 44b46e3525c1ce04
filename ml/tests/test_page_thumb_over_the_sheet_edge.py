"""A sheet held in the hand for the photo: the thumb lying over its edge is no writing. The thumb
cut a notch into the paper, the sheet's outline bridged it, and the thumb was read as ink on the
sheet, beside the digit or instead of it ("16" for a 1, "1" for a 3): 24 of the 40 photos below
read right before, 33 once the thumb was cut out, and all 40 once it was also told from the paper
by its colour (test_page_hand_told_from_the_paper_by_its_colour.py). Writing that itself runs to
the sheet's edge, off the frame, is still read."""
import io

import cv2
import numpy as np
from PIL import Image

from ml.page import _in_picture, find_page
from ml.render import gen_held_sheet
from ml.tests.drawn import count_right, read_photos


def _held(thumb=0.6):
    """A grey picture of a sheet on a dark table, a thumb `thumb` grey lying over its right edge."""
    g = np.full((900, 1200), 0.25, np.float32)
    g[150:750, 200:1000] = 0.92
    cv2.ellipse(g, (600, 450), (50, 90), 0, 0, 360, 0.15, 14)   # a 0
    # The thumb: from past the picture's right border, its round tip 90 px onto the sheet.
    cv2.rectangle(g, (955, 350), (1200, 430), thumb, -1)
    cv2.circle(g, (950, 390), 40, thumb, -1)
    return g


def _png(g):
    out = io.BytesIO()
    Image.fromarray((np.clip(g, 0, 1) * 255).astype(np.uint8)).save(out, "PNG")
    return out.getvalue()


def test_the_thumb_is_cut_out_of_the_sheet():
    g = _held()
    page = find_page(g)
    assert page is not None and page.covered
    inside = _in_picture(g, page)   # warped flat or not, in the picture's pixels
    assert not inside[390, 940] and not inside[390, 980]   # the thumb's tip and its middle
    assert inside[450, 600] and inside[200, 300] and inside[700, 950]


def test_a_sheet_with_nothing_over_its_edge_is_not_cut():
    g = _held()
    g[350:431, 910:1000] = 0.92
    g[350:431, 1000:] = 0.25
    page = find_page(g)
    assert page is not None and not page.covered
    assert _in_picture(g, page)[390, 940]


def test_digits_on_sheets_held_by_a_thumb_are_read(mnist_test_set):
    answers, truths = read_photos(mnist_test_set, 36, 40, lambda d, rng, k: gen_held_sheet(rng, d, k)[0])
    assert count_right(answers, truths) >= 38, answers


def test_a_fat_digit_running_off_the_frame_is_still_read():
    # A marker's 1 from the bottom of the frame up into a sheet that fills it: it reaches the
    # sheet's outline as a thumb does, and is all the writing there is, so the sheet is read whole.
    from ml.recognise import recognise

    g = np.full((900, 1200), 0.92, np.float32)
    g[:120] = 0.25
    cv2.line(g, (600, 420), (590, 900), 0.1, 40)
    assert find_page(g).covered
    assert recognise(_png(g)).number == "1"
