"""Starting a recognition job costs the worker one Redis round trip: RQ's execution (started
registry, worker busy), the job's start (heartbeats, status) and its records marked started go
out as one transaction (ModelWorker.prepare_job_execution, coalesce.start), where they took
three. RQ's own semantics stay: every job runs once, is seen started, ends finished with its
result, and leaves no execution behind."""
import django_rq
import pytest
from rq.registry import FinishedJobRegistry, StartedJobRegistry

from recognizer import history
from recognizer.tests.round_trips import steady_round_trips_per_job

# Twelve per job before (test_worker_round_trips.py): two of them were the start's.
MOST_ROUND_TRIPS_PER_JOB = 10.5


@pytest.mark.django_db
def test_it_starts_each_job_in_one_round_trip(monkeypatch, settings, digit_images, run_worker):
    settings.WORKER_TAKE_MAX = 0  # job by job, as on a quiet site
    per_job, jobs, worker = steady_round_trips_per_job(monkeypatch, digit_images, run_worker)

    assert per_job <= MOST_ROUND_TRIPS_PER_JOB
    queue = django_rq.get_queue("default")
    assert StartedJobRegistry(queue=queue).get_job_ids() == []
    assert worker.connection.keys("rq:execution:*") == []
    finished = FinishedJobRegistry(queue=queue)
    for job in jobs:
        job.refresh()
        assert job.id in finished and job.get_status() == "finished" and job.started_at is not None
        assert job.latest_result().return_value[job.args[0]]["status"] == "finished"
    records = history.get_many([j.args[0] for j in jobs])
    assert [r["digit"] for r in records] == list(range(10))
    assert all(r["started_at"] is not None and r["started_at"] <= r["finished_at"] for r in records)
