"""Two grid lines that one digit touches are still two thin lines beside it, and are removed.

A 5 written across two lines of squared paper (tuning split) joined them into one mark as tall
as two grid squares; counted down each column, the pair was thicker than a line, so neither was
taken out, and the page read "No digit found".
"""
from pathlib import Path

import numpy as np

from ml.lines import find_lines
from ml.recognise import recognise

IMAGES = Path(__file__).parent / "fixtures" / "images"


def test_the_digit_across_two_lines_is_read():
    rec = recognise((IMAGES / "squared_5_lines_through_it.jpg").read_bytes())
    assert rec.number == "5"


def test_lines_joined_by_a_blot_are_found_beside_it():
    mask = np.zeros((300, 400), bool)
    mask[100:103, :] = True          # two lines 30 pixels apart ...
    mask[130:133, :] = True
    mask[90:145, 180:215] = True     # ... joined by a blot of ink
    horizontal, _, _ = find_lines(mask)
    assert horizontal[101, :150].all() and horizontal[131, 250:].all()
    assert not horizontal[95, 190] and not horizontal[140, 200]
