"""ml.median.median, used for every median of preprocessing, is np.median's, to the last bit."""
import numpy as np
import pytest

from ml.median import median


@pytest.mark.parametrize("kind", ["grain", "uniform", "quantised", "wide", "small", "integers", "ties"])
@pytest.mark.parametrize("seed", range(10))
def test_same_as_numpy(kind, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(19_000, 160_000)) + seed % 2   # odd and even counts
    values = {
        "grain": np.abs(rng.normal(size=n) * 0.02).astype(np.float32),
        "uniform": rng.random(n).astype(np.float32),
        "quantised": (rng.integers(0, 12, n) / 255).astype(np.float32),   # a JPEG's steps of 1/255
        "wide": np.abs(rng.normal(size=n)) * 2,                            # float64
        "small": np.abs(rng.normal(size=500 + seed)).astype(np.float32),
        "integers": rng.integers(0, 40, n),
        "ties": np.repeat(rng.random(3).astype(np.float32), n // 3 + 1),
    }[kind]
    expected, got = np.median(values), median(values)
    assert got == expected and type(got) is type(expected)


def test_a_picture_of_rows_and_columns_is_taken_whole():
    grid = np.random.default_rng(1).random((37, 58)).astype(np.float32)
    assert median(grid) == np.median(grid)


def test_nan_and_empty_answer_as_numpy_does():
    with_nan = np.array([0.2, np.nan, 0.1, 0.4], np.float32)
    assert np.isnan(median(with_nan))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(median(np.array([], np.float32)))
