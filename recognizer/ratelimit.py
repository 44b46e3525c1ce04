"""Rate limits counted in Redis, so every web process shares them."""
from . import history


def allow(name, who, limit, window_seconds):
    """Count one `name` event for `who`; False once there were more than `limit` in the current
    window of `window_seconds` (a fixed window: simple, and at most twice the limit in any span)."""
    return history.hit(name, who, window_seconds) <= limit
