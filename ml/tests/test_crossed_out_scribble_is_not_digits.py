"""Writing crossed out is not read: a scribble over an earlier try, beside the digit meant, was cut
into digits of its own ("820" for a 2). A scribble closes many small loops; a digit closes at most
two (an 8), touching digits two for each digit's width, and a grid line left in a 0's hole does
not part it into loops."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.crossed_out import crossed_out
from ml.segment import components


def _scribble(mask, rng, x0=80, y0=140, w=180, h=120, pen=6):
    pts = np.stack([rng.uniform(x0, x0 + w, 25), rng.uniform(y0, y0 + h, 25)], 1).astype(np.int32)
    cv2.polylines(mask, [pts], False, 1, pen)


def _pieces(draw, shape=(400, 700)):
    mask = np.zeros(shape, np.uint8)
    draw(mask)
    return components(mask.astype(bool))


def _eight(mask, x, y, h, pen):
    cv2.ellipse(mask, (x, y + h // 4), (h // 5, h // 4), 0, 0, 360, 1, pen)
    cv2.ellipse(mask, (x, y + 3 * h // 4), (h // 4, h // 4), 0, 0, 360, 1, pen)


@pytest.mark.parametrize("seed", [1, 3, 4])
def test_a_scribble_beside_a_digit_is_crossed_out(seed):
    scribble = np.zeros((400, 700), np.uint8)
    _scribble(scribble, np.random.default_rng(seed))

    def draw(m):
        m |= scribble
        _eight(m, 500, 120, 180, 10)
    labels, comps = _pieces(draw)
    assert crossed_out(labels, comps) == set(np.unique(labels[scribble > 0]).tolist())


def test_touching_eights_are_not_crossed_out():
    def draw(m):
        for k in range(3):
            _eight(m, 200 + 96 * k, 100, 200, 12)   # each 8 touches the next
    labels, comps = _pieces(draw)
    assert len(comps) == 1 and crossed_out(labels, comps) == set()


def test_a_zero_whose_hole_a_grid_line_parts_is_not_crossed_out():
    def draw(m):
        cv2.ellipse(m, (300, 200), (70, 120), 20, 0, 360, 1, 30)
        for v in range(120, 500, 30):
            cv2.line(m, (v, 100), (v, 300), 1, 2)                 # left inside the hole only
        m[:, :] &= cv2.dilate(cv2.ellipse(np.zeros_like(m), (300, 200), (70, 120), 20, 0, 360, 1, -1),
                              np.ones((3, 3), np.uint8))
    labels, comps = _pieces(draw)
    assert crossed_out(labels, comps) == set()


@pytest.mark.parametrize("case,i", [
    ("scan", 39), ("dim_noisy", 0), ("dim_noisy", 22), ("faint_pencil", 107), ("faint_pencil", 278),
    ("squared_paper", 108),
])
def test_corpus_eights_and_zeros_are_read(case, i, mnist_test_set):
    """Tuning pictures whose 8 closes a third loop (grain in a faint or noisy stroke) or whose 0 a
    grid line parts: crossed out at one loop fewer a digit, or without opening thin lines away."""
    from ml.corpus import generate
    from ml.recognise import recognise

    data, _, truth = generate(case, i, *mnist_test_set, split="tuning")
    assert recognise(data).number == truth


@pytest.mark.parametrize("i", [3, 18, 29])
def test_a_digit_beside_a_crossed_out_try_is_read(i, mnist_test_set):
    from ml.recognise import recognise

    x, y = mnist_test_set
    page = np.full((400, 700), 236, np.float32)
    ink = np.asarray(Image.fromarray(x[i]).resize((220, 220), Image.BILINEAR), np.float32) / 255
    page[90:310, 400:620] -= 200 * ink
    scribble = np.zeros(page.shape, np.uint8)
    _scribble(scribble, np.random.default_rng(i), x0=60, y0=130, w=220, h=150, pen=8)
    page[scribble > 0] = 40
    buf = io.BytesIO()
    Image.fromarray(page.astype(np.uint8)).save(buf, "PNG")
    assert recognise(buf.getvalue()).number == str(y[i])
