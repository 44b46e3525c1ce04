"""A box printed round a digit (a form's field), a circle drawn round it and a line drawn under it are
not digits: a 6 in a box was read "13", a 7 "111", a 3 in a circle "0", a 4 underlined "1". Nor is
a form's comb of boxes, one digit in each (its dividers were read as 1s). A box or a circle the
digit touches is taken off it too. A digit's own strokes are never taken for a frame
or a line: a 0 holding a speck, a 4 whose bar is drawn apart, a minus sign, and the 0s, 6s and
8s of the corpus, whose outer stroke looks like a ring round the rest of it."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ml.corpus import generate
from ml.frames import around_writing
from ml.tests.drawn import left_alone, pieces, taken_off


def _labels_at(labels, points):
    return {int(labels[y, x]) for x, y in points}


def test_a_box_round_a_digit_is_a_frame():
    def draw(mask):
        cv2.rectangle(mask, (100, 40), (300, 260), 1, 3)
        cv2.line(mask, (200, 80), (200, 220), 1, 12)      # a 1 inside, apart from the box
    _, labels, comps = pieces(draw)
    assert around_writing(labels, comps) == _labels_at(labels, [(100, 150)])


def test_a_circle_with_a_gap_round_a_digit_is_a_frame():
    def draw(mask):
        cv2.ellipse(mask, (200, 150), (110, 120), 0, 40, 370, 1, 8)   # not closed on the right
        cv2.ellipse(mask, (200, 150), (40, 60), 0, 0, 360, 1, 10)     # a 0 inside
    _, labels, comps = pieces(draw)
    assert around_writing(labels, comps) == _labels_at(labels, [(90, 150)])


def test_a_line_under_a_number_is_no_digit():
    def draw(mask):
        cv2.line(mask, (100, 60), (100, 200), 1, 12)                  # 1
        cv2.ellipse(mask, (200, 130), (40, 70), 0, 0, 360, 1, 12)     # 0
        cv2.line(mask, (80, 235), (260, 240), 1, 8)                   # the line under both
    _, labels, comps = pieces(draw)
    assert around_writing(labels, comps) == _labels_at(labels, [(170, 237)])


def test_a_circle_the_digit_touches_is_taken_off_it():
    def draw(mask):
        cv2.ellipse(mask, (200, 150), (100, 120), 0, 0, 360, 1, 8)
        cv2.line(mask, (150, 60), (250, 60), 1, 12)     # a 7 whose bar reaches the circle
        cv2.line(mask, (250, 60), (200, 230), 1, 12)
        cv2.line(mask, (104, 60), (150, 60), 1, 12)
    mask = taken_off(draw)
    assert not mask[150, 100] and not mask[150, 300]        # the circle's sides are gone
    assert mask[60, 200] and mask[150, 228]                 # the 7's bar and stem are kept


@pytest.mark.parametrize("name,draw", [
    ("a 0 holding a speck", lambda m: (cv2.ellipse(m, (200, 150), (60, 90), 0, 0, 360, 1, 14),
                                       cv2.circle(m, (200, 150), 4, 1, -1))),
    ("a 4 whose bar is drawn apart", lambda m: (cv2.line(m, (150, 40), (120, 160), 1, 12),
                                                 cv2.line(m, (230, 40), (230, 260), 1, 12),
                                                 cv2.line(m, (110, 172), (280, 172), 1, 10))),
    ("a minus sign before a digit", lambda m: (cv2.line(m, (60, 150), (130, 150), 1, 10),
                                               cv2.line(m, (200, 60), (200, 240), 1, 12))),
])
def test_a_digits_own_strokes_are_neither_frame_nor_line(name, draw):
    labels, comps = left_alone(draw, name)
    assert around_writing(labels, comps) == set(), name


# Rendered corpus pictures (tuning split) of 0s, 3s, 6s and 8s, alone and in numbers, that a
# looser test of a frame the writing touches took for one: read "11", "11", "778", "8", "0474",
# "1"; and, with an open circle's hull ringed in fewer directions (0.75), "5", "7", "0", "2", "2".
@pytest.mark.parametrize("case,i", [("scan", 161), ("canvas", 90), ("multi_digit", 34), ("scan", 250),
                                    ("multi_digit", 100), ("framed", 160), ("thin_pen", 45),
                                    ("thin_pen", 280), ("formats", 150), ("ruled_paper", 161),
                                    ("white_ink_transparent", 260)])
def test_rendered_digits_keep_their_outer_strokes(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


# Rendered corpus pictures (tuning split) read wrong before: in a box "13", "111", "9"; in a
# circle "0", "61"; in a circle the digit touches "0", "0", "0"; in a circle left open where the
# digit touches it "0", "0", "0"; underlined "1", "1", "3".
@pytest.mark.parametrize("i", [0, 21, 51, 1, 13, 7, 25, 43, 10, 46, 67, 5, 14, 41])
def test_rendered_framed_digits_are_read(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("framed", i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


@pytest.mark.parametrize("digits", [(0, 1, 2), (7, 11), (3, 5, 8, 13)])
def test_a_number_in_a_forms_comb_of_boxes_is_read(digits, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    form = Image.new("L", (900, 600), 245)
    draw = ImageDraw.Draw(form)
    left, cell = 300, 70
    for k, i in enumerate(digits):
        form.paste(Image.fromarray(255 - (x[i] * 0.85).astype(np.uint8)).resize((60, 60)), (left + k * cell + 5, 255))
    right = left + len(digits) * cell
    for k in range(len(digits) + 1):
        draw.line([(left + k * cell, 240), (left + k * cell, 330)], fill=40, width=2)
    draw.line([(left, 240), (right, 240)], fill=40, width=2)
    draw.line([(left, 330), (right, 330)], fill=40, width=2)
    data = io.BytesIO()
    form.save(data, "PNG")
    assert recognise(data.getvalue()).number == "".join(str(int(y[i])) for i in digits)
