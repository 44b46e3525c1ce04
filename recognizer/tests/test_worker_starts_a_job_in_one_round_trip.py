"""Starting a recognition job costs the worker one Redis round trip: RQ's execution (started
registry, worker busy), the job's start (heartbeats, status) and its records marked started go
out as one transaction (ModelWorker.prepare_job_execution, coalesce.start), where they took
three. RQ's own semantics stay: every job runs once, is seen started, ends finished with its
result, and leaves no execution behind."""
import django_rq
import pytest
from django.conf import settings
from rq.registry import FinishedJobRegistry, StartedJobRegistry

from recognizer import history, storage
from recognizer.tests.round_trips import count_round_trips

# Twelve per job before (test_worker_round_trips.py): two of them were the start's.
MOST_ROUND_TRIPS_PER_JOB = 10.5


def _enqueue(data):
    prediction_id = history.new_id()
    history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", prediction_id, data,
                                                  job_id=f"predict-{prediction_id}")


def _work_counting(monkeypatch):
    worker = django_rq.get_worker("default", settings.EXPLAIN_QUEUE)
    sent, _ = count_round_trips(monkeypatch, lambda: worker.work(burst=True, with_scheduler=False))
    return sent, worker


@pytest.mark.django_db
def test_it_starts_each_job_in_one_round_trip(monkeypatch, settings, digit_images, run_worker):
    settings.WORKER_TAKE_MAX = 0  # job by job, as on a quiet site
    _enqueue(digit_images[0])
    run_worker()  # model loaded, first-time work done: count the steady state
    _enqueue(digit_images[1])
    one, _ = _work_counting(monkeypatch)
    jobs = [_enqueue(digit_images[d]) for d in range(10)]
    ten, worker = _work_counting(monkeypatch)

    assert (ten - one) / 9 <= MOST_ROUND_TRIPS_PER_JOB
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
