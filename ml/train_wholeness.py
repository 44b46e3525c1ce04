"""Train the small model that says whether a piece of ink is one whole digit (ml.pieces).

    python -m ml.train_wholeness            # -> ml/artifacts/wholeness.keras, .tflite, .json
    python -m ml.train_wholeness --numbers 300 --epochs 1 --out /tmp/w

Only MNIST *training* digits are used: the first 50,000 make the training pieces, the last
10,000 the validation pieces the figures in wholeness.json come from. The digit model and its
test-set accuracy are untouched: this model only ranks the cuts of touching digits.
"""
import argparse
import json
import os
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from ml.pieces import make_pieces

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TRAIN_DIGITS = 50_000
NUMBERS = 6000
VAL_NUMBERS = 600
EPOCHS = 12
BATCH_SIZE = 256
SEED = 4242


def _chunk(args):
    start, end, n, seed = args
    from ml.data import load_mnist

    (x, _), _ = load_mnist()
    return make_pieces(x[start:end], n, seed)


def pieces(start, end, n, seed, procs=2):
    """make_pieces split over `procs` processes (a few minutes for thousands of numbers)."""
    jobs = [(start, end, n // procs + (k < n % procs), seed * 100 + k) for k in range(procs)]
    with Pool(procs) as pool:
        parts = pool.map(_chunk, jobs)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def build():
    import keras
    from keras import layers

    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="wholeness")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--numbers", type=int, default=NUMBERS)
    p.add_argument("--val-numbers", type=int, default=VAL_NUMBERS)
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--out", type=Path, default=ARTIFACTS)
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.time()
    x, y = pieces(0, TRAIN_DIGITS, args.numbers, SEED)
    xv, yv = pieces(TRAIN_DIGITS, 60_000, args.val_numbers, SEED + 1)
    made = time.time() - started
    print(f"{len(x)} training pieces ({y.mean():.0%} whole), {len(xv)} validation, in {made:.0f} s")

    import keras

    keras.utils.set_random_seed(SEED)
    model = build()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
    # Whole digits are the rarer label; weighting them keeps the model from calling everything a piece.
    weight = {0: 1.0, 1: float((1 - y.mean()) / max(y.mean(), 1e-6))}
    model.fit(x[..., None], y, batch_size=BATCH_SIZE, epochs=args.epochs, class_weight=weight,
              validation_data=(xv[..., None], yv), verbose=2)
    args.out.mkdir(parents=True, exist_ok=True)
    keras_path = args.out / "wholeness.keras"
    model.save(keras_path)
    from ml.convert import convert

    # Float weights: its scores are read against thresholds as small as UNLIKE_DIGIT (0.005).
    tflite_path = convert(keras_path, quantise=False)
    from ml.predict import LiteRTPredictor

    p_val = LiteRTPredictor(tflite_path).predict(xv)[:, 0]
    report = {
        "command": "python -m ml.train_wholeness",
        "training_pieces": int(len(x)), "training_whole_share": round(float(y.mean()), 3),
        "validation_pieces": int(len(xv)), "validation_whole_share": round(float(yv.mean()), 3),
        "validation_accuracy": round(float(((p_val > 0.5) == (yv > 0.5)).mean()), 4),
        "validation_whole_recall": round(float((p_val[yv > 0.5] > 0.5).mean()), 4),
        "validation_part_recall": round(float((p_val[yv < 0.5] <= 0.5).mean()), 4),
        "epochs": args.epochs, "seconds": round(time.time() - started),
        "digits": "MNIST training set only: 0-49,999 for training, 50,000-59,999 for validation",
    }
    (args.out / "wholeness.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
