"""`?wait=N`: answering an upload with its result, without letting waiting clients hold the site.

A waiting request holds one of its web process's threads for up to MAX_WAIT_SECONDS. So the
waits a process serves at once are capped (MAX_WAITS_PER_PROCESS, by default half its threads):
past the cap the records come back at once, still queued, and the API answers 202 with their
URLs to poll, as it does without `?wait`. However many clients park on `?wait`, the other
threads stay free for pages and /healthz.

Reads only: a wait never ends a record or moves a job (workers reconcile, see reconcile.py).
"""
import threading
import time

from django.conf import settings

from . import history

DONE = ("finished", "failed")
_slots = {}
_slots_lock = threading.Lock()


def _semaphore():
    limit = settings.MAX_WAITS_PER_PROCESS
    with _slots_lock:
        if limit not in _slots:
            _slots[limit] = threading.BoundedSemaphore(limit)
        return _slots[limit]


def wait(ids, timeout):
    """The records once all are finished or failed, or as they are when `timeout` runs out
    or when this process already serves as many waits as it may."""
    slots = _semaphore()
    if not slots.acquire(blocking=False):
        return history.get_many(ids)
    try:
        return _wait(ids, timeout)
    finally:
        slots.release()


def _wait(ids, timeout):
    deadline = time.monotonic() + timeout
    # Just accepted: every record is queued with its job, so the first look is the wait itself.
    pending, previous = list(ids), None
    while True:
        # Every record that ends leaves a notice in the same Redis step (history.py): blocking
        # on them answers the moment an answer is readable, before the worker's RQ bookkeeping
        # of the job, and whoever ended it (a worker's reconciliation too); the records are read
        # in the same round trip. The one-second cap notices records deleted meanwhile.
        remaining = deadline - time.monotonic()
        block_ms = max(1, int(min(remaining, 1.0) * 1000)) if remaining > 0 else 0
        _, records = history.get_many_when_ended(ids, pending, block_ms)
        pending = [r["id"] for r in records if r["status"] not in DONE and r.get("job_id")]
        if len(records) < len(ids) or not pending or time.monotonic() >= deadline:
            return records
        if records == previous:
            time.sleep(0.02)  # woken with nothing changed: do not spin
        previous = records
