from datetime import datetime, timezone

from django import template

register = template.Library()


@register.filter
def as_datetime(timestamp):
    """A stored epoch timestamp as an aware datetime, for the `date` filter."""
    if timestamp in (None, ""):
        return None
    return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)


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
