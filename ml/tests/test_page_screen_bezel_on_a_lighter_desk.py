"""A screen photographed on a desk lighter than its bezel is a sheet: the bright screen, with a
dark band closed all round it and a lighter desk beyond. That band was taken for a pen lying
across a page (a dark band with more paper beyond it), so no sheet was found, and the bezel was
read as ink round the digit: a digit a third of the screen tall was read "0", the bezel's shape,
for 17 of MNIST's first 20 test digits."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.page import find_page


def _screen(digit=None, desk=0.6, h=900, w=1200):
    """A grey picture of a tablet on a desk: a dark bezel round a bright screen, tilted a little."""
    g = np.full((h, w), desk, np.float32)
    device = cv2.boxPoints(((600, 450), (760, 560), 4)).astype(np.int32)
    screen = cv2.boxPoints(((600, 450), (700, 500), 4)).astype(np.int32)
    cv2.fillPoly(g, [device], 0.08)
    cv2.fillPoly(g, [screen], 0.9)
    if digit is not None:
        # Shown in square pixels, as an image viewer enlarges a 28x28 picture.
        ink = cv2.resize(digit.astype(np.float32) / 255, (160, 160), interpolation=cv2.INTER_NEAREST)
        g[300:460, 400:560] -= 0.85 * ink
    return g


def test_the_screen_inside_its_bezel_is_the_sheet():
    page = find_page(_screen())
    assert page is not None
    if page.warped:
        # Warped flat: what is read is the screen alone, as bright as the screen everywhere.
        assert page.grey.min() > 0.8
    else:
        assert page.inside[450, 600] and not page.inside[450, 150] and not page.inside[450, 245]


def test_a_drawn_box_on_a_page_is_still_no_sheet():
    # A dark band closed round a bright part, with paper as bright beyond it: a box drawn on the page.
    g = np.full((900, 1200), 0.9, np.float32)
    cv2.rectangle(g, (300, 200), (900, 700), 0.1, 12)
    assert find_page(g) is None


@pytest.mark.parametrize("index", range(8))
def test_a_digit_shown_on_a_screen_is_read(index, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    out = io.BytesIO()
    Image.fromarray((np.clip(_screen(x[index]), 0, 1) * 255).astype(np.uint8)).save(out, "PNG")
    assert recognise(out.getvalue()).number == str(y[index])
