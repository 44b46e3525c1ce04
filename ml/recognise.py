"""From uploaded bytes to an answer: preprocessing, one batched model call, and the result.

An empty answer is an ImageRejected whose `code` says why; an unsure answer is a Recognition
whose `hint` names the likely cause. The web turns codes into sentences in the person's
language; str(exception) stays the English text. The codes:

Reasons (ImageRejected.code, raised or returned instead of a Recognition):
    no_digit         NO_DIGIT: nothing that looks like writing was found (NoDigitFound)
    too_many_marks   TOO_MANY_MARKS: more than MAX_MARKS digit-like marks: a page of writing,
                     not a number; the person should crop to the number (TooManyMarks)

Hints (Recognition.hint, only on a low-confidence answer; None when no cause stands out):
    too_small        HINT_TOO_SMALL: the digit is only a few pixels tall in the picture
    page_edge        HINT_PAGE_EDGE: a digit lies at the edge of the page or the picture
    shadow           HINT_SHADOW: the light across the page is very uneven
    several_digits   HINT_SEVERAL_DIGITS: several marks were read as several digits
    not_digit        HINT_NOT_DIGIT: a piece read looks like no whole digit at all (a photo of
                     gravel, a face, a hatched square): the answer is shown unsure whatever the
                     digit model says (UNLIKE_DIGIT)
"""
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ml.decode import ImageRejected
from ml.preprocess import MAX_MARKS, preprocess

NO_DIGIT = "no_digit"
TOO_MANY_MARKS = "too_many_marks"
HINT_TOO_SMALL = "too_small"
HINT_PAGE_EDGE = "page_edge"
HINT_SHADOW = "shadow"
HINT_SEVERAL_DIGITS = "several_digits"
HINT_NOT_DIGIT = "not_digit"
HINTS = (HINT_TOO_SMALL, HINT_PAGE_EDGE, HINT_SHADOW, HINT_SEVERAL_DIGITS, HINT_NOT_DIGIT)
# A digit shorter than this (working pixels) has lost its shape before it reaches the model.
SMALL_DIGIT = 20
# Spread of the paper's level (0..1) above which the light is called uneven.
UNEVEN_LIGHT = 0.25

# Below this (the least sure digit's top probability) the answer is shown as a guess.
LOW_CONFIDENCE = 0.80
# Log-probability a reading must gain for each extra digit it claims, when choosing between
# cuts of touching digits: reading more digits should not be free. Tuning split (4,050 pictures),
# misses against 0.05: 0 -> 1 more, 0.2 -> 2 fewer (a long 2 read "22", "3190" read "31010"),
# 0.35 and 0.5 -> 1 fewer.
SPLIT_COST = 0.2
# 95th percentile of width / height per class in MNIST's training set. A reading of a piece
# much wider than its digit ever is (a "4" as wide as tall) is likely two touching digits.
ASPECT_P95 = (1.25, 0.8, 1.43, 1.11, 1.11, 1.43, 1.0, 1.11, 1.05, 0.9)
# A group's other cuts are drawn and read only when a plain reading is less sure than this, or a
# piece is wider than this share of its digit's ASPECT_P95. At 1.0 (wider than 95 % of its class
# ever is), with groups cut by their shape always in doubt, a third as many groups are in doubt
# as at 0.8 (178 against 486 on the tuning split, 60 pictures per case) and the same 1,391 of
# 1,440 pictures are read right: drawing the cuts is most of a clean digit's cost.
DOUBT_CONFIDENCE = 0.99
DOUBT_ASPECT = 1.0
ASPECT_WEIGHT = 2.0
# Weight of log P(one whole digit), from the wholeness model (ml.pieces), in a cut's score: the
# digit model reads a merged pair or a fragment as surely as a digit; this model tells them apart.
WHOLE_WEIGHT = 1.0
WHOLE_FLOOR = 1e-3
# A plain reading of a group that looks less than this like one whole digit leaves the group in
# doubt however surely it is read ("51" read as a 4). Tuning split, 300 pictures per number case:
# 10 more numbers read right, 2 single digits of 2,100 cut in two.
DOUBT_WHOLE = 0.05
# A piece the wholeness model gives less than this is like no whole digit it has seen: the digit
# model still answers (it always does, and often surely: a photo of a cell reads "0" at 99.6 %),
# so the answer is marked unsure, with a hint that says why. Below it: 11 of MNIST's 10,000 test
# digits read alone; none of the tuning split's 1,450 pictures (50 per case); 12 of
# scikit-image's 26 sample photos that get an answer (0.01 would catch no more of them, and one
# tuning picture).
UNLIKE_DIGIT = 0.005


@dataclass
class DigitAnswer:
    digit: int
    confidence: float
    probabilities: list
    box: tuple


@dataclass
class Recognition:
    answers: list
    inputs: np.ndarray
    inverted: bool = False
    size: tuple = field(default=(0, 0))
    # Likely cause of an unsure answer (one of HINTS), or None.
    hint: str = None
    # A small copy of the picture, when recognise_many was asked for one (see preprocess()).
    preview: object = None
    # Some piece read looks like no whole digit (UNLIKE_DIGIT): the answer is unsure, however sure.
    unlike_digit: bool = False

    @property
    def number(self) -> str:
        return "".join(str(a.digit) for a in self.answers)

    @property
    def digit(self):
        return self.answers[0].digit if len(self.answers) == 1 else None

    @property
    def confidence(self):
        return min(a.confidence for a in self.answers) if self.answers else None

    @property
    def low_confidence(self) -> bool:
        return self.unlike_digit or self.confidence is None or self.confidence < LOW_CONFIDENCE


class NoDigitFound(ImageRejected):
    """Nothing that looks like writing in the picture."""

    def __init__(self, message="No digit found in the picture", status=422, code=NO_DIGIT, **params):
        super().__init__(message, status=status, code=code, **params)


class TooManyMarks(ImageRejected):
    """More digit-like marks than a number has: a page of writing, a form, a printed sheet."""

    def __init__(self, marks, status=422):
        super().__init__(f"Too many marks ({marks}) to read one number \u2014 crop to the number.",
                         status=status, code=TOO_MANY_MARKS, marks=marks, limit=MAX_MARKS)


def _hint(pre, answers, low_confidence, unlike_digit):
    """The likely cause of an unsure answer, from what preprocessing saw; None if none stands out."""
    if not low_confidence:
        return None
    if pre.digit_height and pre.digit_height < SMALL_DIGIT:
        return HINT_TOO_SMALL
    if unlike_digit:
        return HINT_NOT_DIGIT
    if pre.near_edge:
        return HINT_PAGE_EDGE
    if pre.uneven_light > UNEVEN_LIGHT:
        return HINT_SHADOW
    if len(answers) > 1:
        return HINT_SEVERAL_DIGITS
    return None


def _default_predictor():
    from ml.predict import get_predictor

    return get_predictor()


def _default_wholeness():
    from ml.predict import get_wholeness

    return get_wholeness()


def recognise_many(items, predictor=None, crops=None, wholeness=None, preview=None):
    """A Recognition or the ImageRejected that explains the failure, per item, in order.

    `crops`, when given, holds one crop box (or None) per item: see preprocess(). `preview`, a
    (w, h) box: each Recognition, and each NoDigitFound or TooManyMarks, carries a small copy
    of its picture as `preview` where one was drawn (see preprocess()).

    Every digit of every picture goes to the model in a single call: batching is where the
    model's time goes down.
    """
    results = []
    pending = []
    for data, crop in zip(items, crops or [None] * len(items)):
        try:
            pre = preprocess(data, crop=crop, preview=preview)
        except ImageRejected as exc:
            results.append(exc)
            continue
        if pre.marks > MAX_MARKS or not pre.found:
            refused = TooManyMarks(pre.marks) if pre.marks > MAX_MARKS else NoDigitFound()
            refused.preview = pre.preview
            results.append(refused)
            continue
        pending.append((len(results), pre))
        results.append(pre)
    if not pending:
        return results
    if predictor is None:
        predictor = _default_predictor()
    rows_of = _read(predictor, [pre.inputs for _, pre in pending])
    # Is each plain piece one whole digit? Every piece of every picture, in one call of the small
    # wholeness model: a group that could be cut (touching digits) is put in doubt by it, and a
    # piece like no digit at all makes its answer unsure.
    if wholeness is None:
        wholeness = _default_wholeness()
    whole_of = _read(wholeness, [pre.inputs for _, pre in pending])
    # Groups whose plain reading is in doubt: every way to cut them, read in a second call, and
    # judged whole or not by the wholeness model.
    doubtful = [lattice for (_, pre), rows, wh in zip(pending, rows_of, whole_of) for lattice in pre.alternatives
                if _in_doubt(lattice, rows, wh) and len(lattice.inputs)]
    cut_probs = {}
    if doubtful:
        parts = [l.inputs for l in doubtful]
        cut_probs = {id(lattice): (p, w[:, 0]) for lattice, p, w in
                     zip(doubtful, _read(predictor, parts), _read(wholeness, parts))}

    for (index, pre), pre_rows, pre_whole in zip(pending, rows_of, whole_of):
        inputs, boxes, rows = list(pre.inputs), list(pre.boxes), list(pre_rows)
        whole = list(pre_whole[:, 0])
        # Keep the cut the model reads most surely. Later groups sit further right, so
        # replacing from the right keeps slots valid.
        chosen = [(lattice, _best_cut(lattice, cut_probs[id(lattice)])) for lattice in pre.alternatives
                  if id(lattice) in cut_probs]
        for lattice, (picked, p) in reversed(chosen):
            if picked is None:
                continue
            end = lattice.start + lattice.count
            inputs[lattice.start:end] = [lattice.inputs[k] for k in picked]
            boxes[lattice.start:end] = [lattice.boxes[k] for k in picked]
            rows[lattice.start:end] = [p[k] for k in picked]
            whole[lattice.start:end] = [cut_probs[id(lattice)][1][k] for k in picked]
        answers = []
        for row, box in zip(rows, boxes):
            d = int(np.argmax(row))
            answers.append(DigitAnswer(d, float(row[d]), [float(v) for v in row], tuple(box)))
        rec = Recognition(answers, np.stack(inputs).astype(np.float32), pre.inverted, pre.size,
                          preview=pre.preview, unlike_digit=bool(min(whole) < UNLIKE_DIGIT))
        rec.hint = _hint(pre, answers, rec.low_confidence, rec.unlike_digit)
        results[index] = rec
    return results


def _read(predictor, parts):
    """The model's probabilities for each of `parts` (arrays of 28x28 inputs), in one call."""
    probs = np.asarray(predictor.predict(np.concatenate(parts)), np.float64)
    return np.split(probs, np.cumsum([len(part) for part in parts])[:-1])


def _in_doubt(lattice, rows, whole=None):
    """Whether a group's plain reading leaves room for another cut: a group cut by its shape
    alone (a wide single digit is cut as two), a piece that does not look like one whole digit
    (`whole`, the wholeness model's reading of the plain pieces), a digit read unsurely, or a
    piece wider than the digit it was read as ever is (two touching digits read as one)."""
    if lattice.count > 1:
        return True
    if whole is not None and (whole[lattice.start:lattice.start + lattice.count, 0] < DOUBT_WHOLE).any():
        return True
    mine = rows[lattice.start:lattice.start + lattice.count]
    digits = mine.argmax(1)
    limits = DOUBT_ASPECT * np.asarray(ASPECT_P95)[digits]
    return bool((mine.max(1) < DOUBT_CONFIDENCE).any() or (np.asarray(lattice.default_aspects) > limits).any())


def _best_cut(lattice, read):
    """(piece indices, probs) of the best-read path through a lattice of cuts, or (None, probs).

    `read` is (the digit model's probabilities, the wholeness model's) for the lattice's pieces.
    """
    probs, whole = read
    limits = np.asarray(ASPECT_P95)[probs.argmax(1)]
    too_wide = np.maximum(0.0, np.asarray(lattice.aspects) - limits)
    score = (np.log(np.maximum(probs.max(1), 1e-9)) - np.asarray(lattice.penalties)
             - ASPECT_WEIGHT * too_wide - SPLIT_COST
             + WHOLE_WEIGHT * np.log(np.clip(whole, WHOLE_FLOOR, 1.0)))
    n = len(lattice.points)
    best = [0.0] + [-np.inf] * (n - 1)
    back = [None] * n
    for j in range(1, n):
        for i in range(j):
            k = lattice.pieces.get((i, j))
            if k is None or best[i] == -np.inf:
                continue
            s = best[i] + (0.0 if k < 0 else score[k])
            if s > best[j]:
                best[j], back[j] = s, (i, k)
    if back[n - 1] is None:
        return None, probs
    picked, j = [], n - 1
    while j > 0:
        i, k = back[j]
        if k >= 0:
            picked.append(k)
        j = i
    return (picked[::-1] or None), probs


def recognise(data: bytes, predictor=None) -> Recognition:
    """Raises ImageRejected for files that cannot be read, NoDigitFound when nothing is written."""
    result = recognise_many([data], predictor)[0]
    if isinstance(result, ImageRejected):
        raise result
    return result


def input_png(inputs: np.ndarray) -> bytes:
    """The 28x28 pictures the model saw, side by side, as a PNG."""
    x = np.asarray(inputs, np.float32)
    if x.ndim == 4:
        x = x[..., 0]
    if x.ndim == 2:
        x = x[None]
    if len(x) == 0:
        x = np.zeros((1, 28, 28), np.float32)
    strip = np.concatenate(list(x), axis=1)
    out = io.BytesIO()
    Image.fromarray((np.clip(strip, 0, 1) * 255 + 0.5).astype(np.uint8), "L").save(out, "PNG")
    return out.getvalue()
