"""Pictures the frame and object tests draw: pieces of a drawn mask, a drawn 3, and MNIST digits
photographed on paper with a pen's mark added (a ring round the digit, a line under it); and how
the page and fold tests read photographed MNIST digits."""
import io

import cv2
import numpy as np
from PIL import Image

from ml.segment import components


def pieces(draw, shape=(300, 400)):
    """(mask, labels, pieces) of what `draw(mask)` drew on a blank uint8 mask."""
    mask = np.zeros(shape, np.uint8)
    draw(mask)
    mask = mask.astype(bool)
    labels, comps = components(mask)
    return mask, labels, comps


def three(mask, x, y, size, stroke):
    """A 3 drawn on `mask`: two open bowls, one over the other, `size` tall from (x, y)."""
    cv2.ellipse(mask, (x, y + size // 4), (size // 3, size // 4), 0, -90, 150, 1, stroke)
    cv2.ellipse(mask, (x, y + 3 * size // 4), (size // 3, size // 4), 0, -150, 90, 1, stroke)


def photo_with_mark(digit_pixels, mark, rng):
    """JPEG bytes: an MNIST digit 220 px tall on paper, and the pen's `mark(canvas, box, rng)`
    (box: the digit's left, top, right, bottom in the photo) drawn in dark blue on it."""
    d = np.asarray(Image.fromarray(digit_pixels).resize((220, 220), Image.BILINEAR), np.float32) / 255
    page = np.empty((600, 800, 3), np.float32)
    page[:] = (236, 233, 228)
    page[150:370, 200:420] -= 200 * d[..., None] * (page[150:370, 200:420] / 255)
    rows, cols = np.where(d.max(1) > 0.3)[0], np.where(d.max(0) > 0.3)[0]
    canvas = np.zeros((600, 800), np.float32)
    mark(canvas, (200 + cols[0], 150 + rows[0], 200 + cols[-1], 150 + rows[-1]), rng)
    ink = cv2.GaussianBlur(canvas, (0, 0), 0.8)[..., None]
    photo = page * (1 - ink) + ink * np.array((40, 40, 60), np.float32) + rng.normal(0, 3, page.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def taken_off(draw, shape=(300, 400)):
    """The mask once the frame (or line) round what `draw` drew, one piece, is taken off it."""
    from ml.frames import clear_touching_frames

    mask, labels, comps = pieces(draw, shape)
    assert len(comps) == 1
    assert clear_touching_frames(mask, labels, comps)
    return mask


def left_alone(draw, name, shape=(300, 400)):
    """(labels, pieces) of what `draw` drew, after checking that no frame is taken off it."""
    from ml.frames import clear_touching_frames

    mask, labels, comps = pieces(draw, shape)
    before = mask.copy()
    assert not clear_touching_frames(mask, labels, comps), name
    assert (mask == before).all(), name
    return labels, comps


def read_photos(mnist_test_set, seed, n, photo):
    """(answers, right answers) for n MNIST test digits, picked with `seed`, each photographed by
    photo(digit_pixels, rng, k) and read by ml.recognise."""
    from ml.recognise import recognise_many

    x, y = mnist_test_set
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(x), n, replace=False)
    photos = [photo(x[i], rng, k) for k, i in enumerate(picked)]
    return [getattr(r, "number", None) for r in recognise_many(photos)], [str(y[i]) for i in picked]


def count_right(answers, truths):
    return sum(a == t for a, t in zip(answers, truths))
