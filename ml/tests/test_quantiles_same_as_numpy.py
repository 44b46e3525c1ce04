"""ml.quantiles' median and percentile, used for every median and percentile of preprocessing,
are np.median's and np.percentile's, to the last bit."""
import numpy as np
import pytest

from ml.quantiles import median, percentile

KINDS = ["grain", "uniform", "quantised", "wide", "small", "integers", "ties", "mostly_zeros", "some_zeros",
         "half_zeros"]


def _values(kind, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(19_000, 160_000)) + seed % 2   # odd and even counts
    return {
        "grain": np.abs(rng.normal(size=n) * 0.02).astype(np.float32),
        "uniform": rng.random(n).astype(np.float32),
        "quantised": (rng.integers(0, 12, n) / 255).astype(np.float32),   # a JPEG's steps of 1/255
        "wide": np.abs(rng.normal(size=n)) * 2,                            # float64
        "small": np.abs(rng.normal(size=500 + seed)).astype(np.float32),
        "integers": rng.integers(0, 40, n),
        "ties": np.repeat(rng.random(3).astype(np.float32), n // 3 + 1),
        # Differences of neighbouring pixels on a clean scan: the middle lies among the zeros,
        # next to them, or (an even count, half of them zeros) between the two.
        "mostly_zeros": _zeros(rng, n, 0.6),
        "some_zeros": _zeros(rng, n, 0.3),
        "half_zeros": _zeros(rng, n - n % 2, 0.5),
    }[kind]


def _zeros(rng, n, share):
    values = (rng.integers(1, 30, n) / 255).astype(np.float32)
    values[rng.permutation(n)[:int(n * share)]] = 0
    return values


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(10))
def test_median_same_as_numpy(kind, seed):
    values = _values(kind, seed)
    expected, got = np.median(values), median(values)
    assert got == expected and type(got) is type(expected)


# The percentiles preprocessing asks for, as it asks for them: lists and single numbers.
@pytest.mark.parametrize("q", [[0.05, 50, 99.95], [0.05, 99.95], [10, 90], 98, 90, 75, 0, 100, [0, 100], 37.5])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_percentile_same_as_numpy(q, kind, seed):
    values = _values(kind, seed)
    expected, got = np.percentile(values, q), percentile(values, q)
    assert np.array_equal(got, expected)
    assert type(got) is type(expected) and np.asarray(got).dtype == np.asarray(expected).dtype


def test_a_picture_of_rows_and_columns_is_taken_whole():
    grid = np.random.default_rng(1).random((37, 58)).astype(np.float32)
    assert median(grid) == np.median(grid)
    assert np.array_equal(percentile(grid, [10, 90]), np.percentile(grid, [10, 90]))


def test_nan_and_empty_answer_as_numpy_does():
    with_nan = np.array([0.2, np.nan, 0.1, 0.4], np.float32)
    assert np.isnan(median(with_nan))
    assert np.isnan(percentile(with_nan, [10, 90])).all()
    with pytest.warns(RuntimeWarning):
        assert np.isnan(median(np.array([], np.float32)))
