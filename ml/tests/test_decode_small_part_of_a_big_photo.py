"""A small part of a big JPEG is decoded at the finest scale the budget allows, not refused.

A crop (the box a person drags round the number, or the part round small writing that
preprocessing reads again) wants the full scale of a 12 MP photo, which the budget's estimate
puts over half a second: such a crop was refused as "would take too long to read", although the
whole photo is read at a quarter scale. Now it is decoded at the finest scale that fits.
"""
import io

import numpy as np
from PIL import Image

from ml.decode import BUDGET_SECONDS, decode, estimate

SIZE = (4000, 3000)
# A part 400 x 300 pixels: a number written on a page photographed whole.
CROP = (0.45, 0.45, 0.55, 0.55)


def _photo():
    rng = np.random.default_rng(7)
    w, h = SIZE
    rgb = np.full((h, w, 3), 228, np.uint8)
    rgb -= rng.integers(0, 12, (h, w, 3), dtype=np.uint8)
    # A dark bar in the middle of the part cropped.
    rgb[1420:1580, 1980:2020] = (30, 30, 40)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_crop_of_a_12_megapixel_jpeg_is_read_finer_than_the_whole_photo():
    data = _photo()
    whole, _, full = decode(data)
    assert full == SIZE
    part, _, part_full = decode(data, crop=CROP)
    assert part_full == (400, 300)
    # The whole photo is read at a quarter scale (a 400-pixel part would be 100 pixels there);
    # the part at half scale at least.
    assert max(whole.shape) <= 1000
    assert max(part.shape) >= 200
    # Its pixels are the part's: the bar is in the middle.
    h, w = part.shape
    assert part[h // 2, w // 2] < 0.3 and part[h // 10, w // 10] > 0.8


def test_the_scale_chosen_fits_the_budget():
    data = _photo()
    with Image.open(io.BytesIO(data)) as img:
        w, h = img.size
        box = (int(CROP[0] * w), int(CROP[1] * h), round(CROP[2] * w), round(CROP[3] * h))
        seconds, _ = estimate(img, len(data), box)
    assert seconds <= BUDGET_SECONDS
