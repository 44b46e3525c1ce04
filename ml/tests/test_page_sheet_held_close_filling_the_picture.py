"""A note held up close to the camera fills the picture: no table shows, so no sheet is found,
and the thumb holding it, at the picture's border, was read as writing beside the digit ("20"
or "00" for a 0: 4 of the 10 photos below, all from the left). The skin that reaches the border is left out of what
is read (ml.page._held_close); writing that itself runs off the picture is still read, and a
board with chalk on it is no sheet."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.decode import decode_with_preview
from ml.page import find_page
from ml.recognise import recognise
from ml.render import SKIN_TONES, thumb_on


def _jpeg(rgb):
    out = io.BytesIO()
    Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _close(tone, side, paper=(0.93, 0.93, 0.91), ink=(0.12, 0.12, 0.15)):
    """A 0 on paper filling a 1600x1200 photo, a thumb of `tone` from the left or bottom border."""
    rng = np.random.default_rng(tone)
    rgb = np.empty((1200, 1600, 3), np.float32)
    rgb[:] = paper
    cv2.ellipse(rgb, (800, 550), (60, 110), 0, 0, 360, ink, 16)
    if side == "left":
        thumb_on(rgb, rng, (230, 700), 0.0, 170, SKIN_TONES[tone])
    else:
        thumb_on(rgb, rng, (1000, 900), -90.0, 170, SKIN_TONES[tone])
    rgb += rng.standard_normal(rgb.shape).astype(np.float32) * 0.01
    return _jpeg(rgb)


@pytest.mark.parametrize("side", ["left", "bottom"])
@pytest.mark.parametrize("tone", range(len(SKIN_TONES)))
def test_the_thumb_holding_a_note_up_close_is_not_read(tone, side):
    data = _close(tone, side)
    grey, _, _, _, tint = decode_with_preview(data, None)
    page = find_page(grey, tint)
    assert page is not None and page.close and page.covered
    s = grey.shape[1] / 1600
    # In the thumb, 80 px from its tip.
    at = (int(700 * s), int(150 * s)) if side == "left" else (int(980 * s), int(1000 * s))
    assert not page.inside[at] and page.inside[int(550 * s), int(800 * s)]
    assert recognise(data).number == "0"


def test_a_marker_stroke_running_off_the_note_is_still_read():
    # A red marker's 1, up from the bottom border: skin-coloured and reaching the border as a
    # thumb does, and all the writing there is, so the picture is read as it is.
    rgb = np.empty((1200, 1600, 3), np.float32)
    rgb[:] = (0.93, 0.93, 0.91)
    cv2.line(rgb, (800, 500), (790, 1200), (0.75, 0.2, 0.1), 60)
    assert recognise(_jpeg(rgb)).number == "1"


def test_chalk_on_a_board_beside_a_hand_is_no_sheet():
    rgb = np.empty((1200, 1600, 3), np.float32)
    rgb[:] = (0.18, 0.24, 0.2)
    cv2.ellipse(rgb, (800, 550), (60, 110), 0, 0, 360, (0.9, 0.9, 0.88), 16)
    thumb_on(rgb, np.random.default_rng(0), (230, 700), 0.0, 170, SKIN_TONES[0])
    data = _jpeg(rgb)
    grey, _, _, _, tint = decode_with_preview(data, None)
    assert find_page(grey, tint) is None
    assert recognise(data).number == "0"
