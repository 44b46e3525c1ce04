"""Records whose job can no longer end them: find them and say so, so nothing stays "started".

A record is ended by its job (tasks.py) or, when the job fails in a way the job itself cannot
see (timeout, a worker killed mid-job and cleaned up by RQ), by the job's failure callback.
What neither covers: a worker that died before RQ's own maintenance noticed (that takes up to
the job timeout plus RQ's maintenance interval), or a job that vanished from Redis. This module
covers those, from the job's own state in RQ. It runs when a worker starts, on every worker
maintenance tick, and lazily when someone looks at a record that is older than it should be.

We mark such records failed instead of requeueing them: a picture that killed a worker (say, by
exhausting its memory) would kill the next one too, and the person sees a clear message.
"""
import logging
import os
import socket
import time

from django.conf import settings
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry
from rq.worker import Worker

from . import history
from .messages import INTERNAL_ERROR, JOB_LOST, TIMED_OUT, WORKER_STOPPED, code_of  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

PENDING = ("queued", "started")
# Slack on top of the job timeout before a pending record is looked at: a busy queue is normal.
GRACE_SECONDS = 30
CHUNK = 500


def _alive_here(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_is_gone(name, connection):
    """True when the worker named `name` is known to be gone: its key expired or, on this
    host, its process no longer exists (so a restarted worker need not wait for the key's TTL)."""
    if not name:
        return True
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=connection)
    if worker is None:
        return True
    if worker.hostname == socket.gethostname() and worker.pid and worker.pid != os.getpid():
        return not _alive_here(worker.pid)
    return False


def _fail_job(job, reason, connection):
    """Move a job that can never finish to RQ's failed registry, with the reason."""
    pipe = connection.pipeline()
    StartedJobRegistry(job.origin, connection=connection, job_class=type(job)).remove_executions(job, pipeline=pipe)
    record_job_failure(job, reason, pipe)
    pipe.execute()


def _fail_records(record_ids, message):
    for prediction_id in record_ids:
        record = history.get(prediction_id)
        if record and record["status"] in PENDING:
            history.mark_failed(prediction_id, message, code=code_of(message))


def is_overdue(record, now=None):
    """A pending record older than any job should take (lazy checks look only at these)."""
    if record["status"] not in PENDING:
        return False
    since = record.get("started_at") or record.get("created_at") or 0
    return (now or time.time()) - since > settings.JOB_TIMEOUT + GRACE_SECONDS


def check(record, now=None):
    """End one pending record if its job cannot; returns the message used, or None."""
    if record["status"] not in PENDING:
        return None
    connection = history.connection()
    job = None
    if record.get("job_id"):
        try:
            job = Job.fetch(record["job_id"], connection=connection)
        except NoSuchJobError:
            job = None
    if job is None:
        # The job is gone (Redis lost it, or it was deleted): only an old record is suspect,
        # because records are written just before their job is enqueued.
        if is_overdue(record, now):
            _fail_records([record["id"]], JOB_LOST)
            return JOB_LOST
        return None
    status = job.get_status()
    if status == JobStatus.STARTED and worker_is_gone(job.worker_name, connection):
        log.warning("Job %s was running on %s, which is gone; marking it failed", job.id, job.worker_name)
        _fail_job(job, f"AbandonedJobError: worker {job.worker_name} stopped during the job", connection)
        message = WORKER_STOPPED
    elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        message = WORKER_STOPPED if "Abandoned" in (job.exc_info or "") else INTERNAL_ERROR
    elif status == JobStatus.FINISHED:
        message = INTERNAL_ERROR  # the job ended without writing the record: should not happen
    else:
        return None
    _fail_records(_record_ids(job, record), message)
    return message


def _record_ids(job, record):
    ids = job.args[0] if job.args else [record["id"]]
    return ids if isinstance(ids, list) else [ids]


def pending_records():
    """Every queued or started record, oldest first."""
    for status in PENDING:
        offset = 0
        while True:
            total, records = history.page(status=status, offset=offset, limit=CHUNK)
            yield from records
            offset += CHUNK
            if offset >= total:
                break


def reconcile_all(now=None):
    """Check every pending record; returns how many were ended."""
    ended = 0
    for record in list(pending_records()):
        if check(record, now):
            ended += 1
    if ended:
        log.warning("Reconciliation ended %d record(s) whose job could not", ended)
    return ended


def refresh(records):
    """`records` again, after ending any overdue one whose job cannot end it (for readers)."""
    now = time.time()
    overdue = [r for r in records if is_overdue(r, now)]
    if not overdue:
        return records
    for record in overdue:
        check(record, now)
    return history.get_many([r["id"] for r in records])
