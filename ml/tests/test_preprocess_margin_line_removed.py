"""The margin line of squared paper is taken out like the grid, not kept as writing: it is judged
against its own shade, not the paler grid it crosses (rendered corpus pictures, tuning split)."""
import pytest

from ml.corpus import generate

# The margin line used to be kept: read as a 1, joined to the digit, or taken for the digit.
PICTURES = [1, 49, 54, 57]


@pytest.mark.parametrize("i", PICTURES)
def test_it_reads_the_digit_beside_the_margin_line(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("squared_paper", i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
