"""Re-score a model on the MNIST test set through the serving code.

    python -m ml.evaluate [--model PATH] [--limit N]

By default the served LiteRT file (no TensorFlow needed); `--model ml/artifacts/mnist_cnn.keras`
scores the Keras original (needs the dev requirements).
"""
import argparse
import sys

import numpy as np

from ml.predict import DEFAULT_MODEL_PATH, load_predictor, measure_speed


def accuracy_on(predictor, images, labels) -> float:
    predictions = predictor.predict(images).argmax(axis=1)
    return float((predictions == np.asarray(labels)).mean())


def evaluate(path=DEFAULT_MODEL_PATH, limit=None):
    from ml.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    if limit:
        x_test, y_test = x_test[:limit], y_test[:limit]
    predictor = load_predictor(path)
    result = {"model": str(path), "test_size": int(len(y_test)),
              "test_accuracy": accuracy_on(predictor, x_test, y_test)}
    result.update(measure_speed(predictor, x_test))
    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=DEFAULT_MODEL_PATH)
    p.add_argument("--limit", type=int, default=None)
    args = p.parse_args(argv)
    r = evaluate(args.model, args.limit)
    print(f"{r['model']}: test accuracy {r['test_accuracy']:.4%} on {r['test_size']} images; "
          f"single image {r['single_image_ms_median']} ms median (p95 {r['single_image_ms_p95']} ms); "
          f"batched {r['batched_images_per_s']:.0f} images/s (batches of {r['batch_size']})")
    return r


if __name__ == "__main__":
    main(sys.argv[1:])
