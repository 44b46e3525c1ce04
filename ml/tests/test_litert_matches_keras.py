"""The served LiteRT files give the shipped Keras models' digits (both of the served pair), and
the conversion itself, with float weights, gives the Keras model's probabilities."""
import numpy as np
import pytest

from ml.convert import convert
from ml.predict import (KERAS_MODEL_PATH, SECOND_KERAS_MODEL_PATH, SECOND_MODEL_PATH, TFLITE_MODEL_PATH,
                        KerasPredictor, LiteRTPredictor)

# Loads TensorFlow for the Keras side: seconds, not milliseconds.
pytestmark = pytest.mark.slow

# The served files keep their weights in 8 bits (ml.convert): on the whole MNIST test set a
# probability moves by at most 0.041 (metrics.json, metrics_2.json); the digit is what must hold.
QUANTISED_ATOL = 0.05


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
    np.testing.assert_allclose(lite_probs, keras_probs, atol=QUANTISED_ATOL)


def test_float_weights_give_the_keras_models_probabilities(mnist, tmp_path):
    _, (x_test, _) = mnist
    sample = x_test[::10]
    path = convert(KERAS_MODEL_PATH, tmp_path / "float.tflite", quantise=False)
    keras_probs = KerasPredictor(KERAS_MODEL_PATH).predict(sample)
    np.testing.assert_allclose(LiteRTPredictor(path).predict(sample), keras_probs, atol=1e-4)


def test_it_gives_the_same_answers_one_at_a_time_as_in_a_batch(mnist):
    _, (x_test, _) = mnist
    predictor = LiteRTPredictor(TFLITE_MODEL_PATH)
    batch = predictor.predict(x_test[:16])
    one_by_one = np.concatenate([predictor.predict(x_test[i:i + 1]) for i in range(16)])
    # The activations are quantised per image, so an image's company in a batch changes nothing.
    np.testing.assert_allclose(one_by_one, batch, atol=1e-5)
