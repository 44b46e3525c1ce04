"""What the operator's dashboard shows: history counts, the queue and the model card."""
import json

import django_rq
from django.conf import settings
from rq import Worker
from rq.registry import FailedJobRegistry, StartedJobRegistry

from . import history

ARTIFACTS = settings.BASE_DIR / "ml" / "artifacts"


def model_card():
    """metrics.json of the shipped model, or None when it has not been written."""
    try:
        return json.loads((ARTIFACTS / "metrics.json").read_text())
    except (OSError, ValueError):
        return None


def queue_state():
    queue = django_rq.get_queue("default")
    return {
        "queued": queue.count,
        "started": StartedJobRegistry(queue=queue).count,
        "failed_jobs": FailedJobRegistry(queue=queue).count,
        "workers": Worker.count(queue=queue),
    }


def context():
    counts = history.counts()
    finished = sum(counts["digits"].values()) or 1
    digits = [
        {"digit": d, "count": n, "share": 100 * n / finished}
        for d, n in counts["digits"].items()
    ]
    _, failures = history.page(status="failed", limit=10)
    return {
        "counts": counts,
        "digits": digits,
        "queue": queue_state(),
        "failures": failures,
        "model": model_card(),
    }
