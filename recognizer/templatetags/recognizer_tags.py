from datetime import datetime, timezone

from django import template
from django.urls import reverse

from recognizer.api import thumb_url

register = template.Library()


@register.filter
def as_datetime(timestamp):
    """A stored epoch timestamp as an aware datetime, for the `date` filter."""
    if timestamp in (None, ""):
        return None
    return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)


@register.filter
def card_picture(record):
    """What a card shows: the worker's thumbnail once the record has ended (any format reads
    there), the upload itself until then."""
    return thumb_url(record) or reverse("recognizer-upload", args=[record["id"]])


@register.filter
def top3(record):
    """The three likeliest digits of a single-digit answer as [(digit, probability)]."""
    probabilities = record.get("probabilities") if record else None
    if not probabilities:
        return []
    ranked = sorted(enumerate(probabilities), key=lambda pair: pair[1], reverse=True)
    return ranked[:3]


@register.filter
def percent(value, digits=1):
    if value is None or value == "":
        return ""
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def ms(value):
    """Milliseconds as a short human duration."""
    if value is None or value == "":
        return "–"
    value = float(value)
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status):
    from recognizer.forms import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


@register.filter
def error_text(record):
    """A failed record's reason in the reader's language (from its stored code)."""
    from recognizer import messages

    return messages.of_record(record) if record else ""


@register.filter
def nothing_found(record):
    """True when the picture was read but held nothing to answer (no digit, too many marks)."""
    from recognizer import messages

    return bool(record) and messages.nothing_found(record.get("error_code"))


@register.filter
def hint_text(record):
    """The tip that goes with an unsure answer, in the reader's language, or ''."""
    from recognizer import messages

    if not record:
        return ""
    return messages.hint(record.get("hint") or ("low_confidence" if record.get("low_confidence") else ""))


# The model's inputs are 28x28: "what the model saw" and its heat map are a strip of them.
INPUT_SIDE = 28


@register.filter
def input_width(record):
    """The pixel width of the strip of inputs the model saw for a record (one per digit). Given
    to the <img> with its height, it sets the picture's shape before the picture arrives; the
    stylesheet sets how large it is shown."""
    return INPUT_SIDE * max(1, len((record or {}).get("digits") or []))
