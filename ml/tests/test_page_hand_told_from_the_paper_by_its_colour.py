"""The thumb of the hand holding a sheet is told from the paper by its colour (ml.page.SKIN): in
grey, a pale thumb's shaded sides and its soft shadow meet the paper with no sharp edge, so the
thumb joined the sheet, or paper, thumb and table became one region and no sheet was found. Paper
of any tint, a skin-coloured one or a wooden table among them, is still paper and table."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.decode import decode_with_preview
from ml.page import _in_picture, find_page
from ml.recognise import recognise
from ml.render import SKIN_TONES, thumb_on

PALE = SKIN_TONES.index((0.93, 0.78, 0.7))


def _held(skin, paper=(0.93, 0.93, 0.91), table=(0.36, 0.35, 0.34)):
    """A JPEG photo, 1600x1200, of a sheet with a 0 on it; a thumb in `skin`'s tone (or none)
    comes from past the right border, its tip 110 px onto the sheet."""
    rng = np.random.default_rng(0)
    rgb = np.empty((1200, 1600, 3), np.float32)
    rgb[:] = table
    rgb[200:1000, 300:1300] = paper
    cv2.ellipse(rgb, (800, 600), (60, 110), 0, 0, 360, (0.12, 0.12, 0.15), 16)
    if skin is not None:
        thumb_on(rgb, rng, (1190, 600), 180.0, 160, skin)
    rgb += rng.standard_normal(rgb.shape).astype(np.float32) * 0.01
    out = io.BytesIO()
    Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _page(data, with_tint=True):
    grey, _, _, _, tint = decode_with_preview(data, None)
    page = find_page(grey, tint if with_tint else None)
    return grey, page, None if page is None else _in_picture(grey, page)


def _at(grey, x, y):
    """(row, column) in the grey picture of the photo's pixel (x, y)."""
    s = grey.shape[1] / 1600
    return int(y * s), int(x * s)


@pytest.mark.parametrize("tone", range(len(SKIN_TONES)))
def test_a_thumb_of_every_tone_is_cut_out_of_the_sheet(tone):
    grey, page, inside = _page(_held(SKIN_TONES[tone]))
    assert page is not None and page.covered
    # The thumb begins at x = 1190: its tip, its nail, its middle.
    assert not inside[_at(grey, 1205, 600)] and not inside[_at(grey, 1230, 600)] and not inside[_at(grey, 1280, 600)]
    assert inside[_at(grey, 400, 300)] and inside[_at(grey, 1250, 900)] and inside[_at(grey, 800, 600)]
    assert recognise(_held(SKIN_TONES[tone])).number == "0"


def test_in_grey_alone_the_pale_thumb_stays_on_the_sheet():
    # What the colour is for: without it, the pale thumb is taken for paper.
    grey, page, inside = _page(_held(SKIN_TONES[PALE]), with_tint=False)
    assert page is None or inside[_at(grey, 1205, 600)]


@pytest.mark.parametrize("paper, table", [
    ((0.95, 0.78, 0.66), (0.36, 0.35, 0.34)),   # peach paper, as orange as a pale thumb
    ((0.93, 0.93, 0.91), (0.5, 0.33, 0.17)),    # white paper on a wooden table, orange as skin
    ((1.0, 0.93, 0.45), (0.7, 0.7, 0.7)),       # a yellow note on a pale grey desk
])
def test_paper_and_tables_of_any_tint_are_not_skin(paper, table):
    grey, page, inside = _page(_held(None, paper, table))
    assert page is not None and not page.covered
    assert inside[_at(grey, 1250, 600)] and inside[_at(grey, 400, 300)]
    assert not inside[_at(grey, 150, 600)]
    assert recognise(_held(None, paper, table)).number == "0"
