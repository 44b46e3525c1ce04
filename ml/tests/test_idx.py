import gzip
import struct

import numpy as np
import pytest

from ml.data import read_idx


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_it_reads_raw_idx_images():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    parsed = read_idx(idx_bytes(images))
    assert parsed.dtype == np.uint8
    np.testing.assert_array_equal(parsed, images)


def test_it_reads_gzip_idx_labels():
    labels = np.array([7, 2, 1, 0, 4], dtype=np.uint8)
    np.testing.assert_array_equal(read_idx(gzip.compress(idx_bytes(labels))), labels)


def test_it_rejects_bytes_with_a_wrong_magic_number():
    data = bytearray(idx_bytes(np.zeros((2, 2), np.uint8)))
    data[0] = 0x01
    with pytest.raises(ValueError, match="not IDX"):
        read_idx(bytes(data))


def test_it_rejects_a_truncated_body():
    with pytest.raises(ValueError, match="header promises"):
        read_idx(idx_bytes(np.zeros((3, 2, 2), np.uint8))[:-1])
