"""The served LiteRT files give the shipped Keras models' answers (both of the served pair)."""
import numpy as np
import pytest

from ml.predict import (KERAS_MODEL_PATH, SECOND_KERAS_MODEL_PATH, SECOND_MODEL_PATH, TFLITE_MODEL_PATH,
                        KerasPredictor, LiteRTPredictor)

# Loads TensorFlow for the Keras side: seconds, not milliseconds.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("keras_path, tflite_path", [(KERAS_MODEL_PATH, TFLITE_MODEL_PATH),
                                                     (SECOND_KERAS_MODEL_PATH, SECOND_MODEL_PATH)])
def test_it_gives_the_keras_models_digits_on_a_sample_of_the_test_set(mnist, keras_path, tflite_path):
    _, (x_test, _) = mnist
    # Every 10th test image: all classes, spread over the whole set.
    sample = x_test[::10]
    keras_probs = KerasPredictor(keras_path).predict(sample)
    lite_probs = LiteRTPredictor(tflite_path).predict(sample)
    assert len(sample) == 1000
    np.testing.assert_array_equal(lite_probs.argmax(1), keras_probs.argmax(1))
    np.testing.assert_allclose(lite_probs, keras_probs, atol=1e-4)


def test_it_gives_the_same_answers_one_at_a_time_as_in_a_batch(mnist):
    _, (x_test, _) = mnist
    predictor = LiteRTPredictor(TFLITE_MODEL_PATH)
    batch = predictor.predict(x_test[:16])
    one_by_one = np.concatenate([predictor.predict(x_test[i:i + 1]) for i in range(16)])
    np.testing.assert_allclose(one_by_one, batch, atol=1e-5)
