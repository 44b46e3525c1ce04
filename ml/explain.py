"""Which pixels drove an answer: occlusion, drawn as a heat map over the 28x28 inputs.

Occlusion asks the model itself: blank out one small square of the input at a time and see how
much the probability of the answered digit falls. A pixel is "hot" when hiding it costs the
answer most. It needs nothing but predictions (no gradients), so it works with any model the
predictor serves, and one batched call keeps it cheap (26 variants per digit, about 30 ms).
"""
import io

import numpy as np
from PIL import Image

PATCH = 8
STRIDE = 5
# Stored at the input's own size (a few hundred bytes); pages scale it up with pixelated rendering.
SCALE = 1


def _positions(size=28, patch=PATCH, stride=STRIDE):
    last = size - patch
    return sorted(set(list(range(0, last + 1, stride)) + [last]))


def occlusion(predict, inputs, digits, *, patch=PATCH, stride=STRIDE):
    """Heat maps (n, 28, 28) in [0, 1]: how much hiding each pixel lowers each answer.

    `predict` maps a batch (m, 28, 28, 1) to probabilities (m, 10); `inputs` is (n, 28, 28[, 1]);
    `digits` the answered digit of each input.
    """
    x = np.asarray(inputs, np.float32).reshape(-1, 28, 28)
    spots = [(r, c) for r in _positions(patch=patch, stride=stride) for c in _positions(patch=patch, stride=stride)]
    batch = np.repeat(x[:, None], len(spots) + 1, axis=1)  # variant 0 is the untouched input
    for k, (r, c) in enumerate(spots, start=1):
        batch[:, k, r:r + patch, c:c + patch] = 0.0
    probs = np.asarray(predict(batch.reshape(-1, 28, 28, 1)), np.float64).reshape(len(x), len(spots) + 1, -1)
    heat = np.zeros(x.shape, np.float64)
    cover = np.zeros(x.shape[1:], np.float64)
    for r, c in spots:
        cover[r:r + patch, c:c + patch] += 1
    for i, digit in enumerate(digits):
        base = probs[i, 0, digit]
        for k, (r, c) in enumerate(spots, start=1):
            heat[i, r:r + patch, c:c + patch] += max(0.0, base - probs[i, k, digit])
        heat[i] /= cover
        top = heat[i].max()
        if top > 0:
            heat[i] /= top
    return heat.astype(np.float32)


def heat_png(inputs, heat, scale=SCALE) -> bytes:
    """The inputs side by side, greyed, with the heat laid over them in orange; as a PNG."""
    x = np.asarray(inputs, np.float32).reshape(-1, 28, 28)
    h = np.asarray(heat, np.float32).reshape(-1, 28, 28)
    grey = np.concatenate(list(np.clip(x, 0, 1)), axis=1)
    hot = np.concatenate(list(np.clip(h, 0, 1)), axis=1)
    # Ink in mid grey on black, heat from dark red to yellow on top: the digit stays readable
    # under the colours, and the hottest pixels are the brightest.
    base = 0.45 * grey
    r = np.clip(base + hot * 1.0, 0, 1)
    g = np.clip(base + hot ** 1.5 * 0.85, 0, 1)
    b = np.clip(base * (1 - hot), 0, 1)
    rgb = (np.stack([r, g, b], axis=-1) * 255 + 0.5).astype(np.uint8)
    img = Image.fromarray(rgb, "RGB").resize((rgb.shape[1] * scale, rgb.shape[0] * scale), Image.NEAREST)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def explain(predict, inputs, digits) -> bytes:
    """The heat-map PNG for a recognition's inputs and answered digits."""
    return heat_png(inputs, occlusion(predict, inputs, digits))
