"""Convert the trained Keras model to the LiteRT (.tflite) file the workers serve, and check it.

    python -m ml.convert [--keras PATH] [--out PATH] [--limit N] [--float]

TensorFlow is needed here (and for training), not for serving: a worker runs the converted
file with LiteRT's interpreter, in a tenth of the memory and a fraction of the start-up time.
The weights are stored as 8-bit integers (LiteRT's dynamic-range quantisation: each
convolution's output channel keeps its own scale, and the activations stay float, quantised
on the fly for each image). XNNPACK then runs the network about 3.7 times faster on one core
(0.09 against 0.34 ms per image, batches of 1 or 20) in a file a quarter the size. On the
MNIST test set the digit is the Keras model's for 10,000 of the 10,000 images (the shipped
model) and 9,999 (its twin), the accuracy within one image; the probabilities move by at most
0.041. Float32 weights (`--float`) give the Keras model's probabilities to about 1e-6 (the
largest difference measured was 1.4e-6). Both runtimes are scored on
the MNIST test set and the result goes to metrics.json under "litert", beside the Keras figures.
"""
import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from ml.predict import ARTIFACTS, KERAS_MODEL_PATH, TFLITE_MODEL_PATH

METRICS = ARTIFACTS / "metrics.json"


def convert(keras_path=KERAS_MODEL_PATH, out=None, quantise=True) -> Path:
    """Write the .tflite beside `keras_path` (or to `out`) with a batch dimension of any size;
    `quantise`: 8-bit weights (see the module's docstring), else float32."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    keras_path = Path(keras_path)
    out = Path(out) if out else keras_path.with_suffix(".tflite")
    model = keras.models.load_model(keras_path, compile=False)
    # The model's input is (None, 28, 28, 1): the interpreter can be resized to any batch.
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if quantise:
        # With no representative data given, DEFAULT quantises the weights alone.
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    out.write_bytes(converter.convert())
    return out


def compare(keras_path, tflite_path, images, labels):
    """Test accuracy of both runtimes on the same images, and how far their outputs differ."""
    from ml.predict import load_predictor

    keras_probs = load_predictor(keras_path).predict(images)
    lite_probs = load_predictor(tflite_path).predict(images)
    labels = np.asarray(labels)
    keras_digits, lite_digits = keras_probs.argmax(1), lite_probs.argmax(1)
    return {
        "test_size": int(len(labels)),
        "keras_test_accuracy": round(float((keras_digits == labels).mean()), 6),
        "litert_test_accuracy": round(float((lite_digits == labels).mean()), 6),
        "litert_test_errors": int((lite_digits != labels).sum()),
        "same_digit": int((keras_digits == lite_digits).sum()),
        "max_abs_probability_difference": float(np.abs(keras_probs - lite_probs).max()),
    }


def record(result, path=METRICS):
    """Add (or replace) the "litert" block of metrics.json, keeping everything else."""
    metrics = json.loads(path.read_text()) if path.exists() else {}
    metrics["litert"] = result
    path.write_text(json.dumps(metrics, indent=2) + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--keras", type=Path, default=KERAS_MODEL_PATH)
    p.add_argument("--out", type=Path, default=None, help="default: the .keras path with .tflite")
    p.add_argument("--limit", type=int, default=None, help="check on the first N test images only")
    p.add_argument("--metrics", type=Path, default=None,
                   help="where to record the check (default: metrics.json for the shipped model)")
    p.add_argument("--float", dest="quantise", action="store_false", help="keep float32 weights")
    args = p.parse_args(argv)

    from ml.data import load_mnist
    from ml.predict import load_predictor, measure_speed

    out = convert(args.keras, args.out, args.quantise)
    _, (x_test, y_test) = load_mnist()
    if args.limit:
        x_test, y_test = x_test[:args.limit], y_test[:args.limit]
    result = {"file": out.name, "file_size_bytes": out.stat().st_size, "quantised_weights": args.quantise,
              **compare(args.keras, out, x_test, y_test)}
    result["speed"] = measure_speed(load_predictor(out), x_test)
    metrics = args.metrics or (METRICS if out.resolve() == TFLITE_MODEL_PATH.resolve() and not args.limit else None)
    if metrics:
        record(result, metrics)
    print(f"{out}: {result['file_size_bytes'] / 1024:.0f} KiB; test accuracy LiteRT "
          f"{result['litert_test_accuracy']:.4%}, Keras {result['keras_test_accuracy']:.4%} on "
          f"{result['test_size']} images; same digit for {result['same_digit']}; largest probability "
          f"difference {result['max_abs_probability_difference']:.2e}; one image "
          f"{result['speed']['single_image_ms_median']} ms, batched {result['speed']['batched_images_per_s']:.0f} images/s")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
