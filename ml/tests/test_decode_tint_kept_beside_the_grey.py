"""A colour picture's chroma (its tint) is kept beside the grey it is read in, small and turned
upright with it, so that the page finder can tell a hand from the paper (ml.page.SKIN). A colour
JPEG is decoded as stored, luma and chroma: its grey is what decoding the luma alone gave."""
import io

import numpy as np
import pytest
from PIL import Image

from ml.decode import TINT_LONG_SIDE, decode_with_preview


def _encode(img, fmt, **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def _picture():
    """A grey-white picture, 1600x1200, with an orange patch in its top-left quarter."""
    rgb = np.full((1200, 1600, 3), 215, np.uint8)
    rgb[150:450, 200:600] = (230, 150, 90)
    return Image.fromarray(rgb)


def _orange(tint):
    """Where the tint is most orange (Cr - Cb), as fractions (x, y) of its width and height."""
    orange = tint[..., 2].astype(int) - tint[..., 1].astype(int)
    ys, xs = np.nonzero(orange > orange.max() - 10)
    return xs.mean() / tint.shape[1], ys.mean() / tint.shape[0]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_colour_picture_keeps_its_tint(fmt):
    grey, alpha, full, small, tint = decode_with_preview(_encode(_picture(), fmt, quality=95), None)
    assert tint is not None and tint.dtype == np.uint8 and tint.shape[2] == 3   # Y, Cb, Cr
    assert TINT_LONG_SIDE <= max(tint.shape[:2]) < 2 * TINT_LONG_SIDE
    # The patch lies where it lies in the grey: centred at (0.25, 0.25) of the picture.
    x, y = _orange(tint)
    assert abs(x - 0.25) < 0.03 and abs(y - 0.25) < 0.03
    ys, xs = np.nonzero(grey < grey.max() - 0.1)
    assert abs(xs.mean() / grey.shape[1] - 0.25) < 0.03


def test_the_tint_is_turned_upright_with_the_grey():
    # Stored turned a quarter clockwise, with EXIF orientation 8 (turn a quarter back to view):
    # upright, the patch is in the top-left quarter again.
    turned = _picture().transpose(Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    exif[0x0112] = 8
    grey, _, full, _, tint = decode_with_preview(_encode(turned, "JPEG", quality=95, exif=exif), None)
    assert full == (1600, 1200) and grey.shape[1] > grey.shape[0] and tint.shape[1] > tint.shape[0]
    x, y = _orange(tint)
    assert abs(x - 0.25) < 0.03 and abs(y - 0.25) < 0.03


def test_a_colour_jpeg_reads_the_same_grey_as_its_luma_alone():
    # 1400x1050: decoded at half scale, 700x525, already within the working resolution.
    data = _encode(_picture().resize((1400, 1050)), "JPEG", quality=90)
    grey = decode_with_preview(data, None)[0]
    with Image.open(io.BytesIO(data)) as img:
        img.draft("L", (700, 525))
        luma = np.asarray(img, np.float32) / 255
    assert grey.shape == luma.shape and np.array_equal(grey, luma)


def test_grey_pictures_and_drawings_have_no_tint():
    grey_jpeg = _encode(_picture().convert("L"), "JPEG")
    assert decode_with_preview(grey_jpeg, None)[4] is None
    # A drawing on a transparent canvas is read by its transparency, not its colours.
    drawing = _picture().convert("RGBA")
    alpha = np.zeros((1200, 1600), np.uint8)
    alpha[:, 800:] = 255
    drawing.putalpha(Image.fromarray(alpha))
    decoded = decode_with_preview(_encode(drawing, "PNG"), None)
    assert decoded[1] is not None and decoded[4] is None


def test_a_jpeg_stored_as_rgb_is_read_in_grey():
    # Adobe's RGB coding (no luma and chroma to decode): read as before, without a tint.
    grey, _, full, _, tint = decode_with_preview(_encode(_picture(), "JPEG", quality=90, keep_rgb=True), None)
    assert full == (1600, 1200) and grey.shape == (576, 768) and tint is None
    ys, xs = np.nonzero(grey < grey.max() - 0.1)
    assert abs(xs.mean() / grey.shape[1] - 0.25) < 0.03
