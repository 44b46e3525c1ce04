"""What the serving pipeline shows the model, for training: MNIST *training* digits rendered as
real uploads (the corpus' cases: sheets, shadows, angles, touching numbers...), run through
`recognise_many`, and kept as the 28x28 inputs the model was actually given, each with its label.

The digit model learns from MNIST's clean, centred digits; in a photo it sees the same digits
after a camera, a threshold, line removal and a cut between touching neighbours. Training on
those inputs teaches it the artefacts it meets in serving. A picture is kept only when its
pieces match its digits one to one (as many pieces as digits), so every input has a known label.

Digits come from the training images only, and never from train.py's validation split; the
render seed is neither the corpus' tuning nor its held-out seed.

    python -m ml.pipeline_data --per-case 600          # -> .cache/pipeline_inputs.npz
"""
import argparse
import functools
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from ml.render import BY_ID, CASE_IDS, generate

CACHE = Path(__file__).resolve().parent.parent / ".cache"
DEFAULT_OUT = CACHE / "pipeline_inputs.npz"
# Not ml.corpus.SPLITS' tuning (20260) or held-out (7305113) seed.
RENDER_SEED = 4_417_031
# Cases drawn from MNIST digits; the typed-font case has no handwriting to learn from. The
# number cases give 2-4 inputs a picture and the hard photo cases are where reading fails, so
# they are drawn more often.
WEIGHT = {"multi_digit_touching": 3, "number_on_sheet": 3, "multi_digit": 2, "keystone": 2}
CASES = tuple(c for c in CASE_IDS if BY_ID[c].digits != "font")


# Each worker process renders many chunks: MNIST is read and split once per process, not per chunk.
@functools.lru_cache(maxsize=2)
def training_digits(seed=None):
    """MNIST training images and labels outside train.py's validation split (shared; read-only)."""
    from ml.data import load_mnist
    from ml.train import SEED, VALIDATION_SIZE, split_validation

    (x, y), _ = load_mnist()
    (x_train, y_train), _ = split_validation(np.asarray(x, np.uint8), np.asarray(y, np.uint8),
                                             VALIDATION_SIZE, SEED if seed is None else seed)
    return x_train, y_train


def _chunk(args):
    case, start, stop = args
    from ml.predict import get_predictor
    from ml.recognise import Recognition, recognise_many

    x, y = training_digits()
    items = [generate(case, i, x, y, RENDER_SEED) for i in range(start, stop)]
    recs = recognise_many([data for data, _, _ in items], get_predictor())
    inputs, labels, kept = [], [], 0
    for (_, _, truth), rec in zip(items, recs):
        if not isinstance(rec, Recognition) or len(rec.answers) != len(truth):
            continue
        kept += 1
        inputs.append(np.asarray(rec.inputs, np.float32).reshape(-1, 28, 28))
        labels.extend(int(d) for d in truth)
    if not inputs:
        return case, np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.uint8), 0, stop - start
    images = (np.clip(np.concatenate(inputs), 0, 1) * 255 + 0.5).astype(np.uint8)
    return case, images, np.asarray(labels, np.uint8), kept, stop - start


def build(per_case=600, out=DEFAULT_OUT, workers=2, chunk=50, cases=CASES):
    """Render, read and keep; writes images (N, 28, 28) uint8, labels and each input's case."""
    jobs = []
    for case in cases:
        n = per_case * WEIGHT.get(case, 1)
        jobs += [(case, s, min(s + chunk, n)) for s in range(0, n, chunk)]
    images, labels, cases, started = [], [], [], time.perf_counter()
    counts = {}
    with ProcessPoolExecutor(workers) as pool:
        for case, im, lab, kept, tried in pool.map(_chunk, jobs):
            images.append(im)
            labels.append(lab)
            cases += [case] * len(lab)
            k, t = counts.get(case, (0, 0))
            counts[case] = (k + kept, t + tried)
    images, labels = np.concatenate(images), np.concatenate(labels)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, images=images, labels=labels, cases=np.asarray(cases))
    for case, (k, t) in counts.items():
        print(f"{case:24s} kept {k:5d} of {t:5d} pictures")
    print(f"{len(labels)} inputs in {time.perf_counter() - started:.0f} s -> {out}")
    return images, labels


def load(path=DEFAULT_OUT):
    """(images uint8 (N, 28, 28), labels) written by build()."""
    with np.load(path) as f:
        return f["images"], f["labels"]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m ml.pipeline_data", description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-case", type=int, default=600, help="pictures per case (hard cases more)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    build(args.per_case, args.out, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
