"""Labelling only the box round the ink gives what OpenCV gives for the whole mask."""
import cv2
import numpy as np
import pytest

from ml.regions import regions


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("connectivity", [4, 8])
def test_same_labels_and_stats_as_the_whole_mask(seed, connectivity):
    rng = np.random.default_rng(seed)
    mask = np.zeros((120, 90), np.uint8)
    # Blobs and specks somewhere inside, never touching the border of the picture.
    y0, x0 = rng.integers(5, 40, 2)
    inner = rng.random((int(rng.integers(5, 70)), int(rng.integers(5, 45)))) < rng.uniform(0.05, 0.6)
    mask[y0:y0 + inner.shape[0], x0:x0 + inner.shape[1]] = inner
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
    m, mine, my_stats = regions(mask.astype(bool), connectivity)
    assert m == n
    np.testing.assert_array_equal(mine, labels)
    np.testing.assert_array_equal(my_stats[1:], stats[1:])


def test_blank_mask_has_only_the_background():
    n, labels, stats = regions(np.zeros((30, 40), bool))
    assert n == 1 and not labels.any() and stats.shape == (1, 5)
