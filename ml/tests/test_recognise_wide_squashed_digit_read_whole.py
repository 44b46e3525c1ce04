"""A digit squashed wider than twice its height (a steep keystone) can still be read as one piece,
and a digit's tail is not read as a digit of its own."""
import pytest

from ml.corpus import generate


@pytest.mark.parametrize("case,i", [("keystone", 151), ("multi_digit", 96)])
def test_wide_ink_may_be_one_digit(case, i, mnist_test_set):
    """Rendered corpus pictures (tuning split): a squashed 2 read "52", "0827" read "08227"."""
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
