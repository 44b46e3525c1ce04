"""A fat chalk or white-ink digit is a bright region with sharp edges on a dark ground, like a
sheet on a table; its outline is round (seven corners or more), a sheet's straight. Read as the
page, the digit became the paper and the model saw a wedge of it (rendered corpus pictures,
tuning split: each read as a 1 before)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess

PICTURES = [("chalkboard", 108), ("chalkboard", 183), ("chalkboard", 228), ("chalkboard", 258),
            ("white_ink_transparent", 107), ("white_ink_transparent", 197)]


@pytest.mark.parametrize("case,i", PICTURES)
def test_the_digit_is_read_as_ink_not_as_the_page(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert not preprocess(data).page
    assert recognise(data).number == truth
