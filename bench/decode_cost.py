"""How well ml/decode.py's cost estimate covers what decoding really costs on this machine.

    python -m bench.decode_cost

For each format (2500×2500 pictures, smooth and noisy; HEIC also at a phone's 24 MP) it prints
the measured decode() time, the estimate that the budget is checked against, and their ratio:
every ratio must stay below 1 (the estimate errs high), or COST_NS needs raising. It also times
check_upload() on the 6300×6300 lossless WebP and deflate TIFF that the budget refuses.

HEIC is measured too where pillow-heif (which can encode it; serving only decodes, with
pi-heif) is installed: `pip install pillow-heif` first.
"""
import io
import time

import numpy as np
from PIL import Image

import ml.decode as decode_module

CASES = [("PNG", "L", {}), ("PNG", "RGB", {}), ("PNG", "RGBA", {}), ("PNG", "P", {}),
         ("WEBP", "RGB", {"lossless": True}), ("WEBP", "RGB", {"quality": 80}),
         ("TIFF", "RGB", {"compression": "tiff_adobe_deflate"}), ("TIFF", "RGB", {"compression": "tiff_lzw"}),
         ("TIFF", "RGB", {}), ("TIFF", "RGB", {"compression": "packbits"}), ("TIFF", "RGB", {"compression": "jpeg"}),
         ("TIFF", "1", {"compression": "group4"}), ("GIF", "P", {}), ("BMP", "RGB", {}),
         ("JPEG", "RGB", {"quality": 90}), ("JPEG", "L", {"quality": 90}),
         ("AVIF", "RGB", {"quality": 50}), ("AVIF", "RGB", {"quality": 90})]
HEIF_CASES = [("HEIF", "RGB", {"quality": 50}), ("HEIF", "RGB", {"quality": 90})]
# The size of a phone's own photo, in the format phones save: iPhones take 24 MP (5712x4284) by
# default since the iPhone 15, and HEIC costs more per pixel at that size than at 2500x2500.
PHONE_SIZE = (5712, 4284)


def _cases():
    try:
        import pillow_heif
    except ImportError:
        print("(pillow-heif not installed: no HEIC encoder, HEIC not measured)")
        return CASES
    pillow_heif.register_heif_opener()
    return CASES + HEIF_CASES


def _picture(size, noisy, rng):
    w, h = size
    pixels = np.full((h, w, 3), 235, np.uint8)
    pixels[h // 3:2 * h // 3, w // 2 - w // 20:w // 2 + w // 20] = 20
    if noisy:
        pixels -= rng.integers(0, 25, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def _best_of(fn, n=3):
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(size=(2500, 2500)):
    rng = np.random.default_rng(0)
    budget, budgets = decode_module.BUDGET_SECONDS, decode_module.FORMAT_BUDGET_SECONDS
    decode_module.BUDGET_SECONDS, decode_module.BUDGET_BYTES = float("inf"), float("inf")
    decode_module.FORMAT_BUDGET_SECONDS = {}
    worst = 0.0
    cases = _cases()
    runs = [(size, noisy, cases) for noisy in (False, True)]
    runs += [(PHONE_SIZE, noisy, [c for c in cases if c in HEIF_CASES]) for noisy in (False, True)]
    for picture_size, noisy, chosen in runs:
        base = _picture(picture_size, noisy, rng)
        for fmt, mode, options in chosen:
            out = io.BytesIO()
            base.convert(mode).save(out, fmt, **options)
            data = out.getvalue()
            if len(data) > decode_module.MAX_BYTES:
                continue  # refused at upload for its size anyway
            with Image.open(io.BytesIO(data)) as img:
                estimate, memory = decode_module.estimate(img, len(data))
            actual = _best_of(lambda: decode_module.decode(data))
            worst = max(worst, actual / estimate)
            print(f"{fmt:5} {mode:4} {str(options):42} {'noisy' if noisy else 'smooth':6} "
                  f"{picture_size[0]}x{picture_size[1]} {len(data) / 1e6:6.2f} MB "
                  f"decode {actual * 1000:7.1f} ms  estimate {estimate * 1000:7.1f} ms  ratio {actual / estimate:4.2f}")
    print(f"worst ratio {worst:.2f} (must stay below 1)")
    decode_module.BUDGET_SECONDS, decode_module.FORMAT_BUDGET_SECONDS = budget, budgets
    blank = Image.new("RGB", (6300, 6300), "white")
    for fmt, options in (("WEBP", {"lossless": True}), ("TIFF", {"compression": "tiff_adobe_deflate"})):
        out = io.BytesIO()
        blank.save(out, fmt, **options)
        data = out.getvalue()

        def check():
            try:
                decode_module.check_upload(data)
            except decode_module.ImageRejected as exc:
                assert exc.code == "too_costly"
        print(f"check_upload of a {len(data):,}-byte 6300x6300 {fmt}: refused in {_best_of(check) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
