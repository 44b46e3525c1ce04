"""A worker's bookkeeping per job stays a handful of Redis round trips: heartbeats go as one
pipeline and are not repeated within a second, the idle state is not set twice, suspension is
asked at most once a second, and a finished job is saved once, without its pictures. RQ's own
semantics stay: every job ends in the finished registry with its result."""
import django_rq
import pytest
from rq.registry import FinishedJobRegistry

from recognizer import history
from recognizer.jobs import holds_pictures
from recognizer.tests.round_trips import steady_round_trips_per_job

# RQ's dequeue, fetch, start and result and the record's two state changes take 7 today: the
# metrics ride on the second, the worker's idle state and beat on RQ's result (ModelWorker.
# increment_successful_job_count), and no beat covers a success callback our jobs do not have
# (ModelWorker.handle_execution_ended). Room for a few beats or suspension checks more over the
# nine jobs on a slow machine. A job took 10 before these, 13 before the metrics rode along,
# before that about twenty (three beats of three round trips each, among others), and its
# heat-map job as many again.
MOST_ROUND_TRIPS_PER_JOB = 8.5


@pytest.mark.django_db
def test_a_job_costs_the_worker_a_handful_of_round_trips(monkeypatch, settings, digit_images, run_worker):
    # RQ's own path, job by job: a job taking those behind it (coalesce.py) would hide its cost.
    settings.WORKER_TAKE_MAX = 0
    per_job, jobs, _ = steady_round_trips_per_job(monkeypatch, digit_images, run_worker)

    assert per_job <= MOST_ROUND_TRIPS_PER_JOB, per_job
    registry = FinishedJobRegistry(queue=django_rq.get_queue("default"))
    for job in jobs:
        job.refresh()
        assert job.id in registry and job.get_status() == "finished"
        assert job.latest_result().return_value[job.args[0]]["status"] == "finished"
        assert not holds_pictures(job.args)  # saved once, already without its picture
    assert [r["digit"] for r in history.get_many([j.args[0] for j in jobs])] == list(range(10))
