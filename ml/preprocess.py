"""Turning pictures into what the CNN expects: (N, 28, 28, 1) float32 in [0, 1], white on black.

Uploads are photos, scans and drawings, not MNIST: preprocess() finds the digits in them and
draws each one the way MNIST digits were drawn (20x20 box, centre of mass in the middle of 28x28).
"""
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ml.crossed_out import crossed_out
from ml.decode import MAX_PIXELS, ImageRejected, decode_with_preview
from ml.frames import around_writing, clear_touching_frames
from ml.lines import erase_lines, find_lines
from ml.objects import lying_on_page
from ml.page import beyond, both_parts, find_page
from ml.quantiles import median, percentile
from ml.segment import BEND_COST, CROSS, MAX_MARKS, Lattice, bend, components, cut_points, group, stroke_width
from ml.shrink import shrink
from ml.ticks import ticks
from ml.zoom import closer_look, within


def to_model_input(images: np.ndarray) -> np.ndarray:
    """Scale 28x28 digits (uint8 0-255 or float 0-1) to the model's (N, 28, 28, 1) float32 input.

    Training and serving both call this, so the model sees in production exactly what it saw
    in training.
    """
    x = np.asarray(images)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 4:
        x = x[..., 0]
    x = x.astype("float32")
    if np.issubdtype(np.asarray(images).dtype, np.integer):
        x /= 255.0
    return np.clip(x, 0.0, 1.0)[..., None]


# Digits are fitted into this box, then placed by centre of mass in 28x28, as MNIST was made.
BOX = 20
# Centre of mass of MNIST training digits (row, column), measured on the data set.
MNIST_COM = (14.0, 14.0)
# Canonical resolution for drawing a digit before reducing it to BOX: long side in pixels.
CANON = 80
# Median MNIST stroke width at CANON scale (2 * area / perimeter), measured on the training set.
MNIST_STROKE = 10.8
# Long side of the coarse grid the paper's level is estimated on.
COARSE = 96
# Neighbouring pixels' grey steps the noise is measured from (_ink_map).
NOISE_SAMPLE = 20000
# Paper is read against one level where evenly lit; not where SHADED_SHARE of the picture or more
# lies between SHADED_FLOOR and 1 - SHADED_STEP of that level: paper in the shade of a fold, too
# light for ink and too large for a stroke (_shaded_part).
SHADED_STEP = 0.08
SHADED_FLOOR = 0.5
SHADED_SHARE = 0.15
# Ink closer than this share of the picture's long side to a sheet's edge is the edge's shade.
SHEET_MARGIN = 0.012
# An outline whose grey changes by less than this share of its contrast per pixel is soft.
SOFT_EDGE = 0.05
# A dim photo: full contrast on its paper is a grey change under this (_soft_components).
DIM_SCALE = 0.5
# Below this share of the picture's range, the levels' verdict on polarity is too close to call.
UNSURE_POLARITY = 0.2
# Ink spanning several cuts of a group is drawn as one piece only up to this many times the
# group's height wide: wider is more than one digit. Tuning split (4,050 pictures), against 2.0:
# 2 more read right (a 2 squashed by a steep keystone to twice as wide as tall read "52",
# "0827" read "08227"), none worse; 3.0 the same as 2.5.
WIDEST_PIECE = 2.5


@dataclass
class Preprocessed:
    inputs: np.ndarray
    boxes: list = field(default_factory=list)
    inverted: bool = False
    size: tuple = (0, 0)
    # Where digits may touch, the other ways to cut the same ink: one Lattice per doubtful
    # group. `inputs`/`boxes` hold the cut chosen by shape alone; a caller with a model can
    # choose by what the model reads (see ml.recognise).
    alternatives: list = field(default_factory=list)
    # What the picture was like, for telling people why an answer is unsure (ml.recognise).
    page: bool = False           # a sheet on a table was found and read alone
    uneven_light: float = 0.0    # spread of the paper's level (0: even light)
    marks: int = 0               # digit-like marks found, before any cap
    near_edge: bool = False      # some digit lies at the edge of what was read
    digit_height: int = 0        # smallest digit's height in working pixels
    at_edge: bool = False        # some digit's ink reaches the edge of the sheet it was read on
    # A small upright colour copy of the whole picture, when asked for (decode_with_preview).
    preview: object = None

    @property
    def found(self) -> bool:
        return len(self.inputs) > 0


def _flatten_alpha(g, a):
    """Put a transparent picture on the background that makes its strokes visible."""
    opaque = a > 0.5
    share = opaque.mean()
    if share == 0:
        return np.ones_like(g)
    if share == 1:
        return g
    # Dark strokes on transparency (a drawing canvas) go on white, light strokes on black:
    # the transparent part is the paper either way.
    on_white = median(g[opaque]) < 0.5
    return a * g + (1 - a) * (1.0 if on_white else 0.0)


# ---------------------------------------------------------------------------
# Finding ink: background, polarity, threshold.
# ---------------------------------------------------------------------------

def _resize_f(arr, size, box=False):
    """Float resize: OpenCV's bilinear to enlarge (the same as Pillow's, faster); Pillow's box filter
    to reduce, which OpenCV's INTER_AREA only matches at whole-number ratios."""
    arr = arr.astype(np.float32, copy=False)
    if box:
        return np.asarray(Image.fromarray(arr, "F").resize(size, Image.BOX), dtype=np.float32)
    return cv2.resize(arr, size, interpolation=cv2.INTER_LINEAR)


def _polarity(g):
    """True for dark ink on light paper: ink lies far from the background on one side, while light
    and shadow spread both ways, and less far. The background is the lighter of the picture's edge
    and its bulk (median): an edge of table or of a shadow is darker than the sheet it frames, a
    vignetted photo's middle darker than its edge; a board or a canvas behind light ink is dark at
    both. (Tuning split, pictures with no sheet found: the edge alone decided 7 of 2,587 wrongly,
    dim photos of a sheet framed by table among them; the lighter of the two 2, both heavily
    vignetted photos, which the local look below decides rightly: none wrong.)"""
    h, w = g.shape
    long_side = max(h, w)
    ms = 256
    if long_side > ms:
        mid = shrink(g, (max(1, round(w * ms / long_side)), max(1, round(h * ms / long_side))))
    else:
        mid = g
    e = max(1, min(mid.shape) // 64)
    ring = np.concatenate([mid[:e].ravel(), mid[-e:].ravel(), mid[:, :e].ravel(), mid[:, -e:].ravel()])
    lo, bulk, hi = percentile(mid, [0.05, 50, 99.95])
    paper = max(float(median(ring)), float(bulk))
    margin = (paper - lo) - (hi - paper)
    if abs(margin) >= UNSURE_POLARITY * (hi - lo):
        return bool(margin >= 0)
    # Too close to call from levels alone (a heavy vignette: a bright middle, dark corners): ink
    # lies far from its own surroundings (a median a quarter of the picture wide) on one side,
    # while light changes slowly. Tuning split: 25 of the 2,587 pictures with no sheet are
    # decided here, all rightly; the two the levels got wrong among them.
    k = max(3, int(0.25 * min(mid.shape)) | 1)
    local = cv2.medianBlur(np.clip(mid * 255, 0, 255).astype(np.uint8), k).astype(np.float32) / 255
    d_lo, d_hi = percentile(mid - local, [0.05, 99.95])
    return bool(-d_lo >= d_hi)


def _background(coarse, inverted, k):
    """The paper's level under the ink: a grey closing (opening for light ink) `k` cells wide."""
    # Continue the picture's slope past its edges: with a plain mirror, closing a gradient
    # leaves the darkest corner too bright by the gradient over a whole window.
    padded = np.pad(coarse, k, mode="reflect", reflect_type="odd").astype(np.float32)
    kernel = np.ones((k, k), np.uint8)
    op = cv2.MORPH_CLOSE if inverted else cv2.MORPH_OPEN
    bg = cv2.morphologyEx(padded, op, kernel, borderType=cv2.BORDER_REPLICATE)[k:-k, k:-k]
    return cv2.GaussianBlur(bg, (0, 0), 1.0, borderType=cv2.BORDER_REPLICATE)


def _contrast(grey, bg, inverted):
    """Ink: how far the grey lies from the paper's level `bg` towards the ink, as a share of the
    room there is (0 on the paper, about 1 at full contrast)."""
    # (In place where it can be: on a whole photo each array less is a pass over memory less.)
    if inverted:
        d = np.subtract(bg, grey)
        return np.divide(d, np.maximum(bg, 0.15), out=d)
    d, room = np.subtract(grey, bg), np.subtract(1.0, bg)
    return np.divide(d, np.maximum(room, 0.15, out=room), out=d)


def _blot_cores(coarse, bg, inverted):
    """Cells where the background estimate sank to the ink's own level: the middle of a blot of ink
    wider than _background's window (a fat marker photographed close), which would read as a
    square hole in the digit. They are holes in the ink as dark as the ink around them; the hole
    of a 0 or an 8 is as light as the paper outside the digit."""
    strong = (_contrast(coarse, bg, inverted) > 0.25).astype(np.uint8)
    c = coarse if inverted else 1 - coarse   # paper light, ink dark
    # A blot's rim can have gaps a cell or two wide, through which its middle would join the
    # paper outside (a fat chalk 8 whose holes are filled in): holes are looked for in the ink
    # grown by a cell, which closes them.
    grown = cv2.dilate(strong, np.ones((3, 3), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(1 - grown, connectivity=4)
    h, w = c.shape
    cores = np.zeros(c.shape, bool)
    ring_k, near_k = np.ones((3, 3), np.uint8), np.ones((5, 5), np.uint8)
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if area < 4 or x == 0 or y == 0 or x + bw == w or y + bh == h:
            continue   # a speck between strokes, or paper reaching the picture's edge
        hole = lab == i
        near = cv2.dilate(hole.astype(np.uint8), near_k).astype(bool) & ~hole
        around = near & (strong > 0)   # the ink round it
        # The paper just outside the ink that holds it: the local paper level, under a shadow too.
        blot = cv2.dilate(hole.astype(np.uint8), near_k, iterations=3).astype(bool)
        outside = cv2.dilate(blot.astype(np.uint8), ring_k, iterations=2).astype(bool) & ~blot & (strong == 0)
        if not outside.any() or not around.any():
            continue
        ink_level, paper_level = float(median(c[around])), float(median(c[outside]))
        if float(median(c[hole])) - ink_level < 0.5 * (paper_level - ink_level):
            cores |= hole
    return cores


def _paper_cells(coarse, cells, inner, inverted):
    """The coarse cells that show the paper: those on the paper's side of the median, since ink
    covers under half of most pictures. Where it covers more (a fat marker's digit cropped
    close), the median is ink: the paper is then the side of Otsu's split away from the ink, less
    the cells along the ink's edge, which hold some of both."""
    middle = float(median(cells))
    split = cv2.threshold(np.clip(cells * 255, 0, 255).astype(np.uint8), 0, 255,
                          cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0] / 255
    if (middle >= split) if inverted else (middle <= split):
        return cells[cells >= middle] if inverted else cells[cells <= middle]
    side = ((coarse > split) if inverted else (coarse < split)).view(np.uint8)
    side = cv2.erode(side, np.ones((3, 3), np.uint8)).astype(bool)
    if inner is not None:
        side &= inner
    if not side.any():
        return cells[cells > split] if inverted else cells[cells < split]
    return coarse[side]


def _shaded_part(coarse, level):
    """Whether a large part of the picture lies a little darker than the paper: the part of a
    page in the shade of a fold, which the paper's level measured on the part in the light would
    make ink (the whole shaded part read as one digit, or its step beside a small digit as a 1)."""
    mild = (coarse < (1 - SHADED_STEP) * level) & (coarse > SHADED_FLOOR * level)
    return float(mild.mean()) >= SHADED_SHARE


def _paper_carried_out(coarse, inner, k):
    """`coarse` with the cells outside the sheet (`inner` False) given the paper's level nearby,
    carried out from the sheet (the Gaussian-weighted mean of the sheet's cells near each), and
    far from it the sheet's median level. Filled with the median alone, the table beyond a part
    of the sheet the light leaves darker made the paper there read as faint ink, and a digit
    written small was lost among its specks."""
    near, weight = _nearby(coarse, inner.astype(np.float32), k / 2)
    level = float(median(coarse[inner]))
    # Where few sheet cells are near, their mean is blended with the median.
    trust = np.clip(weight / 0.2, 0, 1)
    carried = trust * near / np.maximum(weight, 1e-6) + (1 - trust) * level
    return np.where(inner, coarse, carried).astype(np.float32)


def _nearby(values, known, sigma):
    """(Gaussian-weighted sum of `values` over the `known` cells near each cell, weight of those
    cells there): their ratio, a normalised convolution, is the mean level nearby, carried into
    cells where it is unknown from the cells round them."""
    near = cv2.GaussianBlur(values * known, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    weight = cv2.GaussianBlur(known, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    return near, weight


def _ink_map(g, page=None):
    """(ink in [0, ~1] where 1 is full contrast, inverted flag, noise floor, background's spread,
    scale: the grey change that full contrast is on the paper's level)."""
    h, w = g.shape
    long_side = max(h, w)
    gs = min(COARSE, long_side)
    cw, ch = max(1, round(w * gs / long_side)), max(1, round(h * gs / long_side))
    coarse = shrink(g, (cw, ch))
    inner = None
    # A window a quarter of the picture wide is wider than any marker stroke, and still
    # follows the slow changes of light across a photo; a shadow's soft edge that it cannot
    # follow is told from ink later by its softness.
    k = max(3, int(0.25 * gs) | 1)
    if page is not None and (not page.warped or page.covered):
        # Seen from the sheet, the table is just more paper: fill it in with the paper's level
        # so that neither the table nor the sheet's edge reads as ink.
        inner = shrink(page.inside.view(np.uint8), (cw, ch)) > 0.99
        if inner.any():
            coarse = _paper_carried_out(coarse, inner, k)
    # Noise, from differences of neighbouring pixels: strokes and shadows change slowly or
    # only along their edges, so the median difference is the grain of paper and sensor.
    # Neighbours two pixels apart: a reduction by a factor near 1 (a box a little over one
    # pixel wide) makes next-door pixels share their source and look quieter than they are.
    # Every step-th row, about NOISE_SAMPLE steps in all: the median of a sample that size is the
    # whole picture's within a small fraction of a grey level, for a fraction of the time.
    step = max(1, h * w // NOISE_SAMPLE)
    rows = g[::step]
    sigma = 1.4826 * float(median(cv2.absdiff(rows[:, 2:], rows[:, :-2]))) / np.sqrt(2) + 1e-4
    # Writing on a sheet of paper is darker than the paper.
    inverted = True if page is not None else _polarity(g)
    cells = coarse.ravel() if inner is None or not inner.any() else coarse[inner]
    paper = _paper_cells(coarse, cells, inner, inverted)
    p10, p90 = percentile(paper, [10, 90])
    spread = float(p90 - p10)
    level = float(median(paper))
    if spread < 0.03 and not (inverted and _shaded_part(coarse, level)):
        # Evenly lit paper or a drawing canvas: one level is right everywhere, even inside a
        # blot of ink wider than any local window (and the local estimate need not be made).
        bg = np.full(coarse.shape, level, np.float32)
    else:
        bg = _background(coarse, inverted, k)
        cores = _blot_cores(coarse, bg, inverted)
        if cores.any():
            # The paper's level there is that of the paper round the blot, carried in.
            known = 1.0 - cv2.dilate(cores.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(np.float32)
            near, weight = _nearby(bg, known, k / 2)
            bg = np.where(known > 0, bg, near / np.maximum(weight, 1e-6)).astype(np.float32)
        level = float(median(bg))
    bgu = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    ink = _contrast(g, bgu, inverted)
    scale = max(level if inverted else 1 - level, 0.15)
    floor = max(5 * sigma / scale, 0.08)
    if inner is not None:
        # Only what lies on the sheet, a little in from its edge: the edge's own shade and the
        # table's last pixels are not ink.
        r = max(2, round(SHEET_MARGIN * long_side))
        on_sheet = cv2.erode(page.inside.view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8),
                             borderType=cv2.BORDER_CONSTANT, borderValue=1)
        ink = np.multiply(ink, on_sheet, out=ink)
    return ink.astype(np.float32, copy=False), inverted, floor, spread, scale


def _edge_strength(g, ys, xs):
    """At pixels (ys, xs), the steepest grey change to a neighbour two pixels away (per pixel):
    cv2.Sobel's 3x3 derivatives, worked out only where they are wanted."""
    gp = cv2.copyMakeBorder(g, 1, 1, 1, 1, cv2.BORDER_REFLECT_101).ravel()
    stride = g.shape[1] + 2
    at = (ys + 1) * stride + xs + 1
    up, down = at - stride, at + stride
    gx = (gp[up + 1] + 2 * gp[at + 1] + gp[down + 1]) - (gp[up - 1] + 2 * gp[at - 1] + gp[down - 1])
    gy = (gp[down - 1] + 2 * gp[down] + gp[down + 1]) - (gp[up - 1] + 2 * gp[up] + gp[up + 1])
    return np.maximum(np.abs(gx), np.abs(gy)) / 8


def _soft_components(labels, comps, g, ink, scale=1.0):
    """Labels of components whose outline is soft: light and shade, not ink.

    A pen's or a marker's stroke ends within a few pixels; the edge of a shadow or of a bright
    patch takes tens. Measured as the grey change per pixel along the outline, against the
    component's own contrast. In a dim photo (`scale`, _ink_map's grey change of full contrast,
    under DIM_SCALE) that contrast is a small change of grey, so its sharp strokes change grey
    little per pixel too: the contrast is weighed in grey there. (Tuning split: a dim photo's
    blurred 5 had been taken for shade, "no digit found"; weighing every picture's contrast in
    grey let a sheet edge's shade and a grid cell's through, 2 pictures worse.)
    """
    big = [c for c in comps if c["area"] >= 30]
    if not big:
        return set()
    n = len(comps) + 1
    # Only the ink's own pixels and outlines are looked at: a few per cent of the picture.
    # (cv2.findNonZero lists pixels several times faster than np.nonzero.)
    # Within the box round the ink, a pixel wider where the picture goes on (so the erosion
    # below sees the ink's outline as it would on the whole picture).
    m = (labels > 0).astype(np.uint8)
    x, y, w, h = cv2.boundingRect(m)
    x0, y0 = max(0, x - 1), max(0, y - 1)
    m = m[y0:y + h + 1, x0:x + w + 1]
    xy = cv2.findNonZero(m).reshape(-1, 2)
    ys, xs = xy[:, 1], xy[:, 0]
    rim = cv2.erode(m, np.ones((3, 3), np.uint8))[ys, xs] == 0
    ys, xs = ys + y0, xs + x0
    inside = labels[ys, xs]
    depth = min(1.0, scale / DIM_SCALE) * (np.bincount(inside, weights=np.abs(ink[ys, xs]), minlength=n)
                                            / np.maximum(np.bincount(inside, minlength=n), 1))
    ys, xs, lab = ys[rim], xs[rim], inside[rim]
    steep = (np.bincount(lab, weights=_edge_strength(g, ys, xs), minlength=n)
             / np.maximum(np.bincount(lab, minlength=n), 1))
    soft = set()
    for c in big:
        i = c["label"]
        if steep[i] < SOFT_EDGE * depth[i]:
            soft.add(i)
    return soft


# ---------------------------------------------------------------------------
# MNIST normalisation of one digit.
# ---------------------------------------------------------------------------

# OpenCV, not scipy.ndimage, for these: the same results several times faster on digits this
# size (python -m ml.opencv_vs_scipy). ndimage's defaults were a cross-shaped neighbourhood
# (segment.CROSS).


def _pieces(mask):
    return cv2.connectedComponents(mask.view(np.uint8), connectivity=4)[0] - 1


def _fix_stroke(mask):
    """Bring pen-thin and marker-thick strokes into the range of MNIST's stroke widths."""
    sw = stroke_width(mask)
    if sw <= 0:
        return mask
    if sw < 0.75 * MNIST_STROKE:
        r = (0.85 * MNIST_STROKE - sw) / 2
        return cv2.distanceTransform((~mask).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE) <= r
    if sw > 1.4 * MNIST_STROKE:
        inside = cv2.distanceTransform(mask.view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
        r = (sw - 1.1 * MNIST_STROKE) / 2
        eroded = inside > r
        n0 = _pieces(mask)
        # Thinning must not break a digit apart.
        while r > 0.5 and _pieces(eroded) > n0:
            r /= 2
            eroded = inside > r
        if r > 0.5 and eroded.sum() > 0.25 * mask.sum():
            return eroded
    return mask


def normalise_digit(soft: np.ndarray, fix_stroke: bool = True) -> np.ndarray:
    """A digit's ink (any size, 0..1, white on black) drawn the way MNIST digits were: 28x28 float32."""
    rows = np.where(soft.max(1) > 0.5)[0]
    cols = np.where(soft.max(0) > 0.5)[0]
    if len(rows) == 0:
        return np.zeros((28, 28), np.float32)
    soft = soft[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = soft.shape
    s = CANON / max(h, w)
    cw, ch = max(1, round(w * s)), max(1, round(h * s))
    pad = CANON // 4
    big = np.zeros((ch + 2 * pad, cw + 2 * pad), np.float32)
    big[pad:pad + ch, pad:pad + cw] = _resize_f(soft, (cw, ch), box=s <= 1)
    mask = big > 0.5
    if fix_stroke:
        mask = _fix_stroke(mask)
    rows = np.where(mask.any(1))[0]
    cols = np.where(mask.any(0))[0]
    if len(rows) == 0:
        return np.zeros((28, 28), np.float32)
    mask = mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].astype(np.float32)
    h, w = mask.shape
    s = BOX / max(h, w)
    bw, bh = max(1, round(w * s)), max(1, round(h * s))
    small = _resize_f(mask, (bw, bh), box=True)
    out = np.zeros((28, 28), np.float32)
    y0, x0 = (28 - bh) // 2, (28 - bw) // 2
    out[y0:y0 + bh, x0:x0 + bw] = small
    total = out.sum()
    if total > 0:
        ys, xs = np.mgrid[:28, :28]
        cy, cx = (out * ys).sum() / total, (out * xs).sum() / total
        dy = int(np.clip(round(MNIST_COM[0] - cy), -y0, 28 - bh - y0))
        dx = int(np.clip(round(MNIST_COM[1] - cx), -x0, 28 - bw - x0))
        out = np.roll(out, (dy, dx), axis=(0, 1))
    return np.clip(out, 0, 1)


def _without(comps, labels):
    """The pieces but those labelled `labels`."""
    return [c for c in comps if c["label"] not in labels] if labels else comps


def _read_edge(page, shape):
    """Where what is read on a page ends, short of the picture's border: the band along its edge
    and along the picture's border, where the ink was cleared (preprocess)."""
    h, w = shape
    r = max(2, round(SHEET_MARGIN * max(h, w))) + 1
    edge = np.zeros((h, w), np.uint8)
    edge[:r], edge[-r:], edge[:, :r], edge[:, -r:] = 1, 1, 1, 1
    if not page.warped or page.covered:
        # The ink map was cut off SHEET_MARGIN in from the sheet's edge (_ink_map).
        edge |= cv2.dilate((~page.inside).view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    return edge.view(bool)


def _box_mapper(page, sx, sy, origin=(0, 0)):
    """Maps a box in the pixels read to a box in the full-size picture, whose part read starts
    at `origin` (full-size pixels)."""
    ox, oy = origin
    if page is None or page.to_picture is None:
        return lambda l, t, r, b: (ox + int(l * sx), oy + int(t * sy),
                                   ox + int(np.ceil(r * sx)), oy + int(np.ceil(b * sy)))

    def back(l, t, r, b):
        pts = np.float32([[[l, t]], [[r, t]], [[r, b]], [[l, b]]])
        q = cv2.perspectiveTransform(pts, page.to_picture)[:, 0]
        return (ox + int(q[:, 0].min() * sx), oy + int(q[:, 1].min() * sy),
                ox + int(np.ceil(q[:, 0].max() * sx)), oy + int(np.ceil(q[:, 1].max() * sy)))
    return back


def preprocess(data: bytes, *, max_pixels: int = MAX_PIXELS, crop=None, preview=None) -> Preprocessed:
    """An upload (or the part `crop` chose: fractions x0, y0, x1, y1 of the upright picture) turned
    into MNIST-like digits, left to right; raises ImageRejected. `preview`, a (w, h) box: the
    result also carries a small copy of the picture made from the same decoded pixels."""
    g, a, full, small, tint = decode_with_preview(data, preview, max_pixels, crop=crop)
    out = _read(g, a, full, tint)
    part = closer_look(out, full, g.shape)
    if part is not None:
        # Writing only a few working pixels tall in a bigger picture (a number written at an
        # ordinary size on a page photographed whole) is read again from the picture's own
        # pixels round it: the working copy has lost its shape, the file has not.
        try:
            g2, a2, full2, _, tint2 = decode_with_preview(data, None, max_pixels,
                                                          crop=within(crop, part, full))
        except ImageRejected:
            g2 = None
        if g2 is not None:
            again = _read(g2, a2, full2, tint2, origin=part[:2])
            if again.found and again.marks <= MAX_MARKS:
                again.size = full
                out = again
    out.preview = small
    return out


def _read(g, a, full, tint=None, origin=(0, 0)):
    """The digits of a decoded picture (grey, alpha or None, full size, tint or None); the
    boxes are placed as if the picture started at `origin` (pixels) of a bigger one."""
    if a is not None:
        g = _flatten_alpha(g, a)
    g = np.ascontiguousarray(g, np.float32)
    h0, w0 = g.shape
    if h0 < 2 or w0 < 2 or float(g.max() - g.min()) < 0.05:
        return Preprocessed(np.zeros((0, 28, 28), np.float32), [], False, full)
    page = find_page(g, tint)
    out = _digits(g, page, full, origin)
    if page is not None and page.covered and (not out.found or out.at_edge):
        # What was cut out as lying over the sheet's edge was writing that runs to the edge,
        # across a fold or off the frame: all the writing there was, or the rest of a digit
        # that now ends where the cut began. The sheet is read whole.
        page = page.whole()
        out = _digits(g, page, full, origin)
    if page is None or out.marks > MAX_MARKS or (out.found and not out.at_edge):
        return out
    # Nothing written on the sheet, or writing that runs to its edge: what looked like a table
    # beyond the edge may be more paper, lit otherwise across a fold or a crease. Writing wholly
    # on that part is read on it alone; writing across the fold on both parts together.
    rest = beyond(g, page)
    if rest is None:
        return out
    if not out.found:
        read = _digits(g, rest, full, origin)
        if not read.found:
            return out
        if not read.at_edge:
            return read
        out = read
    whole = _digits(g, both_parts(g, page, rest), full, origin)
    return whole if whole.found else out


def _digits(g, page, full, origin=(0, 0)):
    """The digits in grey picture `g`, read on `page` (the sheet found in it) or, with None,
    over the whole picture; boxes in full-size pixels from `origin`."""
    h0, w0 = g.shape
    empty = Preprocessed(np.zeros((0, 28, 28), np.float32), [], False, full)
    if page is not None:
        g = page.grey
    h, w = g.shape
    ink, inverted, floor, spread, scale = _ink_map(g, page)
    empty.inverted = inverted
    empty.page = page is not None
    empty.uneven_light = spread
    low = ink > floor
    if not low.any():
        return empty
    extent = None
    if page is not None and (not page.warped or page.covered):
        # Read on a sheet that is part of the picture: its lines span the sheet, not the picture.
        extent = tuple(cv2.boundingRect(page.inside.view(np.uint8))[2:])
    found_lines = find_lines(low, extent) if max(h, w) >= 300 else None
    # The ink's full strength, from where digits are: not from printed lines, nor from the
    # picture's border, where a sliver of table or a page's edge may lie.
    core = low.copy()
    b = max(1, int(0.03 * min(h, w)))
    core[:b], core[-b:], core[:, :b], core[:, -b:] = False, False, False, False
    if found_lines is not None and found_lines[2]:
        core &= ~cv2.dilate(found_lines[0] | found_lines[1], np.ones((5, 5), np.uint8)).astype(bool)
    cand = ink[core] if core.sum() >= 20 else ink[low]
    peak = float(percentile(cand, 98))
    if peak < 0.15 and found_lines is not None and found_lines[2]:
        # Nothing but grain off the lines: the writing may lie along one (a 1 on a grid line).
        # Measured with the lines, a blank page's threshold only finds the lines, which go below.
        peak = float(percentile(ink[low], 98))
    if peak < 0.15:
        return empty
    thr = max(floor, 0.45 * peak)
    mask = ink > thr
    if found_lines is not None:
        mask = erase_lines(mask, *found_lines, ink=ink)
    if page is not None:
        # What lies along the picture's border is not writing on the sheet: where the sheet runs
        # off the frame, its outline (found on a small copy) can take in a sliver of table or of
        # the sheet edge's shade there, and a warped sheet's corners are a few pixels out.
        # Cleared after the lines are found, which must run to the border to be seen whole.
        r = max(2, round(SHEET_MARGIN * max(h, w)))
        mask[:r], mask[-r:], mask[:, :r], mask[:, -r:] = False, False, False, False
    labels, comps = components(mask)
    # Frames apart from the writing first: a form's comb of boxes, one digit in each, is one such
    # frame, where the touching-frame test would take off its outline and leave the boxes'
    # dividers standing as 1s.
    framing = around_writing(labels, comps)
    if framing:
        mask &= ~np.isin(labels, list(framing))
        comps = _without(comps, framing)
    if clear_touching_frames(mask, labels, comps) or framing:
        labels, comps = components(mask)
    comps = _without(comps, _soft_components(labels, comps, g, ink, scale))
    # A pen put down beside the writing, after what is plainly not ink: a shadow's edge is no
    # writing to measure a pen against.
    edge = None if page is None else (lambda: _read_edge(page, mask.shape))
    comps = _without(comps, lying_on_page(labels, comps, edge))
    comps = _without(comps, crossed_out(labels, comps))
    comps = _without(comps, ticks(labels, comps))
    groups, marks = group(comps, mask.shape, labels)
    empty.marks = marks
    if marks > MAX_MARKS:
        return empty
    sx, sy = full[0] / w0, full[1] / h0
    to_full = _box_mapper(page, sx, sy, origin)
    inputs, boxes, alternatives, heights = [], [], [], []
    near_edge = False
    for grp in groups:
        x0, y0, x1, y1 = grp["box"]
        margin = 0.02 * max(h, w)
        if x0 < margin or y0 < margin or x1 > w - margin or y1 > h - margin:
            near_edge = True
        heights.append(y1 - y0)
        p = 2
        X0, Y0, X1, Y1 = max(0, x0 - p), max(0, y0 - p), min(w, x1 + p), min(h, y1 + p)
        own = np.isin(labels[Y0:Y1, X0:X1], grp["labels"])
        sel = cv2.dilate(own.astype(np.uint8), CROSS, iterations=2).astype(bool)
        # Scale so that the threshold used above sits at 0.5: normalise_digit cuts there.
        soft_ink = np.clip(0.5 * ink[Y0:Y1, X0:X1] * sel / thr, 0, 1)
        rendered = {}

        columns = np.arange(own.shape[1])[None, :]

        def render(a, b, own=own, columns=columns, soft_ink=soft_ink, X0=X0, Y0=Y0, rendered=rendered):
            # Bound now: drawn later (Lattice.expand), after this loop has moved on.
            # The ink between two cuts (a column per row each).
            key = (a.tobytes(), b.tobytes())
            if key not in rendered:
                between = (columns >= a[:, None]) & (columns < b[:, None])
                part = own & between
                rows = np.where(part.any(1))[0]
                cols = np.where(part.any(0))[0]
                if len(rows) == 0:
                    rendered[key] = None
                else:
                    piece = soft_ink * between
                    left, right = X0 + cols[0], X0 + cols[-1] + 1
                    top, bottom = Y0 + rows[0], Y0 + rows[-1] + 1
                    box = to_full(left, top, right, bottom)
                    aspect = (right - left) / max(1, bottom - top)
                    # Its height without the odd pixels of a neighbour's stroke the cut left on
                    # its side: the rows holding the middle 96 % of its ink.
                    mass = np.cumsum(part.sum(1))
                    tall = np.searchsorted(mass, 0.98 * mass[-1]) - np.searchsorted(mass, 0.02 * mass[-1]) + 1
                    rendered[key] = (normalise_digit(piece), box, aspect, int(tall))
            return rendered[key]

        default, candidates = cut_points(own)
        shown = [render(c0, c1) for c0, c1 in zip(default[:-1], default[1:])]
        shown = [pc for pc in shown if pc is not None and pc[0].sum() > 0]
        if not shown:
            continue
        if candidates is not None:
            def expand(candidates=candidates, render=render, y0=y0, y1=y1):
                # Finding cuts and drawing every piece between them costs more than the rest of
                # preprocessing, so it is done only for groups whose plain reading is in doubt
                # (ml.recognise).
                points = candidates() or []
                pieces, p_inputs, p_boxes, p_pen, p_aspect = {}, [], [], [], []
                height = max(1, y1 - y0)
                for i in range(len(points)):
                    for j in range(i + 1, len(points)):
                        if (j > i + 1 and (points[j] - points[i]).mean() > WIDEST_PIECE * height) or (i, j) in pieces:
                            continue
                        pc = render(points[i], points[j])
                        if pc is None or pc[0].sum() == 0:
                            pieces[i, j] = -1  # no ink between these cuts: a free step, no digit
                            continue
                        pieces[i, j] = len(p_inputs)
                        p_inputs.append(pc[0])
                        p_boxes.append(pc[1])
                        # Digits of one number are about as tall as each other: a sliver or a
                        # flat stroke is a piece of a digit.
                        tall = pc[3] / max(1, y1 - y0)
                        p_pen.append(max(0.0, 0.6 - tall) * 10
                                     + BEND_COST * (bend(points[i], height) + bend(points[j], height)))
                        p_aspect.append(float(pc[2]))
                return points, pieces, p_inputs, p_boxes, p_pen, p_aspect
            alternatives.append(Lattice(len(inputs), len(shown), [pc[2] for pc in shown], expand))
        inputs.extend(pc[0] for pc in shown)
        boxes.extend(pc[1] for pc in shown)
    if not inputs:
        return empty
    out = Preprocessed(np.stack(inputs).astype(np.float32), boxes, inverted, full, alternatives)
    out.page, out.uneven_light, out.marks, out.near_edge = page is not None, spread, marks, near_edge
    out.digit_height = int(min(heights)) if heights else 0
    out.at_edge = page is not None and _at_edge(page.inside, labels, groups, max(h, w))
    return out


def _at_edge(inside, labels, groups, long_side):
    """Whether some group's ink comes within a few pixels of where the sheet's ink was cut off
    (SHEET_MARGIN in from its edge); a frame's border is no edge of the sheet."""
    reach = max(2, round(SHEET_MARGIN * long_side)) + 3
    h, w = inside.shape
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    for grp in groups:
        x0, y0, x1, y1 = grp["box"]
        X0, Y0, X1, Y1 = max(0, x0 - reach), max(0, y0 - reach), min(w, x1 + reach), min(h, y1 + reach)
        if inside[Y0:Y1, X0:X1].all():
            continue
        near = cv2.dilate(np.isin(labels[Y0:Y1, X0:X1], grp["labels"]).view(np.uint8), kernel)
        if (near.view(bool) & ~inside[Y0:Y1, X0:X1]).any():
            return True
    return False
