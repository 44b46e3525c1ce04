"""Every kind of file that is not a readable picture gets a clear refusal with the right status."""
import io
import struct
import zlib

import pytest
from PIL import Image

from ml.decode import ImageRejected, check_upload
from ml.preprocess import preprocess


def _png(size=(64, 64)):
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, "PNG")
    return out.getvalue()


def _jpeg(size=(256, 256)):
    import numpy as np

    out = io.BytesIO()
    noise = np.random.default_rng(0).integers(0, 255, (size[1], size[0]), dtype=np.uint8)
    Image.fromarray(noise).save(out, "JPEG", quality=90)
    return out.getvalue()


def _png_header_only(width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
  <script>alert(1)</script><text x="10" y="50">7</text>
</svg>"""

BAD_FILES = {
    "zero bytes": (b"", 400),
    "text named .png": (b"hello, this is not a picture\n" * 20, 400),
    "svg with a script": (SVG, 400),
    "svg without xml header": (SVG.split(b"\n", 1)[1], 400),
    "truncated png": (_png()[:-30], 400),
    "truncated jpeg": (_jpeg()[: len(_jpeg()) // 2], 400),
    "png header claiming 60000x60000": (_png_header_only(60000, 60000), 413),
    "png header claiming 8000x8000": (_png_header_only(8000, 8000), 413),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_it_refuses_each_bad_file_at_upload_with_its_status(name):
    data, status = BAD_FILES[name]
    with pytest.raises(ImageRejected) as info:
        check_upload(data)
    assert info.value.status == status
    assert len(str(info.value)) > 10 and "Traceback" not in str(info.value)


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_it_refuses_each_bad_file_in_preprocess_too(name):
    data, status = BAD_FILES[name]
    with pytest.raises(ImageRejected) as info:
        preprocess(data)
    assert info.value.status == status


def test_it_refuses_too_many_bytes_with_413():
    with pytest.raises(ImageRejected) as info:
        check_upload(_png(), max_bytes=100)
    assert info.value.status == 413
    assert "too large" in str(info.value)


def test_it_refuses_too_many_pixels_with_413():
    with pytest.raises(ImageRejected) as info:
        check_upload(_png((300, 300)), max_pixels=50_000)
    assert info.value.status == 413


def test_it_accepts_ordinary_pictures():
    check_upload(_png())
    check_upload(_jpeg())


def test_it_is_a_value_error_for_callers_that_catch_those():
    assert issubclass(ImageRejected, ValueError)
