"""A fat marker's blot wider than the background window, on paper lit unevenly, stays solid ink: the
background estimate is not allowed to sink to the ink's level in its middle (which cut a square
hole into close-ups of marker digits), while the paper-coloured hole of a thick 0 stays a hole."""

import cv2
import numpy as np
import pytest

from ml.preprocess import _ink_map


def photo(draw):
    """A 600x800 close-up: light falling off across the paper, dark marker ink drawn by `draw`."""
    h, w = 600, 800
    paper = np.linspace(0.92, 0.7, w, dtype=np.float32)[None, :].repeat(h, 0)
    ink = np.zeros((h, w), np.uint8)
    draw(ink)
    ink = cv2.GaussianBlur(ink.astype(np.float32), (0, 0), 2.0)
    return paper * (1 - ink) + 0.12 * ink


def test_the_middle_of_a_wide_blot_is_ink():
    grey = photo(lambda m: cv2.ellipse(m, (400, 300), (190, 230), 0, 0, 360, 1, -1))
    ink, inverted, floor, spread, _ = _ink_map(grey)
    assert inverted and spread >= 0.03   # the windowed background estimate is the one in use
    middle = ink[250:350, 350:450]
    assert middle.min() > 0.5, "the blot's middle read as paper"


def test_the_hole_of_a_thick_zero_stays_paper():
    grey = photo(lambda m: cv2.ellipse(m, (400, 300), (200, 250), 0, 0, 360, 1, 120))
    ink, _, floor, _, _ = _ink_map(grey)
    assert ink[260:340, 370:430].max() < floor, "the 0's hole read as ink"
    assert ink[300, 230] > 0.5   # its stroke is ink


@pytest.mark.parametrize("i", [56, 100])
def test_a_fat_marker_three_is_read(i, mnist_test_set):
    """Corpus close-ups of a marker 3 (tuning split) that were read as 2 through the hole."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate("thick_marker", i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


def test_a_blot_whose_rim_has_gaps_stays_solid(mnist_test_set):
    """A fat chalk 8 with its holes filled in, light on a dark board (tuning split): the blot's
    rim of strong contrast had gaps through which its middle joined the board outside, so the
    middle read as board and the 8 as the outline of a 0."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate("chalkboard", 87, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
