"""How long preprocessing takes per kind of upload: `python -m ml.corpus --speed`.

Writes ml/artifacts/preprocess_speed.json: the median (p50) milliseconds of preprocess() per kind,
decoding included, the model not (its time is in metrics.json).
"""
import json
import os
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ml.render import encode, generate, lay_on_table, photo_bytes, quad_filling, sheet, ink_of, table_top, _sheet_size

SPEED_PATH = Path(__file__).resolve().parent / "artifacts" / "preprocess_speed.json"
SEED = 20260


def _big_photo(x, size=(3000, 4000)):
    """A 12 MP phone photo of a sheet filling most of the frame, table at the edges."""
    rng = np.random.default_rng(SEED)
    quad = quad_filling(size, rng)
    wh = _sheet_size(quad)
    sh = sheet(wh, rng, ink_of(x[0], int(0.3 * min(wh))), (30, 30, 40), at=(0.5, 0.5))
    rgb = lay_on_table(sh, quad, table_top(size, rng))
    jpeg, _ = photo_bytes(rgb, rng)
    return jpeg


def samples(x, y):
    jpeg = _big_photo(x)
    import io

    png = encode(Image.open(io.BytesIO(jpeg)).convert("RGB"), "PNG", compress_level=1)
    return {
        "canvas drawing (PNG 280x280 RGBA)": generate("canvas", 0, x, y, SEED)[0],
        "scan (JPEG or PNG, 0.3-0.5 MP)": generate("scan", 0, x, y, SEED)[0],
        "phone photo (JPEG, 1-2 MP)": generate("sheet_fills_frame", 0, x, y, SEED)[0],
        "12 MP phone photo (JPEG 3000x4000)": jpeg,
        "12 MP picture (PNG 3000x4000)": png,
    }


def _time_each(pictures, preprocess, repeats, verbose):
    rows = []
    for kind, data in pictures.items():
        preprocess(data)
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            preprocess(data)
            runs.append(1000 * (time.perf_counter() - t0))
        rows.append({"kind": kind, "p50_ms": round(float(np.median(runs)), 2), "n": repeats,
                     "bytes": len(data)})
        if verbose:
            print(f"{kind:40s} {rows[-1]['p50_ms']:7.1f} ms  (p50 of {repeats}, {len(data) / 1024:.0f} KiB)", flush=True)
    return rows


def speed(repeats=41, out=SPEED_PATH, verbose=True, threads=1):
    """p50 ms of preprocess() per kind of upload; writes `out`.

    OpenCV on `threads` threads, as a worker runs it (ml.predict.load_serving_model): with a
    worker per core its own thread pool only contends.
    """
    import cv2

    from ml.corpus import test_digits
    from ml.preprocess import preprocess

    x, y = test_digits()
    before = cv2.getNumThreads()
    cv2.setNumThreads(threads)
    try:
        rows = _time_each(samples(x, y), preprocess, repeats, verbose)
    finally:
        cv2.setNumThreads(before)   # the caller's OpenCV is left as it was
    # The machine's load while measuring: on a shared machine the figures are that much slower.
    result = {"kinds": rows, "command": "python -m ml.corpus --speed", "opencv_threads": threads,
              "load_average_1_5_15_min": [round(v, 2) for v in os.getloadavg()], "cpus": os.cpu_count()}
    if out:
        Path(out).write_text(json.dumps(result, indent=1) + "\n")
    return result
