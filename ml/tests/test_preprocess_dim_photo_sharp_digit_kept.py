"""In a dim photo a digit's full contrast is a small change of grey, so even its sharp outline
changes grey little per pixel: it is still ink, not a soft shade to be dropped ("no digit
found")."""
import cv2
import numpy as np

from ml.corpus import generate
from ml.preprocess import preprocess
from ml.render import encode
from PIL import Image


def dim_photo():
    rng = np.random.default_rng(5)
    ink = np.zeros((600, 480), np.uint8)
    cv2.ellipse(ink, (240, 300), (70, 110), 0, 0, 360, 1, 16)       # a 0, pen-sharp
    ink = cv2.GaussianBlur(ink.astype(np.float32), (0, 0), 2.5)     # a little out of focus
    grey = 0.2 * (1 - ink) + 0.04 * ink + rng.normal(0, 0.015, ink.shape)
    return encode(Image.fromarray((np.clip(grey, 0, 1) * 255).astype(np.uint8)), "PNG")


def test_a_dim_photos_digit_is_found():
    pre = preprocess(dim_photo())
    assert pre.found and len(pre.inputs) == 1


def test_a_dim_noisy_five_is_read(mnist_test_set):
    """A rendered corpus picture (tuning split) that was answered "no digit found"."""
    from ml.recognise import recognise

    data, _, truth = generate("dim_noisy", 35, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth
