"""People's feedback on answers: store it, and export it as extra training data.

The export is what `python -m ml.train --extra DIR` reads: labels.csv (file,label) beside
28x28 PNGs, white digit on black, exactly the picture the model saw.
"""
import csv
import io
from pathlib import Path

from PIL import Image

from . import history


class CorrectionRefused(Exception):
    pass


def correct(prediction_id, digit):
    """Store `digit` as what the picture really shows; the prediction stays as it was."""
    record = history.get(prediction_id)
    if record is None:
        raise CorrectionRefused("No prediction with this id.")
    if record["status"] != "finished":
        raise CorrectionRefused("Only a finished prediction can be corrected.")
    if not 0 <= int(digit) <= 9:
        raise CorrectionRefused("A correction is one digit, 0 to 9.")
    history.set_correction(prediction_id, int(digit))
    return history.get(prediction_id)


# A whole number, as a person types it: digits only, and no longer than any picture we read.
MAX_NUMBER_DIGITS = 18


def correct_number(prediction_id, number):
    """Store the whole number a picture of several digits really shows.

    Kept as an integer beside the prediction, like a digit's correction (so leading zeros are
    not kept); the training export still takes single digits only.
    """
    record = history.get(prediction_id)
    if record is None:
        raise CorrectionRefused("No prediction with this id.")
    if record["status"] != "finished":
        raise CorrectionRefused("Only a finished prediction can be corrected.")
    number = (number or "").strip()
    if not (number.isascii() and number.isdigit()) or len(number) > MAX_NUMBER_DIGITS:
        raise CorrectionRefused("A correction is a whole number.")
    history.set_correction(prediction_id, int(number))
    return history.get(prediction_id)


def _single_digit_input(prediction_id):
    data = history.image(prediction_id, "input")
    if not data:
        return None
    with Image.open(io.BytesIO(data)) as img:
        if img.size != (28, 28):
            return None
        return img.convert("L").copy()


def export(directory, *, limit=None):
    """Write every corrected single-digit record to `directory`; returns how many were written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _, records = history.corrected(limit or 10**9)
    written = 0
    with open(directory / "labels.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "label"])
        for record in records:
            if record.get("correction") is None or len(record.get("digits") or []) != 1:
                continue
            img = _single_digit_input(record["id"])
            if img is None:
                continue
            name = f"{record['id']}.png"
            img.save(directory / name, "PNG")
            writer.writerow([name, record["correction"]])
            written += 1
    return written
