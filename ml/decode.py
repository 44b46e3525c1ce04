"""Reading what people upload: formats, limits, a cost budget, and refusing what cannot be read.

The web calls check_upload(): it reads headers only (format, size, mode, compression) plus an
integrity check that inflates no pixels, so a tiny file that claims a huge picture costs the web
nothing. The worker calls decode() to get grey pixels at a working resolution; it first
estimates what decoding will cost from the same headers and refuses a picture over the budget
(big JPEGs are decoded at reduced scale, which keeps them inside it). Both raise ImageRejected,
whose `code` names the reason so that the web can say it in the person's language.
"""
import io
import warnings

import numpy as np
import pi_heif
from PIL import Image, UnidentifiedImageError

# HEIC is what iPhones (and many Android phones) save photos as; Pillow reads it through libheif.
# pi-heif is pillow-heif's decode-only build: no HEVC encoder (x265) in the worker.
pi_heif.register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000

# What one picture may cost the worker to decode. The estimate errs high (see COST_NS).
BUDGET_SECONDS = 0.5
# Per format, where a phone's ordinary photo needs more. HEIC cannot be decoded at reduced scale
# as a JPEG can, and HEVC costs about 150 ns per byte of the file here: a 12 MP iPhone photo of
# 1.3 MB takes 0.2 s, a 12 MP HEIC of 2.9 MB 0.5 s, and the 24 MP photos iPhones take by default
# since the iPhone 15 (5712x4284) 0.6-0.8 s before their bytes are counted, 1.0-1.6 s at 2.6-8.6 MB
# (libheif through pi-heif, 2-core benchmark machine). Refusing the format phones save in by
# default would refuse the most ordinary upload: at 2 s, a 24 MP HEIC of up to 7 MB fits, and a
# 12 MP one of up to 8.5 MB.
FORMAT_BUDGET_SECONDS = {"HEIF": 2.0}
BUDGET_BYTES = 300 * 1024 * 1024

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
    "HEIF": ("heic", "image/heic"),
    "AVIF": ("avif", "image/avif"),
}
ACCEPTED_FORMATS = tuple(FORMATS)
JPEGS = ("JPEG", "MPO")
# ISO media files (HEIC, AVIF): a row of boxes, decoded to RGB at full size.
ISO_MEDIA = ("HEIF", "AVIF")

# Working resolution: large enough that a digit a few percent of a photo's height
# still spans dozens of pixels, small enough that a 12 MP photo is quick. On the corpus's
# tuning split, 768 reads as well as 1024 (989 against 986 of 1,020 right, 512: 986) for
# about a fifth less CPU.
WORK_LONG_SIDE = 768
# The picture's colour apart from its grey (its chroma, Cb and Cr) is kept at about this many
# pixels on its long side, no more than ml.page needs to tell a hand over a sheet from the paper.
TINT_LONG_SIDE = 256

# decode()'s cost in nanoseconds per pixel and per decoded band (load, grey conversion and
# reduction together), by format and, for TIFF, compression, plus for the deflate-like formats
# nanoseconds per byte of the file (inflating a noisy picture costs by its compressed size, not
# only by its pixels). Set above the worst of noisy and smooth pictures measured with
# `python -m bench.decode_cost` on the 2-core benchmark machine at rest (every ratio there stays
# below about 0.8): a 12 MP RGB PNG or WebP photo fits in the half second, a 6300x6300 one does not.
COST_NS = {
    "PNG": 6, "WEBP": 10, "GIF": 6, "BMP": 8,
    "PNG:byte": 20, "WEBP:byte": 20, "GIF:byte": 20,
    "TIFF:raw": 8, "TIFF:packbits": 10, "TIFF:tiff_lzw": 15, "TIFF:tiff_adobe_deflate": 25,
    "TIFF:tiff_deflate": 25, "TIFF:jpeg": 20, "TIFF:group4": 35, "TIFF": 35,
    # JPEG: per pixel and band decoded (after draft), plus per byte of the file (entropy decoding
    # reads every byte whatever the scale).
    "JPEG": 14, "JPEG:byte": 60,
    # HEIC and AVIF decode to RGB whatever they hold. Measured with 2500x2500 and 4032x3024
    # pictures, smooth and noisy, at qualities 50 and 90: HEIC 3-4 ns per pixel and band plus
    # 80-165 ns per byte, AVIF 2-3 ns plus up to 32 ns per byte; a 24 MP HEIC costs more per
    # pixel, 6-7 ns per band for a smooth one (bench.decode_cost measures both sizes). A HEIC
    # with more colour than phones keep (chroma 4:2:2 or 4:4:4, as cameras and editors save
    # it) costs several times more per pixel: 90 ns for a 1.4 MP, 443 KB one at 4:4:4, about
    # 45 ns for a 33 MP, 5 MB, 10-bit camera picture at 4:2:2 (pillow-heif's test pictures nokia/alpha.heic and
    # guitar_cw90.hif).
    "HEIF": 8, "HEIF:chroma": 20, "HEIF:byte": 200, "AVIF": 4, "AVIF:byte": 60,
}
# Bands the decoder produces for each mode (WebP, HEIC and AVIF always decode to RGB or RGBA; a
# palette costs about two bands, being expanded on the way to grey), and bytes per band.
BANDS = {"1": 1, "L": 1, "P": 2, "PA": 3, "LA": 2, "La": 2, "RGB": 3, "RGBA": 4, "RGBa": 4,
         "CMYK": 4, "YCbCr": 3, "LAB": 3, "HSV": 3, "I": 1, "F": 1, "I;16": 1, "I;16L": 1,
         "I;16B": 1, "I;16N": 1}
BAND_BYTES = {"I": 4, "F": 4, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
# 16- and 32-bit pictures are scaled through full-size float arrays on the way to grey: about
# 200 ns and 16 bytes more per pixel, whatever the format (measured on a 12 MP 16-bit PNG).
WIDE_NS, WIDE_BYTES = 200, 16

# EXIF orientation -> the transpose that shows the picture upright (as ImageOps.exif_transpose).
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}


def _formats():
    Image.init()
    return [f for f in ACCEPTED_FORMATS if f in Image.OPEN]


class ImageRejected(ValueError):
    """An upload we cannot turn into digits; str(e) is meant for the person who sent it.

    `code` names the reason (a stable word such as "not_image" or "no_digit") and `params` the
    values in the message, so the web can translate it; str(e) stays the English text.
    """

    # A small copy of the picture, where one was drawn before the refusal (ml.recognise).
    preview = None

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
            "This file is not a picture we can read. Please upload a PNG, JPEG, HEIC, WebP, AVIF, GIF, BMP or TIFF image.",
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


def _too_costly(img, seconds, memory):
    w, h = img.size
    return ImageRejected(
        f"This picture ({w}\u00d7{h} pixels, {img.format}) would take too long to read. "
        "Please send it smaller, or as a JPEG.",
        status=413, code="too_costly", width=w, height=h, format=img.format,
        seconds=round(seconds, 2), megabytes=round(memory / 1048576),
    )


def _jpeg_scale(size, box=None):
    """The draft scale (1, 1/2, 1/4 or 1/8) that still leaves the wanted part of a JPEG a little
    over the working resolution."""
    w, h = size if box is None else (box[2] - box[0], box[3] - box[1])
    scale = 1.0
    while scale > 1 / 8 and max(w, h) * scale / 2 >= WORK_LONG_SIDE * 0.7:
        scale /= 2
    return scale


def estimate(img, data_size, box=None):
    """(seconds, bytes) that decode() would spend on an opened, not yet loaded picture."""
    w, h = img.size
    bands = BANDS.get(img.mode, 4)
    if img.format in JPEGS:
        return _jpeg_estimate(img, data_size, bands, _draft_scale(img, data_size, box))
    if img.format == "WEBP" or img.format in ISO_MEDIA:
        bands = max(bands, 3)
    depth = BAND_BYTES.get(img.mode, 1)
    pixels = w * h
    key = img.format
    if img.format == "TIFF":
        key = f"TIFF:{img.info.get('compression', 'raw')}"
    elif img.format == "HEIF" and img.info.get("chroma") in (422, 444):
        key = "HEIF:chroma"
    rate = COST_NS.get(key, COST_NS.get(img.format, max(COST_NS.values())))
    seconds = (pixels * bands * rate + data_size * COST_NS.get(f"{img.format}:byte", 0)) * 1e-9
    # The decoded picture (a palette expanded to RGBA), plus a grey copy and an alpha band on
    # the way to the working size.
    memory = pixels * (max(bands, 4 if img.mode in ("P", "PA") else 0) * depth + 2)
    if img.mode in BAND_BYTES:
        seconds += pixels * WIDE_NS * 1e-9
        memory += pixels * WIDE_BYTES
    return seconds, memory


def _jpeg_estimate(img, data_size, bands, scale):
    w, h = img.size
    pixels = int(w * scale) * int(h * scale)
    seconds = (pixels * bands * COST_NS["JPEG"] + data_size * COST_NS["JPEG:byte"]) * 1e-9
    return seconds, pixels * (bands + 2)


def _draft_scale(img, data_size, box=None):
    """The scale a JPEG is decoded at (_jpeg_scale). For a part of it (`box`), no finer than
    the budget allows: a small part of a big photo, wanted at full scale, is read at the finest
    scale whose decoding fits rather than refused (the whole photo is decoded at the draft's
    scale, whatever part of it is kept)."""
    scale = _jpeg_scale(img.size, box)
    if box is not None:
        bands = BANDS.get(img.mode, 4)
        limits = (FORMAT_BUDGET_SECONDS.get(img.format, BUDGET_SECONDS), BUDGET_BYTES)
        while scale > 1 / 8 and any(v > limit for v, limit in zip(
                _jpeg_estimate(img, data_size, bands, scale), limits)):
            scale /= 2
    return scale


def _check_budget(img, data_size, box=None):
    seconds, memory = estimate(img, data_size, box)
    if seconds > FORMAT_BUDGET_SECONDS.get(img.format, BUDGET_SECONDS) or memory > BUDGET_BYTES:
        raise _too_costly(img, seconds, memory)


def _jpeg_scan_start(data):
    """Where a JPEG's first scan data begins (just after its SOS segment), or None."""
    i, end = 2, len(data) - 3
    while i < end:
        if data[i] != 0xFF:
            i += 1  # junk between segments, which decoders skip too
            continue
        marker = data[i + 1]
        if marker == 0xFF or marker == 0x01 or 0xD0 <= marker <= 0xD8:
            i += 1 if marker == 0xFF else 2  # fill byte, or a marker without a length
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xDA:
            return i + 2 + length
        i += 2 + length
    return None


def _jpeg_complete(data):
    """A complete JPEG ends its scan data with an EOI marker; a cut-off one does not. Checked
    without decoding: inside scan data a 0xFF byte is always followed by 0x00 or a restart
    marker, so after the first scan EOI first appears where the picture ends. (An EXIF
    thumbnail's own EOI comes before the scan, so it does not count.)"""
    start = _jpeg_scan_start(data)
    return start is not None and data.find(b"\xff\xd9", start) != -1


def _boxes_complete(data):
    """Whether an ISO media file (HEIC, AVIF) holds every byte its boxes claim. The file is a row
    of boxes, each starting with its length; a cut-off file's last box (the one holding the
    pixels) claims more bytes than are left. Checked without decoding."""
    i, end = 0, len(data)
    while end - i >= 8:
        size = int.from_bytes(data[i:i + 4], "big")
        if size == 1:  # a 64-bit length follows the box's type
            if end - i < 16:
                return False
            size = int.from_bytes(data[i + 8:i + 16], "big")
        elif size == 0:  # the last box runs to the end of the file
            return True
        if size < 8:
            return False
        i += size
    return i <= end


def check_upload(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> str:
    """Refuse, quickly and from headers only, what decode() would refuse later; returns the
    Pillow format name. Raises ImageRejected."""
    if data is not None and len(data) > max_bytes:
        raise ImageRejected(
            f"The file is too large ({len(data) / 1048576:.1f} MB); the limit is {max_bytes / 1048576:g} MB.",
            status=413, code="file_too_large", size_mb=len(data) / 1048576, limit_mb=max_bytes / 1048576,
        )
    img = _open(data, max_pixels)
    try:
        with img:
            image_format = img.format
            _check_budget(img, len(data))
            if image_format == "PNG":
                # verify() walks every chunk and its CRC without inflating pixels: cheap, and it
                # notices a file that stops early.
                img.verify()
            elif image_format in JPEGS and not _jpeg_complete(data):
                raise _damaged()
            elif image_format in ISO_MEDIA and not _boxes_complete(data):
                raise _damaged()
    except ImageRejected:
        raise
    except Exception:
        raise _damaged() from None
    return image_format


def _raw_box(crop, size, orientation):
    """The pixel box in the stored (unrotated) picture of `crop`, fractions (x0, y0, x1, y1) of
    the upright picture."""
    x0, y0, x1, y1 = (min(1.0, max(0.0, float(v))) for v in crop)
    if x1 <= x0 or y1 <= y0:
        raise ImageRejected("The chosen part of the picture is empty.", code="empty_crop")
    # Where a point (u, v) of the upright picture lies in the stored one, for each orientation.
    back = {
        1: lambda u, v: (u, v), 2: lambda u, v: (1 - u, v), 3: lambda u, v: (1 - u, 1 - v),
        4: lambda u, v: (u, 1 - v), 5: lambda u, v: (v, u), 6: lambda u, v: (v, 1 - u),
        7: lambda u, v: (1 - v, 1 - u), 8: lambda u, v: (1 - v, u),
    }[orientation if orientation in ORIENTATIONS else 1]
    (ax, ay), (bx, by) = back(x0, y0), back(x1, y1)
    w, h = size
    left, right = sorted((ax, bx))
    top, bottom = sorted((ay, by))
    box = (int(left * w), int(top * h), max(int(left * w) + 1, round(right * w)),
           max(int(top * h) + 1, round(bottom * h)))
    return box


def _orientation(img):
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # a broken EXIF block must not cost the picture
        return 1


def decode(data: bytes, max_pixels: int = MAX_PIXELS, crop=None):
    """Upright picture as (grey float32 [0,1], alpha float32 or None, full-size (w, h)).

    `crop` is (x0, y0, x1, y1), fractions 0..1 of the upright picture; only that part is kept,
    and `full` is then its size in pixels. Raises ImageRejected, also for a picture that would
    cost more than the budget (BUDGET_SECONDS, BUDGET_BYTES) to decode.
    """
    return decode_with_preview(data, None, max_pixels, crop)[:3]


def decode_with_preview(data: bytes, preview, max_pixels: int = MAX_PIXELS, crop=None):
    """decode()'s (grey, alpha, full), a small upright copy of the whole picture in its own
    colours (a PIL image within the `preview` box, (w, h)) or None, and the tint (_tint()) or None.

    The copy is made from the pixels decoded for reading, so a thumbnail costs no second decode:
    a phone's HEIC takes 0.2 s or more to decode. It is None where drawing a thumbnail from the
    file is as cheap: a JPEG (decoded at reduced scale for it), a picture already within the box,
    and a crop (the thumbnail shows the whole picture).
    """
    img = _open(data, max_pixels)
    try:
        with img:
            size = img.size
            # A JPEG's EXIF comes before its pixels, and the crop decides its draft scale, so both
            # are read first. Other formats are asked after loading: PNG and WebP may keep EXIF
            # after the pixels, and Pillow turns some TIFFs upright itself while loading them.
            orientation = box = None
            if img.format in JPEGS:
                orientation = _orientation(img)
                box = None if crop is None else _raw_box(crop, size, orientation)
            _check_budget(img, len(data), box)
            if img.format in JPEGS:
                scale = _draft_scale(img, len(data), box)
                # Decoding at reduced scale is most of the time saved on a big photo. A colour
                # JPEG is decoded as stored, luma and chroma, without converting to RGB: its luma
                # is the grey (the same as decoding the luma alone, which costs 0.45 ms less on
                # a 1-2 MP photo), its chroma the tint.
                if scale < 1 or img.mode == "RGB":
                    mode = "YCbCr" if img.mode == "RGB" and _stored_as_luma_and_chroma(img) else "L"
                    img.draft(mode if img.mode in ("L", "RGB") else None,
                              (max(1, int(size[0] * scale)), max(1, int(size[1] * scale))))
            img.load()
            if orientation is None:
                size = img.size
                orientation = _orientation(img)
                box = None if crop is None else _raw_box(crop, size, orientation)
            small = None
            if (preview is not None and box is None and img.format not in JPEGS
                    and (img.width > preview[0] or img.height > preview[1])):
                small = small_copy(img, preview)
            if box is not None:
                # The draft may have made the picture smaller than its header said.
                fx, fy = img.size[0] / size[0], img.size[1] / size[1]
                scaled = (int(box[0] * fx), int(box[1] * fy),
                          max(int(box[0] * fx) + 1, round(box[2] * fx)),
                          max(int(box[1] * fy) + 1, round(box[3] * fy)))
                img = img.crop(scaled)
                size = (box[2] - box[0], box[3] - box[1])
            full = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size
            grey, alpha, tint = _grey_alpha(img, ORIENTATIONS.get(orientation))
    except ImageRejected:
        raise
    except Exception:
        raise _damaged() from None
    return grey, alpha, full, small, tint


def _stored_as_luma_and_chroma(img):
    """Whether a colour JPEG holds luma and chroma, as nearly all do. One saved as Adobe's RGB
    (its transform 0, or its components named R, G and B) cannot be decoded to them."""
    names = [layer[0] for layer in getattr(img, "layer", [])]
    return img.info.get("adobe_transform") != 0 and names != [ord(c) for c in "RGB"]


def small_copy(img, box):
    """A loaded picture reduced to fit `box` (w, h), turned upright by its EXIF orientation, in
    a mode PNG keeps: the record's thumbnail."""
    transpose = ORIENTATIONS.get(_orientation(img))
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA")
    # First a cheap reduction by a whole factor (as Image.thumbnail's reducing_gap does), which
    # also spares copying the full picture; then the thumbnail's own resampling.
    factor = int(min(img.width / box[0], img.height / box[1]) / 2)
    small = img.reduce(factor) if factor > 1 else img.copy()
    small.thumbnail(box, reducing_gap=2.0)
    return small if transpose is None else small.transpose(transpose)


def _tint(img):
    """A colour picture (RGB, RGBA or YCbCr) reduced by a whole factor to about TINT_LONG_SIDE
    pixels on its long side, as YCbCr: the tint, whose chroma (Cb, Cr) is what the grey leaves out."""
    factor = max(1, max(img.size) // TINT_LONG_SIDE)
    # Sampled every (factor // 2)th pixel and then averaged by twos: averaging all of a 12 MP
    # photo's pixels costs 15 ms, this 2. A JPEG's chroma is stored at half its size, so below
    # four a sample of every factor-th pixel is as good as their mean, for a fifth of the cost.
    step = factor // 2 if factor >= 4 else factor
    small = img.resize((img.width // step, img.height // step), Image.NEAREST) if step > 1 else img
    if factor >= 4:
        small = small.reduce(2)
    if small.mode != "YCbCr":
        small = small.convert("RGB").convert("YCbCr")
    return small


def _grey_alpha(img, transpose=None):
    """(grey float32 0..1, alpha float32 or None, tint or None) of a loaded picture, reduced to
    the working resolution and turned upright. The tint (_tint(), as an (h, w, 3) uint8 array) is
    None for a grey picture, and for one whose transparency is read (a drawing, not a photo)."""
    mode = img.mode
    alpha = None
    tint = None
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
        elif mode == "CMYK" or mode not in ("L", "LA", "La", "RGB", "RGBA", "RGBa", "YCbCr"):
            img = img.convert("RGBA" if "A" in mode or "a" in mode else "RGB")
        if img.mode in ("LA", "La", "RGBA", "RGBa"):
            a = img.getchannel("A")
            if a.getextrema()[0] < 250:
                alpha = a
            elif img.mode in ("RGBA", "RGBa"):
                tint = _tint(img)
            img = img.convert("L") if img.mode in ("RGBA", "RGBa") else img.getchannel("L")
        elif img.mode == "YCbCr":
            tint = _tint(img)
            img = img.getchannel(0)
        elif img.mode != "L":
            tint = _tint(img)
            img = img.convert("L")
        grey = img
    w, h = grey.size
    if max(w, h) > WORK_LONG_SIDE:
        s = WORK_LONG_SIDE / max(w, h)
        size = (max(1, round(w * s)), max(1, round(h * s)))
        grey = grey.resize(size, Image.BOX, reducing_gap=2.0)
        if alpha is not None:
            alpha = alpha.resize(size, Image.BOX, reducing_gap=2.0)
    if transpose is not None:
        # Turned upright after the reduction, which is cheaper than turning the full picture.
        grey = grey.transpose(transpose)
        if alpha is not None:
            alpha = alpha.transpose(transpose)
        if tint is not None:
            tint = tint.transpose(transpose)
    g = np.asarray(grey, dtype=np.float32)
    if grey.mode == "L":
        g = g / 255.0
    a = None if alpha is None else np.asarray(alpha, dtype=np.float32) / 255.0
    return g, a, None if tint is None else np.asarray(tint)
