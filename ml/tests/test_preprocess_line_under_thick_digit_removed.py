"""A printed line that a thick digit is written across is still found and taken out: only the
digit's stretch of it is thick (rendered corpus pictures, tuning split)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess

# The lines running through the digit used to be kept, and read as digits of their own.
PICTURES = [("squared_paper", 64), ("squared_paper", 83)]


@pytest.mark.parametrize("case,i", PICTURES)
def test_it_reads_the_digit_without_the_lines_through_it(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert len(preprocess(data).inputs) == 1
    assert recognise(data).number == truth
