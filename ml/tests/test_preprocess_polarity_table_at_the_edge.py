"""Dark writing on a dim sheet whose edge of table or shadow runs round the picture's border is read
as dark ink on paper: the picture's border is darker than the sheet there, so the paper's level is
taken from the picture's bulk, not from its border (rendered corpus pictures, tuning split, that
were read as light ink on a dark ground)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess

PICTURES = [("dim_noisy", 17), ("dim_noisy", 68), ("dim_noisy", 131), ("shadow", 103), ("faint_pencil", 129)]


@pytest.mark.parametrize("case,i", PICTURES)
def test_it_reads_the_dark_digit_on_the_dim_sheet(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert preprocess(data).inverted is True
    assert recognise(data).number == truth
