from datetime import datetime, timezone

from django import template

register = template.Library()


@register.filter
def as_datetime(timestamp):
    """A stored epoch timestamp as an aware datetime, for the `date` filter."""
    if timestamp in (None, ""):
        return None
    return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
