"""The web reads headers only; the worker decodes under a time and memory budget.

A 1,582-byte lossless WebP or a 178 KB deflate TIFF can claim 6300×6300 pixels (40 MP, the
pixel limit): decoding either costs seconds and hundreds of MB. check_upload() refuses them
from their headers without decoding a pixel, and decode() refuses them before decoding.
"""
import io

import numpy as np
import pytest
from PIL import Image, ImageFile, ImageOps

import ml.decode as decode_module
from ml.decode import BUDGET_BYTES, BUDGET_SECONDS, ImageRejected, check_upload, decode, estimate


def _save(img, fmt, **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def costly_files():
    blank = Image.new("RGB", (6300, 6300), "white")
    return {
        "lossless webp": _save(blank, "WEBP", lossless=True),
        "deflate tiff": _save(blank, "TIFF", compression="tiff_adobe_deflate"),
    }


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decode fails the test: the web must get by on headers."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{self.format} pixels were decoded")
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_the_costly_files_are_tiny_and_claim_40_megapixels(costly_files):
    assert len(costly_files["lossless webp"]) < 2000
    assert len(costly_files["deflate tiff"]) < 250_000
    for data in costly_files.values():
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (6300, 6300)


@pytest.mark.parametrize("name", ["lossless webp", "deflate tiff"])
def test_the_web_refuses_them_from_their_headers(costly_files, no_decoding, name):
    with pytest.raises(ImageRejected) as info:
        check_upload(costly_files[name])
    assert info.value.code == "too_costly" and info.value.status == 413
    assert info.value.params["width"] == 6300 and info.value.params["height"] == 6300
    assert "6300" in str(info.value) and "JPEG" in str(info.value)


@pytest.mark.parametrize("name", ["lossless webp", "deflate tiff"])
def test_the_worker_refuses_them_before_decoding(costly_files, no_decoding, name):
    with pytest.raises(ImageRejected) as info:
        decode(costly_files[name])
    assert info.value.code == "too_costly"
    assert info.value.params["seconds"] > BUDGET_SECONDS


def _digit_picture(size, mode="RGB"):
    img = Image.new("L", size, 235)
    w, h = size
    img.paste(20, (w // 2 - w // 30, h // 4, w // 2 + w // 30, 3 * h // 4))
    return img.convert(mode)


ORDINARY = {
    "png": lambda: _save(_digit_picture((800, 600)), "PNG"),
    "grey png": lambda: _save(_digit_picture((1200, 900), "L"), "PNG"),
    "jpeg": lambda: _save(_digit_picture((1600, 1200)), "JPEG", quality=90),
    "webp": lambda: _save(_digit_picture((640, 480)), "WEBP", quality=90),
    "gif": lambda: _save(_digit_picture((640, 480), "P"), "GIF"),
    "bmp": lambda: _save(_digit_picture((640, 480)), "BMP"),
    "tiff": lambda: _save(_digit_picture((640, 480)), "TIFF", compression="tiff_lzw"),
}


@pytest.mark.parametrize("name", list(ORDINARY))
def test_the_web_accepts_ordinary_pictures_without_decoding_them(no_decoding, name):
    assert check_upload(ORDINARY[name]()) in decode_module.FORMATS


@pytest.mark.parametrize("name", list(ORDINARY))
def test_the_worker_decodes_ordinary_pictures_within_the_budget(name):
    data = ORDINARY[name]()
    with Image.open(io.BytesIO(data)) as img:
        seconds, memory = estimate(img, len(data))
    assert seconds <= BUDGET_SECONDS and memory <= BUDGET_BYTES
    grey, _alpha, full = decode(data)
    assert grey.dtype == np.float32 and 0 <= grey.min() and grey.max() <= 1
    assert full == Image.open(io.BytesIO(data)).size


def test_a_40_megapixel_jpeg_is_decoded_reduced_within_the_budget():
    data = _save(_digit_picture((7300, 5450)), "JPEG", quality=85)
    with Image.open(io.BytesIO(data)) as img:
        seconds, memory = estimate(img, len(data))
        assert seconds <= BUDGET_SECONDS and memory <= 64 * 1024 * 1024
    grey, _alpha, full = decode(data)
    assert full == (7300, 5450)
    assert max(grey.shape) <= decode_module.WORK_LONG_SIDE


def test_the_same_pixels_as_a_png_would_cost_too_much(no_decoding):
    # What draft decoding saves: a PNG cannot be read at reduced scale.
    data = _png_header(7300, 5450, colour_type=2)
    with pytest.raises(ImageRejected) as info:
        check_upload(data)
    assert info.value.code == "too_costly"


def _png_header(width, height, colour_type):
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_a_cut_off_jpeg_is_noticed_without_decoding(no_decoding):
    data = ORDINARY["jpeg"]()
    with pytest.raises(ImageRejected) as info:
        check_upload(data[: len(data) * 2 // 3])
    assert info.value.code == "damaged"


def test_a_jpeg_with_an_exif_thumbnail_is_still_judged_by_its_own_end(no_decoding):
    """The EXIF thumbnail's end marker comes before the picture's scan data and must not count."""
    thumb = _save(Image.new("RGB", (64, 48), "white"), "JPEG")
    exif = Image.Exif()
    exif[0x0112] = 1
    data = _save(_digit_picture((800, 600)), "JPEG", quality=90, exif=exif.tobytes())
    # Put a thumbnail (its own SOI..EOI) inside an APP segment before the scan.
    app = b"\xff\xe2" + (len(thumb) + 2).to_bytes(2, "big") + thumb
    data = data[:2] + app + data[2:]
    assert check_upload(data) == "JPEG"
    with pytest.raises(ImageRejected):
        check_upload(data[: len(data) - 2000])


@pytest.mark.parametrize("orientation", range(1, 9))
def test_crop_fractions_are_of_the_upright_picture(orientation):
    """decode(crop=...) keeps the part of the upright picture, whatever the EXIF orientation."""
    rng = np.random.default_rng(orientation)
    pixels = rng.integers(0, 256, (90, 160), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = _save(Image.fromarray(pixels), "TIFF", exif=exif.tobytes())
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    crop = (0.25, 0.1, 0.75, 0.6)
    w, h = upright.size
    expected = np.asarray(upright.crop((int(crop[0] * w), int(crop[1] * h), round(crop[2] * w),
                                        round(crop[3] * h))), dtype=np.float32) / 255
    grey, _alpha, full = decode(data, crop=crop)
    assert full == (expected.shape[1], expected.shape[0])
    assert grey.shape == expected.shape
    assert np.allclose(grey, expected)


def test_an_empty_crop_is_refused():
    with pytest.raises(ImageRejected) as info:
        decode(ORDINARY["png"](), crop=(0.5, 0.5, 0.5, 0.9))
    assert info.value.code == "empty_crop"


def test_a_16_bit_picture_counts_its_float_conversion(no_decoding):
    """16-bit greys are scaled through full-size float arrays: a 12 MP one is far over budget
    although a grey 8-bit picture of that size would fit."""
    import struct
    import zlib

    def png(bit_depth):
        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        ihdr = struct.pack(">IIBBBBB", 4000, 3000, bit_depth, 0, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")

    with Image.open(io.BytesIO(png(8))) as grey8:
        assert estimate(grey8, 100)[0] <= BUDGET_SECONDS
    with pytest.raises(ImageRejected) as info:
        check_upload(png(16))
    assert info.value.code == "too_costly"
