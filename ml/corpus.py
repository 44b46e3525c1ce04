"""A measured corpus of uploads: MNIST test digits drawn the way people actually send them.

Each case (ml.render.CASES) renders test-set digits as one kind of real picture. Two splits:
`tuning` is the seed preprocessing was tuned on and may be looked at; `heldout` is drawn with
another seed that is never looked at while tuning, and is the one reported. `--evaluate` scores
our preprocessing and the naive `pre_pic` of the original script on the same files:

    python -m ml.corpus --evaluate                       # held-out split, 100 per case
    python -m ml.corpus --evaluate --split tuning --n 40 --out /tmp/tuning.json
    python -m ml.corpus --sample ml/tests/fixtures/corpus --n 3
    python -m ml.corpus --speed
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from ml.naive import naive_pre_pic
from ml.render import BY_ID, CASE_IDS, CASES, FORMAT_VARIANTS, generate as _generate

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
RESULTS_PATH = ARTIFACTS / "corpus_results.json"
SPLITS = {"tuning": 20260, "heldout": 7_305_113}
DEFAULT_SPLIT = "heldout"

__all__ = ["CASES", "CASE_IDS", "FORMAT_VARIANTS", "SPLITS", "generate", "naive_pre_pic", "evaluate",
           "write_sample", "test_digits"]


def test_digits():
    """MNIST test images and labels (uint8), from wherever ml.data finds them."""
    from ml.data import load_mnist

    (_, _), (x, y) = load_mnist()
    return np.asarray(x, np.uint8), np.asarray(y, np.uint8)


def generate(case, i, x, y, split="tuning"):
    """(bytes, extension, true answer) for item i of a case in a split; deterministic."""
    return _generate(case, i, x, y, SPLITS[split])


def _items(case, n, x, y, split, cache):
    """The split's first n pictures of a case; rendered once, then read from `cache` if given."""
    if cache is None:
        return [generate(case, i, x, y, split) for i in range(n)]
    folder = Path(cache) / split / case
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"{i:04d}.json"
        if path.exists():
            meta = json.loads(path.read_text())
            out.append(((folder / f"{i:04d}.{meta['ext']}").read_bytes(), meta["ext"], meta["truth"]))
            continue
        data, ext, truth = generate(case, i, x, y, split)
        (folder / f"{i:04d}.{ext}").write_bytes(data)
        path.write_text(json.dumps({"ext": ext, "truth": truth}))
        out.append((data, ext, truth))
    return out


def _naive_reads(items, predictor):
    inputs, ok = [], []
    for data, _, _ in items:
        try:
            inputs.append(naive_pre_pic(data))
            ok.append(True)
        except Exception:
            inputs.append(np.zeros((28, 28), np.float32))
            ok.append(False)
    pred = predictor.predict(np.stack(inputs)).argmax(1)
    return [str(int(p)) if good else None for p, good in zip(pred, ok)]


def evaluate(n=100, cases=CASE_IDS, split=DEFAULT_SPLIT, predictor=None, out=RESULTS_PATH, cache=None,
             misses=None, verbose=True, command=None):
    """Accuracy per case, ours and naive, on one split; writes the JSON the README is made from.

    `misses` (a path) also writes what was read wrong: for the tuning split only, so that the
    held-out split is never looked at.
    """
    from ml.recognise import recognise_many

    if misses is not None and split != "tuning":
        raise ValueError("misses are written for the tuning split only")
    if predictor is None:
        from ml.predict import get_predictor

        predictor = get_predictor()
    x, y = test_digits()
    rows, wrong = [], {}
    for case in cases:
        items = _items(case, n, x, y, split, cache)
        recs = recognise_many([b for b, _, _ in items], predictor)
        naive = _naive_reads(items, predictor)
        ours_right = naive_right = 0
        for i, ((_, _, truth), rec, nv) in enumerate(zip(items, recs, naive)):
            got = None if isinstance(rec, Exception) else rec.number
            ours_right += got == truth
            naive_right += nv == truth
            if got != truth:
                wrong.setdefault(case, []).append({"i": i, "truth": truth, "got": got if got is not None
                                                   else getattr(rec, "code", str(rec))})
        c = BY_ID[case]
        rows.append({"case": case, "label": c.label, "n": n, "ours": ours_right / n, "naive": naive_right / n,
                     "hard": c.hard})
        if verbose:
            print(f"{case:24s} n={n:4d}  ours {100 * ours_right / n:6.1f}%   naive {100 * naive_right / n:6.1f}%",
                  flush=True)
    total = sum(r["n"] for r in rows)
    overall = {"n": total, "ours": sum(r["ours"] * r["n"] for r in rows) / total,
               "naive": sum(r["naive"] * r["n"] for r in rows) / total}
    results = {
        "split": split, "seed": SPLITS[split], "seeds": dict(SPLITS),
        "n_per_case": n, "cases": rows, "overall": overall,
        "command": command or f"python -m ml.corpus --evaluate --split {split} --n {n}",
    }
    if verbose:
        print(f"{'overall':24s} n={total:4d}  ours {100 * overall['ours']:6.1f}%   naive {100 * overall['naive']:6.1f}%")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(results, indent=1) + "\n")
    if misses:
        Path(misses).write_text(json.dumps(wrong, indent=1) + "\n")
    return results


def write_sample(directory, n=4, cases=CASE_IDS):
    """A few tuning-split pictures per case and their answers in labels.json, for the tests."""
    from ml.render import FORMAT_VARIANTS

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    x, y = test_digits()
    index = directory / "labels.json"
    labels = json.loads(index.read_text()) if index.exists() else {}
    labels = {k: v for k, v in labels.items() if v["case"] not in cases}
    for case in cases:
        # Every file format once; big photos are few, to keep the sample small.
        count = {"formats": max(n, len(FORMAT_VARIANTS)), "tiny_in_big_photo": min(n, 1)}.get(case, n)
        for i in range(count):
            data, ext, truth = generate(case, i, x, y, "tuning")
            name = f"{case}_{i:02d}.{ext}"
            (directory / name).write_bytes(data)
            labels[name] = {"case": case, "answer": truth}
    index.write_text(json.dumps(labels, indent=1, sort_keys=True) + "\n")
    return labels


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m ml.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--evaluate", action="store_true", help="score ours and the naive pre_pic per case")
    ap.add_argument("--split", choices=tuple(SPLITS), default=DEFAULT_SPLIT, help="which seed's pictures")
    ap.add_argument("--n", type=int, default=100, help="images per case")
    ap.add_argument("--case", action="append", choices=CASE_IDS, help="only these cases")
    ap.add_argument("--sample", metavar="DIR", help="write n tuning pictures per case and labels.json to DIR")
    ap.add_argument("--out", default=str(RESULTS_PATH), help="where --evaluate writes its JSON")
    ap.add_argument("--cache", metavar="DIR", help="keep rendered pictures here and reuse them")
    ap.add_argument("--misses", metavar="FILE", help="write what was read wrong (tuning split only)")
    ap.add_argument("--speed", action="store_true", help="time preprocessing per kind of upload")
    args = ap.parse_args(argv)
    cases = tuple(args.case) if args.case else CASE_IDS
    if args.sample:
        write_sample(args.sample, args.n, cases)
    if args.evaluate:
        evaluate(args.n, cases, args.split, out=args.out, cache=args.cache, misses=args.misses,
                 command=f"python -m ml.corpus --evaluate --split {args.split} --n {args.n}")
    if args.speed:
        from ml.speed import speed

        speed()
    if not (args.sample or args.evaluate or args.speed):
        ap.print_help()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
