"""OpenCV against scipy.ndimage / Pillow, side by side, for the steps of ml.preprocess that either can do.

    python -m ml.opencv_vs_scipy            # writes ml/artifacts/opencv_vs_scipy.json

Each step runs on what preprocessing really hands it: the ink mask of a 1-2 MP phone photo
(ml.speed's sample), and digits drawn at normalise_digit's canonical size from MNIST test images
(thin and thick strokes). For each way: the median milliseconds of `repeats` runs, and whether its
result is the same as the first way's (`same`, to float32's precision; `largest_difference` says by
how much: for masks, the share of pixels that differ).
"""
import io
import json
import os
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

OUT = Path(__file__).resolve().parent / "artifacts" / "opencv_vs_scipy.json"


def _ms(fn, repeats):
    """(median ms, runs): a step slower than a tenth of a second is run 7 times at most."""
    t0 = time.perf_counter()
    fn()
    if time.perf_counter() - t0 > 0.1:
        repeats = min(repeats, 7)
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(1000 * (time.perf_counter() - t0))
    return float(np.median(runs)), repeats


def _difference(a, b):
    """0 when two results are the same; else the largest difference (or 1 for a different shape/count)."""
    if isinstance(a, tuple):
        return max(_difference(x, y) for x, y in zip(a, b))
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return 1.0
    if a.dtype == bool or b.dtype == bool:
        return float((a.astype(bool) != b.astype(bool)).mean())
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())


def _inputs():
    from ml.corpus import test_digits
    from ml.decode import decode
    from ml.preprocess import CANON, _ink_map
    from ml.speed import samples

    x, y = test_digits()
    pictures = samples(x, y)
    photo = pictures["phone photo (JPEG, 1-2 MP)"]
    png = np.frombuffer(pictures["12 MP picture (PNG 3000x4000)"], np.uint8)
    g, _, _ = decode(photo)
    g = np.ascontiguousarray(g, np.float32)
    rgb = np.asarray(Image.open(io.BytesIO(photo)).convert("RGB"))
    ink, _, floor, _, _ = _ink_map(g)
    mask = ink > max(floor, 0.3)
    digits = []
    for i in range(20):
        big = cv2.resize(x[i], (CANON, CANON), interpolation=cv2.INTER_LINEAR) > 127
        digits.append(big)
        # A pen-thin and a marker-thick version of the same digit.
        digits.append(cv2.erode(big.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool))
        digits.append(cv2.dilate(big.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool))
    return g, mask, digits, rgb, png


def _cc_stats_numpy(mask):
    """cv2's labels, with area and boxes from scipy's find_objects and a bincount."""
    n, labels = cv2.connectedComponents(mask.view(np.uint8), connectivity=8)
    areas = np.bincount(labels.ravel(), minlength=n)[1:]
    boxes = [(s[1].start, s[0].start, s[1].stop, s[0].stop) for s in ndimage.find_objects(labels)]
    return n - 1, areas, boxes


def _cc_stats_cv2(mask):
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.view(np.uint8), connectivity=8)
    boxes = [(x, y, x + w, y + h) for x, y, w, h in stats[1:, :4].tolist()]
    return n - 1, stats[1:, cv2.CC_STAT_AREA], boxes


def _cc_stats_scipy(mask):
    labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
    areas = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    boxes = [(s[1].start, s[0].start, s[1].stop, s[0].stop) for s in ndimage.find_objects(labels)]
    return n, areas, boxes


def _same_components(a, b):
    # Labels may be numbered differently: compare the sorted (box, area) lists.
    return 0.0 if sorted(zip(a[2], a[1].tolist())) == sorted(zip(b[2], b[1].tolist())) else 1.0


def steps(g, mask, digits, photo, png):
    """{step: {way: callable}}; the first way of each step is the reference for `same`."""
    coarse = cv2.resize(g, (72, 96), interpolation=cv2.INTER_AREA)
    k = 25
    photo8 = np.asarray(Image.fromarray(photo).convert("L"))
    work = (round(photo8.shape[1] * 1024 / photo8.shape[0]), 1024)
    thin, thick = digits[1], digits[2]
    canon = cv2.resize(digits[0].astype(np.float32), (57, 80), interpolation=cv2.INTER_AREA)
    small = np.ascontiguousarray(canon[::4, ::4])
    def pillow_png():
        img = Image.open(io.BytesIO(png.tobytes()))
        return np.asarray(img.convert("L"))

    def opencv_png():
        bgr = cv2.imdecode(png, cv2.IMREAD_COLOR)
        # Pillow's own grey from the same colours, so that only the decoder differs.
        return np.asarray(Image.frombuffer("RGB", bgr.shape[1::-1], bgr, "raw", "BGR", 0, 1).convert("L"))

    return {
        "decode a 12 MP PNG (3000x4000 RGB) to grey": {
            "Pillow": pillow_png,
            "cv2.imdecode": opencv_png,
        },
        "connected components with area and box (1-2 MP photo's ink mask)": {
            "scipy.ndimage.label + find_objects": lambda: _cc_stats_scipy(mask),
            "cv2.connectedComponentsWithStats": lambda: _cc_stats_cv2(mask),
            "cv2.connectedComponents + find_objects": lambda: _cc_stats_numpy(mask),
        },
        "connected components, count only (digit at canonical size)": {
            "scipy.ndimage.label": lambda: ndimage.label(thick, structure=np.ones((3, 3)))[1],
            "cv2.connectedComponents": lambda: cv2.connectedComponents(thick.view(np.uint8), connectivity=8)[0] - 1,
        },
        "grey closing, background of the coarse grid (25x25 window)": {
            "scipy.ndimage.grey_closing": lambda: ndimage.grey_closing(coarse, size=(k, k), mode="nearest"),
            "cv2.morphologyEx": lambda: cv2.morphologyEx(coarse, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8),
                                                         borderType=cv2.BORDER_REPLICATE),
        },
        "binary erosion, 3x3 cross (stroke width of a digit)": {
            "scipy.ndimage.binary_erosion": lambda: ndimage.binary_erosion(thick),
            "cv2.erode": lambda: cv2.erode(thick.view(np.uint8), cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)),
                                           borderType=cv2.BORDER_CONSTANT, borderValue=0).view(bool),
        },
        "distance transform, exact Euclidean (thickening a thin digit)": {
            "scipy.ndimage.distance_transform_edt": lambda: ndimage.distance_transform_edt(~thin),
            "cv2.distanceTransform (DIST_L2, precise)": lambda: cv2.distanceTransform(
                (~thin).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE),
        },
        "distance transform, exact Euclidean (thinning a thick digit)": {
            "scipy.ndimage.distance_transform_edt": lambda: ndimage.distance_transform_edt(thick),
            "cv2.distanceTransform (DIST_L2, precise)": lambda: cv2.distanceTransform(
                thick.view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE),
        },
        "resize down, box filter (80x57 digit into the 20 px box: not a whole-number ratio)": {
            "Pillow BOX": lambda: np.asarray(Image.fromarray(canon, "F").resize((14, 20), Image.BOX)),
            "cv2.resize INTER_AREA": lambda: cv2.resize(canon, (14, 20), interpolation=cv2.INTER_AREA),
        },
        "resize up, bilinear (small digit to the canonical 80 px)": {
            "Pillow BILINEAR": lambda: np.asarray(Image.fromarray(small, "F").resize((57, 80), Image.BILINEAR)),
            "cv2.resize INTER_LINEAR": lambda: cv2.resize(small, (57, 80), interpolation=cv2.INTER_LINEAR),
        },
        "resize down, box filter (decoded 1285x931 photo to the 1024 px working size, 8 bit)": {
            "Pillow BOX": lambda: np.asarray(Image.fromarray(photo8).resize(work, Image.BOX, reducing_gap=2.0)),
            "cv2.resize INTER_AREA": lambda: cv2.resize(photo8, work, interpolation=cv2.INTER_AREA),
        },
    }


def compare(repeats=51, out=OUT, verbose=True):
    rows = []
    for step, ways in steps(*_inputs()).items():
        ref = None
        entries = []
        for way, fn in ways.items():
            result = fn()
            if ref is None:
                ref = result
                diff = 0.0
            elif step.startswith("connected components with"):
                diff = _same_components(ref, result)
            else:
                diff = _difference(ref, result)
            # Float results count as the same to float32's precision (cv2 works in float32).
            ms, n = _ms(fn, repeats)
            entries.append({"way": way, "ms": round(ms, 4), "n": n, "same": diff < 1e-4,
                            "largest_difference": diff})
        fastest = min(entries, key=lambda e: e["ms"])
        rows.append({"step": step, "ways": entries, "fastest": fastest["way"]})
        if verbose:
            print(step)
            for e in entries:
                print(f"    {e['way']:45s} {e['ms']:9.3f} ms   same: {e['same']} ({e['largest_difference']:.3g})")
    result = {"repeats": repeats, "statistic": "median ms", "steps": rows,
              "command": "python -m ml.opencv_vs_scipy", "opencv": cv2.__version__,
              "threads": cv2.getNumThreads(), "cpus": os.cpu_count(),
              "load_average_1_5_15_min": [round(v, 2) for v in os.getloadavg()]}
    if out:
        Path(out).write_text(json.dumps(result, indent=1) + "\n")
    return result


if __name__ == "__main__":
    compare()
