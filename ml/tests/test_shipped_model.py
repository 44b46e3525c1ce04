import numpy as np

from ml.evaluate import accuracy_on
from ml.predict import get_predictor


def test_it_scores_at_least_99_percent_on_a_fixed_test_slice(mnist):
    _, (x_test, y_test) = mnist
    images = x_test[:1000].astype(np.float32) / 255.0
    assert accuracy_on(get_predictor(), images, y_test[:1000]) >= 0.99


def test_it_serves_batches_of_any_size_from_one_shared_predictor(mnist):
    _, (x_test, _) = mnist
    predictor = get_predictor()
    assert get_predictor() is predictor
    images = x_test[:3].astype(np.float32)[..., None] / 255.0
    assert predictor.predict(images).shape == (3, 10)
    assert predictor.predict(images[:0]).shape == (0, 10)
    single = predictor.predict(images[:1, ..., 0])
    np.testing.assert_allclose(single, predictor.predict(images)[:1], atol=1e-5)
