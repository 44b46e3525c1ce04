"""Records whose job can no longer end them: find them and say so, so nothing stays "started".

A record is ended by its job (tasks.py) or, when the job fails in a way the job itself cannot
see (timeout, a worker killed mid-job and cleaned up by RQ), by the job's failure callback.
What neither covers: a worker that died before RQ's own maintenance noticed (that takes up to
the job timeout plus RQ's maintenance interval), a worker that died between taking a job off its
queue and starting it (RQ never looks at such a job), or a job that vanished from Redis. This
module covers those, from the job's own state in RQ. Only workers run it: when one starts, on
every maintenance tick (an idle worker wakes for each), and when Redis answers again after an
outage. Reading a record never writes.

A job cut off by Redis itself (a crash, a failover that lost the last writes) is the service's
fault, not the picture's: its records say the job was lost and ask for the upload again.

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
from rq.queue import Queue
from rq.registry import StartedJobRegistry
from rq.utils import as_text
from rq.worker import Worker

from . import history, jobs
from .messages import INTERNAL_ERROR, JOB_LOST, TIMED_OUT, WORKER_STOPPED, code_of  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

PENDING = ("queued", "started")
# Slack on top of the job timeout before a pending record is looked at: a busy queue is normal.
GRACE_SECONDS = 30
# How long a job must stay taken off its queue but not started, between two looks, to count as
# lost (a worker that took it died). A live worker starts a job within milliseconds of taking it.
UNCLAIMED_SECONDS = 10
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
    """Move a job that can never finish to RQ's failed registry, with the reason (and without
    its pictures: nothing will read them again)."""
    jobs.drop_pictures(job)
    pipe = connection.pipeline()
    jobs.forget_unclaimed(job, pipe)
    StartedJobRegistry(job.origin, connection=connection, job_class=type(job)).remove_executions(job, pipeline=pipe)
    Queue(job.origin, connection=connection).remove(job, pipeline=pipe)
    record_job_failure(job, reason, pipe)
    pipe.execute()


# Traces of a job that failed because Redis went away under it, not because of its picture.
_INFRASTRUCTURE = ("ConnectionError", "TimeoutError", "ReadOnlyError", "LostJobError")


def failure_message(exc_info):
    """What a failed job's records say, from the job's traceback text."""
    exc_info = exc_info or ""
    if "Abandoned" in exc_info:
        return WORKER_STOPPED
    if any(name in exc_info for name in _INFRASTRUCTURE):
        return JOB_LOST
    return INTERNAL_ERROR


def end_lost_job(job, connection):
    """End a job that Redis lost track of (the worker running it saw Redis go away): the job
    goes to the failed registry and its pending records say it was lost."""
    job = Job.fetch(job.id, connection=connection) if Job.exists(job.id, connection=connection) else None
    if job is not None:
        if job.get_status() in jobs.ENDED:
            return
        _fail_job(job, "LostJobError: Redis became unreachable while this job ran", connection)
        _fail_records(jobs.record_ids(job), JOB_LOST)


def started_jobs_of(worker_name, connection):
    """The jobs Redis shows as running on `worker_name`."""
    registry = StartedJobRegistry("default", connection=connection)
    found = []
    for job_id in registry.get_job_ids():
        try:
            job = Job.fetch(job_id, connection=connection)
        except NoSuchJobError:
            continue
        if job.worker_name == worker_name and job.get_status() == JobStatus.STARTED:
            found.append(job)
    return found


def _queued_ids(origin, connection, waiting):
    """The ids of the jobs in queue `origin`, read once per pass into `waiting`."""
    if origin not in waiting:
        queue = Queue(origin, connection=connection)
        waiting[origin] = {as_text(i) for key in (queue.key, queue.intermediate_queue_key)
                           for i in connection.lrange(key, 0, -1)}
    return waiting[origin]


def _waits_in_queue(job, connection, waiting=None):
    """Whether `job` is still in its queue. With `waiting` (a dict that reconcile_all keeps for
    one pass), each queue is read once for all records instead of searched once per record: a
    backlog of N uploads would otherwise cost N searches of N entries on every tick."""
    if waiting is not None:
        return job.id in _queued_ids(job.origin, connection, waiting)
    queue = Queue(job.origin, connection=connection)
    return (connection.lpos(queue.key, job.id) is not None
            or connection.lpos(queue.intermediate_queue_key, job.id) is not None)


def _fail_records(record_ids, message):
    for prediction_id in record_ids:
        record = history.get(prediction_id)
        if record and record["status"] in PENDING:
            history.mark_failed(prediction_id, message, code=code_of(message))


def is_overdue(record, now=None):
    """A pending record older than any job should take."""
    if record["status"] not in PENDING:
        return False
    since = record.get("started_at") or record.get("created_at") or 0
    return (now or time.time()) - since > settings.JOB_TIMEOUT + GRACE_SECONDS


def check(record, now=None, waiting=None):
    """End one pending record if its job cannot; returns the message used, or None.

    `waiting`: the queues' contents, read after `record` was (see _waits_in_queue)."""
    if record["status"] not in PENDING:
        return None
    connection = history.connection()
    if (waiting is not None and record["status"] == "queued"
            and record.get("job_id") in _queued_ids("default", connection, waiting)):
        return None  # waiting its turn (uploads are queued on "default"): no need to load its job
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
        message = failure_message(job.exc_info)
    elif status == JobStatus.FINISHED:
        # Finished without its records' answers: Redis lost those writes (a crash between the
        # job's writes reaching disk, a failover to a replica that had not got them).
        message = JOB_LOST
    elif status == JobStatus.QUEUED and not _waits_in_queue(job, connection, waiting):
        # Taken off its queue but never started. A worker that listens on several queues takes
        # a job with BLPOP, so until it marks the job started nothing in Redis says who holds
        # it, and RQ's maintenance never looks at it (its started-registry cleanup skips a job
        # that is not "started"): the worker died in that moment, or Redis restarted and lost
        # the job's later writes. A live worker marks a job started milliseconds after taking
        # it, so a job still unclaimed when looked at again UNCLAIMED_SECONDS later is lost.
        if not jobs.unclaimed_for(job, UNCLAIMED_SECONDS, now):
            return None
        _fail_job(job, "LostJobError: the job left its queue but never started", connection)
        message = JOB_LOST
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
    # Filled only after the records are listed: their jobs were queued with them (one
    # transaction), so a job missing from a queue read later had left it by then.
    waiting = {}
    for record in list(pending_records()):
        if check(record, now, waiting):
            ended += 1
    if ended:
        log.warning("Reconciliation ended %d record(s) whose job could not", ended)
    return ended

