"""The page: finding the sheet of paper in a photo that also shows the table around it.

A sheet is the large bright region bounded by sharp edges. Sharp is what tells it from light:
the soft edge of a shadow across the page changes slowly, a sheet's edge on a table within a
pixel or two at this scale. On a striped or checked cloth, whose light stripes meet the sheet
with no edge, it is also the plain paper within the pattern. When the sheet's four corners are
in the picture, the page is warped flat (keystone and rotation undone); otherwise everything
outside the sheet is ignored. Either way, neither the polarity nor the paper's level is ever
read from the table.
"""
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ml.quantiles import median, percentile

# Long side of the small copy the sheet is looked for in.
SMALL = 256
# An edge is sharp when most of its change over 8 pixels happens within 2.
SHARPNESS = 0.45
# Smallest change over 8 pixels (0..1 grey) that can be a sheet's edge.
MIN_STEP = 0.03
# A sheet running off the frame is turned upright when its sides show it turned by more than
# this many degrees (less, and its digit reads as written: MNIST's own digits lean as much),
# and agree within TURN_AGREE.
TURN_MIN = 8.0
TURN_AGREE = 4.0
# At most this many corners to a sheet's outline (polygon fitted within 1.5 % of its perimeter):
# its own four, and one or two more where the frame cuts it across one of its corners. A fat
# chalk or white-ink digit, bright with sharp edges like a sheet, has a round outline that
# takes seven or more.
SHEET_CORNERS = 6
# What lies outside a sheet is a table as dark along the sheet's edge as further out: where the
# rest of the outside is brighter than the edge by more than this share of the edge's step, the
# edge is a dark band (a pen) with more paper beyond it.
DARK_BAND = 0.5
# A checked or striped tablecloth's light squares are as bright as the paper and meet it with no
# edge: they join the sheet as teeth along its sides. An outline filling less than SOLID of its
# convex hull is opened with each of TEETH's discs in turn (pixels at SMALL; a sheet is at least
# 38 wide), and the first that cuts off MIN_TEETH or more teeth (pieces of TOOTH_AREA pixels or
# more) and leaves an outline filling OPENED_SOLID of its hull gives the sheet. A pen across the
# page, spiral binding or squared paper cut off fewer, or smaller, pieces: on the tuning split
# and a seed never used before (16,200 pictures of the other 27 cases), not one answer changed.
SOLID = 0.9
OPENED_SOLID = 0.93
MIN_TEETH = 10
TOOTH_AREA = 16
TEETH = [cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)) for k in (15, 21, 31)]
# Stripes that meet a sheet's side at a shallow angle join it as long strips, not teeth. On a
# patterned picture the sheet is also looked for as the plain paper in the pattern: a window of
# PLAIN_WINDOW pixels (at SMALL; wider than a light stripe or square, 6-18 pixels in the corpus)
# where the grey spreads by more than PLAIN_SPREAD is busy; a picture busy over PATTERNED of it
# or more is patterned, and the plain sheet's surroundings must be busy over PATTERN_ROUND of
# them (a cloth: 0.98-1.0 on the tuning split; a fat marker's blot, busy only along its edge,
# 0.49). The plain sheet is taken first where the bright region's area is more than OVERREACH
# times the plain sheet's grown back to the sheet's edge (it took in strips of cloth), or less
# than 1 / OVERREACH of the plain sheet's own (the stripes cut it in pieces). Patterned-table
# case, wrong of 300: tuning split 40 -> 10, seed 555001 37 -> 12, seed 777001 (never looked at)
# 40 -> 15; the other 28 cases' 16,800 pictures of the first two unchanged.
PLAIN_WINDOW = 21
PLAIN_SPREAD = 0.05
PATTERNED = 0.3
PATTERN_ROUND = 0.9
OVERREACH = 1.15
# The band round a sheet where the table is looked for, in pixels at SMALL.
RING = 9
# The least step in grey (0..1) from a sheet down to the table round it.
TABLE_STEP = 0.06
# Beyond a sheet with nothing written on it, as bright as this share of the sheet or brighter,
# lies more paper (the other side of a fold), read for the writing (beyond()). Corpus case
# folded_page (shade 55-90 %), tuning split: 0.6 left 63 of 300 wrong, 0.45 44; no blank sheet
# of 100 on a table (ml.render's tables) read as a digit at either.
FOLD_SHADE = 0.45
# ... and its grain at most this many times the sheet's: a sheet and a blank fold read 1.0-1.1,
# a grey table round a blank sheet 2.3-2.7 (ml/tests/test_preprocess_folded_page.py).
FOLD_GRAIN = 1.5
# ... less, along the frame's border, any sliver of table beyond the page's edge: this share of
# the picture's long side.
SLIVER = 0.04
# What lies over a sheet's edge (the thumb of the hand holding it, a finger pressing it flat, the
# end of a pen) is cut out of the sheet: a part of its outline's inside that is no paper, wider
# than OVER_EDGE pixels at SMALL (the paper's own edge, a band as wide as the edges found, is
# narrower, and so is a pen's stroke), and reaching the outline. (Writing that runs to the page's
# edge, across a fold or off the frame, is such a part too: ml.preprocess reads the sheet whole
# again when nothing is left on it, or what is left runs to where the sheet was cut.)
OVER_EDGE = 5
OVER_EDGE_DISC = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (OVER_EDGE, OVER_EDGE))
# A thumb as pale as the paper, or its nail, meets the paper with no sharp edge, so it joins the
# sheet's bright region, and the sheet's outline runs round it out to the picture's border. Its
# colour tells it apart: skin is more orange than the paper it lies on, by SKIN or more in Cr - Cb
# (0..255; for ml.render's skin tones on white paper, the palest thumb is 22-37 from its shaded
# side to its middle, its nail 18, the darkest 22-36; a cream sheet in shade moves by -8, towards
# blue). Skin parts regions as a sharp edge does, and what of it lies over the sheet's outline
# is then cut out of the sheet as no paper (OVER_EDGE).
SKIN = 12
# A sheet held close fills the picture, the hand holding it at most this share of it, and it is
# paper: the rest is at least CLOSE_PAPER bright (0..1).
CLOSE_HAND = 0.4
CLOSE_PAPER = 0.5


@dataclass
class Page:
    grey: np.ndarray        # the picture to read: warped flat when `warped`, else as given
    inside: np.ndarray      # bool, same shape: pixels on the sheet
    warped: bool
    quad: np.ndarray        # the sheet's corners (tl, tr, br, bl) in the given picture's pixels, or None
    paper: float            # the sheet's grey level
    to_picture: np.ndarray = None   # 3x3 homography from `grey` back to the given picture (warped or turned)
    # `inside` before what lies over the sheet's edge (the thumb holding it) was cut out of it;
    # None when nothing was.
    uncut: np.ndarray = None
    # The sheet fills the picture, held close to the camera (_held_close): no table shows.
    close: bool = False

    @property
    def covered(self):
        return self.uncut is not None

    def whole(self):
        """This page with nothing cut out of it; None for a sheet held close, which is then the
        picture read as it is."""
        if self.close:
            return None
        return self if self.uncut is None else replace(self, inside=self.uncut, uncut=None)


def _sharp_edges(small):
    """Pixels on a sharp step: a sheet's edge, a stroke's edge; not a shadow's or a gradient's."""
    pad = cv2.copyMakeBorder(small, 5, 5, 5, 5, cv2.BORDER_REPLICATE)

    def change(d):
        gx = np.abs(pad[5:-5, 5 + d:pad.shape[1] - 5 + d] - pad[5:-5, 5 - d:pad.shape[1] - 5 - d])
        gy = np.abs(pad[5 + d:pad.shape[0] - 5 + d, 5:-5] - pad[5 - d:pad.shape[0] - 5 - d, 5:-5])
        return np.maximum(gx, gy)

    near = change(1)
    far = cv2.dilate(change(4), np.ones((3, 3), np.uint8))
    edges = (near >= SHARPNESS * far) & (far >= MIN_STEP) & (near >= 0.5 * MIN_STEP)
    # Carry edges out to the picture's border, so that a sheet running off the frame stays
    # apart from the table beside it.
    b = 6
    e8 = edges.astype(np.uint8)
    down = cv2.dilate(e8, np.ones((2 * b + 1, 1), np.uint8)).astype(bool)
    across = cv2.dilate(e8, np.ones((1, 2 * b + 1), np.uint8)).astype(bool)
    edges[:b] |= down[:b]
    edges[-b:] |= down[-b:]
    edges[:, :b] |= across[:, :b]
    edges[:, -b:] |= across[:, -b:]
    return edges


def _order(quad):
    """Corners as top-left, top-right, bottom-right, bottom-left, turning the page by at most 45 degrees."""
    q = np.asarray(quad, np.float32).reshape(4, 2)
    centre = q.mean(0)
    ang = np.arctan2(q[:, 1] - centre[1], q[:, 0] - centre[0])
    q = q[np.argsort(ang)]              # clockwise in image coordinates, starting anywhere
    # Pick the start whose top edge (to the next corner) is closest to horizontal and lies above
    # the centre.
    after = np.roll(q, -1, 0)
    top = after - q
    score = np.abs(np.arctan2(top[:, 1], top[:, 0])) + np.pi * (q[:, 1] + after[:, 1] > 2 * centre[1])
    return np.roll(q, -int(np.argmin(score)), 0)


def _small(g):
    """The copy of grey picture `g` the sheet is looked for in: SMALL pixels on its long side."""
    h, w = g.shape
    s = SMALL / max(h, w)
    return cv2.resize(g, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)


def _closed(small):
    """`small` with thin dark marks closed: ruled lines and pen strokes must not cut the sheet
    into strips."""
    return cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8), borderType=cv2.BORDER_REPLICATE)


def _largest(labels, n):
    """The label of the largest of `n` - 1 labelled regions (0 is the background)."""
    return 1 + int(np.argmax(np.bincount(labels.ravel(), minlength=n)[1:]))


def _outline(region):
    """The largest outer contour of a 0/1 region, and its convex hull."""
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    c = max(contours, key=cv2.contourArea)
    return c, cv2.convexHull(c)


def _fill(hull, shape):
    """A bool mask of the inside of a polygon."""
    mask = np.zeros(shape, np.uint8)
    cv2.drawContours(mask, [hull], -1, 1, -1)
    return mask.astype(bool)


def _without_teeth(joined, c, hull):
    """(outline, hull, True) of a sheet with the light squares of a tablecloth cut off its sides,
    or the given (c, hull, False) when what sticks out of it is not such teeth."""
    for disc in TEETH:
        opened = cv2.morphologyEx(joined, cv2.MORPH_OPEN, disc)
        if not opened.any():
            break
        c2, hull2 = _outline(opened)
        cut_off = (joined & ~opened & ~_fill(hull2, joined.shape)).astype(np.uint8)
        areas = cv2.connectedComponentsWithStats(cut_off)[2][1:, cv2.CC_STAT_AREA]
        if (areas >= TOOTH_AREA).sum() >= MIN_TEETH and cv2.contourArea(c2) >= OPENED_SOLID * cv2.contourArea(hull2):
            return c2, hull2, True
    return c, hull, False


def find_page(g, tint=None):
    """The sheet in a photo of a sheet on a table, or None when there is no table in the picture
    (but for a sheet held close, filling the picture: _held_close()). What lies over its edge is
    cut out of it (OVER_EDGE; Page.whole() undoes the cut). `tint`, a small copy of the picture
    in YCbCr (ml.decode's), or None for a grey picture, tells a hand from the paper by its chroma."""
    h, w = g.shape
    long_side = max(h, w)
    if long_side < 300:
        return None   # a drawing or a crop, not a sheet on a table
    s = SMALL / long_side
    small = _closed(_small(g))
    # The sheet as the largest bright region between sharp edges, and on a striped or checked
    # cloth as the plain paper in the pattern, whose edge lies up to half a window in from the
    # sheet's (the table round it is looked for that much further out).
    skin = None if tint is None else _skin_finder(small, tint)
    bright, plain = _bright_region(small, skin), _plain_region(small)
    first, then = (bright, RING), (plain, PLAIN_WINDOW + RING)
    if bright is not None and plain is not None:
        # The plain sheet grown back to the sheet's edge: Steiner's formula for a convex outline.
        r = PLAIN_WINDOW // 2
        grown = cv2.contourArea(plain[2]) + cv2.arcLength(plain[2], True) * r + np.pi * r * r
        area = cv2.contourArea(bright[2])
        if area > OVERREACH * grown or area * OVERREACH < cv2.contourArea(plain[2]):
            first, then = then, first
    for found, reach in (first, then):
        page = None if found is None else _sheet(g, small, s, *found, reach=reach)
        if page is not None:
            return page
    return None if skin is None else _held_close(g, small, skin)


def _skin_finder(small, tint):
    """_skin(small, tint, region) as a function of the region, measured against the brightest
    quarter of the picture (region None) at most once: the bright region's search needs that
    when it finds no region, and _held_close when no sheet is found."""
    quarter = []

    def skin(region=None):
        if region is not None:
            return _skin(small, tint, region)
        if not quarter:
            quarter.append(_skin(small, tint, None))
        return quarter[0]
    return skin


def _held_close(g, small, skin):
    """A sheet held close to the camera, filling the picture, less the hand holding it: the Page of
    the picture but the skin (SKIN) that reaches its border, or None where there is none. (With
    no table in the picture, no sheet is found, and the thumb was read as writing.) `skin`,
    _skin_finder's."""
    marked = skin()
    if marked is None:
        return None
    # The sheet is the whole picture, whose border is then its outline.
    hand = _over_edge(np.ones(small.shape, bool), 1 - marked)
    if hand is None or hand.mean() > CLOSE_HAND:
        return None
    paper = float(median(small[~hand]))
    if paper < CLOSE_PAPER:
        return None   # a board or a screen, whose writing is light: no sheet of paper
    h, w = g.shape
    inside = ~cv2.resize(hand.view(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    return Page(g, inside, False, None, paper, uncut=np.ones((h, w), bool), close=True)


def _bright_region(small, skin=None):
    """(region, outline, hull, checked) of the sheet as the largest bright region between sharp
    edges, a hand's skin among them (SKIN; `skin`, _skin_finder's, or None for a grey picture),
    or None."""
    sh, sw = small.shape
    edges = cv2.dilate(_sharp_edges(small).view(np.uint8), np.ones((3, 3), np.uint8))
    found = _brightest(small, edges)
    if skin is not None:
        hand = skin(None if found is None else found[0])
        if hand is not None:
            found = _brightest(small, edges | hand) or found
    if found is None:
        return None
    region, parts = found
    joined = cv2.morphologyEx(region, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) if parts > 1 else region
    c, hull = _outline(joined)
    checked = False
    if cv2.contourArea(c) < SOLID * cv2.contourArea(hull):
        c, hull, checked = _without_teeth(joined, c, hull)
        region = region & _fill(hull, (sh, sw)) if checked else region
    return region, c, hull, checked


def _brightest(small, edges):
    """(region, parts) of the largest bright region between `edges` (0/1 at SMALL): the region
    (0/1) and the number of parts it was taken from, or None."""
    sh, sw = small.shape
    # The regions' areas alone are needed: counted from the labels, they cost half of what
    # OpenCV's statistics do (the same labels either way).
    n, labels = cv2.connectedComponents(1 - edges, connectivity=4)
    if n < 3:
        return None
    areas = np.bincount(labels.ravel(), minlength=n)[1:]
    order = np.argsort(-areas)[:4] + 1
    big = [k for k, a in zip(order, areas[order - 1]) if a >= 0.04 * sw * sh]
    if not big:
        return None
    level = [median(small[labels == k]) for k in big]   # the largest first, as `order`
    cand = [k for k, v in zip(big, level) if v >= max(level) - 0.05]
    # Paper split by a printed line (a margin line) into parts as bright as each other is one
    # sheet: its parts are taken together, joined across the line's thin edge.
    chosen = np.zeros(n, np.uint8)
    chosen[cand] = 1
    return chosen[labels], len(cand)


def _skin(small, tint, region):
    """Where the picture shows skin (SKIN) in parts wider than OVER_EDGE (0/1 at SMALL), or None:
    more orange than the paper, the bright `region` found, or without one the brightest quarter
    of the picture."""
    sh, sw = small.shape
    t = cv2.resize(tint, (sw, sh), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    orange = t[..., 2] - t[..., 1]
    paper = region > 0 if region is not None else small >= percentile(small, 75)
    skin = (orange >= median(orange[paper]) + SKIN).view(np.uint8)
    skin = cv2.morphologyEx(skin, cv2.MORPH_OPEN, OVER_EDGE_DISC)
    return skin if skin.any() else None


def _plain_region(small):
    """(region, outline, hull, True) of the sheet as the plain paper of a patterned picture, or
    None where the picture has no pattern round a plain sheet."""
    sh, sw = small.shape
    window = (PLAIN_WINDOW, PLAIN_WINDOW)
    m = cv2.boxFilter(small, -1, window, borderType=cv2.BORDER_REFLECT)
    q = cv2.sqrBoxFilter(small, cv2.CV_32F, window, borderType=cv2.BORDER_REFLECT)
    busy = q - m * m > PLAIN_SPREAD ** 2    # the variance, not the spread: no square roots
    if np.count_nonzero(busy) < PATTERNED * busy.size:
        return None
    # Opened, so that no chain of windows lying along a stripe joins the paper to the cloth.
    plain = cv2.morphologyEx((~busy).view(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, labels = cv2.connectedComponents(plain, connectivity=4)
    if n < 2:
        return None
    largest = (labels == _largest(labels, n)).view(np.uint8)
    # Left half a window in from the sheet's edge (the windows reaching past it see the cloth):
    # grown back, it took in the light stripes along the sheet's side, whose dark neighbours were
    # read as 1s (tuning split, while this was built: grown by an 11-pixel disc, 22 wrong of 300;
    # not grown, 12). The writing is seldom that close to the edge. Its outline is its hull:
    # writing near the edge bites into it.
    hull = _outline(largest)[1]
    sheet = _fill(hull, (sh, sw))
    if not (~sheet).any() or busy[~sheet].mean() < PATTERN_ROUND:
        return None
    region = (sheet & (small >= float(median(small[largest > 0])) - TABLE_STEP)).view(np.uint8)
    return region, hull, hull, True


def _inside_frame(sheet):
    """Whether a sheet's mask keeps off the picture's border, two pixels at SMALL."""
    return not (sheet[:2].any() or sheet[-2:].any() or sheet[:, :2].any() or sheet[:, -2:].any())


def _sheet(g, small, s, region, c, hull, checked, reach=RING):
    """The Page of the region found, or None when it is no sheet on a table: the table is looked
    for in a band `reach` pixels wide round it."""
    h, w = g.shape
    sh, sw = small.shape
    sheet = _fill(hull, (sh, sw))
    share = sheet.mean()
    outside = ~sheet
    if share < 0.06 or outside.mean() < 0.003:
        return None
    # A sheet is mostly plain paper; a bright stroke (chalk, a light marker) is mostly edge.
    plain = region.sum() / sheet.sum()
    if plain < 0.75:
        # A fat marker digit on a small note covers a quarter of it or more: still a sheet when
        # its outline is four straight sides, which a stroke's is not.
        four = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if plain < 0.5 or len(four) != 4 or cv2.contourArea(four) < 0.95 * cv2.contourArea(hull):
            return None
    # ... and has straight sides, where a fat chalk digit's outline is round. (The opening that
    # cut a cloth's teeth off rounded the sheet's corners too; the teeth have shown it a sheet.)
    corners = cv2.approxPolyDP(hull, 0.015 * cv2.arcLength(hull, True), True)
    if len(corners) > SHEET_CORNERS and not checked:
        return None
    # The sheet's neighbourhood outside it must be darker: a table, not more paper.
    ring = cv2.dilate(sheet.astype(np.uint8), np.ones((reach, reach), np.uint8)).astype(bool) & outside
    if ring.sum() < 10:
        return None
    paper = float(median(small[sheet & (region > 0)]))
    if checked:
        # A checked table's light squares are as bright as the paper; its teeth, cut off, have
        # shown it is a table, and its level is its dark squares'.
        ring &= small < paper - TABLE_STEP
        outside = outside & (small < paper - TABLE_STEP)
        if ring.sum() < 10:
            return None
    table = float(median(small[ring]))
    if paper - table < TABLE_STEP:
        return None
    # ... a table, that is, and not a dark band with paper beyond it: a pen lying across a page
    # that fills the frame cuts it into parts, the brightest of them no sheet of its own.
    # A dark band closed all round a sheet inside the frame, with what lies beyond it darker
    # than the paper, is no such pen: it is the bezel of a screen on a lighter desk.
    beyond = float(median(small[outside]))
    bezel = _inside_frame(sheet) and paper - beyond >= TABLE_STEP
    if beyond - table > DARK_BAND * (paper - table) and not bezel:
        return None
    rect_w, rect_h = cv2.minAreaRect(hull)[1]
    if min(rect_w, rect_h) < 0.2 * min(sw, sh) or cv2.contourArea(c) < 0.85 * cv2.contourArea(hull):
        return None
    inside = cv2.resize(sheet.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    over = None if checked else _over_edge(sheet, region)
    uncut = None
    if over is not None:
        uncut = inside
        inside = inside & ~cv2.resize(over.view(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    quad = None
    peri = cv2.arcLength(hull, True)
    # (A sheet's corners rounded by cutting off a cloth's teeth still fit four sides at 4 %.)
    approx = cv2.approxPolyDP(hull, (0.04 if checked else 0.02) * peri, True)
    if len(approx) == 4:
        q = _order(approx[:, 0, :] / s)
        # Corners on the picture's border are where the frame cut the sheet, not its corners.
        on_border = ((q[:, 0] < 2 / s) | (q[:, 0] > w - 1 - 2 / s) | (q[:, 1] < 2 / s) | (q[:, 1] > h - 1 - 2 / s))
        if not on_border.any():
            quad = q
    if quad is None:
        return _turned_upright(g, inside, hull[:, 0, :] / s, paper, 2 / s, uncut)
    top, bottom = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])
    left, right = np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])
    out_w, out_h = int(max(top, bottom)), int(max(left, right))
    if out_w < 32 or out_h < 32:
        return Page(g, inside, False, None, paper, uncut=uncut)
    # Shrink a little so the sheet's edge stays outside.
    m = 0.01 * min(out_w, out_h)
    dst = np.float32([[-m, -m], [out_w + m, -m], [out_w + m, out_h + m], [-m, out_h + m]])
    M = cv2.getPerspectiveTransform(quad, dst)
    flat = cv2.warpPerspective(g, M, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    whole = np.ones((out_h, out_w), bool)
    if uncut is None:
        return Page(flat, whole, True, quad, paper, np.linalg.inv(M))
    flat_inside = cv2.warpPerspective(inside.view(np.uint8), M, (out_w, out_h), flags=cv2.INTER_NEAREST,
                                      borderMode=cv2.BORDER_CONSTANT, borderValue=1) > 0
    return Page(flat, flat_inside, True, quad, paper, np.linalg.inv(M), whole)


def _over_edge(sheet, region):
    """What lies over the sheet's edge, at SMALL (bool), or None (see OVER_EDGE)."""
    wide = cv2.morphologyEx((sheet & (region == 0)).view(np.uint8), cv2.MORPH_OPEN, OVER_EDGE_DISC)
    if not wide.any():
        return None
    # The outline's own pixels, the frame's border among them where the sheet runs off it.
    rim = sheet & ~cv2.erode(sheet.view(np.uint8), np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT,
                             borderValue=0).astype(bool)
    n, labels = cv2.connectedComponents(wide)
    reaching = np.unique(labels[rim & (labels > 0)])
    return np.isin(labels, reaching) if reaching.size else None


def _turned_upright(g, inside, hull, paper, border, uncut=None):
    """A sheet that runs off the frame, so that its corners cannot be warped: turned upright when
    the sides of it that show agree on an angle, or as given. (A digit turned by a quarter of a
    right angle is past what the model reads.)"""
    h, w = g.shape
    page = Page(g, inside, False, None, paper, uncut=uncut)
    ends = np.roll(hull, -1, 0)
    side, mid = ends - hull, (ends + hull) / 2
    length = np.hypot(side[:, 0], side[:, 1])
    # Sides along the picture's border are where the frame cut the sheet, not its own.
    cut = ((mid[:, 0] < border) | (mid[:, 0] > w - 1 - border) | (mid[:, 1] < border) | (mid[:, 1] > h - 1 - border))
    own = ~cut & (length > 0.1 * max(h, w))
    if not own.any():
        return page
    angle = (np.degrees(np.arctan2(side[own, 1], side[own, 0])) + 45) % 90 - 45
    # The sides' mean angle over a period of 90 degrees, weighted by their length.
    t = np.radians(4 * angle)
    turn = np.degrees(np.arctan2((length[own] * np.sin(t)).sum(), (length[own] * np.cos(t)).sum())) / 4
    if abs(turn) < TURN_MIN or np.abs((angle - turn + 45) % 90 - 45).max() > TURN_AGREE:
        return page
    R = cv2.getRotationMatrix2D((w / 2, h / 2), float(turn), 1.0)
    c, s_ = abs(R[0, 0]), abs(R[0, 1])
    out_w, out_h = int(round(w * c + h * s_)), int(round(w * s_ + h * c))
    R[:, 2] += (out_w - w) / 2, (out_h - h) / 2
    grey = cv2.warpAffine(g, R, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    def turned(mask):
        return cv2.warpAffine(mask.astype(np.uint8), R, (out_w, out_h), flags=cv2.INTER_NEAREST,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0).astype(bool)

    M = np.vstack([R, [0, 0, 1]])
    return Page(grey, turned(inside), False, None, paper, np.linalg.inv(M), None if uncut is None else turned(uncut))


def _in_picture(g, page):
    """The sheet's pixels in the given picture's (bool)."""
    if page.to_picture is None:
        return page.inside
    # Warped flat or turned upright: the sheet's pixels carried back into the picture's.
    h, w = g.shape
    return cv2.warpPerspective(page.inside.view(np.uint8), page.to_picture, (w, h), flags=cv2.INTER_NEAREST) > 0


def both_parts(g, page, rest):
    """The sheet and the part beyond it (beyond()) as one page, read in place: writing across a
    fold runs over the step in light between them, which would cut it in two. The part in the
    shade is brightened to the sheet's level."""
    levelled = np.where(rest.inside, g * np.float32(page.paper / max(rest.paper, 1e-3)), g)
    return Page(levelled.astype(np.float32), _in_picture(g, page) | rest.inside, False, None, page.paper)


def beyond(g, page):
    """What lies beyond a found sheet's edge, as a page of its own (read in place), or None.

    A fold or a crease across a page lights its two parts differently, with a sharp step between
    them: the brighter part is found as a sheet and the rest taken for the table. When nothing
    is written on that sheet, the writing may be on the rest; when the writing runs to its edge,
    it may go on there (both_parts()).
    """
    rest = ~_in_picture(g, page)
    if rest.mean() < 0.1:
        return None
    level = float(median(g[rest]))
    # Paper in the shade of a fold is still most of the sheet's brightness, and as smooth; a
    # table is darker (a desk, wood) or, as light as that, grainier (its grain and crumbs would
    # be read as writing).
    if level < FOLD_SHADE * page.paper:
        return None
    # The grain: the median size of the grey's second differences, a few pixels in from the
    # edge, on the small copy the sheet is looked for in.
    h, w = g.shape
    small = _small(g)
    size = small.shape[::-1]
    second = np.abs(cv2.Laplacian(small, cv2.CV_32F))

    def grain(where):
        inner = cv2.erode(cv2.resize(where.view(np.uint8), size, interpolation=cv2.INTER_NEAREST), np.ones((7, 7), np.uint8))
        return float(median(second[inner > 0])) if inner.any() else 0.0

    if grain(rest) > FOLD_GRAIN * grain(~rest):
        return None
    # The other part alone: where the frame cuts the page's edge, a sliver of table lies beyond
    # it too, whose edge would read as a 1. Along the frame's border, the part ends at the convex
    # hull of the rest's largest region between sharp edges (as find_page finds regions).
    edges = cv2.dilate(_sharp_edges(_closed(small)).view(np.uint8), np.ones((3, 3), np.uint8))
    rest_small = cv2.resize(rest.view(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    n, labels = cv2.connectedComponents(rest_small & (1 - edges), connectivity=4)
    if n > 1:
        part = _fill(_outline((labels == _largest(labels, n)).view(np.uint8))[1], labels.shape)
        b = max(1, round(SLIVER * SMALL))
        part[b:-b, b:-b] = True
        rest = rest & cv2.resize(part.view(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    return Page(g, rest, False, None, level)
