"""Cuts of touching digits are judged by the wholeness model as well as by the digit model.

Photos of numbers (tuning split) that the digit model alone reads wrong: in one it reads a 1 and
a 1 as one ("014"), in another it keeps a fragment of the 7 as a digit ("725"). A third, whose
fragment of a 2 the digit model alone kept ("22552"), is now also read right without the
wholeness model, by the cost of each extra digit (SPLIT_COST); it stays here as an answer.
"""
from pathlib import Path

import pytest

import ml.recognise
from ml.recognise import recognise

IMAGES = Path(__file__).parent / "fixtures" / "images"
READ_RIGHT = [("touching_2552.jpg", "2552"), ("touching_0114.jpg", "0114"), ("number_75.jpg", "75")]
ALONE = [("touching_0114.jpg", "014"), ("number_75.jpg", "725")]


@pytest.mark.parametrize("name, number", READ_RIGHT)
def test_touching_digits_are_read_right(name, number):
    assert recognise((IMAGES / name).read_bytes()).number == number


@pytest.mark.parametrize("name, alone", ALONE)
def test_without_the_wholeness_model_they_are_not(name, alone, monkeypatch):
    # What the test above proves: these answers come from the wholeness model's judgement.
    monkeypatch.setattr(ml.recognise, "WHOLE_WEIGHT", 0.0)
    assert recognise((IMAGES / name).read_bytes()).number == alone
