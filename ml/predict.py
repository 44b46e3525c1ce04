"""Serving: load the trained digit model once and score batches of 28x28 images.

`model.predict` builds a fresh data pipeline on every call (milliseconds of overhead for
a single drawing), so the model is wrapped in a `tf.function` with a fixed
(None, 28, 28, 1) signature: traced once, then every call of any batch size reuses the
same graph.
"""
import os
import threading
import time
from pathlib import Path

import numpy as np

from ml.preprocess import to_model_input

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "artifacts" / "mnist_cnn.keras"
MODEL_PATH = Path(os.environ.get("MODEL_PATH") or DEFAULT_MODEL_PATH)

# Bounds peak memory for huge batches; the graph itself accepts any batch size.
MAX_CHUNK = 1024


class Predictor:
    def __init__(self, path=MODEL_PATH):
        import keras
        import tensorflow as tf

        self.path = Path(path)
        self.model = keras.models.load_model(self.path, compile=False)
        self._forward = tf.function(
            lambda x: self.model(x, training=False),
            input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32)],
            reduce_retracing=True,
        )
        # Trace now so the first real request is not the slow one.
        self._forward(np.zeros((1, 28, 28, 1), np.float32))

    def predict(self, inputs) -> np.ndarray:
        """Class probabilities (N, 10) for (N, 28, 28) or (N, 28, 28, 1) images in [0, 1]."""
        x = to_model_input(inputs)
        if len(x) == 0:
            return np.zeros((0, 10), np.float32)
        chunks = [self._forward(x[i:i + MAX_CHUNK]).numpy() for i in range(0, len(x), MAX_CHUNK)]
        return np.concatenate(chunks, axis=0).astype(np.float32)


_predictor = None
_lock = threading.Lock()


def get_predictor() -> Predictor:
    """The process-wide Predictor, loaded on first use."""
    global _predictor
    if _predictor is None:
        with _lock:
            if _predictor is None:
                _predictor = Predictor(MODEL_PATH)
    return _predictor


def measure_speed(predictor: Predictor, images, single_runs: int = 200, batch_size: int = 1000):
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
