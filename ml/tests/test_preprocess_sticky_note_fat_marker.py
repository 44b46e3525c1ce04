"""A sticky note with a fat marker digit covering a quarter of it or more is still found as the
page (four straight sides), so the note is paper and the digit ink, not the other way round
(rendered corpus pictures, tuning split)."""
import pytest

from ml.corpus import generate
from ml.preprocess import preprocess

PICTURES = [46, 57, 70, 79]


@pytest.mark.parametrize("i", PICTURES)
def test_it_reads_the_fat_digit_on_the_note(i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("sticky_note", i, *mnist_test_set, split="tuning")
    pre = preprocess(data)
    assert pre.page
    assert recognise(data).number == truth
