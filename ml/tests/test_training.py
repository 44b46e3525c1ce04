import json

import keras
import numpy as np
import pytest
from PIL import Image

from ml import train

# Trains a model for real: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def test_it_trains_a_loadable_model_on_a_few_hundred_images(tmp_path, mnist):
    metrics = train.main(["--model", "cnn", "--epochs", "1", "--limit", "400", "--test-limit", "200",
                          "--batch-size", "64", "--out", str(tmp_path), "--no-plots", "--verbose", "0"])
    model = keras.models.load_model(tmp_path / "mnist_cnn.keras")
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    probabilities = model(np.zeros((3, 28, 28, 1), np.float32)).numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)

    recorded = json.loads((tmp_path / "metrics.json").read_text())
    assert recorded["train_size"] == 360 and recorded["validation_size"] == 40
    assert recorded["test_size"] == 200 and 0.0 <= recorded["test_accuracy"] <= 1.0
    assert len(recorded["confusion_matrix"]) == 10
    assert recorded["parameters"] == metrics["parameters"] > 0


def test_it_reads_corrected_drawings_for_extra_training(tmp_path):
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 13:15] = 255
    Image.fromarray(digit).save(tmp_path / "a.png")
    Image.fromarray(digit).resize((56, 56)).save(tmp_path / "b.png")
    (tmp_path / "labels.csv").write_text("file,label\na.png,1\nb.png,7\n")
    images, labels = train.load_extra(tmp_path)
    assert images.shape == (2, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [1, 7]
    assert images[0, 10, 13] == 255


def test_the_served_pairs_second_member_has_its_own_seed_and_files(tmp_path, mnist):
    train.main(["--member", "2", "--epochs", "1", "--limit", "400", "--test-limit", "200",
                "--batch-size", "64", "--out", str(tmp_path), "--no-plots", "--verbose", "0"])
    assert (tmp_path / "mnist_cnn_2.keras").exists() and (tmp_path / "mnist_cnn_2.tflite").exists()
    # The first member's files are not written over.
    assert not (tmp_path / "mnist_cnn.keras").exists() and not (tmp_path / "metrics.json").exists()
    recorded = json.loads((tmp_path / "metrics_2.json").read_text())
    assert recorded["member"] == 2
    assert recorded["seed"] == train.MEMBER_SEEDS[2] != train.MEMBER_SEEDS[1]
    assert recorded["litert"]["file"] == "mnist_cnn_2.tflite"
