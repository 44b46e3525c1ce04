"""The serving pipeline's own inputs, kept for training (ml.pipeline_data): drawn from MNIST
training digits outside the validation split, and each input labelled with its own digit."""
import hashlib

import numpy as np
import pytest

from ml import pipeline_data, train
from ml.predict import get_predictor

# Renders pictures and trains for real: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _hashes(images):
    return {hashlib.sha1(np.ascontiguousarray(im).tobytes()).hexdigest() for im in images}


def test_its_digits_are_training_digits_outside_the_validation_split(mnist):
    (x_all, y_all), (x_test, _) = mnist
    x, y = pipeline_data.training_digits()
    (_, _), (x_val, _) = train.split_validation(np.asarray(x_all), np.asarray(y_all),
                                                train.VALIDATION_SIZE, train.SEED)
    assert len(x) == len(x_all) - train.VALIDATION_SIZE
    assert not _hashes(x) & _hashes(x_val)
    assert not _hashes(x) & _hashes(x_test)


def test_each_kept_input_is_labelled_with_the_digit_it_shows(tmp_path):
    out = tmp_path / "inputs.npz"
    pipeline_data.build(per_case=6, out=out, workers=1, chunk=6, cases=("multi_digit", "scan", "keystone"))
    images, labels = pipeline_data.load(out)
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28)
    assert len(images) == len(labels) >= 6 + 2 * 6
    # Labels follow the pieces left to right: the model, trained without these, mostly agrees.
    # A shifted label (one piece too many or too few) would agree with about a tenth of them.
    read = get_predictor().predict(images.astype(np.float32)[..., None] / 255.0).argmax(1)
    assert (read == labels).mean() >= 0.8


def test_training_takes_them_in_beside_mnist_with_a_share_for_validation(tmp_path, mnist):
    (x_all, y_all), _ = mnist
    npz = tmp_path / "inputs.npz"
    np.savez_compressed(npz, images=np.asarray(x_all[-50:]), labels=np.asarray(y_all[-50:]),
                        cases=np.asarray(["scan"] * 50))
    metrics = train.main(["--model", "cnn", "--epochs", "1", "--limit", "400", "--test-limit", "200",
                          "--batch-size", "64", "--out", str(tmp_path / "m"), "--no-plots", "--verbose", "0",
                          "--pipeline", str(npz)])
    share = 50 // train.PIPELINE_VALIDATION_SHARE
    assert metrics["pipeline_size"] == 50 - share
    assert metrics["train_size"] == 360 + 50 - share
    assert metrics["validation_size"] == 40 + share
