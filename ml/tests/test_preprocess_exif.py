"""Phone photos are stored sideways with an EXIF orientation tag: we read them the way they are shown."""
from pathlib import Path

import numpy as np

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


def test_it_turns_a_picture_upright_by_its_exif_orientation():
    rotated = preprocess((IMAGES / "exif_rotated_7.jpg").read_bytes())
    upright = preprocess((IMAGES / "drawn_0_black_on_white.png").read_bytes())  # same canvas size
    assert rotated.size == upright.size == (280, 280)
    reference = preprocess((IMAGES / "canvas_7_black_on_transparent.png").read_bytes())
    assert np.abs(rotated.inputs[0] - reference.inputs[0]).mean() < 0.03


def test_it_reports_boxes_and_size_in_the_upright_picture():
    from PIL import Image, ImageOps
    import io

    img = Image.open(IMAGES / "canvas_7_black_on_transparent.png")
    flat = Image.new("RGB", img.size, "white")
    flat.paste(img, mask=img)
    wide = Image.new("RGB", (560, 280), "white")
    wide.paste(flat, (280, 0))
    exif = Image.Exif()
    exif[0x0112] = 8
    out = io.BytesIO()
    wide.transpose(Image.Transpose.ROTATE_270).save(out, "JPEG", quality=92, exif=exif.tobytes())
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(out.getvalue()))).size == (560, 280)
    pre = preprocess(out.getvalue())
    assert pre.size == (560, 280)
    (left, top, right, bottom), = pre.boxes
    assert 330 <= left <= 370 and 480 <= right <= 520 and top < 60 and bottom > 230
