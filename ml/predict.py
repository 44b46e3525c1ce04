"""Serving: load the digit models once per process and score batches of 28x28 images.

The workers serve LiteRT files (`mnist_cnn.tflite` and its twin's, read as a Pair), converted
from the trained `.keras` files by `python -m ml.convert`: the interpreter imports in a tenth of
a second, holds tens of MB instead of TensorFlow's hundreds, and scores one image in a fraction
of a millisecond. The Keras models stay loadable here for training, conversion and comparison
(`.keras` paths); only that path imports TensorFlow.
"""
import threading
import time
from pathlib import Path

import numpy as np

from ml.preprocess import to_model_input

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
KERAS_MODEL_PATH = ARTIFACTS / "mnist_cnn.keras"
TFLITE_MODEL_PATH = ARTIFACTS / "mnist_cnn.tflite"
# A second digit model, the same network trained from another seed (`python -m ml.train --member 2`,
# `make train-twin`): where the first is unsure, the two read together (Pair).
SECOND_KERAS_MODEL_PATH = ARTIFACTS / "mnist_cnn_2.keras"
SECOND_MODEL_PATH = ARTIFACTS / "mnist_cnn_2.tflite"
# The small model that says how much a piece of ink looks like one whole digit (ml.pieces).
WHOLENESS_MODEL_PATH = ARTIFACTS / "wholeness.tflite"
# What a process serves unless told otherwise; the web app's settings pass MODEL_PATH in.
DEFAULT_MODEL_PATH = TFLITE_MODEL_PATH

# Bounds peak memory for huge batches; both runtimes accept any batch size.
MAX_CHUNK = 1024
# The second model is asked only about the inputs the first reads less surely than this, so a
# clean digit costs one model call, not two. Corpus misses (tuning split, 300 pictures per case;
# as many from a seed never used before), first model alone 112 and 145: asked below 0.9, 105 and
# 129; below 0.97, 106 and 130; below 0.999, 106 and 129, the same as with both models asked
# about every input. A weighted mean (0.6 the first's) or a geometric one did no better.
SECOND_OPINION_BELOW = 0.9


class LiteRTPredictor:
    """The converted model in LiteRT's interpreter: one per process, used under a lock."""

    def __init__(self, path=TFLITE_MODEL_PATH, threads=1):
        from ai_edge_litert.interpreter import Interpreter

        self.path = Path(path)
        # Workers scale out as processes; one thread each keeps several of them (and the web)
        # from oversubscribing a small machine's cores. None leaves LiteRT's own default.
        self.interpreter = Interpreter(model_path=str(self.path), num_threads=threads or None)
        self._input = self.interpreter.get_input_details()[0]["index"]
        self._output = self.interpreter.get_output_details()[0]["index"]
        self._batch = None
        self._lock = threading.Lock()
        self._run(np.zeros((1, 28, 28, 1), np.float32))  # allocate now, not on the first request

    def _run(self, x):
        if len(x) != self._batch:
            # Re-planning the tensors costs far less than a model call; a worker mostly sees
            # the same few batch sizes.
            self.interpreter.resize_tensor_input(self._input, list(x.shape), strict=True)
            self.interpreter.allocate_tensors()
            self._batch = len(x)
        self.interpreter.set_tensor(self._input, x)
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self._output).copy()

    def predict(self, inputs) -> np.ndarray:
        """Class probabilities (N, 10) for (N, 28, 28) or (N, 28, 28, 1) images in [0, 1]."""
        x = np.ascontiguousarray(to_model_input(inputs), np.float32)
        if len(x) == 0:
            return np.zeros((0, 10), np.float32)
        with self._lock:
            chunks = [self._run(x[i:i + MAX_CHUNK]) for i in range(0, len(x), MAX_CHUNK)]
        return np.concatenate(chunks, axis=0)


class KerasPredictor:
    """The trained `.keras` model in TensorFlow, for training, conversion and comparison.

    `model.predict` builds a fresh data pipeline on every call, so the model is wrapped in a
    `tf.function` with a fixed (None, 28, 28, 1) signature: traced once, then reused.
    """

    def __init__(self, path=KERAS_MODEL_PATH, threads=None):
        import keras
        import tensorflow as tf

        self.path = Path(path)
        self.model = keras.models.load_model(self.path, compile=False)
        self._forward = tf.function(
            lambda x: self.model(x, training=False),
            input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32)],
            reduce_retracing=True,
        )
        self._forward(np.zeros((1, 28, 28, 1), np.float32))

    def predict(self, inputs) -> np.ndarray:
        x = to_model_input(inputs)
        if len(x) == 0:
            return np.zeros((0, 10), np.float32)
        chunks = [self._forward(x[i:i + MAX_CHUNK]).numpy() for i in range(0, len(x), MAX_CHUNK)]
        return np.concatenate(chunks, axis=0).astype(np.float32)


class Pair:
    """Two digit models trained apart, read as one: the mean of their probabilities where the first
    is unsure (below SECOND_OPINION_BELOW), the first model's own reading elsewhere.

    Two networks trained from different seeds make different mistakes on the inputs in doubt (a
    photographed 7 that is half a 2): on MNIST test their mean is right more often than either.
    The corpus figures, held-out split included, are in the README; `python -m ml.evaluate`
    measures the pair.
    """

    def __init__(self, first, second, below=SECOND_OPINION_BELOW):
        self.first, self.second, self.below = first, second, below

    def predict(self, inputs) -> np.ndarray:
        x = np.ascontiguousarray(to_model_input(inputs), np.float32)
        probs = self.first.predict(x)
        unsure = probs.max(1) < self.below
        if unsure.any():
            probs[unsure] = (probs[unsure] + self.second.predict(x[unsure])) / 2
        return probs


def _one(path, threads):
    path = Path(path)
    if path.suffix == ".keras":
        return KerasPredictor(path)
    return LiteRTPredictor(path, threads=threads)


def load_predictor(path=DEFAULT_MODEL_PATH, threads=1, second=None):
    """A predictor for `path`: LiteRT for .tflite files, Keras (TensorFlow) for .keras ones; with
    `second` (another model's path), the Pair of the two."""
    first = _one(path, threads)
    return first if second is None else Pair(first, _one(second, threads))


_predictor = None
_wholeness = None
_lock = threading.Lock()


def load_serving_model(path=DEFAULT_MODEL_PATH, threads=1, wholeness_path=WHOLENESS_MODEL_PATH,
                       second_path=SECOND_MODEL_PATH):
    """Load this process's models (a worker calls this once at start-up); return the digit
    model(s): the Pair of `path` and `second_path`, or `path` alone when `second_path` is None."""
    global _predictor, _wholeness
    if threads:
        # OpenCV's own thread pool (the photo pipeline's resizes, blurs and morphology) would
        # otherwise run beside the model's threads: with a worker per core its threads only
        # contend, about a quarter more CPU per picture for no gain in time.
        import cv2

        cv2.setNumThreads(threads)
    with _lock:
        _predictor = load_predictor(path, threads, second=second_path)
        _wholeness = LiteRTPredictor(wholeness_path, threads=threads)
    return _predictor


def _shared(name, load):
    """This process's model held in the global `name`: the one loaded at start-up, or load()."""
    if globals()[name] is None:
        with _lock:
            if globals()[name] is None:
                globals()[name] = load()
    return globals()[name]


def get_predictor():
    """The process-wide predictor: the one loaded at start-up, or the shipped pair of models."""
    return _shared("_predictor", lambda: load_predictor(DEFAULT_MODEL_PATH, second=SECOND_MODEL_PATH))


def get_wholeness():
    """The process-wide wholeness model: P(one whole digit), shape (N, 1), per 28x28 piece."""
    return _shared("_wholeness", lambda: LiteRTPredictor(WHOLENESS_MODEL_PATH))


def measure_speed(predictor, images, single_runs: int = 200, batch_size: int = 1000):
    """Median ms for one image, and images/s for batches of `batch_size`."""
    x = to_model_input(images)
    for _ in range(10):
        predictor.predict(x[:1])
    times = []
    for i in range(single_runs):
        start = time.perf_counter()
        predictor.predict(x[i % len(x):i % len(x) + 1])
        times.append(time.perf_counter() - start)
    batch = x[:batch_size]
    predictor.predict(batch)
    start = time.perf_counter()
    repeats = 3
    for _ in range(repeats):
        predictor.predict(batch)
    elapsed = time.perf_counter() - start
    return {
        "single_image_ms_median": round(float(np.median(times)) * 1000, 3),
        "single_image_ms_p95": round(float(np.percentile(times, 95)) * 1000, 3),
        "batched_images_per_s": round(repeats * len(batch) / elapsed, 1),
        "batch_size": len(batch),
    }
