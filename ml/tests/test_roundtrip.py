import keras
import numpy as np
import pytest

from ml.convert import convert
from ml.model import build_model
from ml.predict import KerasPredictor, LiteRTPredictor

# Loads TensorFlow and converts a model: seconds, not milliseconds.
pytestmark = pytest.mark.slow


def test_it_gives_identical_predictions_after_save_load_and_conversion(tmp_path):
    keras.utils.set_random_seed(0)
    model = build_model("cnn")
    path = tmp_path / "model.keras"
    model.save(path)
    images = np.random.default_rng(0).random((5, 28, 28, 1), dtype=np.float32)

    expected = model(images, training=False).numpy()
    np.testing.assert_allclose(keras.models.load_model(path)(images).numpy(), expected, atol=1e-6)
    np.testing.assert_allclose(KerasPredictor(path).predict(images[..., 0]), expected, atol=1e-6)

    # Float weights: the conversion itself changes nothing. The served files' 8-bit weights are
    # checked against the shipped models in test_litert_matches_keras.py.
    converted = convert(path, quantise=False)
    assert converted == tmp_path / "model.tflite"
    np.testing.assert_allclose(LiteRTPredictor(converted).predict(images[..., 0]), expected, atol=1e-5)
