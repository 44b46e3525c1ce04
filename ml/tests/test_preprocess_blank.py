"""An empty page or a uniform picture is "no digit found", never a random digit."""
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


@pytest.mark.parametrize("name", ["blank_white.png", "blank_black.png", "blank_transparent.png",
                                  "blank_paper_photo.jpg"])
def test_it_finds_no_digit_on_an_empty_picture(name):
    pre = preprocess((IMAGES / name).read_bytes())
    assert not pre.found
    assert pre.inputs.shape == (0, 28, 28)
    assert pre.boxes == []


def test_it_finds_no_digit_in_plain_noise_or_a_soft_gradient():
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:400, 0:600]
    for pixels in (200 + rng.normal(0, 4, (400, 600)), 120 + 100 * xx / 600 + 60 * yy / 400):
        out = io.BytesIO()
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=75)
        assert not preprocess(out.getvalue()).found


def test_it_finds_no_digit_in_a_one_pixel_picture():
    out = io.BytesIO()
    Image.new("L", (1, 1), 0).save(out, "PNG")
    assert not preprocess(out.getvalue()).found


@pytest.mark.parametrize("work_long_side", [1024, 800, 768, 640, 512])
def test_a_blank_photo_stays_blank_at_any_working_size(monkeypatch, work_long_side):
    # Reducing an 800-px photo by a factor near 1 (768 px) makes neighbouring pixels share their
    # source: the grain looks quieter than it is, and single specks of it reached the threshold.
    import ml.decode

    monkeypatch.setattr(ml.decode, "WORK_LONG_SIDE", work_long_side)
    pre = preprocess((IMAGES / "blank_paper_photo.jpg").read_bytes())
    assert not pre.found
    assert pre.marks == 0


@pytest.mark.parametrize("step", [40, 60])
def test_it_finds_no_digit_on_blank_squared_paper(step):
    """The lines alone set the threshold when the page holds nothing darker; they are then taken
    out, and nothing is left."""
    rng = np.random.default_rng(step)
    page = 215 + rng.normal(0, 3, (900, 1200))
    page[:, ::step] = 120
    page[::step, :] = 120
    page[:, 150:153] = 150          # the margin line
    out = io.BytesIO()
    Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    assert not preprocess(out.getvalue()).found
