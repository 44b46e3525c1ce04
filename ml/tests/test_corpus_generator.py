"""The corpus is reproducible, and the naive baseline is the original script's preprocessing."""
import io

import numpy as np
import pytest
from PIL import Image

from ml.corpus import CASE_IDS, FORMAT_VARIANTS, SPLITS, generate, naive_pre_pic

# Renders every case of both splits: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _digits():
    x = np.zeros((3, 28, 28), np.uint8)
    x[:, 4:24, 12:16] = 255  # three "1"s
    return x, np.array([1, 1, 1], np.uint8)


def test_it_draws_the_same_picture_for_the_same_case_and_index():
    x, y = _digits()
    for case in CASE_IDS:
        a = generate(case, 0, x, y)
        b = generate(case, 0, x, y)
        assert a == b
        Image.open(io.BytesIO(a[0])).load()


def test_it_draws_the_held_out_split_with_another_seed():
    x, y = _digits()
    assert SPLITS["tuning"] != SPLITS["heldout"]
    assert generate("sheet_fills_frame", 0, x, y, "tuning") != generate("sheet_fills_frame", 0, x, y, "heldout")


def test_it_writes_each_odd_format_it_names():
    x, y = _digits()
    formats = {Image.open(io.BytesIO(generate("formats", i, x, y)[0])).format for i in range(len(FORMAT_VARIANTS))}
    assert {"GIF", "WEBP", "BMP", "TIFF", "JPEG", "PNG"} <= formats


def test_it_keeps_the_naive_baseline_naive():
    img = Image.new("L", (280, 280), 255)
    img.paste(0, (120, 40, 160, 240))
    out = io.BytesIO()
    img.save(out, "PNG")
    x = naive_pre_pic(out.getvalue())
    assert x.shape == (28, 28) and set(np.unique(x)) <= {0.0, 1.0}
    assert x[14, 14] == 1.0 and x[0, 0] == 0.0
