"""A ring drawn with a pen tight round a marker's digit, crossing its ends, is taken off it: the
circled digit was read "0" (the ring) or "8" (ring and digit together). Measured with the whole
piece's stroke, the digit's, the band along the outline took the digit's ends for frame and
what was left within touched it too much to be writing. The thin ring is found with its own
stroke; the outer strokes of 0s and fat 8s, which a band that thin also cuts off, stay."""
import cv2
import numpy as np
import pytest

from ml.corpus import generate
from ml.tests.drawn import photo_with_mark, taken_off


def test_a_thin_ring_crossing_a_fat_7_is_taken_off_it():
    def draw(mask):
        cv2.line(mask, (100, 75), (200, 75), 1, 22)       # the 7's bar, its ends on the ring's top
        cv2.line(mask, (200, 75), (150, 235), 1, 22)      # its stem, its foot through the ring
        cv2.ellipse(mask, (150, 150), (80, 90), 0, 0, 360, 1, 5)
    mask = taken_off(draw, (300, 300))
    assert not mask[150, 70] and not mask[150, 230]    # the ring's sides are gone
    assert mask[75, 150] and mask[150, 177]            # the 7's bar and stem are kept


def _ring_round(canvas, box, rng):
    """A pen's ring drawn tight round the digit, about as tall as it, often crossing its ends."""
    left, top, right, bottom = box
    h = bottom - top
    axes = (int(max((right - left) / 2, 0.38 * h) + h * rng.uniform(0, 0.12)), int(h / 2 + h * rng.uniform(-0.03, 0.08)))
    start = rng.uniform(0, 360)
    cv2.ellipse(canvas, ((left + right) // 2, (top + bottom) // 2), axes, rng.uniform(-15, 15), start,
                start + rng.uniform(330, 370), 1, int(rng.uniform(4, 8)), cv2.LINE_AA)


# MNIST test digits that were read with their ring: "0", "0", "8", "8", "91", "60", "9", "61".
@pytest.mark.parametrize("i,seed", [(0, 3), (1, 0), (4, 3), (9, 0), (20, 1), (33, 0), (42, 5), (50, 3)])
def test_digits_circled_tight_are_read(i, seed, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    assert recognise(photo_with_mark(x[i], _ring_round, np.random.default_rng(seed))).number == str(int(y[i]))


# Rendered corpus pictures (tuning split) whose outer stroke a thin band cuts off: 0s drawn with a
# second, inner stroke (read "5", "2", "2282", "10"), a fat 8 (read "2"), ringed digits whose ring
# is as thick as the writing (read "8", "0", "77").
@pytest.mark.parametrize("case,i", [("canvas", 31), ("thin_pen", 204), ("scan", 279), ("shadow", 26),
                                    ("coloured_ink", 224), ("framed", 118), ("framed", 163), ("framed", 7)])
def test_outer_strokes_of_digits_and_thick_rings_are_read_as_before(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
