"""A closer look at small writing: which part of a big picture to read again at its own resolution.

Pictures are read at a working size (ml.decode.WORK_LONG_SIDE) that keeps a digit filling a good
part of the frame sharp and cheap to read. A number written at an ordinary size on a page
photographed whole is another matter: in a 12 MP photo its digits are 40-80 pixels tall, and at
the working size 10-20, too few for a digit's shape (a 4 and a 9, a 1 and a 7 differ by a few
of them). The file still holds every pixel, so the part round the writing is decoded again,
cropped, and read there (ml.preprocess.preprocess).
"""
from ml.decode import WORK_LONG_SIDE
from ml.segment import MAX_MARKS

# Writing whose smallest digit is shorter than this (working pixels) is looked at more closely.
ZOOM_HEIGHT = 32
# ...where the closer look makes it at least this many times taller; less is not worth a decode.
ZOOM_GAIN = 1.5
# The part read again is as big as lets its smallest digit come out this tall (working pixels)
# at the working size, or as the picture's own pixels allow: as much of the page round the
# writing as can be had, for its level, its light and its ruled lines to be seen as on the whole
# page. (A part cut close round the writing, read at full scale, showed a notebook's lines so thick
# beside the part's size that they were no lines, and they joined the digits: "35" read "4".)
ZOOM_TARGET = 56
# It takes in at least this many times the writing's height on either side of it, where the rest
# of a number may lie that the working copy lost (the 5 and the 8 of a "578" whose 7 alone was
# found), and as much above and below it.
ZOOM_REACH = 3.0
ZOOM_MARGIN = 1.0


def closer_look(out, full, work_shape, work_long_side=WORK_LONG_SIDE):
    """The part (left, top, right, bottom, full-size pixels) to read again, or None.

    `out` is what was read at the working size (ml.preprocess.Preprocessed, its boxes in
    full-size pixels), `full` the picture's full (w, h), `work_shape` the working copy's (h, w).
    """
    if not out.found or out.marks > MAX_MARKS or out.digit_height >= ZOOM_HEIGHT:
        return None
    full_w, full_h = full
    scale = max(full_w, full_h) / max(work_shape)   # full-size pixels per working pixel
    if scale < ZOOM_GAIN:
        return None
    left = min(b[0] for b in out.boxes)
    top = min(b[1] for b in out.boxes)
    right = max(b[2] for b in out.boxes)
    bottom = max(b[3] for b in out.boxes)
    tall = bottom - top
    # The part's long side, and its short side in the picture's own proportion.
    side = work_long_side * max(1.0, out.digit_height * scale / ZOOM_TARGET)
    long_w = full_w >= full_h
    short = side * min(full_w, full_h) / max(full_w, full_h)
    width = max(side if long_w else short, right - left + 2 * ZOOM_REACH * tall)
    height = max(short if long_w else side, tall + 2 * ZOOM_MARGIN * tall)
    x0 = _placed((left + right) / 2 - width / 2, width, full_w)
    y0 = _placed((top + bottom) / 2 - height / 2, height, full_h)
    part = (x0, y0, min(full_w, int(x0 + width + 1)), min(full_h, int(y0 + height + 1)))
    long_side = max(part[2] - part[0], part[3] - part[1])
    # How much taller the writing is when the part is read at the working size (or its own).
    gain = scale * min(1.0, work_long_side / max(1, long_side))
    return part if gain >= ZOOM_GAIN else None


def _placed(start, length, limit):
    """Where a part `length` long starting at `start` begins once moved wholly inside 0..limit."""
    return int(max(0, min(start, limit - length)))


def within(crop, part, full):
    """`part` (pixels of a picture `full` (w, h) in size, itself the part `crop` of the upright
    picture, or all of it) as fractions (x0, y0, x1, y1) of the upright picture: ml.decode's crop."""
    x0, y0, x1, y1 = crop if crop is not None else (0.0, 0.0, 1.0, 1.0)
    w, h = full
    return (x0 + (x1 - x0) * part[0] / w, y0 + (y1 - y0) * part[1] / h,
            x0 + (x1 - x0) * part[2] / w, y0 + (y1 - y0) * part[3] / h)
