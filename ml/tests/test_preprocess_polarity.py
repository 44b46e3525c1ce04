"""Dark ink on paper and light chalk on a board both come out as MNIST's white digit on black."""
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


def _png(img):
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_it_reads_chalk_on_a_dark_board_as_not_inverted():
    pre = preprocess((IMAGES / "chalk_2_light_on_dark.jpg").read_bytes())
    assert pre.found and pre.inverted is False


def test_it_reads_ink_on_paper_as_inverted():
    pre = preprocess((IMAGES / "drawn_0_black_on_white.png").read_bytes())
    assert pre.found and pre.inverted is True


def test_it_gives_the_same_digit_for_a_picture_and_its_negative():
    paper = Image.open(IMAGES / "drawn_0_black_on_white.png").convert("L")
    a = preprocess(_png(paper))
    b = preprocess(_png(ImageOps.invert(paper)))
    assert a.inverted is True and b.inverted is False
    assert np.abs(a.inputs - b.inputs).mean() < 0.02


def test_it_keeps_mnist_digits_as_they_are(mnist):
    _, (x_test, _) = mnist
    diffs = []
    for pixels in x_test[:50]:
        pre = preprocess(_png(Image.fromarray(pixels)))
        assert pre.inverted is False and len(pre.inputs) == 1
        diffs.append(np.abs(pre.inputs[0] - pixels / 255.0).mean())
    assert np.mean(diffs) < 0.03 and max(diffs) < 0.12
