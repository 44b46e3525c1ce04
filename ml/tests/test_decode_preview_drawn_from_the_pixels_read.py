"""The worker's thumbnail of a picture is drawn from the pixels decoded for reading it, not by
decoding the file again: a phone's HEIC takes 0.2 s or more to decode (decode_with_preview)."""
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from ml.decode import decode, decode_with_preview
from ml.recognise import NoDigitFound, recognise_many

IMAGES = Path(__file__).parent / "fixtures" / "images"
BOX = (160, 160)


def _encode(img, fmt, **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def _thumbnail(data):
    """What a thumbnail drawn from the file alone looks like (Pillow, upright)."""
    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        img.thumbnail(BOX, reducing_gap=2.0)
        return np.asarray(img, np.float32)


@pytest.mark.parametrize("name", ["phone_sheet_305.heic", "phone_sheet_47_sideways.heic"])
def test_a_heic_comes_with_its_thumbnail_upright(name):
    data = (IMAGES / name).read_bytes()
    grey, alpha, full, small, tint = decode_with_preview(data, BOX)
    assert small.size == (160, 120)
    assert np.abs(np.asarray(small.convert("RGB"), np.float32) - _thumbnail(data)).mean() < 2
    # The reading is the same as without the copy.
    assert np.array_equal(grey, decode(data)[0]) and full == decode(data)[2]


def test_a_png_photo_turned_by_exif_comes_with_its_thumbnail_upright():
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = Image.new("RGB", (400, 300), "white")
    photo.paste((200, 30, 30), (0, 0, 100, 300))  # a red band along the left of the stored pixels
    data = _encode(photo, "PNG", exif=exif.tobytes())
    small = decode_with_preview(data, BOX)[3]
    assert small.size == (120, 160)
    assert np.abs(np.asarray(small.convert("RGB"), np.float32) - _thumbnail(data)).mean() < 2


def test_no_copy_where_the_file_gives_a_thumbnail_as_cheaply():
    jpeg = _encode(Image.new("RGB", (1200, 900), "white"), "JPEG")
    small_png = _encode(Image.new("L", (112, 112), 255), "PNG")
    big_png = _encode(Image.new("L", (1200, 900), 255), "PNG")
    assert decode_with_preview(jpeg, BOX)[3] is None          # decoded at reduced scale for it
    assert decode_with_preview(small_png, BOX)[3] is None     # already within the box
    assert decode_with_preview(big_png, BOX, crop=(0, 0, 0.5, 0.5))[3] is None  # a part only
    assert decode_with_preview(big_png, BOX)[3].size == (160, 120)


def test_recognition_and_its_refusals_carry_the_copy():
    sheet = (IMAGES / "phone_sheet_305.heic").read_bytes()
    blank = _encode(Image.new("RGB", (1200, 900), (240, 238, 230)), "PNG")
    read, nothing = recognise_many([sheet, blank], preview=BOX)
    assert read.number == "305" and read.preview.size == (160, 120)
    assert isinstance(nothing, NoDigitFound) and nothing.preview.size == (160, 120)
    assert recognise_many([sheet])[0].preview is None  # not asked for
