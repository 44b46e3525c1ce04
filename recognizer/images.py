"""Small pictures for the pages: the upload's thumbnail and the 28x28 inputs the model saw.

Both are made once per upload, by the worker, and stored with the record. They are small, so
they are written with zlib's fastest level: a few hundred bytes more per picture, a fraction of
the CPU of a thorough compression.
"""
import io

import numpy as np
from PIL import Image

# Also registers Pillow's HEIC reader, as the worker's reading does.
from ml.decode import small_copy

THUMB_SIZE = (160, 160)
PNG_FAST = {"compress_level": 1}
# A PNG this small and no larger than a thumbnail is its own thumbnail: nothing to decode.
SMALL_PNG_BYTES = 64 * 1024


def _png(img):
    out = io.BytesIO()
    img.save(out, "PNG", **PNG_FAST)
    return out.getvalue()


def thumbnail_png(data, preview=None):
    """A PNG thumbnail of an uploaded picture, or None when it cannot be drawn.

    `preview`: the picture already reduced to THUMB_SIZE while it was decoded for recognition
    (ml.decode.decode_with_preview), which spares decoding it again: a phone's HEIC takes 0.2 s.
    """
    try:
        if preview is not None:  # drawn only for a picture larger than a thumbnail
            return _png(preview)
        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            if (img.format == "PNG" and len(data) <= SMALL_PNG_BYTES and "exif" not in img.info
                    and img.width <= THUMB_SIZE[0] and img.height <= THUMB_SIZE[1]):
                return bytes(data)
            # JPEG draft mode decodes at reduced scale: a 12 MP photo costs a few ms, not 100.
            img.draft("RGB", (THUMB_SIZE[0] * 2, THUMB_SIZE[1] * 2))
            img.load()
            return _png(small_copy(img, THUMB_SIZE))
    except Exception:  # a thumbnail is a nicety: never let it fail a prediction
        return None


def input_png(inputs) -> bytes:
    """The 28x28 pictures the model saw (N, 28, 28[, 1]) in [0, 1], side by side, as a PNG."""
    x = np.asarray(inputs, np.float32).reshape(-1, 28, 28)
    if len(x) == 0:
        x = np.zeros((1, 28, 28), np.float32)
    strip = x.transpose(1, 0, 2).reshape(28, -1)  # side by side, without a Python loop
    return _png(Image.fromarray((np.clip(strip, 0, 1) * 255 + 0.5).astype(np.uint8), "L"))


def input_pixels(png) -> np.ndarray:
    """The 28x28 pictures (N, 28, 28) float32 in [0, 1] back from an input_png strip.

    Heat maps are drawn later, by another job (tasks.explain_predictions), from this stored strip:
    the job then carries only record ids. The strip holds the inputs to 1/255, well within what
    occlusion's squares of eight pixels can tell apart.
    """
    with Image.open(io.BytesIO(png)) as img:
        strip = np.asarray(img.convert("L"), np.float32) / 255.0
    if strip.shape[0] != 28 or strip.shape[1] % 28:
        raise ValueError(f"not a strip of 28x28 inputs: {strip.shape[1]}x{strip.shape[0]} pixels")
    return strip.reshape(28, -1, 28).transpose(1, 0, 2).copy()
