"""Batching in the worker: a recognition job takes the recognition jobs waiting behind it.

Under load a queue holds several uploads' jobs while the workers are busy. RQ would run them one
at a time, each with its own dequeue, heartbeats, registries, status and result (about 80 Redis
commands and 6 ms of the worker's CPU per job, `python -m bench.overhead --replay`) and its own
model call. Instead the job that is running takes the recognition jobs at the head of its queue
(at most WORKER_TAKE_MAX, in the round trip that marks its own records started), recognises all
their pictures in the same model call, records each answer in the same pipeline, and ends each
taken job there as finished, as RQ would have. A quiet site's queue is empty, so nothing is taken
and nothing waits: unlike gathering uploads in the web, this adds no latency.

While in hand a taken job is in no queue and no registry. If Redis fails meanwhile, the worker
puts the taken jobs back at the head of their queue once Redis answers (put_back); if the worker
dies, reconciliation finds them queued in no queue and ends their records (reconcile.py), as it
does for a job RQ's own dequeue took from a worker that died.
"""
import logging

from django.conf import settings
from rq.defaults import DEFAULT_RESULT_TTL
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.utils import now

from . import history, jobs

log = logging.getLogger(__name__)

# What may be taken: the uploads' jobs (their ids start with JOB_PREFIX, see batching.py). Live
# guesses and heat maps are left for RQ, in their order.
RECOGNITION = ("recognizer.tasks.recognise_upload", "recognizer.tasks.recognise_batch")
JOB_PREFIX = "predict-"

# Pops the leading recognition jobs of a queue, at most ARGV[1]; stops at the first other job so
# the queue's order is kept.
_TAKE = """
local ids = redis.call('lrange', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local n = 0
for _, id in ipairs(ids) do
  if string.sub(id, 1, string.len(ARGV[2])) ~= ARGV[2] then break end
  n = n + 1
end
if n == 0 then return {} end
redis.call('ltrim', KEYS[1], n, -1)
return {unpack(ids, 1, n)}
"""

# Jobs this process has taken and not yet ended: put back on their queue if Redis fails meanwhile.
_in_hand = []
# What the worker did for the job it is starting (start()): {job id: ids of the jobs it took}.
_started = {}


def take(current, pipeline):
    """Queue on `pipeline` the taking of the recognition jobs waiting behind `current` (the job
    now running); pipeline.execute()'s last value is then their ids. False when `current` is no
    recognition job or the limit is 0: nothing was queued."""
    if current is None or current.func_name not in RECOGNITION or settings.WORKER_TAKE_MAX <= 0:
        return False
    key = Queue(current.origin, connection=current.connection).key
    pipeline.eval(_TAKE, 1, key, settings.WORKER_TAKE_MAX, JOB_PREFIX)
    return True


def start(job, pipeline):
    """Queue on `pipeline`, the worker's round trip that marks `job` started in RQ, what a
    recognition job does first: its records marked started and the take of the recognition jobs
    waiting behind it. Returns whether the take was queued (pipeline.execute()'s last value is
    then their ids), or None for a job that is not a recognition job: nothing was queued.
    The worker hands the answer to the job with started()."""
    _started.clear()  # one job at a time: whatever a job that never ran left is stale
    if job.func_name not in RECOGNITION:
        return None
    try:
        record_ids = jobs.ids_to_recognise(job.args)
    except Exception:  # arguments that do not load: the job fails on its own, as before
        return None
    if not record_ids:
        # No picture left: most likely a copy of a job that ended (a failover can leave one on
        # the queue), whose records hold their answers. The job looks at its records itself
        # before it writes anything (tasks.recognise_batch).
        return None
    return start_records(record_ids, job, pipeline)


def start_records(record_ids, job, pipeline):
    """Queue on `pipeline` what a recognition job does first: its records marked started and the
    take of the recognition jobs waiting behind `job`. Returns whether the take was queued."""
    for prediction_id in record_ids:
        history.mark_started(prediction_id, pipeline=pipeline)
    return take(job, pipeline)


def started(job, taken_ids):
    """The worker's round trip of start() went out: `job` finds its records started and
    `taken_ids` taken (the take's reply, or [] when none was queued)."""
    _started[job.id] = list(taken_ids or [])


def taken_at_start(job):
    """The ids the worker took when it started `job` (start()), or None when the worker did not
    start it so (the job then starts its records itself). Asked once: the ids are the job's."""
    return None if job is None else _started.pop(job.id, None)


def put_back_unclaimed(connection):
    """After a job: jobs taken when it started but never claimed by it (it failed before its
    own code ran) go back at the head of their queue."""
    left = [i for ids in _started.values() for i in ids]
    _started.clear()
    if not left:
        return 0
    ids = [i.decode() if isinstance(i, bytes) else i for i in left]
    _put_back([Job(i, connection=connection) for i in ids], connection)
    return len(ids)


def claim(job_ids, connection, room):
    """The taken jobs (fetched in one round trip) whose pictures fit in `room` more pictures,
    as [(job, ids, pictures, crops)]; those that do not fit go back at the head of the queue."""
    if not job_ids:
        return []
    ids = [i.decode() if isinstance(i, bytes) else i for i in job_ids]
    fetched = Job.fetch_many(ids, connection=connection)
    claimed, back = [], []
    for job_id, job in zip(ids, fetched):
        if job is None:
            continue  # deleted with its records meanwhile: nothing to do
        try:
            args = tuple(job.args)
        except Exception:
            log.exception("Taken job %s has arguments that do not load; left to RQ", job_id)
            back.append(job)
            continue
        if _ran_already(job):
            log.warning("Taken job %s has ended already (a copy left on its queue); not run again", job_id)
            continue
        if job.func_name not in RECOGNITION or job.get_status(refresh=False) != JobStatus.QUEUED:
            back.append(job)
            continue
        record_ids, pictures, crops = jobs.contents(args)
        if back or len(pictures) > room:
            back.append(job)
            continue
        room -= len(pictures)
        claimed.append((job, record_ids, pictures, crops))
    _in_hand.extend(job for job, _, _, _ in claimed)
    if back:
        _put_back(back, connection)
    return claimed


def finish(claimed, summary, pipeline, worker_name=""):
    """End each claimed job on `pipeline` as finished, as RQ ends the job it ran: status, result,
    finished registry, expiry; its pictures are dropped (jobs.py). `summary` maps record ids to
    what recognise_batch returns for each."""
    ended_at = now()
    for job, record_ids, _, _ in claimed:
        job.args = jobs._strip(tuple(job.args))
        job.started_at = job.started_at or ended_at
        job.ended_at = ended_at
        job.worker_name = worker_name
        job._result = {i: summary[i] for i in record_ids if i in summary}
        ttl = job.get_result_ttl(DEFAULT_RESULT_TTL)
        job._handle_success(ttl, pipeline=pipeline, worker_name=worker_name)
        job.cleanup(ttl, pipeline=pipeline, remove_from_queue=False)


def done():
    """The claimed jobs are ended in Redis: nothing left in hand."""
    _in_hand.clear()


def put_back(connection):
    """Redis answers again after failing under a job: the jobs it had taken go back at the head of
    their queue, to run again (recording an answer is idempotent per record id)."""
    if not _in_hand:
        return 0
    taken = list(_in_hand)
    _put_back(taken, connection)
    _in_hand.clear()
    return len(taken)


def _ran_already(job):
    """A recognition job that has ended yet is taken again: a failover can leave a copy of its
    id on the queue, or keep a job's end whose reply the worker never had."""
    return job.func_name in RECOGNITION and job.get_status(refresh=False) in jobs.ENDED


def _put_back(taken, connection):
    """Put `taken` back at the head of their queues, as Redis holds them now: a job that has
    ended meanwhile (its end reached Redis though the reply did not), or that is on its queue
    already (Redis lost the take), is left where it is; pushed twice, it would run twice."""
    fresh = [job for job in Job.fetch_many([job.id for job in taken], connection=connection) if job is not None]
    waiting = jobs.waiting_ids({job.origin for job in fresh}, connection)
    by_queue = {}
    for job in fresh:
        if not _ran_already(job) and job.id not in waiting:
            by_queue.setdefault(job.origin, []).append(job.id)
    if not by_queue:
        return
    pipe = connection.pipeline(transaction=False)
    for origin, ids in by_queue.items():
        # LPUSH puts the last one first: pushed in reverse, they keep their order.
        pipe.lpush(Queue(origin, connection=connection).key, *reversed(ids))
    pipe.execute()
    log.warning("Put %d taken job(s) back on their queue", sum(map(len, by_queue.values())))
