"""Re-score the served digit models on the MNIST test set through the serving code.

    python -m ml.evaluate                                   # the served pair (ml.predict.Pair)
    python -m ml.evaluate --output ml/artifacts/served.json # ... and record it (`make train` does)
    python -m ml.evaluate --model PATH [--second PATH|--alone] [--limit N]

By default the served LiteRT files (no TensorFlow needed); `--model ml/artifacts/mnist_cnn.keras
--alone` scores the Keras original (needs the dev requirements).
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ml.predict import DEFAULT_MODEL_PATH, SECOND_MODEL_PATH, Pair, load_predictor, measure_speed


def accuracy_on(predictor, images, labels) -> float:
    predictions = predictor.predict(images).argmax(axis=1)
    return float((predictions == np.asarray(labels)).mean())


def evaluate(path=DEFAULT_MODEL_PATH, limit=None, second=SECOND_MODEL_PATH):
    from ml.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    if limit:
        x_test, y_test = x_test[:limit], y_test[:limit]
    predictor = load_predictor(path, second=second)
    digits = predictor.predict(x_test).argmax(1)
    result = {"model": Path(path).name, "second": Path(second).name if second else None,
              "test_size": int(len(y_test)), "test_accuracy": round(float((digits == y_test).mean()), 6),
              "test_errors": int((digits != y_test).sum())}
    if isinstance(predictor, Pair):
        first = predictor.first.predict(x_test)
        result["second_opinion_below"] = predictor.below
        # How often the second model is asked, and how each model does alone.
        result["asked_second"] = int((first.max(1) < predictor.below).sum())
        result["first_alone_accuracy"] = round(float((first.argmax(1) == y_test).mean()), 6)
        result["second_alone_accuracy"] = round(accuracy_on(predictor.second, x_test, y_test), 6)
        # What the second opinion costs: the first model's own speed, measured in the same run.
        result["first_alone_speed"] = measure_speed(predictor.first, x_test)
    result.update(measure_speed(predictor, x_test))
    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=DEFAULT_MODEL_PATH)
    p.add_argument("--second", default=SECOND_MODEL_PATH, help="the pair's second model")
    p.add_argument("--alone", action="store_true", help="score --model alone, not as a pair")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--output", type=Path, default=None, help="write the figures to this JSON file")
    args = p.parse_args(argv)
    r = evaluate(args.model, args.limit, None if args.alone else args.second)
    r["command"] = " ".join(["python -m ml.evaluate", *(argv if argv is not None else sys.argv[1:])])
    served = r["model"] + (f" + {r['second']}" if r["second"] else "")
    print(f"{served}: test accuracy {r['test_accuracy']:.4%} on {r['test_size']} images "
          f"({r['test_errors']} errors); single image {r['single_image_ms_median']} ms median "
          f"(p95 {r['single_image_ms_p95']} ms); batched {r['batched_images_per_s']:.0f} images/s "
          f"(batches of {r['batch_size']})")
    if args.output:
        args.output.write_text(json.dumps(r, indent=2) + "\n")
    return r


if __name__ == "__main__":
    main(sys.argv[1:])
