"""The worker class: jobs run in this process with the CNN loaded once.

TensorFlow is not fork-safe and loading it per job would cost seconds, so instead of RQ's
forking Worker we use SimpleWorker and load the model before the first job (rq#1088). There is
no work-horse isolation, which is why every job function guards itself and records failures.

Housekeeping rides on RQ's maintenance tick (WORKER_MAINTENANCE_SECONDS) and on start-up:
records left pending by a dead worker are ended (reconcile.py) and old history is pruned.

A worker outlives Redis going away (a crash, a restart, a Sentinel failover): RQ's own loop
retries only its blocking dequeue and quits on any other Redis error, which would take the
loaded model down with it. Here every Redis call of the loop waits for Redis with back-off
instead. A job cut off by the outage is put back on its queue once, with the same id, when Redis
answers again: it still carries its pictures, and recording answers is idempotent per record id,
so running it again writes the same records. So is a job that Redis shows taken off its queue
but never started: a failover can keep a worker's take of a job and lose what followed it. Only
a job that cannot run again (its pictures gone, or already put back once) ends as "lost" (its
records say so); a job ended here no longer carries its pictures (jobs.py).
"""
import logging
import time

import redis
from django.conf import settings
from rq import Queue, SimpleWorker
from rq.job import JobStatus
from rq.executions import Execution
from rq.utils import now
from rq.worker import WorkerStatus

from . import coalesce, jobs

log = logging.getLogger(__name__)

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# Back-off between tries while Redis is away: short at first (a restart takes a second or two),
# never long enough to leave a queue unserved for minutes once Redis is back.
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 5.0
# A heartbeat sent less than this long ago still keeps the worker registered (its TTL is minutes).
BEAT_AGAIN_SECONDS = 1.0
# After an outage, a job that Redis shows taken off its queue but not started is looked at again
# this much later before it is put back: a live worker that has just taken one marks it started
# within milliseconds, and must not see it run a second time.
TAKEN_LOOK_AGAIN_SECONDS = 1.0


class ModelWorker(SimpleWorker):
    # RQ's own back-off for its dequeue loop, which doubles up to 60 s by default.
    max_connection_wait_time = MAX_RETRY_SECONDS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", settings.WORKER_MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)
        self._redis_lost = False
        self._beat = (float("-inf"), 0)  # (monotonic time, TTL) of the last heartbeat sent
        self._suspension_checked = float("-inf")
        self._preparing = None  # the pipeline prepare_execution began, sent by prepare_job_execution
        self._idle_sent = False  # "idle" went out with a job's result (increment_successful_job_count)

    def work(self, *args, **kwargs):
        from ml.predict import load_serving_model

        # LiteRT's interpreter, with WORKER_MODEL_THREADS threads: the worker never imports TensorFlow.
        load_serving_model(settings.MODEL_PATH, threads=settings.WORKER_MODEL_THREADS,
                           wholeness_path=settings.WHOLENESS_MODEL_PATH, second_path=settings.SECOND_MODEL_PATH)
        log.info("Model loaded; worker %s ready", self.name)
        self.until_redis_answers("start", self.connection.ping)
        self.housekeeping()
        return super().work(*args, **kwargs)

    def until_redis_answers(self, what, call, *args, **kwargs):
        """call(*args, **kwargs), tried again with back-off for as long as Redis is unreachable."""
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                result = call(*args, **kwargs)
            except REDIS_ERRORS as exc:
                self._redis_lost = True
                log.warning("Worker %s: Redis unreachable (%s) during %s; trying again in %.1f s",
                            self.name, exc, what, delay)
                time.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                continue
            if self._redis_lost:
                self._redis_lost = False
                self._beat, self._state = (float("-inf"), 0), None  # Redis may have lost both
                self._idle_sent = False
                log.warning("Worker %s: Redis answers again", self.name)
                self.after_outage()
            return result

    # The calls of RQ's work loop that would otherwise end the worker on a Redis error.
    # RQ beats three times per job (before and after its dequeue, after the job), each beat
    # three round trips, and sets the idle state twice: most of a job's bookkeeping. A beat is
    # sent as one pipeline, and left out when one that keeps the worker alive at least as long
    # went out within the last second; a state already set is not set again.
    def heartbeat(self, timeout=None, pipeline=None):
        ttl = timeout or self.worker_ttl + 60
        if pipeline is not None:  # queued on someone's pipeline: no round trip here
            self._beat = (time.monotonic(), ttl)
            return super().heartbeat(timeout, pipeline=pipeline)
        sent_at, sent_ttl = self._beat
        if time.monotonic() - sent_at < BEAT_AGAIN_SECONDS and ttl <= sent_ttl:
            return None
        return self.until_redis_answers("heartbeat", self._beat_now, ttl)

    def _beat_now(self, ttl):
        with self.connection.pipeline(transaction=False) as pipe:
            super().heartbeat(ttl, pipeline=pipe)
            pipe.execute()
        self._beat = (time.monotonic(), ttl)

    def set_state(self, state, pipeline=None):
        if pipeline is not None:
            self._idle_sent = False
            return super().set_state(state, pipeline=pipeline)
        if state == WorkerStatus.IDLE and self._idle_sent:
            self._idle_sent, self._state = False, state  # written with the job's result
            return None
        if state == self._state:
            return None
        return self.until_redis_answers("set_state", super().set_state, state)

    def check_for_suspension(self, burst):
        # Asked before every job, one round trip each: once a second is soon enough for
        # `rq suspend` to take effect.
        if time.monotonic() - self._suspension_checked < BEAT_AGAIN_SECONDS:
            return None
        result = self.until_redis_answers("check_for_suspension", super().check_for_suspension, burst)
        self._suspension_checked = time.monotonic()
        return result

    # Starting a job, RQ writes its execution (started registry, worker busy) in one round trip,
    # then the job's start (heartbeats, status) in another, and then our job marks its records
    # started and takes the jobs behind it in a third, all before the model runs. Here the three
    # go out as one transaction: prepare_execution only queues its writes, and
    # prepare_job_execution sends them with its own and the job's (coalesce.start).
    def prepare_execution(self, job):
        pipeline = self.connection.pipeline()
        execution = Execution.create(job, self.get_heartbeat_ttl(job), pipeline=pipeline, worker_name=self.name)
        self.executions[execution.id] = execution
        self.set_state(WorkerStatus.BUSY, pipeline=pipeline)
        self._preparing = pipeline
        return execution

    def prepare_job_execution(self, job, remove_from_intermediate_queue=False):
        # RQ's own steps (BaseWorker.prepare_job_execution), on the pipeline prepare_execution began.
        pipeline, self._preparing = self._preparing or self.connection.pipeline(), None
        with pipeline:
            heartbeat_ttl = self.get_heartbeat_ttl(job)
            self.heartbeat(heartbeat_ttl, pipeline=pipeline)
            job.heartbeat(now(), heartbeat_ttl, pipeline=pipeline)
            job.prepare_for_execution(self.name, pipeline=pipeline)
            pipeline.persist(job.key)
            if remove_from_intermediate_queue:
                pipeline.lrem(Queue(job.origin, connection=self.connection).intermediate_queue_key, 1, job.id)
            taking = coalesce.start(job, pipeline)
            replies = pipeline.execute()
        if taking is not None:
            coalesce.started(job, replies[-1] if taking else [])
        self.procline(f"Processing {job.func_name} from {job.origin} since {time.time()}")

    def execute_job(self, job, queue):
        try:
            super().execute_job(job, queue)
            # A job that failed before its own code ran leaves what its start took.
            coalesce.put_back_unclaimed(self.connection)
        except REDIS_ERRORS as exc:
            # The job may have run, half-run or not started: Redis cannot say which until it is
            # back. Its records are then ended as lost, never left waiting.
            self._redis_lost = True
            log.error("Worker %s: Redis failed around job %s (%s); it will run again or end as lost",
                      self.name, job.id, exc)
            self.until_redis_answers("reconnect", self.connection.ping)
            self.requeue_or_end_lost(job)
            self.until_redis_answers("set_state", super().set_state, "idle")
            return
        self.until_redis_answers("dropping the job's pictures", jobs.drop_pictures, job)

    def handle_execution_ended(self, job, queue, heartbeat_ttl):
        # RQ beats the job here to cover its success or failure callback. A job that returned and
        # has no success callback (ours have none) goes straight on to its result: the beat would
        # cover nothing and cost a round trip.
        if job._status != JobStatus.FAILED and not job._success_callback_name:
            job.ended_at = now()
            return
        super().handle_execution_ended(job, queue, heartbeat_ttl)

    def increment_successful_job_count(self, pipeline=None):
        # Called by RQ inside the transaction that ends a successful job. The worker's idle state
        # and its idle heartbeat, which RQ would send in round trips of their own right after it,
        # ride on that transaction instead; set_state and heartbeat then find them already sent.
        # Only Redis is told "idle" here: the worker itself stays busy until RQ's own
        # set_state(IDLE) after the job, so a SIGTERM meanwhile still means "stop after this job"
        # (RQ raises StopRequested at once in an idle worker, here inside the job's handling).
        super().increment_successful_job_count(pipeline=pipeline)
        if pipeline is not None:
            pipeline.hset(self.key, "state", WorkerStatus.IDLE)
            self._idle_sent = True
            self.heartbeat(pipeline=pipeline)

    def handle_job_success(self, job, queue, started_job_registry, execution):
        # RQ saves the whole job once more here: saved without its pictures, there is nothing
        # left for drop_pictures to rewrite afterwards (one round trip less per job).
        job.args = jobs._strip(tuple(job.args))
        try:
            return super().handle_job_success(job, queue, started_job_registry, execution)
        except BaseException:
            # The idle state and beat queued on its transaction may not have been written.
            self._beat, self._idle_sent = (float("-inf"), 0), False
            raise

    def teardown(self):
        try:
            super().teardown()
        except REDIS_ERRORS as exc:  # stopping while Redis is away: nothing left to tell it
            log.warning("Worker %s: could not unregister (%s)", self.name, exc)

    @property
    def dequeue_timeout(self):
        # RQ blocks an idle worker in one dequeue for worker_ttl - 15 s (405 s) and runs its
        # maintenance, and our reconciliation with it, only between dequeues: an idle worker
        # would leave a job that a dead worker had taken unended for minutes. Waking at every
        # maintenance tick keeps that bounded, at the cost of one round trip per tick.
        return max(1, min(super().dequeue_timeout, int(self.maintenance_interval)))

    def run_maintenance_tasks(self):
        try:
            super().run_maintenance_tasks()
        except REDIS_ERRORS as exc:
            self._redis_lost = True
            log.warning("Worker %s: maintenance skipped, Redis unreachable (%s)", self.name, exc)
            return
        self.housekeeping()

    def after_outage(self):
        """Redis is back: jobs that Redis still shows running on this worker are not running
        (this worker is between jobs), so they run again, or end as lost. So do jobs that Redis
        shows taken off their queue and never started."""
        try:
            from . import reconcile

            # Jobs the cut-off job had taken from behind it (coalesce.py) go back at once: their
            # ids are known here, no need to look for them as jobs taken and never started.
            coalesce.put_back(self.connection)
            coalesce.put_back_unclaimed(self.connection)
            for job in reconcile.started_jobs_of(self.name, self.connection):
                self.requeue_or_end_lost(job)
            self.put_back_taken_jobs()
        except Exception:
            log.exception("Worker %s: could not check its jobs after the outage", self.name)

    def put_back_taken_jobs(self):
        # A failover keeps what the old master had already sent its replica, which can be the
        # take of a job (a BLPOP reaches the replica as an LPOP) without the worker's writes that
        # followed it: the job is then queued in no queue, unknown to RQ's registries, and the
        # worker that took it may never have seen it (its answer or the fetch after it lost).
        # Nothing else would run it again; reconciliation would end it as lost.
        from . import reconcile

        names = self.queue_names()
        job_ids = [r["job_id"] for r in reconcile.pending_records() if r.get("job_id")]
        taken = jobs.taken_and_not_started(job_ids, names, self.connection)
        if not taken:
            return
        time.sleep(TAKEN_LOOK_AGAIN_SECONDS)
        for job_id in jobs.taken_and_not_started(taken, names, self.connection):
            if jobs.requeue_cut_off(job_id, self.connection):
                log.warning("Worker %s: job %s, taken off its queue before the outage and never started, "
                            "put back on it", self.name, job_id)

    def requeue_or_end_lost(self, job):
        """A job cut off by a Redis failure goes back on its queue (at the front, same id) if it
        can run again; otherwise it ends as lost."""
        try:
            if jobs.requeue_cut_off(job.id, self.connection):
                log.warning("Worker %s: job %s put back on its queue after the outage", self.name, job.id)
                return
        except Exception:
            log.exception("Worker %s: could not put job %s back on its queue", self.name, job.id)
        self.end_lost(job)

    def end_lost(self, job):
        from . import reconcile

        try:
            reconcile.end_lost_job(job, self.connection)
        except Exception:
            log.exception("Worker %s: could not end lost job %s; reconciliation will", self.name, job.id)

    def housekeeping(self):
        from . import reconcile, retention

        # A failure here must never take the worker (and its loaded model) down with it.
        try:
            reconcile.reconcile_all()
            if settings.RETENTION_ON_WORKERS:
                retention.prune()
        except Exception:
            log.exception("Worker housekeeping failed; will try again at the next tick")
