"""The same drawn 7 in every file format and pixel mode people upload comes out the same."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"
SEVENS = ["format_7.bmp", "format_7.tif", "format_7.webp", "format_7_animated.gif", "mode_16bit_7.png",
          "mode_1bit_7_inverse.png", "mode_cmyk_7.jpg", "mode_la_7.png", "mode_p_transparent_7.gif",
          "mode_p_transparent_7.png", "exif_rotated_7.jpg"]


@pytest.fixture(scope="module")
def reference():
    return preprocess((IMAGES / "canvas_7_black_on_transparent.png").read_bytes()).inputs[0]


@pytest.mark.parametrize("name", SEVENS)
def test_it_reads_every_format_and_mode_alike(name, reference):
    pre = preprocess((IMAGES / name).read_bytes())
    assert len(pre.inputs) == 1, name
    assert np.abs(pre.inputs[0] - reference).mean() < 0.03


def test_it_covers_the_modes_it_claims():
    modes = {Image.open(IMAGES / name).mode for name in SEVENS}
    assert {"CMYK", "LA", "P", "1", "RGB", "L"} <= modes
    assert any(m.startswith("I") for m in modes)  # 16-bit grey


def test_it_reads_the_first_frame_of_an_animation():
    img = Image.open(IMAGES / "format_7_animated.gif")
    assert getattr(img, "n_frames", 1) == 2
    assert preprocess((IMAGES / "format_7_animated.gif").read_bytes()).found
