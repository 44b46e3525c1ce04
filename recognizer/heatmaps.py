"""Heat maps on demand: drawn by a worker the first time somebody asks to see one.

Occlusion (ml/explain.py) asks the model about 26 variants of each digit, which costs a worker
more than the recognition itself; most answers (scripts, batches) are never looked at that
closely. So a heat map is drawn when a result page or its `explain.png` is first opened: the
web queues a job of ids on the explain queue (EXPLAIN_QUEUE, served after uploads) and waits a
moment for the stored PNG. Every later look reads it from the record.
"""
import logging
import time

import django_rq
from django.conf import settings

from . import history

log = logging.getLogger(__name__)

# How long a page waits for a heat map it asked for before it is shown without one.
WAIT_SECONDS = 2.0
# A request for a drawing that went missing (a worker killed under it) is made again after this.
ASK_AGAIN_SECONDS = 30
POLL_SECONDS = 0.05


def ask(prediction_id):
    """Queue the drawing of a finished record's heat map, once; False when there is nothing to
    draw it from (no stored input: not finished, or deleted)."""
    if not history.images([prediction_id], "input")[0]:
        return False
    if history.ask_once(prediction_id, ASK_AGAIN_SECONDS):
        # By name: the web never imports the model's libraries. No failure callback: a heat map
        # that cannot be drawn is missing, and the answer stays as it was recorded.
        django_rq.get_queue(settings.EXPLAIN_QUEUE, connection=history.connection()).enqueue(
            "recognizer.tasks.explain_predictions", [prediction_id],
            result_ttl=0, failure_ttl=settings.JOB_FAILURE_TTL)
    return True


def heat_map(prediction_id, wait_seconds=WAIT_SECONDS):
    """The record's heat-map PNG, asked for and waited on (at most `wait_seconds`) when it has
    not been drawn yet; None when it cannot be drawn or is not ready in time."""
    png = history.image(prediction_id, "explain")
    if png is not None or not history.valid_id(prediction_id) or not ask(prediction_id):
        return png
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        png = history.image(prediction_id, "explain")
        if png is not None:
            return png
    return None
