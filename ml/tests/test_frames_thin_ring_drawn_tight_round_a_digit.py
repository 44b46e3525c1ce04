"""A ring drawn with a pen tight round a marker's digit, crossing its ends, is taken off it: the
circled digit was read "0" (the ring) or "8" (ring and digit together). Measured with the whole
piece's stroke, the digit's, the band along the outline took the digit's ends for frame and
what was left within touched it too much to be writing. The thin ring is found with its own
stroke; the outer strokes of 0s and fat 8s, which a band that thin also cuts off, stay."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.corpus import generate
from ml.frames import clear_touching_frames
from ml.segment import components


def test_a_thin_ring_crossing_a_fat_7_is_taken_off_it():
    mask = np.zeros((300, 300), np.uint8)
    cv2.line(mask, (100, 75), (200, 75), 1, 22)       # the 7's bar, its ends on the ring's top
    cv2.line(mask, (200, 75), (150, 235), 1, 22)      # its stem, its foot through the ring
    cv2.ellipse(mask, (150, 150), (80, 90), 0, 0, 360, 1, 5)
    mask = mask.astype(bool)
    labels, comps = components(mask)
    assert len(comps) == 1
    assert clear_touching_frames(mask, labels, comps)
    assert not mask[150, 70] and not mask[150, 230]    # the ring's sides are gone
    assert mask[75, 150] and mask[150, 177]            # the 7's bar and stem are kept


def _circled(digit_pixels, rng):
    """An MNIST digit photographed on paper, a pen's ring drawn tight round it."""
    d = np.asarray(Image.fromarray(digit_pixels).resize((220, 220), Image.BILINEAR), np.float32) / 255
    page = np.empty((600, 800, 3), np.float32)
    page[:] = (236, 233, 228)
    page[150:370, 200:420] -= 200 * d[..., None] * (page[150:370, 200:420] / 255)
    rows, cols = np.where(d.max(1) > 0.3)[0], np.where(d.max(0) > 0.3)[0]
    top, bottom, left, right = 150 + rows[0], 150 + rows[-1], 200 + cols[0], 200 + cols[-1]
    h = bottom - top
    ring = np.zeros((600, 800), np.float32)
    axes = (int(max((right - left) / 2, 0.38 * h) + h * rng.uniform(0, 0.12)), int(h / 2 + h * rng.uniform(-0.03, 0.08)))
    start = rng.uniform(0, 360)
    cv2.ellipse(ring, ((left + right) // 2, (top + bottom) // 2), axes, rng.uniform(-15, 15), start,
                start + rng.uniform(330, 370), 1, int(rng.uniform(4, 8)), cv2.LINE_AA)
    ring = cv2.GaussianBlur(ring, (0, 0), 0.8)[..., None]
    photo = page * (1 - ring) + ring * np.array((40, 40, 60), np.float32) + rng.normal(0, 3, page.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


# MNIST test digits that were read with their ring: "0", "0", "8", "8", "91", "60", "9", "61".
@pytest.mark.parametrize("i,seed", [(0, 3), (1, 0), (4, 3), (9, 0), (20, 1), (33, 0), (42, 5), (50, 3)])
def test_digits_circled_tight_are_read(i, seed, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    assert recognise(_circled(x[i], np.random.default_rng(seed))).number == str(int(y[i]))


# Rendered corpus pictures (tuning split) whose outer stroke a thin band cuts off: 0s drawn with a
# second, inner stroke (read "5", "2", "2282", "10"), a fat 8 (read "2"), ringed digits whose ring
# is as thick as the writing (read "8", "0", "77").
@pytest.mark.parametrize("case,i", [("canvas", 31), ("thin_pen", 204), ("scan", 279), ("shadow", 26),
                                    ("coloured_ink", 224), ("framed", 118), ("framed", 163), ("framed", 7)])
def test_outer_strokes_of_digits_and_thick_rings_are_read_as_before(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
