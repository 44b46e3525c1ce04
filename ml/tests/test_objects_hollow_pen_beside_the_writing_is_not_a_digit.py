"""A pen whose barrel shows a light highlight all along it is a hollow bar in the ink: an outline
round a light middle. Beside a digit written with strokes as thick as the barrel, it was kept as
writing and read as a 1 ("31" for a 3, "1" for a 4: 4 of 15 such photos read right). No written 1
is hollow, so a long hollow bar is a pen however thin beside the writing; a 0 is hollow too, but
never twice as tall as the digits beside it."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.objects import lying_on_page
from ml.tests.drawn import pieces, three


def _hollow_bar(mask, centre, length, thick, angle, rim):
    outer = cv2.boxPoints((centre, (length, thick), angle)).astype(np.int32)
    inner = cv2.boxPoints((centre, (length - 2 * rim, thick - 2 * rim), angle)).astype(np.int32)
    cv2.fillPoly(mask, [outer], 1)
    cv2.fillPoly(mask, [inner], 0)


def test_a_hollow_pen_as_thick_as_the_strokes_beside_it_is_taken_off():
    def draw(m):
        three(m, 250, 200, 150, 18)
        _hollow_bar(m, (600, 300), 380, 24, 95, 8)
    _, labels, comps = pieces(draw, (600, 800))
    pen = set(np.unique(labels[:, 500:])) - {0}
    assert len(pen) == 1
    assert lying_on_page(labels, comps) == pen


def test_the_same_bar_solid_stays_as_writing():
    """As thick as the writing's strokes and solid, it could be a 1 written with a fat pen."""
    def draw(m):
        three(m, 250, 200, 150, 18)
        cv2.fillPoly(m, [cv2.boxPoints(((600, 300), (380, 24), 95)).astype(np.int32)], 1)
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == set()


def test_a_narrow_zero_beside_a_one_stays():
    """A 0 written narrow is a hollow bar too, as tall as the 1 beside it."""
    def draw(m):
        cv2.line(m, (250, 150), (250, 450), 1, 12)
        cv2.ellipse(m, (350, 300), (22, 150), 0, 0, 360, 1, 10)
    _, labels, comps = pieces(draw, (600, 800))
    assert lying_on_page(labels, comps) == set()


def _photo(digit_pixels, rng, colour):
    """An MNIST digit 200 px tall on paper and a pen beside it: a barrel of `colour` (BGR) with a
    highlight a quarter as wide as the barrel, nearly all its length."""
    d = np.asarray(Image.fromarray(digit_pixels).resize((200, 200), Image.BILINEAR), np.float32) / 255
    a = np.empty((600, 800, 3), np.float32)
    a[:] = (235, 232, 228)
    a[200:400, 250:450] -= 200 * d[..., None]
    angle, centre = rng.uniform(-30, 30), (rng.uniform(560, 650), rng.uniform(200, 400))
    length, thick = rng.uniform(300, 420), rng.uniform(18, 28)
    for scale, shade in ((1.0, 0), (0.25, 120)):
        box = cv2.boxPoints((centre, (thick * scale, length * (1 - 0.05 * (scale < 1))), angle)).astype(np.int32)
        m = np.zeros((600, 800), np.uint8)
        cv2.fillPoly(m, [box], 1)
        a[m > 0] = np.minimum(255, np.float32(colour) + shade)
    a = np.clip(a[..., ::-1] + rng.normal(0, 3, a.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(a).save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.mark.parametrize("i", range(8))
def test_a_digit_with_a_hollow_pen_beside_it_is_read(i, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    rng = np.random.default_rng(1000 + i)
    k = int(rng.integers(len(x)))
    colour = ((40, 40, 160), (30, 30, 30), (150, 60, 20))[i % 3]
    assert recognise(_photo(x[k], rng, colour)).number == str(int(y[k]))
