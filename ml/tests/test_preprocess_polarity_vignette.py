"""Dark writing in a phone photo with a heavy vignette (a bright middle, dark corners) is read as
dark ink: where the picture's levels alone are too close to call, ink is told by lying far from
its own surroundings on one side (rendered corpus pictures, tuning split, that were read as
light ink on a dark ground)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess


@pytest.mark.parametrize("i", [141, 147])
def test_it_reads_the_dark_digit_in_the_vignetted_photo(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("phone_photo", i, *mnist_test_set, split="tuning")
    assert preprocess(data).inverted is True
    assert recognise(data).number == truth
