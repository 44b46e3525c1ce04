"""The shipped wholeness model tells one whole digit from a fragment or a merged pair."""
import json

import numpy as np

from ml.pieces import make_pieces
from ml.predict import ARTIFACTS, get_wholeness
from ml.preprocess import normalise_digit


def test_it_judges_pieces_of_digits_it_never_trained_on_as_well_as_recorded(mnist):
    (x_train, _), _ = mnist
    recorded = json.loads((ARTIFACTS / "wholeness.json").read_text())["validation_accuracy"]
    # Training digits 50,000-59,999 are held back from its training; a seed of its own.
    x, y = make_pieces(x_train[50_000:], 40, seed=11)
    assert len(x) > 300 and 0.1 < y.mean() < 0.4
    p = get_wholeness().predict(x)[:, 0]
    assert ((p > 0.5) == (y > 0.5)).mean() >= recorded - 0.03


def test_plain_test_set_digits_are_whole(mnist):
    _, (x_test, _) = mnist
    digits = np.stack([normalise_digit(d.astype(np.float32) / 255) for d in x_test[:500]])
    assert (get_wholeness().predict(digits)[:, 0] > 0.5).mean() >= 0.95
