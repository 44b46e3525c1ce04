"""A 1 drawn nearly as tall as the canvas is a digit, not a line across the picture; a thin line
as long, inside the picture, is still a line (ruled paper, a page's edge)."""
import cv2
import numpy as np
import pytest

from ml.segment import components, group


def canvas(thickness, top=70, bottom=430):
    mask = np.zeros((500, 500), np.uint8)
    cv2.line(mask, (300, top), (320, bottom), 1, thickness)      # 80 % of the height, off the border
    cv2.ellipse(mask, (130, 250), (70, 180), 0, 0, 360, 1, 20)   # a 0 beside it, as tall
    return mask.astype(bool)


@pytest.mark.parametrize("thickness", [40, 70])
def test_a_fat_stroke_as_tall_as_the_canvas_is_kept(thickness):
    groups, marks = group(components(canvas(thickness))[1], (500, 500))
    assert marks == 2


def test_a_thin_line_as_long_is_dropped():
    groups, marks = group(components(canvas(4, 30, 470))[1], (500, 500))
    assert marks == 1


def test_a_white_one_filling_a_transparent_canvas_is_read(mnist_test_set):
    """A corpus picture (tuning split) that was read as 111 from the slivers at the 1's edge."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate("white_ink_transparent", 119, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
