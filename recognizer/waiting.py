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
from rq.results import Result

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
    conn = history.connection()
    previous = None
    while True:
        records = history.get_many(ids)
        jobs = {r["job_id"] for r in records if r["status"] not in DONE and r.get("job_id")}
        remaining = deadline - time.monotonic()
        if len(records) < len(ids) or not jobs or remaining <= 0:
            return records
        if records == previous:
            time.sleep(0.02)  # the job has ended but its records not yet: do not spin
        previous = records
        # RQ appends every job's outcome to a stream, after our records are written: blocking on
        # it answers the moment a job ends, without polling. The one-second cap notices records
        # ended by someone else (a worker's reconciliation), which write no job result.
        block_ms = max(1, int(min(remaining, 1.0) * 1000))
        conn.xread({Result.get_key(job): "0-0" for job in jobs}, block=block_ms)
