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
# The part read again reaches this many times the writing's height beyond it, above and below:
# paper enough round the writing for its level and its light to be measured as on a whole page;
# and ZOOM_REACH times it to the left and right, where the rest of a number may lie that the
# working copy lost (the 5 and the 8 of a "578" whose 7 alone was found).
ZOOM_MARGIN = 1.0
ZOOM_REACH = 3.0


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
    across, up = ZOOM_REACH * tall, ZOOM_MARGIN * tall
    part = (max(0, int(left - across)), max(0, int(top - up)),
            min(full_w, int(right + across + 1)), min(full_h, int(bottom + up + 1)))
    long_side = max(part[2] - part[0], part[3] - part[1])
    # How much taller the writing is when the part is read at the working size (or its own).
    gain = scale * min(1.0, work_long_side / max(1, long_side))
    return part if gain >= ZOOM_GAIN else None


def within(crop, part, full):
    """`part` (pixels of a picture `full` (w, h) in size, itself the part `crop` of the upright
    picture, or all of it) as fractions (x0, y0, x1, y1) of the upright picture: ml.decode's crop."""
    x0, y0, x1, y1 = crop if crop is not None else (0.0, 0.0, 1.0, 1.0)
    w, h = full
    return (x0 + (x1 - x0) * part[0] / w, y0 + (y1 - y0) * part[1] / h,
            x0 + (x1 - x0) * part[2] / w, y0 + (y1 - y0) * part[3] / h)
