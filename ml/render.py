"""Drawing MNIST test digits into the pictures people really send: scans, phone photos of a sheet
on a table (shadowed, keystoned, turned), ruled and squared paper, pencil, sticky notes, drawing
canvases, odd file formats, numbers, digits in a box or a circle or underlined, notebook and
binder pages, a pen lying beside the digit.

Every generator takes a numpy Generator and returns (bytes, file extension); `generate()` picks
the digits and the answer. Only the seed decides the picture, so a split is a seed.
"""
import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

FORMAT_VARIANTS = ("gif_animated", "webp", "bmp", "tiff", "cmyk_jpeg", "png_16bit",
                   "png_palette_transparent", "jpeg_exif_rotated", "gif_transparent")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# ---------------------------------------------------------------------------
# Drawing digits as ink.
# ---------------------------------------------------------------------------

def _crop(d28):
    d = np.asarray(d28, np.float32)
    if d.max() > 1.5:
        d = d / 255.0
    rows = np.where(d.max(1) > 0.1)[0]
    cols = np.where(d.max(0) > 0.1)[0]
    return d[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resize(arr, size, resample=Image.BICUBIC):
    return np.asarray(Image.fromarray(np.asarray(arr, np.float32), "F").resize(size, resample), np.float32)


def ink_of(d28, height, style="pen", rng=None):
    """Ink coverage (0..1) of an MNIST digit drawn `height` pixels tall with a pen, marker or fine pen."""
    d = _crop(d28)
    h, w = d.shape
    width = max(1, round(w * height / h))
    v = np.clip(_resize(d, (width, height)), 0, 1)
    pad = max(2, height // 6)
    v = np.pad(v, pad)
    mask = v > 0.45
    if style in ("marker", "brush"):
        # A felt marker on paper; a drawing app's round brush is a little finer.
        r = (0.09 if style == "marker" else 0.05) * height
        mask = ndimage.distance_transform_edt(~mask) <= r
    elif style == "fine":
        mask = ndimage.distance_transform_edt(~skeleton(mask)) <= max(0.5, 0.012 * height)
    # A pen's edge is sharp but anti-aliased at the scan's resolution.
    return np.clip(ndimage.gaussian_filter(mask.astype(np.float32), 0.7), 0, 1)


def skeleton(mask):
    """Zhang-Suen thinning: the one-pixel centre line of a stroke."""
    m = np.pad(mask.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(np.roll(m, -dy, 0), -dx, 1) for dy, dx in
                 ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))]
            b = sum(p)
            a = sum(((p[k] == 0) & (p[(k + 1) % 8] == 1)).astype(np.uint8) for k in range(8))
            if step == 0:
                c = (p[0] * p[2] * p[4] == 0) & (p[2] * p[4] * p[6] == 0)
            else:
                c = (p[0] * p[2] * p[6] == 0) & (p[0] * p[4] * p[6] == 0)
            kill = (m == 1) & (b >= 2) & (b <= 6) & (a == 1) & c
            if kill.any():
                m[kill] = 0
                changed = True
        if not changed:
            return m[1:-1, 1:-1].astype(bool)


def number_ink(digits, height, rng, style="pen", touching=False, placed=None):
    """The ink of a number written with `digits`; `placed`, a list, gains (top, left, ink) per digit."""
    parts = []
    for d in digits:
        ink = ink_of(d, int(height * rng.uniform(0.88, 1.1)), style, rng)
        cols = np.where(ink.max(0) > 0.05)[0]
        parts.append(ink[:, cols[0]:cols[-1] + 1])
    # Gaps between the inked parts; touching digits overlap a little.
    gaps = [int(height * (rng.uniform(-0.06, 0.0) if touching else rng.uniform(0.08, 0.3))) for _ in parts]
    margin = int(0.2 * height)
    total_w = sum(p.shape[1] for p in parts) + sum(gaps[:-1]) + 2 * margin
    total_h = int(max(p.shape[0] for p in parts) * 1.2)
    out = np.zeros((total_h, total_w), np.float32)
    x = margin
    for p, g in zip(parts, gaps):
        y = int(rng.uniform(0, total_h - p.shape[0]))
        out[y:y + p.shape[0], x:x + p.shape[1]] = np.maximum(out[y:y + p.shape[0], x:x + p.shape[1]], p)
        if placed is not None:
            placed.append((y, x, p))
        x += p.shape[1] + g
    return out


def rotate(ink, degrees):
    return np.asarray(Image.fromarray(ink, "F").rotate(degrees, Image.BILINEAR, expand=True), np.float32)


def place(ink, size, rng, centre=None):
    """An (H, W) coverage layer with `ink` at a random place, wholly inside."""
    W, H = size
    layer = np.zeros((H, W), np.float32)
    h, w = ink.shape
    if h > H or w > W:
        s = min(H / h, W / w) * 0.95
        ink = _resize(ink, (max(1, int(w * s)), max(1, int(h * s))))
        h, w = ink.shape
    if centre is None:
        y, x = int(rng.uniform(0, H - h + 1)), int(rng.uniform(0, W - w + 1))
    else:
        y, x = (H - h) // 2, (W - w) // 2
    layer[y:y + h, x:x + w] = ink
    return layer


def paper(size, colour, rng, texture=3.0, gradient=0.0, shadow=0.0):
    """RGB float image of paper under (possibly uneven) light."""
    W, H = size
    base = np.ones((H, W, 3), np.float32) * np.asarray(colour, np.float32)[None, None] / 255.0
    if texture:
        small = rng.normal(0, texture / 255.0, (H // 4 + 1, W // 4 + 1)).astype(np.float32)
        tex = _resize(small, (W, H), Image.BILINEAR)
        base += tex[..., None]
    light = np.ones((H, W), np.float32)
    if gradient:
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        a = rng.uniform(0, 2 * np.pi)
        ramp = (np.cos(a) * xx / W + np.sin(a) * yy / H)
        ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
        light *= 1.0 - gradient * ramp
    if shadow:
        sw, sh = W // 8 + 1, H // 8 + 1
        m = Image.new("F", (sw, sh), 0.0)
        d = ImageDraw.Draw(m)
        cx, cy = rng.uniform(0, sw), rng.uniform(0, sh)
        rx, ry = rng.uniform(0.3, 0.7) * sw, rng.uniform(0.3, 0.7) * sh
        d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=1.0)
        m = ndimage.gaussian_filter(np.asarray(m, np.float32), max(sw, sh) * 0.08)
        light *= 1.0 - shadow * _resize(m, (W, H), Image.BILINEAR)
    return base, light


def compose(base, light, ink, ink_colour):
    c = np.asarray(ink_colour, np.float32)[None, None] / 255.0
    rgb = base * (1 - ink[..., None]) + c * ink[..., None]
    return np.clip(rgb * light[..., None], 0, 1)


def to_image(rgb, rng=None, noise=0.0, blur=0.0):
    if blur:
        rgb = ndimage.gaussian_filter(rgb, (blur, blur, 0))
    if noise and rng is not None:
        rgb = rgb + rng.normal(0, noise / 255.0, rgb.shape).astype(np.float32)
    return Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")


def encode(img, fmt, **kw):
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def _ink_colour(rng):
    return tuple(int(v) for v in rng.uniform(15, 60, 3))


def _size(rng, lo, hi, portrait=None):
    long_side = int(rng.uniform(lo, hi))
    short = int(long_side * rng.uniform(0.7, 0.8))
    portrait = rng.random() < 0.5 if portrait is None else portrait
    return (short, long_side) if portrait else (long_side, short)


# ---------------------------------------------------------------------------
# One generator per case: (rng, digits, labels, i) -> (bytes, extension, true answer)
# ---------------------------------------------------------------------------

def gen_scan(rng, d, i):
    size = _size(rng, 500, 900)
    ink = rotate(ink_of(d, int(min(size) * rng.uniform(0.35, 0.6))), rng.uniform(-5, 5))
    grey = int(rng.uniform(175, 225))
    base, light = paper(size, (grey, grey, grey - 5), rng, texture=4)
    rgb = compose(base, light, place(ink, size, rng), (int(rng.uniform(20, 70)),) * 3)
    img = to_image(rgb, rng, noise=2).convert("L")
    if i % 2:
        return encode(img, "PNG"), "png"
    return encode(img, "JPEG", quality=90), "jpg"


def gen_phone_photo(rng, d, i):
    size = _size(rng, 1200, 2000)
    ink = rotate(ink_of(d, int(min(size) * rng.uniform(0.2, 0.45))), rng.uniform(-10, 10))
    base, light = paper(size, tuple(rng.uniform(215, 250, 3)), rng, texture=4,
                        gradient=rng.uniform(0.2, 0.5), shadow=rng.uniform(0.25, 0.5))
    rgb = compose(base, light, place(ink, size, rng), _ink_colour(rng))
    img = to_image(rgb, rng, noise=rng.uniform(2, 6), blur=rng.uniform(0.8, 2.0) * max(size) / 1500)
    return encode(img, "JPEG", quality=int(rng.uniform(55, 85))), "jpg"


def gen_canvas(rng, d, i):
    s = (280, 400, 500)[i % 3]
    ink = ink_of(d, int(s * rng.uniform(0.55, 0.85)), "brush" if i % 4 == 0 else "pen")
    layer = place(ink, (s, s), rng, centre=True if i % 2 else None)
    rgba = np.zeros((s, s, 4), np.uint8)
    rgba[..., 3] = (layer * 255 + 0.5).astype(np.uint8)
    return encode(Image.fromarray(rgba, "RGBA"), "PNG"), "png"


def gen_chalkboard(rng, d, i):
    size = _size(rng, 600, 1400)
    ink = ink_of(d, int(min(size) * rng.uniform(0.3, 0.6)), "marker" if i % 3 == 0 else "pen")
    layer = place(ink, size, rng)
    grain = np.clip(rng.uniform(0.45, 1.0, layer.shape), 0, 1).astype(np.float32)
    layer = layer * ndimage.gaussian_filter(grain, 0.8)
    board = tuple(int(v) for v in (rng.uniform(20, 45), rng.uniform(35, 70), rng.uniform(30, 55)))
    base, light = paper(size, board, rng, texture=5, gradient=rng.uniform(0.0, 0.4))
    # Smudges of old chalk: faint, broad, lighter patches.
    smudge = _resize(rng.uniform(0, 1, (6, 6)).astype(np.float32), size, Image.BICUBIC)
    base += 0.05 * np.clip(smudge, 0, 1)[..., None]
    rgb = compose(base, light, layer, tuple(rng.uniform(215, 245, 3)))
    img = to_image(rgb, rng, noise=3, blur=0.8)
    return encode(img, "JPEG", quality=int(rng.uniform(70, 90))), "jpg"


def gen_tiny_in_big_photo(rng, d, i):
    size = _size(rng, 2400, 3400)
    ink = ink_of(d, int(min(size) * rng.uniform(0.05, 0.09)))
    base, light = paper(size, tuple(rng.uniform(215, 250, 3)), rng, texture=3,
                        gradient=rng.uniform(0.1, 0.4))
    rgb = compose(base, light, place(ink, size, rng), _ink_colour(rng))
    img = to_image(rgb, rng, noise=2, blur=1.0)
    return encode(img, "JPEG", quality=80), "jpg"


def gen_thick_marker(rng, d, i):
    size = _size(rng, 500, 1000)
    ink = ink_of(d, int(min(size) * rng.uniform(0.4, 0.75)), "marker")
    base, light = paper(size, tuple(rng.uniform(225, 252, 3)), rng, texture=2, gradient=0.15)
    rgb = compose(base, light, place(ink, size, rng), _ink_colour(rng))
    return encode(to_image(rgb, rng, noise=2, blur=1.0), "JPEG", quality=85), "jpg"


def gen_thin_pen(rng, d, i):
    size = _size(rng, 700, 1200)
    ink = ink_of(d, int(min(size) * rng.uniform(0.35, 0.6)), "fine")
    base, light = paper(size, tuple(rng.uniform(225, 252, 3)), rng, texture=2, gradient=0.15)
    rgb = compose(base, light, place(ink, size, rng), _ink_colour(rng))
    return encode(to_image(rgb, rng, noise=2, blur=0.6), "JPEG", quality=88), "jpg"


def gen_coloured_ink(rng, d, i):
    size = _size(rng, 500, 1000)
    ink = ink_of(d, int(min(size) * rng.uniform(0.3, 0.6)))
    colour = [(rng.uniform(20, 60), rng.uniform(40, 90), rng.uniform(150, 220)),
              (rng.uniform(170, 220), rng.uniform(20, 50), rng.uniform(30, 60)),
              (rng.uniform(20, 60), rng.uniform(110, 150), rng.uniform(40, 80))][i % 3]
    base, light = paper(size, tuple(rng.uniform(225, 252, 3)), rng, texture=3, gradient=0.2)
    rgb = compose(base, light, place(ink, size, rng), colour)
    return encode(to_image(rgb, rng, noise=2, blur=0.8), "JPEG", quality=85), "jpg"


def _simple_photo(rng, d, size=(256, 192)):
    ink = ink_of(d, int(min(size) * rng.uniform(0.4, 0.7)))
    base, light = paper(size, (240, 238, 232), rng, texture=2)
    return to_image(compose(base, light, place(ink, size, rng), (25, 25, 30)), rng, noise=1)


def gen_formats(rng, d, i, other=None):
    kind = FORMAT_VARIANTS[i % len(FORMAT_VARIANTS)]
    if kind == "gif_animated":
        first = _simple_photo(rng, d).convert("P", palette=Image.ADAPTIVE)
        second = Image.new("P", first.size, 0) if other is None else _simple_photo(rng, other).convert("P")
        return encode(first, "GIF", save_all=True, append_images=[second], duration=300, loop=0), "gif"
    if kind == "webp":
        return encode(_simple_photo(rng, d), "WEBP", quality=80), "webp"
    if kind == "bmp":
        return encode(_simple_photo(rng, d), "BMP"), "bmp"
    if kind == "tiff":
        return encode(_simple_photo(rng, d).convert("L"), "TIFF", compression="tiff_lzw"), "tif"
    if kind == "cmyk_jpeg":
        return encode(_simple_photo(rng, d).convert("CMYK"), "JPEG", quality=90), "jpg"
    if kind == "png_16bit":
        grey = np.asarray(_simple_photo(rng, d).convert("L"), np.uint16) * 257
        return encode(Image.fromarray(grey.astype(np.uint16)), "PNG"), "png"
    if kind in ("png_palette_transparent", "gif_transparent"):
        s = 300
        layer = place(ink_of(d, int(s * 0.7)), (s, s), rng, centre=True)
        idx = np.clip((layer * 15).round(), 0, 15).astype(np.uint8)
        img = Image.fromarray(idx, "P")
        img.putpalette(sum(([int(255 - 255 * k / 15)] * 3 for k in range(16)), []))
        # Index 0 (no ink) is transparent; its colour is black, so a reader that drops
        # transparency sees a black page with dark strokes.
        pal = img.getpalette()
        pal[0:3] = [0, 0, 0]
        img.putpalette(pal)
        if kind == "gif_transparent":
            return encode(img, "GIF", transparency=0), "gif"
        return encode(img, "PNG", transparency=0), "png"
    if kind == "jpeg_exif_rotated":
        upright = _simple_photo(rng, d)
        orientation = (6, 8, 3)[(i // len(FORMAT_VARIANTS)) % 3]
        # Store the pixels as a camera would, so that applying the tag shows them upright.
        undo = {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270, 3: Image.Transpose.ROTATE_180}
        stored = upright.transpose(undo[orientation])
        exif = Image.Exif()
        exif[0x0112] = orientation
        return encode(stored, "JPEG", quality=90, exif=exif.tobytes()), "jpg"
    raise ValueError(kind)


def gen_typed_font(rng, digit, i):
    fonts = sorted(p for p in FONT_DIR.glob("DejaVu*.ttf") if "Math" not in p.name and "ExtraLight" not in p.name)
    font = ImageFont.truetype(str(fonts[i % len(fonts)]), int(rng.uniform(40, 220)))
    text = str(digit)
    box = font.getbbox(text)
    tw, th = box[2] - box[0], box[3] - box[1]
    W, H = int(tw * rng.uniform(1.6, 4)), int(th * rng.uniform(1.4, 3))
    img = Image.new("RGB", (W, H), tuple(int(v) for v in rng.uniform(225, 255, 3)))
    draw = ImageDraw.Draw(img)
    x = rng.uniform(0, W - tw) - box[0]
    y = rng.uniform(0, H - th) - box[1]
    draw.text((x, y), text, font=font, fill=_ink_colour(rng))
    if i % 2:
        return encode(img, "JPEG", quality=85), "jpg"
    return encode(img, "PNG"), "png"


def gen_multi_digit(rng, digits, i, touching=False):
    height = int(rng.uniform(60, 200))
    ink = rotate(number_ink(digits, height, rng, touching=touching), rng.uniform(-3, 3))
    w = int(ink.shape[1] * rng.uniform(1.2, 2.0))
    h = int(ink.shape[0] * rng.uniform(1.5, 3.0))
    base, light = paper((w, h), tuple(rng.uniform(215, 250, 3)), rng, texture=3, gradient=rng.uniform(0, 0.3))
    rgb = compose(base, light, place(ink, (w, h), rng), _ink_colour(rng))
    return encode(to_image(rgb, rng, noise=2, blur=0.8), "JPEG", quality=85), "jpg"


def gen_paper_on_table(rng, d, i):
    W, H = _size(rng, 1200, 2000)
    # The sheet: paper with the digit on it, turned a little, lying on a darker table that
    # shows on one to three sides.
    pw, ph = int(W * rng.uniform(0.55, 0.85)), int(H * rng.uniform(0.55, 0.85))
    base, light = paper((pw, ph), tuple(rng.uniform(220, 250, 3)), rng, texture=3)
    ink = ink_of(d, int(min(pw, ph) * rng.uniform(0.3, 0.55)))
    sheet = to_image(compose(base, light, place(ink, (pw, ph), rng, centre=True), _ink_colour(rng)))
    angle = rng.uniform(-8, 8)
    sheet = sheet.rotate(angle, Image.BILINEAR, expand=True)
    shape = Image.new("L", (pw, ph), 255).rotate(angle, Image.BILINEAR, expand=True)
    table_colour = [(rng.uniform(70, 130), rng.uniform(45, 85), rng.uniform(25, 55)),
                    (rng.uniform(30, 70),) * 3, (rng.uniform(120, 170),) * 3][i % 3]
    tb, _ = paper((W, H), tuple(table_colour), rng, texture=8)
    table = to_image(tb)
    x = int(rng.uniform(-0.1 * W, W - sheet.size[0] + 0.1 * W))
    y = int(rng.uniform(-0.1 * H, H - sheet.size[1] + 0.1 * H))
    table.paste(sheet, (x, y), shape)
    _, light = paper((W, H), (0, 0, 0), rng, texture=0, gradient=rng.uniform(0.1, 0.4))
    rgb = np.asarray(table, np.float32) / 255.0 * light[..., None]
    img = to_image(rgb, rng, noise=3, blur=rng.uniform(0.8, 1.5))
    return encode(img, "JPEG", quality=int(rng.uniform(65, 88))), "jpg"


# ---------------------------------------------------------------------------
# A sheet of paper photographed on a table.
# ---------------------------------------------------------------------------

def _blur(rgb, sigma):
    return cv2.GaussianBlur(rgb, (0, 0), sigma) if sigma > 0 else rgb


def table_top(size, rng, kind=None):
    """RGB float table: wood with grain, a dark desk or a grey one, with crumbs and specks."""
    W, H = size
    kind = int(rng.integers(3)) if kind is None else kind
    colour = [(rng.uniform(95, 160), rng.uniform(60, 100), rng.uniform(25, 60)),
              (rng.uniform(25, 70),) * 3, (rng.uniform(110, 170),) * 3][kind]
    base, _ = paper(size, colour, rng, texture=8)
    if kind == 0:
        # Wood grain: streaks along the boards.
        streaks = rng.normal(0, 1, (1, max(8, W // 6))).astype(np.float32)
        streaks = cv2.resize(cv2.GaussianBlur(streaks, (0, 0), 1.5), (W, H), interpolation=cv2.INTER_LINEAR)
        base *= (1 + 0.12 * streaks)[..., None]
    # Crumbs and specks: small dots, darker or lighter than the table.
    for _ in range(int(rng.integers(15, 60))):
        r = max(1, int(rng.uniform(0.001, 0.006) * max(W, H)))
        x, y = int(rng.uniform(0, W)), int(rng.uniform(0, H))
        shade = rng.uniform(0.1, 0.4) if rng.random() < 0.6 else rng.uniform(0.75, 0.95)
        cv2.ellipse(base, (x, y), (r, max(1, int(r * rng.uniform(0.5, 1.0)))), rng.uniform(0, 180), 0, 360,
                    (shade,) * 3, -1)
    return np.clip(base, 0, 1)


def ruled(base, rng, spacing, squared=False, margin=True):
    """Ruled lines (or a square grid) and a margin line printed on paper, in place."""
    H, W = base.shape[:2]
    colour = tuple(float(v) / 255 for v in (rng.uniform(120, 175), rng.uniform(160, 200), rng.uniform(210, 240)))
    if squared and rng.random() < 0.5:
        colour = (rng.uniform(0.55, 0.75),) * 3
    t = max(1, int(round(spacing * rng.uniform(0.04, 0.08))))
    off = rng.uniform(0, spacing)
    for y in np.arange(off, H, spacing):
        cv2.line(base, (0, int(y)), (W, int(y)), colour, t, cv2.LINE_AA)
    if squared:
        for x in np.arange(rng.uniform(0, spacing), W, spacing):
            cv2.line(base, (int(x), 0), (int(x), H), colour, t, cv2.LINE_AA)
    if margin:
        x = int(W * rng.uniform(0.08, 0.5))
        red = (rng.uniform(0.8, 0.95), rng.uniform(0.35, 0.55), rng.uniform(0.35, 0.55))
        cv2.line(base, (x, 0), (x, H), red, max(1, t + int(rng.integers(0, 2))), cv2.LINE_AA)
    return base


def sheet(size, rng, ink, ink_colour, colour=None, at=None, lines=None):
    """RGB float sheet of `size` with an ink layer placed at `at` (fractions of the sheet) or at random."""
    W, H = size
    colour = tuple(rng.uniform(222, 250, 3)) if colour is None else colour
    base, _ = paper(size, colour, rng, texture=3)
    if lines is not None:
        ruled(base, rng, **lines)
    h, w = ink.shape
    if h > 0.9 * H or w > 0.9 * W:
        s = min(0.9 * H / h, 0.9 * W / w)
        ink = _resize(ink, (max(1, int(w * s)), max(1, int(h * s))))
        h, w = ink.shape
    if at is None:
        at = (rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9))
    x = int(np.clip(at[0] * W - w / 2, 0, W - w))
    y = int(np.clip(at[1] * H - h / 2, 0, H - h))
    layer = np.zeros((H, W), np.float32)
    layer[y:y + h, x:x + w] = ink
    return compose(base, np.ones((H, W), np.float32), layer, ink_colour)


def lay_on_table(sheet_rgb, quad, table):
    """The sheet seen with its corners (tl, tr, br, bl) at `quad` in the table's picture."""
    H, W = table.shape[:2]
    ph, pw = sheet_rgb.shape[:2]
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    M = cv2.getPerspectiveTransform(src, np.float32(quad))
    warped = cv2.warpPerspective(sheet_rgb, M, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), M, (W, H), flags=cv2.INTER_LINEAR)
    return table * (1 - mask[..., None]) + warped * mask[..., None]


def quad_filling(size, rng, keystone=0.0):
    """Corners of a sheet that fills most of the frame; the table shows at one or more edges."""
    W, H = size
    shows = rng.random(4) < 0.5
    shows[int(rng.integers(4))] = True   # left, top, right, bottom
    inset = [(rng.uniform(0.03, 0.14) if s else -rng.uniform(0.01, 0.06)) for s in shows]
    l, t, r, b = inset[0] * W, inset[1] * H, W - inset[2] * W, H - inset[3] * H
    q = np.float32([[l, t], [r, t], [r, b], [l, b]])
    q += rng.normal(0, 0.012, (4, 2)).astype(np.float32) * np.float32([W, H])
    if keystone:
        # Seen from below one edge: the far edge is shorter.
        side = int(rng.integers(4))
        k = keystone * (W if side in (0, 2) else H)
        if side == 0:
            q[0, 0] += k; q[1, 0] -= k      # top edge short
        elif side == 2:
            q[3, 0] += k; q[2, 0] -= k      # bottom edge short
        elif side == 1:
            q[0, 1] += k; q[3, 1] -= k      # left edge short
        else:
            q[1, 1] += k; q[2, 1] -= k      # right edge short
    return q


def quad_turned(size, rng, frac, angle):
    """Corners of a sheet `frac` of the frame, turned by `angle` degrees, about the middle."""
    W, H = size
    pw, ph = frac[0] * W, frac[1] * H
    cx = W / 2 + rng.uniform(-0.08, 0.08) * W
    cy = H / 2 + rng.uniform(-0.08, 0.08) * H
    a = np.deg2rad(angle)
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    corners = np.float32([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
    return corners @ R.T + np.float32([cx, cy])


def _sheet_size(quad):
    q = np.asarray(quad, np.float32)
    w = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]))
    h = max(np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1]))
    return max(8, int(w)), max(8, int(h))


def soft_shadow(size, rng, side, reach, darkness):
    """Light multiplier with the soft shadow of a hand or phone reaching in from one side."""
    W, H = size
    sw, sh = W // 8 + 1, H // 8 + 1
    m = np.zeros((sh, sw), np.float32)
    along = rng.uniform(0.3, 0.7)
    half = rng.uniform(0.2, 0.45)
    if side in (0, 2):   # left / right
        cx = -0.15 * sw if side == 0 else 1.15 * sw
        centre, axes = (int(cx), int(along * sh)), (int((reach + 0.15) * sw), int(half * sh))
    else:                # top / bottom
        cy = -0.15 * sh if side == 1 else 1.15 * sh
        centre, axes = (int(along * sw), int(cy)), (int(half * sw), int((reach + 0.15) * sh))
    cv2.ellipse(m, centre, axes, rng.uniform(-20, 20), 0, 360, 1.0, -1)
    m = cv2.GaussianBlur(m, (0, 0), max(sw, sh) * rng.uniform(0.03, 0.07))
    return 1.0 - darkness * cv2.resize(m, (W, H), interpolation=cv2.INTER_LINEAR)


def photo_bytes(rgb, rng, light=None, noise=(2, 5), blur=(0.6, 1.4), quality=(65, 90)):
    if light is not None:
        rgb = rgb * light[..., None]
    rgb = _blur(np.ascontiguousarray(rgb, np.float32), rng.uniform(*blur) * max(rgb.shape[:2]) / 1500)
    rgb += rng.standard_normal(rgb.shape, dtype=np.float32) * np.float32(rng.uniform(*noise) / 255.0)
    img = Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")
    return encode(img, "JPEG", quality=int(rng.uniform(*quality))), "jpg"


def _gradient(size, rng, lo, hi):
    """Light falling off across the picture by a random share between lo and hi."""
    W, H = size
    g = rng.uniform(lo, hi)
    a = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(a) * np.arange(W, dtype=np.float32)[None] / W
            + np.sin(a) * np.arange(H, dtype=np.float32)[:, None] / H)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    return 1.0 - g * ramp


def _digit_on_sheet(rng, d, sheet_wh, lo=0.15, hi=0.4, style="pen"):
    return ink_of(d, max(16, int(min(sheet_wh) * rng.uniform(lo, hi))), style)


def gen_sheet_fills_frame(rng, d, i):
    size = _size(rng, 1200, 2000, portrait=rng.random() < 0.7)
    quad = quad_filling(size, rng)
    wh = _sheet_size(quad)
    ink = rotate(_digit_on_sheet(rng, d, wh), rng.uniform(-6, 6))
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.35))


def gen_shadow(rng, d, i):
    size = _size(rng, 1200, 2000, portrait=rng.random() < 0.7)
    quad = quad_filling(size, rng) if rng.random() < 0.5 else quad_turned(size, rng, (1.15, 1.15), 0)
    wh = _sheet_size(quad)
    side = int(rng.integers(4))
    reach = rng.uniform(0.25, 0.45)
    # The digit lies on the lit part, away from the side the shadow comes from.
    far = rng.uniform(0.62, 0.78)
    across = rng.uniform(0.3, 0.7)
    at = {0: (far, across), 2: (1 - far, across), 1: (across, far), 3: (across, 1 - far)}[side]
    ink = _digit_on_sheet(rng, d, wh, 0.12, 0.3)
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=at)
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    light = soft_shadow(size, rng, side, reach, rng.uniform(0.35, 0.7)) * _gradient(size, rng, 0.0, 0.2)
    return photo_bytes(rgb, rng, light)


def gen_keystone(rng, d, i):
    size = _size(rng, 1200, 2000, portrait=rng.random() < 0.7)
    quad = quad_filling(size, rng, keystone=rng.uniform(0.08, 0.2))
    # The sheet's own shape: a letter or A4 page, drawn flat, then seen at an angle.
    wh = (900, 1270) if size[1] > size[0] else (1270, 900)
    ink = _digit_on_sheet(rng, d, wh, 0.2, 0.45)
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.35))


def _turned_sheet_photo(rng, d, size, angle, frac, table):
    """A photo of a sheet `frac` of the frame, turned by `angle`, on `table(size, rng)`."""
    if size[0] > size[1]:
        frac = (frac[0] * size[1] / size[0], frac[1])
    quad = quad_turned(size, rng, frac, angle)
    wh = _sheet_size(quad)
    ink = _digit_on_sheet(rng, d, wh, 0.2, 0.45)
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65)))
    rgb = lay_on_table(sh, quad, table(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def gen_rotated_sheet(rng, d, i):
    size = _size(rng, 1200, 2000)
    angle = rng.choice([-1, 1]) * rng.uniform(5, 35)
    frac = (rng.uniform(0.5, 0.75), rng.uniform(0.5, 0.75))
    return _turned_sheet_photo(rng, d, size, angle, frac, table_top)


def cloth(size, rng):
    """RGB float tablecloth: gingham (light and coloured squares) or stripes, the light ones as
    bright as paper, the pattern 2.5-7 % of the picture's long side."""
    W, H = size
    square = max(4, int(max(W, H) * rng.uniform(0.025, 0.07)))
    light = np.float32([rng.uniform(0.88, 0.97)] * 3)
    colour = np.float32([(0.75, 0.12, 0.15), (0.15, 0.2, 0.7), (0.15, 0.45, 0.2), (0.2, 0.2, 0.2)][int(rng.integers(4))])
    colour *= np.float32(rng.uniform(0.8, 1.1))
    rows, cols = np.mgrid[:H, :W]
    a = np.deg2rad(rng.uniform(-20, 20))
    u = (np.cos(a) * cols + np.sin(a) * rows) // square
    v = (-np.sin(a) * cols + np.cos(a) * rows) // square
    dark = ((u + v) % 2 if rng.random() < 0.7 else u % 2).astype(np.float32)[..., None]
    base, _ = paper(size, (255, 255, 255), rng, texture=4)
    return np.clip(base * (light * (1 - dark) + colour * dark), 0, 1)


def gen_patterned_table(rng, d, i):
    size = _size(rng, 1200, 2000)
    angle = rng.uniform(-25, 25)
    frac = (rng.uniform(0.45, 0.75), rng.uniform(0.45, 0.75))
    return _turned_sheet_photo(rng, d, size, angle, frac, cloth)


def fold_shade(size, rng):
    """Light multiplier of a page folded along a slanting line: one part turned from the light
    (55-90 % of it), the step at the fold sharp."""
    W, H = size
    turn = np.deg2rad(rng.uniform(-35, 35) + (90 if rng.random() < 0.5 else 0))
    along = (rng.uniform(0.3, 0.7) * W, rng.uniform(0.3, 0.7) * H)
    rows, cols = np.mgrid[:H, :W].astype(np.float32)
    side = (cols - along[0]) * np.cos(turn) + (rows - along[1]) * np.sin(turn)
    shaded = side > 0 if rng.random() < 0.5 else side < 0
    light = np.where(shaded, rng.uniform(0.55, 0.9), 1.0).astype(np.float32)
    return cv2.GaussianBlur(light, (0, 0), rng.uniform(0.6, 2.0) * max(W, H) / 1500)


def gen_folded_page(rng, d, i):
    size = _size(rng, 1200, 2000, portrait=rng.random() < 0.7)
    quad = quad_turned(size, rng, (1.12, 1.12), rng.uniform(-3, 3))
    wh = _sheet_size(quad)
    ink = _digit_on_sheet(rng, d, wh, 0.12, 0.3)
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, fold_shade(size, rng) * _gradient(size, rng, 0.0, 0.2))


def _lined_photo(rng, d, squared):
    size = _size(rng, 1000, 1800, portrait=rng.random() < 0.7)
    quad = quad_turned(size, rng, (1.12, 1.12), rng.uniform(-3, 3))
    wh = _sheet_size(quad)
    height = int(min(wh) * rng.uniform(0.15, 0.35))
    spacing = height / (rng.uniform(2.2, 4.5) if squared else rng.uniform(1.3, 2.6))
    ink = ink_of(d, height)
    lines = {"spacing": spacing, "squared": squared, "margin": squared or rng.random() < 0.4}
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75)), lines=lines)
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def gen_ruled_paper(rng, d, i):
    return _lined_photo(rng, d, squared=False)


def gen_squared_paper(rng, d, i):
    return _lined_photo(rng, d, squared=True)


def gen_faint_pencil(rng, d, i):
    size = _size(rng, 1000, 1800)
    quad = quad_turned(size, rng, (1.12, 1.12), rng.uniform(-3, 3))
    wh = _sheet_size(quad)
    ink = ink_of(d, int(min(wh) * rng.uniform(0.2, 0.45)), "pen" if rng.random() < 0.5 else "fine")
    # Graphite: grey, and grainy where the pencil skipped over the paper's tooth.
    grain = cv2.GaussianBlur(rng.uniform(0.45, 1.0, ink.shape).astype(np.float32), (0, 0), 0.8)
    ink = ink * grain
    lead = (rng.uniform(105, 155),) * 3
    sh = sheet(wh, rng, ink, lead, at=(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def gen_dim_noisy(rng, d, i):
    size = _size(rng, 1000, 1800)
    quad = quad_filling(size, rng) if rng.random() < 0.4 else quad_turned(size, rng, (1.12, 1.12), 0)
    wh = _sheet_size(quad)
    ink = _digit_on_sheet(rng, d, wh, 0.2, 0.45)
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    # A dark room: little light, lots of sensor noise, heavy compression.
    light = rng.uniform(0.22, 0.4) * _gradient(size, rng, 0.1, 0.4)
    return photo_bytes(rgb, rng, light, noise=(6, 12), blur=(0.8, 1.6), quality=(55, 80))


def gen_sticky_note(rng, d, i):
    size = _size(rng, 1000, 1800)
    s = rng.uniform(0.4, 0.65)
    quad = quad_turned(size, rng, (s * min(size) / size[0], s * min(size) / size[1]), rng.uniform(-15, 15))
    wh = _sheet_size(quad)
    colour = [(252, 238, 120), (250, 175, 195), (185, 240, 160), (250, 195, 110), (170, 215, 250)][int(rng.integers(5))]
    colour = tuple(np.clip(np.asarray(colour) + rng.uniform(-8, 4, 3), 0, 255))
    ink = _digit_on_sheet(rng, d, wh, 0.3, 0.55, "marker" if rng.random() < 0.4 else "pen")
    note = sheet(wh, rng, ink, _ink_colour(rng), colour=colour, at=(rng.uniform(0.4, 0.6), rng.uniform(0.4, 0.6)))
    table = table_top(size, rng, kind=int(rng.choice([0, 1, 2])))
    rgb = lay_on_table(note, quad, table)
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def gen_white_ink_transparent(rng, d, i):
    s = (280, 400, 500)[i % 3]
    ink = ink_of(d, int(s * rng.uniform(0.55, 0.85)), "brush" if i % 2 else "pen")
    layer = place(ink, (s, s), rng, centre=True if i % 3 else None)
    rgba = np.zeros((s, s, 4), np.uint8)
    # Some canvases store transparent pixels as black, some as white: only alpha tells.
    rgba[..., :3] = 255 if i % 2 else (layer[..., None] > 0) * 255
    rgba[..., 3] = (layer * 255 + 0.5).astype(np.uint8)
    return encode(Image.fromarray(rgba, "RGBA"), "PNG"), "png"


def gen_number_on_sheet(rng, digits, i):
    size = _size(rng, 1200, 2000)
    quad = quad_filling(size, rng)
    wh = _sheet_size(quad)
    height = int(min(wh) * rng.uniform(0.1, 0.22))
    ink = rotate(number_ink(digits, height, rng, touching=rng.random() < 0.4), rng.uniform(-4, 4))
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.4, 0.6), rng.uniform(0.35, 0.65)))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def framed_ink(ink, rng, kind):
    """`ink` with a mark round it, apart from the digit: a box printed round it (a form's field,
    kind 0), a circle drawn round it (kind 1) or a line drawn under it (kind 2)."""
    rows, cols = np.where(ink.max(1) > 0.3)[0], np.where(ink.max(0) > 0.3)[0]
    h = rows[-1] - rows[0] + 1
    pad = int(0.8 * h)
    out = np.pad(ink, pad)
    y0, y1, x0, x1 = rows[0] + pad, rows[-1] + pad, cols[0] + pad, cols[-1] + pad
    mark = np.zeros_like(out)
    pen = max(1, int(round(h * rng.uniform(0.05, 0.1))))
    if kind == 0:
        # Printed: thin and even, often lighter than the writing.
        line = max(1, int(round(h * rng.uniform(0.015, 0.04))))
        m = [int(h * rng.uniform(0.12, 0.45)) for _ in range(4)]
        cv2.rectangle(mark, (x0 - m[0], y0 - m[1]), (x1 + m[2], y1 + m[3]), float(rng.uniform(0.5, 1.0)), line,
                      cv2.LINE_AA)
    elif kind == 1:
        # Drawn by hand round the digit: not quite round, not always closed.
        cx, cy = (x0 + x1) / 2 + rng.uniform(-0.05, 0.05) * h, (y0 + y1) / 2 + rng.uniform(-0.05, 0.05) * h
        ax, ay = (x1 - x0) / 2 + h * rng.uniform(0.2, 0.4), (y1 - y0) / 2 + h * rng.uniform(0.15, 0.3)
        start = rng.uniform(0, 360)
        cv2.ellipse(mark, (int(cx), int(cy)), (int(ax), int(ay)), rng.uniform(-15, 15), start,
                    start + rng.uniform(330, 380), 1.0, pen, cv2.LINE_AA)
    else:
        # Under the digit, a little apart, as long as it or longer, not quite level.
        y = y1 + h * rng.uniform(0.1, 0.35)
        w = x1 - x0
        left, right = x0 - w * rng.uniform(0.0, 0.3), x1 + w * rng.uniform(0.0, 0.3)
        slope = rng.uniform(-0.04, 0.04) * (right - left)
        cv2.line(mark, (int(left), int(y - slope / 2)), (int(right), int(y + slope / 2)), 1.0, pen, cv2.LINE_AA)
    return np.maximum(out, np.clip(mark, 0, 1))


def gen_framed(rng, d, i):
    ink = framed_ink(ink_of(d, int(rng.uniform(60, 220))), rng, i % 3)
    ink = rotate(ink, rng.uniform(-3, 3))
    size = (int(ink.shape[1] * rng.uniform(1.0, 1.8)), int(ink.shape[0] * rng.uniform(1.0, 1.8)))
    if (i // 3) % 2 == 0:
        # A scanned form or worksheet.
        grey = int(rng.uniform(200, 245))
        base, light = paper(size, (grey, grey, grey - 3), rng, texture=3)
        img = to_image(compose(base, light, place(ink, size, rng), _ink_colour(rng)), rng, noise=2).convert("L")
        return (encode(img, "PNG"), "png") if i % 2 else (encode(img, "JPEG", quality=88), "jpg")
    # A phone photo of it, close up.
    scale = rng.uniform(1.5, 2.5)
    size = (int(size[0] * scale), int(size[1] * scale))
    ink = _resize(ink, (int(ink.shape[1] * scale), int(ink.shape[0] * scale)), Image.BILINEAR)
    base, light = paper(size, tuple(rng.uniform(215, 250, 3)), rng, texture=3)
    rgb = compose(base, light, place(ink, size, rng), _ink_colour(rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.35))


def bound_edge(rgb, rng, spiral):
    """A notebook's spiral binding (spiral) or a binder's punched holes drawn along the left or
    top edge of a sheet (RGB float, in place): dark holes with what lies behind the page showing
    through, and the spiral's wire running from each hole over the edge."""
    H, W = rgb.shape[:2]
    left = rng.random() < 0.5
    length, short = (H if left else W), min(W, H)
    behind = (float(rng.uniform(0.05, 0.35)),) * 3

    def at(along, inset):
        return (int(inset), int(along)) if left else (int(along), int(inset))

    if spiral:
        r, step, inset = short * rng.uniform(0.008, 0.014), short * rng.uniform(0.03, 0.05), short * rng.uniform(0.025, 0.05)
        wire, metal = max(2, int(r * rng.uniform(0.6, 1.0))), (float(rng.uniform(0.25, 0.6)),) * 3
        for p in np.arange(step / 2, length, step):
            cv2.circle(rgb, at(p, inset), max(2, int(r)), behind, -1, cv2.LINE_AA)
            cv2.line(rgb, at(p, inset), at(p - 0.3 * step, 0), metal, wire, cv2.LINE_AA)
    else:
        n, r, inset = int(rng.integers(2, 5)), short * rng.uniform(0.018, 0.03), short * rng.uniform(0.04, 0.07)
        gap = rng.uniform(0.22, 0.3) * length
        for k in range(n):
            cv2.circle(rgb, at(length / 2 + (k - (n - 1) / 2) * gap, inset), max(2, int(r)), behind, -1, cv2.LINE_AA)


def gen_bound_page(rng, d, i):
    spiral = i % 2 == 0
    scan = (i // 2) % 2 == 0
    size = _size(rng, 600, 1100) if scan else _size(rng, 1000, 1800)
    ink = rotate(ink_of(d, int(min(size) * rng.uniform(0.2, 0.4))), rng.uniform(-5, 5))
    lines = None
    if rng.random() < 0.5:
        lines = {"spacing": min(size) * rng.uniform(0.06, 0.12), "squared": False, "margin": rng.random() < 0.5}
    # The digit away from the bound edge: which edge is decided after the sheet is drawn, so the
    # digit keeps to the middle.
    rgb = sheet(size, rng, ink, _ink_colour(rng), at=(rng.uniform(0.4, 0.7), rng.uniform(0.4, 0.7)), lines=lines)
    bound_edge(rgb, rng, spiral)
    if scan:
        img = to_image(rgb, rng, noise=2).convert("L")
        return (encode(img, "PNG"), "png") if i % 3 == 0 else (encode(img, "JPEG", quality=88), "jpg")
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.35))


def pen_on(rgb, rng, centre, length, width, angle, pencil=False):
    """A pen or a pencil lying on the page (RGB float, in place): a shaded barrel, a glossy pen's
    highlight along it (a matte grip near the tip), a cone tip, and its soft shadow."""
    H, W = rgb.shape[:2]
    yy, xx = np.mgrid[:H, :W].astype(np.float32)
    t = np.deg2rad(angle)
    along = (xx - centre[0]) * np.cos(t) + (yy - centre[1]) * np.sin(t)
    across = (-(xx - centre[0]) * np.sin(t) + (yy - centre[1]) * np.cos(t)) / (width / 2)
    tip_len = 1.6 * width
    body = (np.abs(along) <= length / 2) & (np.abs(across) <= 1)
    cone = (along > length / 2) & (along <= length / 2 + tip_len) & (np.abs(across) <= 1 - (along - length / 2) / tip_len)
    shadow = cv2.GaussianBlur((body | cone).astype(np.float32), (0, 0), width * 0.4)
    shift = np.float32([[1, 0, 0.2 * width], [0, 1, 0.3 * width]])
    shadow = cv2.warpAffine(shadow, shift, (W, H))
    rgb *= (1 - 0.25 * shadow)[..., None]
    round_ = np.sqrt(np.clip(1 - across ** 2, 0, 1))
    if pencil:
        # Yellow facets, a bare wooden cone and the lead's point.
        facets = np.array([[0.78, 0.63, 0.08], [0.96, 0.8, 0.16], [0.88, 0.72, 0.12]], np.float32)
        rgb[body] = facets[np.digitize(across, [-0.33, 0.33])[body]]
        wood = cone & (along < length / 2 + 0.75 * tip_len)
        rgb[wood] = (0.84, 0.7, 0.55)
        rgb[cone & ~wood] = (0.24, 0.24, 0.24)
        return rgb
    colour = np.array(rng.choice([(0.1, 0.1, 0.1), (0.12, 0.15, 0.6), (0.65, 0.12, 0.1), (0.1, 0.45, 0.15)]),
                      np.float32)
    shade = (0.55 + 0.45 * round_)[..., None]
    gloss = (np.exp(-((across + 0.35) / 0.12) ** 2) * 0.8 * (along < 0.25 * length))[..., None]
    barrel = colour * shade + gloss * (1 - colour) * 0.7
    rgb[body] = barrel[body]
    rgb[cone] = (np.float32([0.75, 0.75, 0.77]) * (0.6 + 0.4 * round_[..., None]))[cone]
    return rgb


def gen_pen_beside(rng, d, i):
    """The pen or the pencil the digit was written with, put down beside it on the page: several
    times as long as the digit is tall and a third to two thirds as thick, sometimes running off
    the picture."""
    size = _size(rng, 900, 1600)
    height = int(min(size) * rng.uniform(0.12, 0.25))
    ink = rotate(ink_of(d, height), rng.uniform(-5, 5))
    rgb = sheet(size, rng, ink, _ink_colour(rng), at=(rng.uniform(0.25, 0.4), rng.uniform(0.35, 0.65)))
    length, width = height * rng.uniform(4, 10), height * rng.uniform(0.3, 0.7)
    angle = rng.uniform(-70, 70) + (90 if rng.random() < 0.5 else 0)
    # Beside the digit, to its right: its nearest end at least half the digit's height away.
    W, H = size
    digit_right = rng.uniform(0.25, 0.4) * W + 0.6 * height
    reach = 0.5 * length * abs(np.cos(np.deg2rad(angle))) + 0.5 * width
    centre = (digit_right + rng.uniform(0.5, 1.5) * height + reach, rng.uniform(0.3, 0.7) * H)
    pen_on(rgb, rng, centre, length, width, angle, pencil=i % 4 == 3)
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


SKIN_TONES = ((0.87, 0.68, 0.57), (0.76, 0.55, 0.42), (0.55, 0.37, 0.27), (0.93, 0.78, 0.7), (0.42, 0.28, 0.2))


def thumb_on(rgb, rng, tip, angle, width, skin=None):
    """The thumb of the hand holding the page (RGB float, in place), its tip at `tip` pointing
    along `angle` (degrees; the thumb comes from the other way, past the picture's border),
    `width` pixels wide: a skin tone (one of SKIN_TONES, at random unless given) shaded round, a
    nail near the tip, and its soft shadow."""
    H, W = rgb.shape[:2]
    yy, xx = np.mgrid[:H, :W].astype(np.float32)
    t = np.deg2rad(angle)
    # Along the thumb, 0 at its tip and negative towards the hand; across it, from its middle.
    along = (xx - tip[0]) * np.cos(t) + (yy - tip[1]) * np.sin(t)
    across = -(xx - tip[0]) * np.sin(t) + (yy - tip[1]) * np.cos(t)
    r = width / 2
    # A round tip, then straight sides.
    off = np.where(along > -r, np.hypot(along + r, across), np.abs(across))
    body = (off <= r) & (along <= 0)
    shadow = cv2.GaussianBlur(body.astype(np.float32), (0, 0), width * 0.3)
    shadow = cv2.warpAffine(shadow, np.float32([[1, 0, 0.15 * width], [0, 1, 0.2 * width]]), (W, H))
    rgb *= (1 - rng.uniform(0.2, 0.4) * shadow)[..., None]
    skin = np.array(rng.choice(SKIN_TONES) if skin is None else skin, np.float32)
    shade = 0.6 + 0.4 * np.sqrt(np.clip(1 - (np.minimum(off, r) / r) ** 2, 0, 1))
    colour = skin * shade[..., None]
    nail = ((along + 0.55 * width) / (0.45 * width)) ** 2 + (across / (0.32 * width)) ** 2 <= 1
    colour[nail] = np.minimum(1, colour[nail] * 1.15 + 0.08)
    soft = cv2.GaussianBlur(body.astype(np.float32), (0, 0), 1.2)[..., None]
    rgb[:] = rgb * (1 - soft) + colour * soft
    return rgb


def gen_held_sheet(rng, d, i):
    """A sheet held in the hand for the photo: the thumb lies over one of its edges, its tip on the
    paper, the table or the frame's border beyond."""
    size = _size(rng, 1200, 2000, portrait=rng.random() < 0.7)
    quad = quad_filling(size, rng) if i % 2 else quad_turned(size, rng, rng.uniform(0.6, 0.8, 2), rng.uniform(-10, 10))
    wh = _sheet_size(quad)
    ink = rotate(_digit_on_sheet(rng, d, wh), rng.uniform(-6, 6))
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65)))
    rgb = np.array(lay_on_table(sh, quad, table_top(size, rng)), np.float32)
    # The thumb crosses one side of the sheet, square to it within 25 degrees, its tip 4-12 % of
    # the sheet in from that side.
    side = int(rng.integers(4))
    a, b = quad[side], quad[(side + 1) % 4]
    edge = a + (b - a) * rng.uniform(0.2, 0.8)
    inward = np.array([(b - a)[1], -(b - a)[0]], np.float32)
    inward /= np.linalg.norm(inward)
    if np.dot(quad.mean(0) - edge, inward) < 0:
        inward = -inward
    tip = edge + inward * rng.uniform(0.04, 0.12) * min(wh)
    # Where the sheet runs off the frame, the tip still shows.
    tip = np.clip(tip, 0.06 * np.float32(size), 0.94 * np.float32(size))
    angle = np.degrees(np.arctan2(inward[1], inward[0])) + rng.uniform(-25, 25)
    thumb_on(rgb, rng, tip, angle, min(size) * rng.uniform(0.09, 0.15))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))


def gen_whole_page(rng, digits, i):
    """A whole page photographed from above with a phone (8-12 MP), lying turned a little on a table,
    and a digit or a number written on it at an ordinary size: 2-4.5 % of the page's width (6-9
    mm on A4), 40-100 pixels tall in the photo, a fifth of that at the working size. Every third
    page is a notebook's, ruled (a fifth of those squared) with a margin line, its lines 1.3-1.8
    times the writing's height apart."""
    size = _size(rng, 3000, 4000)
    W, H = size
    # An A4 or letter page, 60-85 % of the picture's short side across.
    across = rng.uniform(0.6, 0.85) * min(size)
    page = (across, across * rng.uniform(1.29, 1.41))
    if W > H and rng.random() < 0.5:
        page = page[::-1]
    quad = quad_turned(size, rng, (page[0] / W, page[1] / H), rng.uniform(-8, 8))
    wh = _sheet_size(quad)
    height = max(12, int(min(wh) * rng.uniform(0.02, 0.045)))
    ink = number_ink(digits, height, rng) if len(digits) > 1 else ink_of(digits[0], height)
    ink = rotate(ink, rng.uniform(-4, 4))
    # Chosen by the picture's number, so that the other pictures' random draws stay as they were.
    lines = None if i % 3 else {"spacing": height * (1.3 + 0.1 * (i // 3 % 6)), "squared": i % 15 == 0}
    sh = sheet(wh, rng, ink, _ink_colour(rng), at=(rng.uniform(0.25, 0.75), rng.uniform(0.2, 0.8)), lines=lines)
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    return photo_bytes(rgb, rng, _gradient(size, rng, 0.05, 0.3))

# ---------------------------------------------------------------------------
# The cases.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    label: str
    # Beyond the pictures the first corpus was asked for: situations that real photos bring.
    hard: bool = False
    digits: str = "one"     # "one", "number" (2-4 digits), "touching" (2-4 touching digits), "font",
    #                         "any" (1-4 digits)


CASES = (
    Case("scan", "scan (grey paper, JPEG or PNG)"),
    Case("phone_photo", "phone photo, uneven light"),
    Case("canvas", "drawing canvas (transparent PNG)"),
    Case("chalkboard", "chalk on a board"),
    Case("tiny_in_big_photo", "small digit in a big photo"),
    Case("thick_marker", "thick marker"),
    Case("thin_pen", "thin pen"),
    Case("coloured_ink", "coloured ink"),
    Case("formats", "odd file formats"),
    Case("multi_digit", "numbers of 2-4 digits", digits="number"),
    Case("multi_digit_touching", "numbers whose digits touch", hard=True, digits="touching"),
    Case("typed_font", "typed digit (font)", digits="font"),
    Case("paper_on_table", "sheet on a table", hard=True),
    Case("sheet_fills_frame", "sheet filling the frame, table at the edges", hard=True),
    Case("shadow", "soft shadow across part of the page", hard=True),
    Case("keystone", "page photographed at an angle (keystone)", hard=True),
    Case("rotated_sheet", "rotated sheet on a table", hard=True),
    Case("ruled_paper", "ruled paper", hard=True),
    Case("squared_paper", "squared paper with a margin line", hard=True),
    Case("faint_pencil", "faint pencil", hard=True),
    Case("dim_noisy", "dim, noisy photo", hard=True),
    Case("sticky_note", "sticky note on a desk", hard=True),
    Case("white_ink_transparent", "white ink on a transparent canvas", hard=True),
    Case("number_on_sheet", "number of 2-4 digits on a photographed sheet", hard=True, digits="number"),
    Case("framed", "digit in a box or a circle, or underlined", hard=True),
    Case("bound_page", "notebook or binder page: spiral or punched holes at its edge", hard=True),
    Case("pen_beside", "pen or pencil lying on the page beside the digit", hard=True),
    Case("patterned_table", "sheet on a checked or striped tablecloth", hard=True),
    Case("folded_page", "page folded across, one part in the shade", hard=True),
    Case("held_sheet", "sheet held in the hand, a thumb over its edge", hard=True),
    Case("whole_page", "whole page photographed, a digit or number written at an ordinary size", hard=True,
         digits="any"),
)
CASE_IDS = tuple(c.id for c in CASES)
BY_ID = {c.id: c for c in CASES}


def generate(case, i, x, y, seed):
    """(bytes, extension, true answer as a string) for item i of a case under a seed; deterministic."""
    c = BY_ID[case]
    rng = np.random.default_rng([seed, CASE_IDS.index(case), i])
    if c.digits == "font":
        digit = int(rng.integers(10))
        data, ext = gen_typed_font(rng, digit, i)
        return data, ext, str(digit)
    if c.digits in ("number", "touching", "any"):
        k = int(rng.integers(1 if c.digits == "any" else 2, 5))
        idx = rng.integers(len(x), size=k)
        ds = [x[j] for j in idx]
        if case == "number_on_sheet":
            data, ext = gen_number_on_sheet(rng, ds, i)
        elif case == "whole_page":
            data, ext = gen_whole_page(rng, ds, i)
        else:
            data, ext = gen_multi_digit(rng, ds, i, touching=c.digits == "touching")
        return data, ext, "".join(str(int(y[j])) for j in idx)
    j = int(rng.integers(len(x)))
    if case == "formats":
        data, ext = gen_formats(rng, x[j], i, other=x[(j + 1) % len(x)])
    else:
        data, ext = globals()["gen_" + case](rng, x[j], i)
    return data, ext, str(int(y[j]))
