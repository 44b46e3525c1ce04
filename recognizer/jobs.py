"""The RQ job behind records: it carries the pictures only while it is pending.

A job's arguments hold the uploaded bytes, so a worker on another host needs no shared disk.
Once the job has ended, its records hold the answer and the storage holds the picture; a copy
left in Redis would only take memory and outlive a delete. So a job's pictures are dropped from
its arguments when it ends (by the worker, the failure callback and reconciliation), and
deleting or pruning a record deletes its job.
"""
import time

from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.registry import FailedJobRegistry, FinishedJobRegistry
from rq.utils import as_text

from . import history

ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
# Rewrites a job's arguments only while the job exists: a job deleted meanwhile must not come
# back as a hash holding nothing but its arguments (and no expiry).
_SET_DATA = """
if redis.call('exists', KEYS[1]) == 1 then
  redis.call('hset', KEYS[1], 'data', ARGV[1])
  return 1
end
return 0
"""


def _is_picture(value):
    return isinstance(value, (bytes, bytearray)) and len(value) > 0


def _strip(args, only=None):
    """Job arguments (ids, picture or pictures, ...) with the pictures emptied; with `only`, the
    pictures of those ids alone (a batch whose other records still wait for their answers)."""
    ids = args[0] if args else None

    def drop(prediction_id):
        return only is None or prediction_id in only

    stripped = []
    for value in args:
        if _is_picture(value):
            value = b"" if drop(ids) else value
        elif isinstance(value, list) and value is not ids and isinstance(ids, list) and len(value) == len(ids):
            value = [b"" if _is_picture(v) and drop(i) else v for i, v in zip(ids, value)]
        stripped.append(value)
    return tuple(stripped)


def holds_pictures(args):
    return any(_is_picture(a) or (isinstance(a, list) and any(map(_is_picture, a))) for a in args)


def drop_pictures(job, only=None):
    """Empty the picture bytes in `job`'s arguments, in memory (for RQ's own later saves of this
    job object) and in Redis. A job that has ended needs only its record ids."""
    try:
        args = job.args
    except Exception:  # arguments that no longer load hold nothing we could clean
        return
    if not holds_pictures(args):
        return
    job.args = _strip(tuple(args), only)
    job.connection.eval(_SET_DATA, 1, job.key, job.data)


# How many times a job cut off by a Redis failure was put back on its queue (in the job's meta):
# once only, so that a job that keeps meeting failures ends instead of running in a loop.
REQUEUED_META = "requeued_after_redis_failure"
MAX_REQUEUES = 1


def requeue_cut_off(job_id, connection):
    """Put a job that a Redis failure cut off back at the front of its queue, with the same id,
    as Redis now holds it; True if it was. Not when Redis no longer has the job, the job has
    ended, its pictures are gone (nothing to recognise again) or it was put back once already.
    Running it again is safe: a record's answer is written to the same record (history.py)."""
    from rq.registry import StartedJobRegistry

    job = _fetch(job_id, connection)
    if job is None or job.get_status() in ENDED:
        return False
    # "queued" alone does not mean waiting: after a failover the new master can hold the old
    # one's pop of the job (a BLPOP reaches the replica as an LPOP) without the worker's writes
    # that followed it, so the job says queued and is in no queue. Only one found in its queue
    # was put back already (by the worker's check when Redis answered again).
    if job.get_status() == JobStatus.QUEUED and job.id in waiting_ids([job.origin], connection):
        return True
    try:
        args = job.args
    except Exception:
        return False
    if not holds_pictures(args) or job.meta.get(REQUEUED_META, 0) >= MAX_REQUEUES:
        return False
    job.meta[REQUEUED_META] = job.meta.get(REQUEUED_META, 0) + 1
    job.worker_name = None
    pipe = connection.pipeline()
    StartedJobRegistry(job.origin, connection=connection, job_class=type(job)).remove_executions(job, pipeline=pipe)
    Queue(job.origin, connection=connection, job_class=type(job))._enqueue_job(job, pipeline=pipe, at_front=True)
    pipe.execute()
    return True


def waiting_ids(queue_names, connection):
    """The ids of the jobs waiting in the named queues, RQ's intermediate queues included (a
    worker on one queue moves the job it takes there until it starts it)."""
    ids = set()
    for name in queue_names:
        queue = Queue(name, connection=connection)
        for key in (queue.key, queue.intermediate_queue_key):
            ids.update(as_text(i) for i in connection.lrange(key, 0, -1))
    return ids


def taken_and_not_started(job_ids, queue_names, connection):
    """Of `job_ids`, those of jobs from the named queues that Redis shows queued yet in none of
    them: a worker took them off and never marked them started. A live worker does that within
    milliseconds; what Redis still shows so was taken by a worker that died, or kept by a
    failover that lost the writes after the take. The queues are read after the caller listed
    `job_ids`, so a job missing from them had left them by then."""
    job_ids = list(dict.fromkeys(job_ids))
    if not job_ids:
        return []
    waiting = waiting_ids(queue_names, connection)
    unseen = [job_id for job_id in job_ids if job_id not in waiting]
    return [job.id for job in Job.fetch_many(unseen, connection=connection)
            if job is not None and job.origin in queue_names and job.get_status(refresh=False) == JobStatus.QUEUED]


def _unclaimed_key(job):
    return f"rq:unclaimed:{job.id}"


def unclaimed_for(job, seconds, now=None):
    """Whether `job`, now taken off its queue but not started, was already seen so at least
    `seconds` ago. The first look only notes the time (kept a day, as RQ keeps its own marks
    of jobs stuck in an intermediate queue)."""
    now = now or time.time()
    key = _unclaimed_key(job)
    if job.connection.set(key, repr(now), nx=True, ex=86400):
        return False
    first_seen = job.connection.get(key)
    return first_seen is not None and now - float(first_seen) >= seconds


def forget_unclaimed(job, pipeline):
    """Drop the note unclaimed_for keeps, once the job has ended."""
    pipeline.delete(_unclaimed_key(job))


def record_ids(job):
    ids = job.args[0] if job.args else []
    return ids if isinstance(ids, list) else [ids]


def contents(args):
    """(record ids, pictures, crop boxes) in a recognition job's arguments, as submit._enqueue
    wrote them: (id, picture[, crop]) for one upload, (ids, pictures[, crops]) for several."""
    if args and isinstance(args[0], list):
        ids, pictures = list(args[0]), list(args[1])
        return ids, pictures, list(args[2]) if len(args) > 2 and args[2] else [None] * len(ids)
    return [args[0]], [args[1]], [args[2] if len(args) > 2 else None]


def ids_to_recognise(args):
    """The record ids of a recognition job's arguments whose pictures are still there. A picture
    is emptied once its record has ended or was deleted, so none of these has an answer to lose."""
    ids, pictures, _ = contents(args)
    return [i for i, picture in zip(ids, pictures) if _is_picture(picture)]


def _fetch(job_id, connection):
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None


def forget(prediction_id):
    """Before the record `prediction_id` is deleted: delete its job, or, when the job is a batch
    whose other records still wait for it, its picture in that job."""
    record = history.get(prediction_id)
    if not record or not record.get("job_id"):
        return
    job = _fetch(record["job_id"], history.connection())
    if job is None:
        return
    others = [i for i in record_ids(job) if i != prediction_id]
    waiting = [r for r in history.get_many(others) if r["status"] in ("queued", "started")]
    if waiting and job.get_status() not in ENDED:
        drop_pictures(job, only={prediction_id})
    else:
        job.delete()


def forget_orphans(connection=None, limit=1000):
    """Delete the ended jobs none of whose records exists any more (after retention pruned
    them); returns how many went. Looks at the `limit` jobs of each registry that ended first:
    retention prunes the oldest records, so their jobs are there."""
    connection = connection or history.connection()
    removed = 0
    for registry_class in (FinishedJobRegistry, FailedJobRegistry):
        registry = registry_class("default", connection=connection)
        for job_id in registry.get_job_ids(0, limit - 1):
            job = _fetch(job_id, connection)
            if job is None:
                registry.remove(job_id)
                continue
            try:
                ids = record_ids(job)
            except Exception:
                continue
            if not ids or not all(isinstance(i, str) for i in ids):
                continue  # not a job of records (a live guess carries only its drawing)
            if not history.get_many(ids):
                job.delete()
                removed += 1
    return removed
