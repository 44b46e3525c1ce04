"""People's feedback on answers: store it, and export it as extra training data.

The export is what `python -m ml.train --extra DIR` reads: labels.csv (file,label) beside
28x28 PNGs, white digit on black, exactly the picture the model saw.
"""
import csv
import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from . import access, history, ratelimit


class CorrectionRefused(Exception):
    """A correction we do not store, with a message a person understands and an HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _finished(prediction_id):
    record = history.get(prediction_id)
    if record is None:
        raise CorrectionRefused(_("No prediction with this id."), 404)
    if record["status"] != "finished":
        raise CorrectionRefused(_("Only a finished prediction can be corrected."))
    return record


def _store(prediction_id, value, by):
    if not history.set_correction(prediction_id, value, by=by):
        raise CorrectionRefused(_("No prediction with this id."), 404)  # deleted meanwhile
    return history.get(prediction_id)


def correct(prediction_id, digit, *, by=""):
    """Store `digit` as what the picture really shows; the prediction stays as it was."""
    _finished(prediction_id)
    if not 0 <= int(digit) <= 9:
        raise CorrectionRefused(_("A correction is one digit, 0 to 9."))
    return _store(prediction_id, int(digit), by)


# A whole number, as a person types it: digits only, and no longer than any picture we read.
MAX_NUMBER_DIGITS = 18


def correct_number(prediction_id, number, *, by=""):
    """Store the whole number a picture of several digits really shows.

    Kept as an integer beside the prediction, like a digit's correction (so leading zeros are
    not kept); the training export still takes single digits only.
    """
    _finished(prediction_id)
    number = (number or "").strip()
    if not (number.isascii() and number.isdigit()) or len(number) > MAX_NUMBER_DIGITS:
        raise CorrectionRefused(_("A correction is a whole number."))
    return _store(prediction_id, int(number), by)


def authorize(request, record):
    """Refuse a correction by anyone but the uploader or staff, and past the rate limit.

    Corrections feed the training export and the dashboard's accuracy, so a stranger must not
    be able to flip them, nor the uploader to flip them without end.
    """
    if not access.may_correct(request, record):
        raise CorrectionRefused(
            _("Only the person who uploaded this picture (in the same browser), or staff, can correct it."), 403)
    if not ratelimit.allow("correct", access.who(request), settings.CORRECTIONS_PER_HOUR, 3600):
        raise CorrectionRefused(_("Too many corrections from this browser in the last hour; please try again "
                                  "later."), 429)


def correct_as(request, record, digit):
    """`correct`, by whoever makes `request`, if they may; records who did it."""
    authorize(request, record)
    return correct(record["id"], digit, by=access.who(request))


def correct_number_as(request, record, number):
    authorize(request, record)
    return correct_number(record["id"], number, by=access.who(request))


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
