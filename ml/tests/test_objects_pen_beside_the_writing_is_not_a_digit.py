"""A pen or a pencil put down beside the digit is not a digit: it was the tallest mark in the
picture, the digit beside it was dropped as a speck under 0.4 of its length and the pen read as
a 1 ("1" answered for a 3). A pen is a straight solid bar much longer than the writing is tall, or
one running off the picture, and thicker than the writing's strokes; its halves, where a glossy
barrel's highlight splits it, are one pen. A 1 is never taken for a pen: not beside the digits
written with the same pen, not beside a speck, a full stop or a broken-off piece of itself, nor
the fat 1s of the corpus beside an underline or a notebook's spiral."""
import cv2
import numpy as np
import pytest

from ml.objects import lying_on_page
from ml.tests.drawn import pieces, three


def _labels_at(labels, points):
    return {int(labels[y, x]) for x, y in points}


def _pen(mask, centre, length, thick, angle, split=False):
    box = cv2.boxPoints((centre, (length, thick), angle)).astype(np.int32)
    cv2.fillPoly(mask, [box], 1)
    if split:   # the highlight along a glossy barrel
        line = cv2.boxPoints((centre, (length * 1.1, max(2, thick // 5)), angle)).astype(np.int32)
        cv2.fillPoly(mask, [line], 0)


def test_a_pen_beside_a_digit_is_taken_off():
    def draw(m):
        three(m, 200, 200, 140, 12)
        _pen(m, (560, 300), 420, 40, 70)
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == _labels_at(labels, [(560, 300)])


def test_a_pen_split_by_its_highlight_is_taken_off_whole():
    def draw(m):
        three(m, 200, 200, 140, 12)
        _pen(m, (560, 300), 420, 44, 70, split=True)
    _, labels, comps = pieces(draw, (600, 800))
    pen = lying_on_page(labels, comps)
    assert len(pen) == 2 and 0 not in pen
    assert _labels_at(labels, [(200, 200)]) & pen == set()   # a point of the 3


def test_a_fat_pen_far_thicker_and_longer_than_the_writing_is_taken_off():
    def draw(m):
        three(m, 200, 200, 100, 12)
        _pen(m, (560, 300), 420, 70, 80)     # six times as long as thick
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == _labels_at(labels, [(560, 300)])


def test_the_end_of_a_pen_running_off_the_picture_is_taken_off():
    def draw(m):
        three(m, 250, 200, 140, 12)
        cv2.rectangle(m, (640, 380), (799, 430), 1, -1)   # shorter than the digit is tall
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == _labels_at(labels, [(700, 400)])


def test_the_end_of_a_pen_running_off_the_sheet_is_taken_off():
    """On a sheet found in a photo, the ink is read only on the sheet: a pen lying across the
    sheet's edge is cut there, its end slanted by the cut, and is a stub like one at the border."""
    def draw(m):
        three(m, 300, 250, 140, 12)
        cv2.fillPoly(m, [np.int32([[430, 60], [700, 110], [700, 150], [420, 100]])], 1)
    _, labels, comps = pieces(draw, (600, 800))
    sheet_edge = np.zeros(labels.shape, bool)
    sheet_edge[:, 700:] = True          # the sheet ends here; the table beyond is not read
    pen = _labels_at(labels, [(600, 110)])
    assert lying_on_page(labels, comps) == set()
    assert lying_on_page(labels, comps, lambda: sheet_edge) == pen


def test_a_one_written_with_the_same_pen_beside_its_digits_stays():
    def draw(m):
        cv2.line(m, (200, 150), (200, 330), 1, 14)                       # 1
        cv2.line(m, (260, 150), (360, 150), 1, 14)                       # 7
        cv2.line(m, (360, 150), (290, 330), 1, 14)
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == set()


@pytest.mark.parametrize("mark", ["full stop", "speck", "broken-off piece"])
def test_a_one_beside_a_small_mark_stays(mark):
    def draw(m):
        cv2.line(m, (300, 100), (300, 420), 1, 20)
        if mark == "full stop":
            cv2.circle(m, (340, 410), 12, 1, -1)
        elif mark == "speck":
            cv2.circle(m, (500, 200), 4, 1, -1)
        else:
            cv2.line(m, (300, 440), (306, 470), 1, 14)
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == set()


@pytest.mark.parametrize("case,i", [
    ("pen_beside", 1), ("pen_beside", 13), ("pen_beside", 14), ("pen_beside", 21), ("pen_beside", 36),
    ("pen_beside", 50), ("pen_beside", 144), ("pen_beside", 282),
])
def test_a_digit_with_a_pen_beside_it_is_read(case, i, mnist_test_set):
    """Corpus pictures (tuning split) of a 4, a 1, a 3, a 5, a 7, an 8, a 9 and a 3, read with the
    pen as "42", "16", "1", "566", "1", "2", "1" and "1" (the last two beside a fat pen, about six
    times as long as thick)."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


@pytest.mark.parametrize("case,i", [
    ("paper_on_table", 97), ("dim_noisy", 112), ("framed", 8), ("framed", 89),
    ("bound_page", 116), ("bound_page", 92), ("bound_page", 98),
])
def test_marks_that_are_no_pen_stay(case, i, mnist_test_set):
    """Corpus pictures (tuning split): 1s about five times as long as thick beside a speck, a
    piece broken off, an underline or a notebook's spiral, which a looser bar test took for pens;
    and a binder's holes in a row at the border (a 7 beside them), which stubs joined end to end
    or in a row took for one."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
