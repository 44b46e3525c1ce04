"""Numbers whose digits touch are read digit by digit: rendered corpus pictures (tuning split)
that the column-only cuts read as fewer digits, read right by the real model."""
import pytest

from ml.corpus import generate

# (case, item of the tuning split): each has digits joined into one piece of ink.
PICTURES = [
    ("multi_digit_touching", 0),   # 861: the 1 leans on the 6
    ("multi_digit_touching", 23),  # 29: no thin column between them
    ("multi_digit_touching", 31),  # 0085
    ("number_on_sheet", 46),       # 8029, photographed on a sheet
]


@pytest.mark.parametrize("case,i", PICTURES)
def test_it_reads_every_digit_of_touching_digits(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert len(truth) >= 2
    assert recognise(data).number == truth
