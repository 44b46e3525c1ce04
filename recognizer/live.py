"""Live guesses while a person draws: the same queue and worker as every upload, no history.

The page sends the drawing after each stroke; the job's return value comes back through RQ's
own result stream (`Job.latest_result(timeout=…)` blocks on it), so nothing is written to the
history and nothing polls.
"""
import django_rq
from django.conf import settings

from ml.decode import ImageRejected, check_upload

from . import messages

# A live guess that is not back within this many seconds is stale: the person has drawn on.
WAIT_SECONDS = 5
# A guess nobody took from the queue in this time is dropped, so a busy queue never works
# through a backlog of drawings that have changed since.
QUEUE_TTL_SECONDS = 10
RESULT_TTL_SECONDS = 60


class LiveError(Exception):
    def __init__(self, message, status, code=None):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def guess(data):
    """The worker's answer for a drawing, as a dict in the reader's language; raises LiveError."""
    try:
        check_upload(data, max_bytes=settings.MAX_UPLOAD_BYTES, max_pixels=settings.MAX_IMAGE_PIXELS)
    except ImageRejected as exc:
        raise LiveError(messages.reason(exc.code, str(exc), **exc.params), exc.status, exc.code) from None
    queue = django_rq.get_queue("default")
    job = queue.enqueue("recognizer.tasks.recognise_live", data, ttl=QUEUE_TTL_SECONDS,
                        result_ttl=RESULT_TTL_SECONDS, failure_ttl=RESULT_TTL_SECONDS)
    result = job.latest_result(timeout=WAIT_SECONDS)
    if result is None:
        job.cancel()
        raise LiveError(messages.reason("busy"), 503, "busy")
    if result.type != result.Type.SUCCESSFUL:
        raise LiveError(messages.reason("internal_error"), 500, "internal_error")
    answer = dict(result.return_value)
    if answer["status"] == "failed":
        answer["error"] = messages.reason(answer.get("code"), answer.get("error"), **(answer.get("params") or {}))
    return answer
