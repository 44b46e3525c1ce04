"""The quick median of grey steps (_ink_map's noise estimate) is np.median's, to the last bit."""
import numpy as np
import pytest

from ml.preprocess import _median_of_steps


@pytest.mark.parametrize("kind", ["grain", "uniform", "quantised", "wide", "small"])
@pytest.mark.parametrize("seed", range(10))
def test_same_as_numpy(kind, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(19_000, 160_000))
    values = {
        "grain": np.abs(rng.normal(size=n) * 0.02),
        "uniform": rng.random(n),
        "quantised": rng.integers(0, 12, n) / 255,   # a JPEG's steps of 1/255, many equal
        "wide": np.abs(rng.normal(size=n)) * 2,       # past 1: the last bin holds them
        "small": np.abs(rng.normal(size=500)),
    }[kind].astype(np.float32)
    expected, got = np.median(values), _median_of_steps(values)
    assert got == expected and got.dtype == expected.dtype
