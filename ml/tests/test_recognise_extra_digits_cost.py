"""Choosing between cuts, a reading pays for each digit it claims: a long single digit or a digit
with a loose end is not read as two digits because its pieces each look like one."""
import pytest

from ml.corpus import generate


@pytest.mark.parametrize("case,i", [("scan", 71), ("number_on_sheet", 166)])
def test_a_digit_is_not_cut_in_two_for_free(case, i, mnist_test_set):
    """Rendered corpus pictures (tuning split): a long 2 read "22", "3190" read "31010"."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
