"""A single wide digit is read whole, not as two: rendered corpus pictures (tuning split) whose
digit offers cuts (a long tail, a slanted loop) that the model could read as two digits."""
import pytest

from ml.corpus import generate

# Each is offered cuts (a Lattice) by segmentation; the model must keep it whole.
PICTURES = [
    ("chalkboard", 2),          # a 3 with a long tail to the left
    ("tiny_in_big_photo", 14),  # a slanted 8, wider than MNIST's 8s
    ("thick_marker", 0),        # a 9 in thick marker
    ("scan", 4),                # a scanned 2, its foot wide
]


@pytest.mark.parametrize("case,i", PICTURES)
def test_it_reads_a_single_digit_as_one_digit(case, i, mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert len(truth) == 1
    assert recognise(data).number == truth
