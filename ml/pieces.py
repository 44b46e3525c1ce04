"""Pieces of touching digits, cut the way serving cuts them, labelled whole digit or not.

The digit model reads a merged pair ("00" as an 8) or a fragment (the stem of a 4 as a 1) as
surely as a real digit: it never saw anything else. When the cuts of touching digits are
judged (ml.recognise), a second, small model says how much each piece looks like one whole
digit. It learns from these pieces: numbers of 2-3 touching MNIST *training* digits, cut by
ml.segment.cut_points exactly as a photo's ink is, each piece drawn by normalise_digit and
labelled by how much of each true digit's ink it holds.
"""
import numpy as np

from ml.preprocess import normalise_digit
from ml.render import number_ink, rotate
from ml.segment import cut_points

# A piece is one whole digit when it holds at least WHOLE of one digit's ink and at most STRAY
# of any other's; it is not when it holds less than PART of every digit's ink, or at least
# MERGED of two. In between (a digit missing a serif's worth) it is left out of training.
# A right cut between digits that overlap leaves a stroke's end of the neighbour on a piece: with
# STRAY at 0.12 such pieces (0.12-0.2) were left out, and the model rated them almost as low as
# merges. At 0.2 (WHOLE 0.85), tuning split (3,900 pictures): 12 read right that were not, 6 the
# other way round.
WHOLE, STRAY = 0.85, 0.2
PART, MERGED = 0.65, 0.3


def between(shape, a, b):
    """The pixels of a (rows, columns) group that lie between cuts a and b (a column per row)."""
    columns = np.arange(shape[1])[None, :]
    return (columns >= a[:, None]) & (columns < b[:, None])


def label(cover):
    """1 (one whole digit), 0 (a fragment or a merge) or None (too close to call) for a piece
    holding `cover[k]` of digit k's ink."""
    cover = np.sort(np.asarray(cover))[::-1]
    second = cover[1] if len(cover) > 1 else 0.0
    if cover[0] >= WHOLE and second <= STRAY:
        return 1
    if cover[0] < PART or second >= MERGED:
        return 0
    return None


# Pens the numbers are written with, and how often: ml.render's styles.
STYLES = ("pen", "marker", "fine", "brush")
STYLE_SHARE = (0.55, 0.2, 0.15, 0.1)


def number_pieces(digits, rng, touching=True):
    """(inputs (N, 28, 28), labels (N,)) for every piece of one rendered number."""
    placed = []
    height = int(rng.uniform(40, 110))
    style = STYLES[rng.choice(len(STYLES), p=STYLE_SHARE)]
    ink = number_ink(digits, height, rng, style=style, touching=touching, placed=placed)
    angle = rng.uniform(-3, 3)
    # Each digit's own ink, drawn (and turned) on its own canvas: what a piece holds of it.
    owners = []
    for y, x, part in placed:
        alone = np.zeros_like(ink)
        alone[y:y + part.shape[0], x:x + part.shape[1]] = part
        owners.append(rotate(alone, angle) > 0.5)
    ink = rotate(ink, angle)
    own = ink > 0.5
    owners = [o & own for o in owners]
    totals = [max(1, int(o.sum())) for o in owners]
    default, candidates = cut_points(own)
    points = (candidates() if candidates is not None else None) or default
    rows = np.where(own.any(1))[0]
    height = max(1, rows[-1] - rows[0] + 1) if len(rows) else 1
    inputs, labels = [], []
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            if j > i + 1 and (points[j] - points[i]).mean() > 2.0 * height:
                continue
            inside = between(own.shape, points[i], points[j])
            if not (own & inside).any():
                continue
            y = label([(o & inside).sum() / t for o, t in zip(owners, totals)])
            if y is None:
                continue
            x = normalise_digit(np.clip(ink, 0, 1) * inside)
            if x.sum() > 0:
                inputs.append(x)
                labels.append(y)
    return inputs, labels


def make_pieces(images, n_numbers, seed):
    """Pieces from `n_numbers` numbers of 2-3 digits drawn from `images`."""
    rng = np.random.default_rng(seed)
    inputs, labels = [], []
    for _ in range(n_numbers):
        k = int(rng.integers(2, 4))
        ds = [images[j] for j in rng.integers(len(images), size=k)]
        # Mostly touching; some apart, so that a cut through a lone digit is seen too.
        x, y = number_pieces(ds, rng, touching=rng.random() < 0.85)
        inputs += x
        labels += y
    return np.asarray(inputs, np.float32).reshape(-1, 28, 28), np.asarray(labels, np.float32)
