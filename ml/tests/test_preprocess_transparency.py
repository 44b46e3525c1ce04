"""Drawing canvases send transparent PNGs: the strokes are what is opaque, whatever their colour."""
from pathlib import Path

import numpy as np
import pytest

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


@pytest.mark.parametrize("name, inverted", [
    ("canvas_7_black_on_transparent.png", True),
    ("canvas_3_blue_on_transparent.png", True),
    ("canvas_4_white_on_transparent.png", False),
])
def test_it_finds_strokes_on_a_transparent_background(name, inverted):
    pre = preprocess((IMAGES / name).read_bytes())
    assert len(pre.inputs) == 1
    assert pre.inverted is inverted
    digit = pre.inputs[0]
    # White digit on black: the border is empty, the middle holds the strokes.
    assert digit[:3].max() == 0 and digit[:, :3].max() == 0
    assert 0.08 < digit.mean() < 0.4


def test_it_reads_black_strokes_on_transparency_like_the_same_strokes_on_white():
    from PIL import Image
    import io

    canvas = Image.open(IMAGES / "canvas_7_black_on_transparent.png")
    white = Image.new("RGB", canvas.size, (255, 255, 255))
    white.paste(canvas, mask=canvas)
    out = io.BytesIO()
    white.save(out, "PNG")
    a = preprocess((IMAGES / "canvas_7_black_on_transparent.png").read_bytes()).inputs[0]
    b = preprocess(out.getvalue()).inputs[0]
    assert np.abs(a - b).mean() < 0.02


def test_it_finds_nothing_on_a_fully_transparent_canvas():
    assert not preprocess((IMAGES / "blank_transparent.png").read_bytes()).found
