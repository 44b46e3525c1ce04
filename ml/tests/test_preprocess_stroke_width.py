"""A fine pen and a fat marker both come out with strokes as wide as MNIST's."""
import io

import numpy as np
from PIL import Image, ImageDraw

from ml.preprocess import preprocess


def _seven(width):
    img = Image.new("L", (300, 300), 250)
    ImageDraw.Draw(img).line([(70, 50), (230, 50), (120, 260)], fill=10, width=width, joint="curve")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _ink(img):
    return float(img.sum())


def test_it_thickens_hairlines_and_thins_marker_strokes():
    hair, marker, normal = (preprocess(_seven(w)).inputs[0] for w in (2, 60, 22))
    # Without correction the marker's ink would be ~30 times the hairline's.
    assert 0.5 < _ink(hair) / _ink(normal) < 1.6
    assert 0.6 < _ink(marker) / _ink(normal) < 1.8
    assert np.abs(hair - normal).mean() < 0.12
