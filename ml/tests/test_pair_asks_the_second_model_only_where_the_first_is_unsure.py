"""The served pair of digit models (ml.predict.Pair): the first model's own reading where it is
sure, the mean of both where it is not."""
import numpy as np

from ml.predict import SECOND_MODEL_PATH, TFLITE_MODEL_PATH, LiteRTPredictor, Pair, get_predictor


def test_sure_readings_are_the_first_models_and_unsure_ones_the_mean_of_both(mnist):
    _, (x_test, _) = mnist
    first, second = LiteRTPredictor(TFLITE_MODEL_PATH), LiteRTPredictor(SECOND_MODEL_PATH)
    images = x_test[:2000]
    alone, twin = first.predict(images), second.predict(images)
    pair = Pair(first, second)
    read = pair.predict(images)
    unsure = alone.max(1) < pair.below
    # Both kinds are in the sample: the test can tell the two branches apart.
    assert 0 < unsure.sum() < len(images) // 2
    np.testing.assert_array_equal(read[~unsure], alone[~unsure])
    np.testing.assert_allclose(read[unsure], (alone[unsure] + twin[unsure]) / 2, atol=1e-6)
    np.testing.assert_allclose(read.sum(1), 1.0, atol=1e-5)


def test_the_twin_changes_what_an_unsure_input_is_read_as():
    """Two models that were the same file would make the pair a costly no-op."""
    first, second = LiteRTPredictor(TFLITE_MODEL_PATH), LiteRTPredictor(SECOND_MODEL_PATH)
    rng = np.random.default_rng(0)
    noise = rng.random((64, 28, 28), dtype=np.float32)
    assert np.abs(first.predict(noise) - second.predict(noise)).max() > 0.05


def test_the_process_serves_the_pair_and_one_image_at_a_time_as_in_a_batch(mnist):
    _, (x_test, _) = mnist
    predictor = get_predictor()
    assert isinstance(predictor, Pair)
    images = x_test[:64]
    one_by_one = np.concatenate([predictor.predict(images[i:i + 1]) for i in range(len(images))])
    np.testing.assert_allclose(one_by_one, predictor.predict(images), atol=1e-5)
