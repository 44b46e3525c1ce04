import json

import numpy as np
import pytest

from ml.evaluate import accuracy_on
from ml.predict import ARTIFACTS, LiteRTPredictor, Pair, get_predictor


@pytest.mark.slow  # the whole MNIST test set
def test_it_scores_the_recorded_accuracy_on_the_full_test_set_with_the_served_runtime(mnist):
    _, (x_test, y_test) = mnist
    recorded = json.loads((ARTIFACTS / "metrics.json").read_text())["test_accuracy"]
    predictor = get_predictor()
    # What the workers serve: the shipped model's LiteRT file, paired with its twin.
    assert isinstance(predictor, Pair) and isinstance(predictor.first, LiteRTPredictor)
    assert len(y_test) == 10_000
    # Pinned to the shipped figure less 0.1 point: a real regression cannot pass.
    assert accuracy_on(predictor.first, x_test, y_test) >= recorded - 0.001
    # The pair reads exactly as recorded by `python -m ml.evaluate --output` (make train).
    served = json.loads((ARTIFACTS / "served.json").read_text())
    assert served["test_size"] == 10_000
    assert accuracy_on(predictor, x_test, y_test) == pytest.approx(served["test_accuracy"], abs=1e-6)
    assert served["test_accuracy"] >= served["first_alone_accuracy"]


def test_it_serves_batches_of_any_size_from_one_shared_predictor(mnist):
    _, (x_test, _) = mnist
    predictor = get_predictor()
    assert get_predictor() is predictor
    images = x_test[:3].astype(np.float32)[..., None] / 255.0
    assert predictor.predict(images).shape == (3, 10)
    assert predictor.predict(images[:0]).shape == (0, 10)
    single = predictor.predict(images[:1, ..., 0])
    np.testing.assert_allclose(single, predictor.predict(images)[:1], atol=1e-5)
    # Back to a size it has already served, after another.
    np.testing.assert_allclose(predictor.predict(images), predictor.predict(images[[0, 1, 2]]), atol=1e-6)
