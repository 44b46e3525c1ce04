"""Turning pictures into what the CNN expects: (N, 28, 28, 1) float32 in [0, 1], white on black."""
import numpy as np


def to_model_input(images: np.ndarray) -> np.ndarray:
    """Scale 28x28 digits (uint8 0-255 or float 0-1) to the model's (N, 28, 28, 1) float32 input.

    Training and serving both call this, so the model sees in production exactly what it saw
    in training.
    """
    x = np.asarray(images)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 4:
        x = x[..., 0]
    x = x.astype("float32")
    if np.issubdtype(np.asarray(images).dtype, np.integer):
        x /= 255.0
    return np.clip(x, 0.0, 1.0)[..., None]
