"""A digit drawn with a fat marker and cropped close fills more than half of its picture: the
paper's level is then not the median's side of the picture, which is ink. Taken from there, the
paper looked uneven, the background was estimated window by window and sank into the strokes
(a fat 0 read 7 or 8, a 7 read 4). The paper is the side of Otsu's split away from the ink."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.preprocess import _ink_map


def _tight(mask):
    rows, cols = np.where(mask.any(1))[0], np.where(mask.any(0))[0]
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def test_a_fat_ring_filling_its_crop_is_solid_ink_on_even_paper():
    mask = np.zeros((400, 300), np.uint8)
    cv2.ellipse(mask, (150, 200), (120, 170), 0, 0, 360, 1, 110)
    stroke = np.pad(_tight(mask), 8).astype(bool)   # a crop leaves a little paper round it
    grey = 1.0 - 0.9 * stroke.astype(np.float32)
    assert (grey < 0.5).mean() > 0.55         # most of the picture is ink
    ink, inverted, floor, spread, _ = _ink_map(grey)
    assert inverted and spread < 0.03, "the paper, all of one level, was taken for uneven"
    assert ink[cv2.erode(stroke.view(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)].min() > 0.5
    assert ink[~stroke].max() < floor         # the hole and the corners stay paper


@pytest.mark.parametrize("i", [1794, 941, 3322, 6212])   # MNIST test digits: 0, 7, 0, 8
def test_a_fat_marker_digit_cropped_close_is_read(i, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    d = np.asarray(Image.fromarray(x[i]).resize((280, 280), Image.BILINEAR)) > 76
    fat = _tight(cv2.dilate(d.astype(np.uint8), np.ones((25, 25), np.uint8)))
    buf = io.BytesIO()
    Image.fromarray((255 - 255 * fat).astype(np.uint8)).save(buf, "PNG")
    assert recognise(buf.getvalue()).number == str(y[i])
