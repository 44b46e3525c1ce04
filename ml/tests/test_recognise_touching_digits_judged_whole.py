"""Cuts of touching digits are judged by the wholeness model as well as by the digit model.

Two photos of touching digits (tuning split) that the digit model alone reads wrong: in one it
keeps a fragment of a 2 as a digit ("22552"), in the other it reads a 1 and a 1 as one ("014").
"""
from pathlib import Path

import pytest

import ml.recognise
from ml.recognise import recognise

IMAGES = Path(__file__).parent / "fixtures" / "images"
CASES = [("touching_2552.jpg", "2552", "22552"), ("touching_0114.jpg", "0114", "014")]


@pytest.mark.parametrize("name, number, alone", CASES)
def test_touching_digits_are_read_right(name, number, alone):
    assert recognise((IMAGES / name).read_bytes()).number == number


@pytest.mark.parametrize("name, number, alone", CASES)
def test_without_the_wholeness_model_they_are_not(name, number, alone, monkeypatch):
    # What the test above proves: these answers come from the wholeness model's judgement.
    monkeypatch.setattr(ml.recognise, "WHOLE_WEIGHT", 0.0)
    assert recognise((IMAGES / name).read_bytes()).number == alone
