"""Every sentence the web and the worker show a person about a picture, keyed by reason code.

The ml package and the worker name a reason with a stable code (`ImageRejected.code`,
`NoDigitFound`, the worker's own failures below); records keep the code beside the English
text; pages and API answers say it in the request's language from the code.

The texts are marked with gettext_noop (imported as `_` so makemessages finds them), not
gettext_lazy, on purpose: the English text stored in a record must not depend on whichever
language happens to be active when it is written (reconciliation can run inside a zh-Hans
request), so the English is the plain msgid and the translation happens where it is shown.
"""
from django.utils.translation import gettext, gettext_noop as _

# Why a picture was refused or gave no answer (ml.decode.ImageRejected.code and friends).
REASONS = {
    "empty": _("The file is empty."),
    "svg": _("SVG drawings cannot be read here; please upload a PNG or JPEG picture."),
    "not_image": _("This file is not a picture we can read. Please upload a PNG, JPEG, HEIC, WebP, AVIF, "
                    "GIF, BMP or TIFF image."),
    "too_many_pixels": _("The picture is too large (%(width)d×%(height)d pixels); the limit is "
                          "%(limit_mp)g megapixels."),
    "bomb": _("The picture has far too many pixels to be read."),
    "no_pixels": _("The picture has no pixels."),
    "damaged": _("The picture is damaged or incomplete (the file seems cut off). Please upload it again."),
    "file_too_large": _("The file is too large (%(size_mb).1f MB); the limit is %(limit_mb)g MB."),
    "too_costly": _("This picture (%(width)d×%(height)d pixels, %(format)s) would take too long to read. "
                     "Please send it smaller, or as a JPEG."),
    "empty_crop": _("The chosen part of the picture is empty."),
    "unreadable": _("This picture could not be read."),
    # Read, but nothing to answer: say the likely cause and one thing to try.
    "no_digit": _("No digit found — write bigger, or crop closer to the digit."),
    "too_many_marks": _("Too many marks to read one number — crop to the number."),
    # The worker's own failures (recognizer.tasks and recognizer.reconcile).
    "internal_error": _("Something went wrong while reading this picture. It has been logged; please try "
                         "again."),
    "timed_out": _("Recognising this picture took too long and was stopped; please try a smaller picture."),
    "worker_stopped": _("The worker stopped while recognising this picture; please upload it again."),
    "job_lost": _("This picture's job was lost before it was recognised; please upload it again."),
    "gone": _("This prediction no longer exists."),
    "busy": _("The recognizer is busy; your drawing will be read when you finish a stroke."),
}

# Codes whose file was read but held nothing to answer (worded "nothing found", not "could not be read").
NOTHING_FOUND = ("no_digit", "too_many_marks")

# Why an answer may be wrong (a record's `hint`, beside a low-confidence answer): one tip each.
HINTS = {
    "page_edge": _("The edge of the page may have been read as ink — crop to the digit."),
    "shadow": _("A shadow may cover part of the digit — take the photo in even light."),
    "too_small": _("The digit is small in the picture — crop closer or write bigger."),
    "several_digits": _("The picture may hold several digits — crop to the one you mean."),
    "not_digit": _("Part of what was read does not look like a handwritten digit — photograph digits "
                   "written on plain paper, and crop to them."),
    "low_confidence": _("The picture may be unclear — crop closer to the digit and try again."),
}


def _fill(template, params):
    try:
        return template % params if params else template
    except (KeyError, TypeError, ValueError):
        # A code sent without the values its sentence needs: the sentence without them is wrong,
        # so fall back to the general one rather than fail the page.
        return gettext(REASONS["unreadable"]) if template is not REASONS["unreadable"] else template


def english(code, **params):
    """The English sentence for a reason code (what records store beside the code)."""
    return _fill(REASONS.get(code, REASONS["unreadable"]), params)


def reason(code, fallback=None, **params):
    """The sentence for a reason code in the active language.

    An unknown or missing code gives `fallback` (the stored English text of an older record)
    when there is one, else the general "could not be read" sentence.
    """
    if code in REASONS:
        return _fill(gettext(REASONS[code]), params)
    return fallback or gettext(REASONS["unreadable"])


def hint(code):
    """The tip for a hint code in the active language, or '' for none."""
    return gettext(HINTS[code]) if code in HINTS else ""


def nothing_found(code):
    return code in NOTHING_FOUND


def of_record(record):
    """A failed record's error in the active language, from its stored code and parameters."""
    return reason(record.get("error_code"), record.get("error"), **(record.get("error_params") or {}))


# English constants for the worker and reconciliation (stored in records beside the code).
INTERNAL_ERROR = english("internal_error")
TIMED_OUT = english("timed_out")
WORKER_STOPPED = english("worker_stopped")
JOB_LOST = english("job_lost")
CODES = {INTERNAL_ERROR: "internal_error", TIMED_OUT: "timed_out", WORKER_STOPPED: "worker_stopped",
         JOB_LOST: "job_lost"}


def code_of(text):
    """The code of one of the worker's English constants (for writers that have only the text)."""
    return CODES.get(text)
