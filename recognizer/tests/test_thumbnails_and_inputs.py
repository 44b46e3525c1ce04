"""The pictures stored with a record: the upload's thumbnail and the model's 28x28 inputs."""
import io
from pathlib import Path

import numpy as np
from PIL import Image

from recognizer.images import THUMB_SIZE, input_pixels, input_png, thumbnail_png


def _encode(img, fmt, **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def test_a_small_png_is_its_own_thumbnail():
    data = _encode(Image.new("L", (112, 112), 255), "PNG")
    assert thumbnail_png(data) == data


def test_a_big_photo_becomes_a_png_within_the_thumbnail_size_and_keeps_its_shape():
    photo = _encode(Image.new("RGB", (3000, 4000), (200, 190, 180)), "JPEG", quality=80)
    with Image.open(io.BytesIO(thumbnail_png(photo))) as thumb:
        assert thumb.format == "PNG"
        assert thumb.width <= THUMB_SIZE[0] and thumb.height <= THUMB_SIZE[1]
        assert thumb.height == THUMB_SIZE[1] and abs(thumb.width / thumb.height - 0.75) < 0.02


def test_a_turned_phone_photo_is_shown_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees to view
    photo = _encode(Image.new("RGB", (400, 300), "white"), "JPEG", exif=exif)
    with Image.open(io.BytesIO(thumbnail_png(photo))) as thumb:
        assert thumb.height > thumb.width


def test_an_unreadable_upload_has_no_thumbnail():
    assert thumbnail_png(b"\x89PNG\r\n\x1a\n broken") is None


def test_the_inputs_lie_side_by_side_with_their_pixel_values():
    rng = np.random.default_rng(0)
    inputs = rng.random((3, 28, 28, 1), dtype=np.float32)
    with Image.open(io.BytesIO(input_png(inputs))) as img:
        pixels = np.asarray(img)
    assert img.mode == "L" and pixels.shape == (28, 84)
    for k in range(3):
        np.testing.assert_array_equal(pixels[:, 28 * k:28 * (k + 1)], np.round(inputs[k, ..., 0] * 255))


def test_the_stored_inputs_read_back_as_the_model_saw_them():
    # The heat maps' job works from the stored strip, not from the recognition's own arrays.
    rng = np.random.default_rng(1)
    inputs = rng.random((4, 28, 28), dtype=np.float32)
    back = input_pixels(input_png(inputs))
    assert back.shape == (4, 28, 28) and back.dtype == np.float32
    np.testing.assert_allclose(back, inputs, atol=0.5 / 255 + 1e-6)


def test_a_thumbnail_drawn_while_reading_needs_no_second_decode(monkeypatch):
    # The worker passes the copy made from the pixels it read (ml.decode.decode_with_preview):
    # the file itself is then only opened for its header.
    heic = (Path(__file__).resolve().parents[2] / "ml" / "tests" / "fixtures" / "images"
            / "phone_sheet_305.heic").read_bytes()
    preview = Image.new("RGB", (160, 120), (90, 60, 30))

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the picture was decoded again")
    from pi_heif import HeifImageFile
    monkeypatch.setattr(HeifImageFile, "load", no_decoding)
    with Image.open(io.BytesIO(thumbnail_png(heic, preview))) as thumb:
        assert thumb.format == "PNG" and thumb.size == (160, 120)
