"""The naive baseline: the original script's `pre_pic`, kept as it was so comparisons stay fair."""
import io

import numpy as np
from PIL import Image


def naive_pre_pic(data):
    """Resize the whole picture to 28x28, grey, invert, threshold at 50."""
    img = Image.open(io.BytesIO(data))
    im = np.asarray(img.resize((28, 28), Image.LANCZOS).convert("L"), np.int32)
    im = 255 - im
    return np.where(im < 50, 0, 255).astype(np.float32) / 255.0
