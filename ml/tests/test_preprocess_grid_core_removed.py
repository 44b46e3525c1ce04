"""A printed grid goes whole: its lines' dark cores are not taken for writing (a line's shade is
that of its core, not a mean that counts its pale anti-aliased rim), so no dotted grid is left
around the digit (rendered corpus pictures, tuning split)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess

# A dotted grid used to be left all over the page, or in its darker part.
PICTURES = [30, 90, 95]


@pytest.mark.parametrize("i", PICTURES)
def test_it_reads_one_digit_on_the_grid(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("squared_paper", i, *mnist_test_set, split="tuning")
    assert len(preprocess(data).inputs) == 1
    assert recognise(data).number == truth
