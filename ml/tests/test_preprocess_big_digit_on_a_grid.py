"""On squared paper, a big digit written across several grid lines, and a 1 written along a grid
line, are read; neither is lost with the lines (rendered corpus pictures, tuning split, that
were answered "no digit found")."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess


@pytest.mark.parametrize("i", [
    11,    # a marker 5 across four grid lines: they stayed, joined to it, and it ran off the page
    148,   # a 1 along a grid line: the writing's strength was measured off the lines only
])
def test_the_digit_on_the_grid_is_read(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("squared_paper", i, *mnist_test_set, split="tuning")
    assert preprocess(data).found
    assert recognise(data).number == truth
