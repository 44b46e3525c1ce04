"""Train a digit classifier on MNIST and record how good and how fast it is.

    python -m ml.train                      # the shipped CNN -> ml/artifacts/mnist_cnn.keras
    python -m ml.train --member 2           # its twin from another seed -> mnist_cnn_2.keras
    python -m ml.train --model lenet        # a baseline -> .cache/baselines/lenet/, row in baselines.json
    python -m ml.train --limit 2000 --epochs 1 --out /tmp/quick
"""
import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Baseline models are only for comparison; they stay out of version control (.cache is ignored).
BASELINE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "baselines"

# Hyper-parameters
MODEL_KIND = "cnn"
EPOCHS = 25
BATCH_SIZE = 128
LEARNING_RATE = 1e-3
LR_DECAY_PER_EPOCH = 0.87
EARLY_STOP_PATIENCE = 5
VALIDATION_SIZE = 5000
SEED = 1234
# The served pair (ml.predict.Pair): the same network, trained from two seeds. Member 1 is the
# shipped model with its figures in metrics.json; member 2's file and figures carry a "_2".
MEMBER_SEEDS = {1: SEED, 2: 2468}
# One in this many of the pipeline's inputs (--pipeline) is kept for validation.
PIPELINE_VALIDATION_SHARE = 10
# Softmax and MLP stay the classic un-augmented references the convnets are compared with.
AUGMENTED_KINDS = {"cnn", "lenet"}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=MODEL_KIND, choices=["cnn", "softmax", "mlp", "lenet"])
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    p.add_argument("--lr", type=float, default=LEARNING_RATE)
    p.add_argument("--out", type=Path, default=None,
                   help="output dir (default ml/artifacts for cnn, .cache/baselines/<kind> otherwise)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--test-limit", type=int, default=None, help="score only the first N test images")
    p.add_argument("--member", type=int, choices=sorted(MEMBER_SEEDS), default=1,
                   help="which of the served pair's CNNs to train (its seed and file names)")
    p.add_argument("--seed", type=int, default=None, help="default: the member's own seed")
    p.add_argument("--extra", type=Path, default=None,
                   help="dir with labels.csv (file,label) and 28x28 PNGs, white digit on black")
    p.add_argument("--pipeline", type=Path, default=None,
                   help="npz of the serving pipeline's own inputs (python -m ml.pipeline_data) to train on too")
    p.add_argument("--init", type=Path, default=None,
                   help="start from this .keras model's weights (fine-tuning) instead of at random")
    p.add_argument("--no-augment", action="store_true")
    p.add_argument("--no-plots", action="store_true")
    p.add_argument("--verbose", type=int, default=1, help="Keras progress: 1 bar, 2 line per epoch")
    return p.parse_args(argv)


def load_extra(directory: Path):
    """Corrected user drawings exported by the web app, as uint8 (N, 28, 28) and labels."""
    from PIL import Image

    images, labels = [], []
    with open(directory / "labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            img = Image.open(directory / row["file"]).convert("L")
            if img.size != (28, 28):
                img = img.resize((28, 28), Image.BILINEAR)
            images.append(np.asarray(img, np.uint8))
            labels.append(int(row["label"]))
    if not images:
        return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.uint8)
    return np.stack(images), np.asarray(labels, np.uint8)


def split_validation(x, y, size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    val, train = order[:size], order[size:]
    return (x[train], y[train]), (x[val], y[val])


def make_dataset(x, y, batch_size, seed, augment_fn=None, shuffle=True):
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augment_fn is not None:
        ds = ds.map(lambda a, b: (augment_fn(a), b), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def score(probabilities, labels):
    pred = probabilities.argmax(axis=1)
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (labels, pred), 1)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {
        "test_accuracy": float((pred == labels).mean()),
        "test_errors": int((pred != labels).sum()),
        "test_size": int(len(labels)),
        "per_class_accuracy": {str(d): round(float(a), 5) for d, a in enumerate(per_class)},
        "confusion_matrix": confusion.tolist(),
    }, pred


def package_versions():
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("tensorflow", "tensorflow-cpu", "keras", "numpy", "pillow"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def main(argv=None):
    args = parse_args(argv)
    if args.seed is None:
        args.seed = MEMBER_SEEDS[args.member]
    if args.member != 1 and args.model != "cnn":
        raise SystemExit("--member is for the served CNN only")
    suffix = "" if args.member == 1 else f"_{args.member}"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    from ml.data import data_md5s, load_mnist
    from ml.model import augment, build_model
    from ml.predict import KerasPredictor, measure_speed
    from ml.preprocess import to_model_input

    out = args.out or (ARTIFACTS if args.model == "cnn" else BASELINE_DIR / args.model)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)

    (x_all, y_all), (x_test, y_test) = load_mnist()
    if args.limit:
        x_all, y_all = x_all[:args.limit], y_all[:args.limit]
    if args.test_limit:
        x_test, y_test = x_test[:args.test_limit], y_test[:args.test_limit]
    val_size = min(VALIDATION_SIZE, len(x_all) // 10)
    (x_train, y_train), (x_val, y_val) = split_validation(x_all, y_all, val_size, args.seed)
    extra_count = 0
    if args.extra:
        x_extra, y_extra = load_extra(args.extra)
        extra_count = len(x_extra)
        x_train = np.concatenate([x_train, x_extra])
        y_train = np.concatenate([y_train, y_extra])
    pipeline_count = 0
    if args.pipeline:
        # The pipeline's inputs of training digits; a share of them joins the validation set, so
        # the best epoch is the one that reads both clean digits and photographed ones.
        from ml.pipeline_data import load as load_pipeline

        x_pipe, y_pipe = load_pipeline(args.pipeline)
        (x_pipe, y_pipe), (x_pipe_val, y_pipe_val) = split_validation(
            x_pipe, y_pipe, len(x_pipe) // PIPELINE_VALIDATION_SHARE, args.seed)
        pipeline_count = len(x_pipe)
        x_train, y_train = np.concatenate([x_train, x_pipe]), np.concatenate([y_train, y_pipe])
        x_val, y_val = np.concatenate([x_val, x_pipe_val]), np.concatenate([y_val, y_pipe_val])
    print(f"train {len(x_train)} (extra {extra_count}, pipeline {pipeline_count}), validation {len(x_val)}, "
          f"test {len(x_test)}")

    use_augment = args.model in AUGMENTED_KINDS and not args.no_augment
    train_ds = make_dataset(to_model_input(x_train), y_train, args.batch_size, args.seed,
                            augment if use_augment else None)
    val_ds = make_dataset(to_model_input(x_val), y_val, 1000, args.seed, shuffle=False)

    model = build_model(args.model)
    if args.init:
        model.set_weights(keras.models.load_model(args.init, compile=False).get_weights())
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(args.lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    checkpoint = Path(tempfile.mkdtemp(prefix=f"mnist-{args.model}-")) / "best.weights.h5"
    callbacks = [
        keras.callbacks.LearningRateScheduler(lambda epoch: args.lr * LR_DECAY_PER_EPOCH ** epoch),
        keras.callbacks.ModelCheckpoint(checkpoint, monitor="val_loss", save_best_only=True,
                                        save_weights_only=True),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=EARLY_STOP_PATIENCE),
    ]
    start = time.perf_counter()
    history = model.fit(train_ds, validation_data=val_ds, epochs=args.epochs,
                        callbacks=callbacks, verbose=args.verbose, shuffle=False)
    training_time = time.perf_counter() - start
    model.load_weights(checkpoint)
    epochs_run = len(history.history["loss"])
    best_epoch = int(np.argmin(history.history["val_loss"])) + 1

    # A freshly built twin carries no optimizer or compile state into the saved file.
    shipped = build_model(args.model)
    shipped.set_weights(model.get_weights())
    model_path = out / (f"mnist_cnn{suffix}.keras" if args.model == "cnn" else f"mnist_{args.model}.keras")
    shipped.save(model_path)

    predictor = KerasPredictor(model_path)
    probabilities = predictor.predict(x_test)
    results, predictions = score(probabilities, y_test)
    speed = measure_speed(predictor, x_test)
    history_clean = {k: [float(v) for v in vals] for k, vals in history.history.items()}

    metrics = {
        "model": args.model,
        # How this file was made, so a figure can be traced to its run and its budget.
        "command": " ".join(["python -m ml.train", *(argv if argv is not None else sys.argv[1:])]).strip(),
        **results,
        "parameters": int(shipped.count_params()),
        "file_size_bytes": model_path.stat().st_size,
        "training_time_s": round(training_time, 1),
        "epochs_run": epochs_run,
        "epochs_max": args.epochs,
        "best_epoch": best_epoch,
        "batch_size": args.batch_size,
        "learning_rate": args.lr,
        "lr_decay_per_epoch": LR_DECAY_PER_EPOCH,
        "augmentation": use_augment,
        "train_size": int(len(x_train)),
        "validation_size": int(len(x_val)),
        "extra_size": extra_count,
        "pipeline_size": pipeline_count,
        "init": str(args.init) if args.init else None,
        "seed": args.seed,
        "member": args.member,
        "data_md5": data_md5s(),
        "versions": package_versions(),
        "cpu_count": os.cpu_count(),
        "speed": speed,
        "history": history_clean,
    }
    metrics_path = out / f"metrics{suffix}.json"
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"test accuracy {results['test_accuracy']:.4%} ({results['test_errors']} errors of "
          f"{results['test_size']}), {metrics['parameters']} params, "
          f"{metrics['file_size_bytes'] / 1024:.0f} KiB, trained in {training_time / 60:.1f} min, "
          f"{speed['single_image_ms_median']} ms/image, {speed['batched_images_per_s']} images/s")

    if args.model == "cnn":
        # The workers serve the LiteRT conversion; it is checked against this model and recorded.
        from ml import convert

        check = ["--limit", str(args.test_limit)] if args.test_limit else []
        metrics["litert"] = convert.main(["--keras", str(model_path), "--metrics", str(metrics_path), *check])
    if args.out is None and args.member == 1:
        record_baseline(args.model, metrics)
    if not args.no_plots and args.member == 1:
        from ml import plots

        plot_dir = ARTIFACTS if (args.model == "cnn" and args.out is None) else out
        prefix = "" if args.model == "cnn" else f"{args.model}_"
        plots.training_curves(history_clean, plot_dir / f"{prefix}training_curves.png")
        plots.confusion(np.asarray(results["confusion_matrix"]), plot_dir / f"{prefix}confusion_matrix.png")
        plots.misclassified(x_test, y_test, predictions, plot_dir / f"{prefix}misclassified.png")
        plots.class_balance(y_train, plot_dir / f"{prefix}class_balance.png")
    return metrics


def record_baseline(kind, metrics, path=ARTIFACTS / "baselines.json"):
    rows = json.loads(path.read_text()) if path.exists() else {}
    rows[kind] = {
        "test_accuracy": metrics["test_accuracy"],
        "parameters": metrics["parameters"],
        "file_size_bytes": metrics["file_size_bytes"],
        "single_image_ms_median": metrics["speed"]["single_image_ms_median"],
        "batched_images_per_s": metrics["speed"]["batched_images_per_s"],
        "epochs_run": metrics["epochs_run"],
        "epochs_max": metrics["epochs_max"],
        "best_epoch": metrics["best_epoch"],
        "augmentation": metrics["augmentation"],
        "training_time_s": metrics["training_time_s"],
        "command": metrics["command"],
    }
    path.write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
