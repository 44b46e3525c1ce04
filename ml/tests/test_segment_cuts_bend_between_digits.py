"""A cut may bend round strokes: digits that reach under and over each other, so that no
straight column parts them, are still offered a cut that does."""
import numpy as np
from scipy import ndimage

from ml.segment import cut_points


def _interlocked():
    """(mask, left digit, right digit): an L whose foot runs under a 7-like hat, joined by a bridge."""
    h, w = 120, 110
    left = np.zeros((h, w), bool)
    left[10:110, 20:32] = True       # its stem
    left[98:110, 20:70] = True       # its foot, reaching right under the other
    right = np.zeros((h, w), bool)
    right[10:110, 80:92] = True      # its stem
    right[10:22, 45:92] = True       # its hat, reaching left over the other
    mask = left | right
    mask[104:108, 70:80] = True      # where they touch
    return mask, left, right


def _parts_them(mask, left, right, cut):
    on_left = mask & (np.arange(mask.shape[1])[None, :] < cut[:, None])
    return (on_left & right).sum() < 15 and (~on_left & mask & left).sum() < 15


def test_no_straight_column_parts_them():
    mask, left, right = _interlocked()
    assert ndimage.label(mask, np.ones((3, 3)))[1] == 1  # one piece of ink
    assert not any(_parts_them(mask, left, right, np.full(mask.shape[0], c)) for c in range(mask.shape[1]))


def test_it_offers_a_cut_that_bends_between_them():
    mask, left, right = _interlocked()
    _, candidates = cut_points(mask)
    assert candidates is not None
    cuts = candidates()
    assert cuts is not None
    assert any(_parts_them(mask, left, right, cut) for cut in cuts[1:-1])
