"""A worker's bookkeeping per job stays a handful of Redis round trips: heartbeats go as one
pipeline and are not repeated within a second, the idle state is not set twice, suspension is
asked at most once a second, and a finished job is saved once, without its pictures. RQ's own
semantics stay: every job ends in the finished registry with its result."""
import django_rq
import pytest
from django.conf import settings
from rq.registry import FinishedJobRegistry

from recognizer import history, storage
from recognizer.jobs import holds_pictures
from recognizer.tests.round_trips import count_round_trips

# RQ's dequeue, fetch, start and result and the record's two state changes take 12 today (the
# metrics ride on the second), with room for a few beats or suspension checks more over the nine
# jobs on a slow machine. A job used to take 13 (the metrics their own), before that about twenty
# (three beats of three round trips each, among others), and its heat-map job as many again.
MOST_ROUND_TRIPS_PER_JOB = 12.5


def _enqueue(data):
    prediction_id = history.new_id()
    history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", prediction_id, data,
                                                  job_id=f"predict-{prediction_id}")


def _work_counting(monkeypatch, jobs):
    worker = django_rq.get_worker("default", settings.EXPLAIN_QUEUE)
    sent, _ = count_round_trips(monkeypatch, lambda: worker.work(burst=True, with_scheduler=False))
    return sent, worker


@pytest.mark.django_db
def test_a_job_costs_the_worker_a_handful_of_round_trips(monkeypatch, settings, digit_images, run_worker):
    # RQ's own path, job by job: a job taking those behind it (coalesce.py) would hide its cost.
    settings.WORKER_TAKE_MAX = 0
    _enqueue(digit_images[0])
    run_worker()  # model loaded, first-time work done: count the steady state
    one, _ = _work_counting(monkeypatch, [_enqueue(digit_images[1])])
    jobs = [_enqueue(digit_images[d]) for d in range(10)]
    ten, _ = _work_counting(monkeypatch, jobs)

    assert (ten - one) / 9 <= MOST_ROUND_TRIPS_PER_JOB
    registry = FinishedJobRegistry(queue=django_rq.get_queue("default"))
    for job in jobs:
        job.refresh()
        assert job.id in registry and job.get_status() == "finished"
        assert job.latest_result().return_value[job.args[0]]["status"] == "finished"
        assert not holds_pictures(job.args)  # saved once, already without its picture
    assert [r["digit"] for r in history.get_many([j.args[0] for j in jobs])] == list(range(10))
