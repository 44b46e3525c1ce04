"""Training pieces for the wholeness model are labelled by how much of each true digit they hold."""
import numpy as np

from ml.pieces import label, number_pieces


def test_one_whole_digit_with_a_trace_of_its_neighbour_is_whole():
    assert label([0.97, 0.05]) == 1
    assert label([1.0]) == 1
    assert label([0.9, 0.18]) == 1          # a neighbour's stroke end the cut left on it


def test_a_fragment_or_a_merged_pair_is_not():
    assert label([0.4, 0.0]) == 0          # the stem of a 4
    assert label([0.95, 0.6]) == 0         # two digits as one
    assert label([1.0, 1.0, 0.0]) == 0


def test_a_near_miss_is_left_out():
    assert label([0.8, 0.05]) is None


def test_touching_digits_give_both_kinds_of_piece():
    rng = np.random.default_rng(3)
    # Two plain strokes standing for digits, touching: cut between them, each is whole.
    one = np.zeros((28, 28), np.uint8)
    one[4:24, 12:16] = 255
    zero = np.zeros((28, 28), np.uint8)
    zero[4:24, 6:22] = 255
    zero[8:20, 10:18] = 0
    labels = []
    for _ in range(5):
        inputs, ys = number_pieces([zero, one, zero], rng)
        assert all(x.shape == (28, 28) and x.max() <= 1 for x in inputs)
        labels += ys
    assert 1 in labels and 0 in labels
