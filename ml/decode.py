"""Reading what people upload: formats, limits, and refusing what cannot be read.

The web calls check_upload() (headers and a cheap integrity check, no full decode); the worker
calls decode() to get grey pixels at a working resolution. Both raise ImageRejected, whose
`code` names the reason so that the web can say it in the person's language.
"""
import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000

# Pillow format name -> (file extension, content type): the formats people upload, and the only
# ones we open. SVG is never among them (it can carry script).
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
    "BMP": ("bmp", "image/bmp"),
    "TIFF": ("tif", "image/tiff"),
}
ACCEPTED_FORMATS = tuple(FORMATS)

# Working resolution: large enough that a digit a few percent of a photo's height
# still spans dozens of pixels, small enough that a 12 MP photo is quick.
WORK_LONG_SIDE = 1024


def _formats():
    Image.init()
    return [f for f in ACCEPTED_FORMATS if f in Image.OPEN]


class ImageRejected(ValueError):
    """An upload we cannot turn into digits; str(e) is meant for the person who sent it.

    `code` names the reason (a stable word such as "not_image" or "no_digit") and `params` the
    values in the message, so the web can translate it; str(e) stays the English text.
    """

    def __init__(self, message, status=400, code="unreadable", **params):
        super().__init__(message)
        self.status = status
        self.code = code
        self.params = params


def _sniff_not_image(data: bytes):
    head = data[:2048].lstrip()
    lowered = head.lower()
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<svg") or b"<svg" in lowered:
        raise ImageRejected("SVG drawings cannot be read here; please upload a PNG or JPEG picture.", code="svg")


def _too_many_pixels(w, h, max_pixels):
    return ImageRejected(
        f"The picture is too large ({w}\u00d7{h} pixels); the limit is {max_pixels / 1e6:g} megapixels.",
        status=413, code="too_many_pixels", width=w, height=h, limit_mp=max_pixels / 1e6,
    )


def _open(data: bytes, max_pixels: int):
    if not data:
        raise ImageRejected("The file is empty.", code="empty")
    _sniff_not_image(data)
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is lower than Pillow's warning level; the warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_formats())
    except Image.DecompressionBombError:
        raise ImageRejected("The picture has far too many pixels to be read.", status=413, code="bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(
            "This file is not a picture we can read. Please upload a PNG, JPEG, GIF, WebP, BMP or TIFF image.",
            code="not_image",
        ) from None
    w, h = img.size
    if w < 1 or h < 1:
        raise ImageRejected("The picture has no pixels.", code="no_pixels")
    if w * h > max_pixels:
        raise _too_many_pixels(w, h, max_pixels)
    return img


def _damaged():
    return ImageRejected("The picture is damaged or incomplete (the file seems cut off). Please upload it again.",
                         code="damaged")


def check_upload(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> None:
    """Refuse, quickly, what preprocess() would refuse later; raises ImageRejected."""
    if data is not None and len(data) > max_bytes:
        raise ImageRejected(
            f"The file is too large ({len(data) / 1048576:.1f} MB); the limit is {max_bytes / 1048576:g} MB.",
            status=413, code="file_too_large", size_mb=len(data) / 1048576, limit_mb=max_bytes / 1048576,
        )
    img = _open(data, max_pixels)
    try:
        with img:
            if img.format == "PNG":
                # verify() walks every chunk and its CRC without inflating pixels: cheap, and it
                # notices a file that stops early.
                img.verify()
            else:
                if img.format in ("JPEG", "MPO"):
                    # Decoding at 1/8 scale still reads the whole stream, so a cut-off file shows.
                    img.draft("L", (max(1, img.size[0] // 8), max(1, img.size[1] // 8)))
                img.load()
    except ImageRejected:
        raise
    except Exception:
        raise _damaged() from None


def decode(data: bytes, max_pixels: int = MAX_PIXELS):
    """Oriented picture as (grey float32 [0,1], alpha float32 or None, full-size (w, h))."""
    img = _open(data, max_pixels)
    try:
        with img:
            full = img.size
            if img.format in ("JPEG", "MPO") and max(full) > WORK_LONG_SIDE * 1.4:
                # Decoding at reduced scale is most of the time saved on a big photo.
                f = 0.7 * WORK_LONG_SIDE / max(full)
                img.draft(img.mode if img.mode in ("L", "RGB") else None,
                          (max(1, int(full[0] * f)), max(1, int(full[1] * f))))
            img.load()
            orientation = img.getexif().get(0x0112, 1)
            if orientation in (5, 6, 7, 8):
                full = (full[1], full[0])
            img = ImageOps.exif_transpose(img)
            grey, alpha = _grey_alpha(img)
    except ImageRejected:
        raise
    except Exception:
        raise _damaged() from None
    return grey, alpha, full


def _grey_alpha(img):
    mode = img.mode
    alpha = None
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float32)
        top = 65535.0 if (mode.startswith("I;16") or arr.max() > 255) else 255.0
        if mode == "F" and arr.max() <= 1.0:
            top = 1.0
        grey = Image.fromarray(np.clip(arr / top, 0, 1).astype(np.float32), "F")
    else:
        if mode == "1":
            img = img.convert("L")
        elif mode in ("P", "PA"):
            img = img.convert("RGBA")
        elif mode == "CMYK" or mode not in ("L", "LA", "La", "RGB", "RGBA", "RGBa"):
            img = img.convert("RGBA" if "A" in mode or "a" in mode else "RGB")
        if img.mode in ("LA", "La", "RGBA", "RGBa"):
            a = img.getchannel("A")
            if a.getextrema()[0] < 250:
                alpha = a
            img = img.convert("L") if img.mode in ("RGBA", "RGBa") else img.getchannel("L")
        elif img.mode != "L":
            img = img.convert("L")
        grey = img
    w, h = grey.size
    if max(w, h) > WORK_LONG_SIDE:
        s = WORK_LONG_SIDE / max(w, h)
        size = (max(1, round(w * s)), max(1, round(h * s)))
        grey = grey.resize(size, Image.BOX, reducing_gap=2.0)
        if alpha is not None:
            alpha = alpha.resize(size, Image.BOX, reducing_gap=2.0)
    g = np.asarray(grey, dtype=np.float32)
    if grey.mode == "L":
        g = g / 255.0
    a = None if alpha is None else np.asarray(alpha, dtype=np.float32) / 255.0
    return g, a


