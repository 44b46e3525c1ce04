"""Heat maps on demand: drawn by a worker the first time somebody asks to see one.

Occlusion (ml/explain.py) asks the model about 26 variants of each digit, which costs a worker
more than the recognition itself; most answers (scripts, batches) are never looked at that
closely. So a heat map is drawn when a result page or its `explain.png` is first opened: the
web queues a job of ids on the explain queue (EXPLAIN_QUEUE, served after uploads) and answers
at once; the page's script fetches the PNG until the worker has stored it. The web never waits
for a drawing: a waiting request would hold a web thread outside the cap on waiting clients
(recognizer/waiting.py). Every later look reads it from the record.
"""
import logging

import django_rq
from django.conf import settings

from . import history

log = logging.getLogger(__name__)

# A request for a drawing that went missing (a worker killed under it) is made again after this.
ASK_AGAIN_SECONDS = 30
# What an `explain.png` that is still being drawn tells its client to wait before asking again.
RETRY_AFTER_SECONDS = 1

STORED, DRAWING = "stored", "drawing"


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


def state(prediction_id):
    """STORED when the record's heat map is drawn; DRAWING when it is not yet (its drawing is
    asked for now, or was already); None when it can never be drawn. Never waits."""
    if history.image(prediction_id, "explain") is not None:
        return STORED
    return DRAWING if ask(prediction_id) else None
