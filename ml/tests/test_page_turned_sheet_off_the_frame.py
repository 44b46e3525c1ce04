"""A turned sheet that runs off the frame, so that its corners cannot be warped, is turned upright
from the sides of it that show; the digit is read as written (rendered corpus pictures, tuning
split, sheets turned by 25 to 35 degrees)."""
import numpy as np
import pytest

from ml.corpus import generate
from ml.decode import decode
from ml.page import find_page

PICTURES = [21, 52, 97]


@pytest.mark.parametrize("i", PICTURES)
def test_it_reads_the_digit_on_a_turned_sheet_cut_by_the_frame(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("rotated_sheet", i, *mnist_test_set, split="tuning")
    grey, _, _ = decode(data)
    page = find_page(np.ascontiguousarray(grey, np.float32))
    assert page is not None and not page.warped and page.to_picture is not None
    assert recognise(data).number == truth


def test_it_maps_the_digit_box_back_onto_the_picture(mnist_test_set):
    from ml.preprocess import preprocess

    data, _, _ = generate("rotated_sheet", 21, *mnist_test_set, split="tuning")
    pre = preprocess(data)
    (left, top, right, bottom), = pre.boxes
    w, h = pre.size
    assert 0 <= left < right <= w and 0 <= top < bottom <= h
    # The picture's ink lies inside the box: the box is the turned digit's, not the upright one's.
    grey, _, _ = decode(data)
    sy, sx = grey.shape[0] / h, grey.shape[1] / w
    dark = grey < 0.3
    inside = dark[int(top * sy):int(bottom * sy), int(left * sx):int(right * sx)].sum()
    assert inside > 0.9 * dark[int(0.15 * grey.shape[0]):int(0.85 * grey.shape[0]),
                               int(0.15 * grey.shape[1]):int(0.85 * grey.shape[1])].sum()
