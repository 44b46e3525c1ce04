import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def mnist():
    from ml.data import load_mnist

    return load_mnist()


@pytest.fixture(scope="session")
def mnist_test_set(mnist):
    """MNIST's test images and labels: what the corpus renders (ml.corpus.generate)."""
    (_, _), (x, y) = mnist
    return x, y
