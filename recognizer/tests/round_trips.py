"""Counting Redis round trips: every command or pipeline a client sends is one packed send."""
import django_rq
from django.conf import settings
from redis.connection import AbstractConnection

from recognizer import history, storage


def count_round_trips(monkeypatch, action):
    """(round trips `action()` made, what it returned)."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    try:
        result = action()
    finally:
        monkeypatch.undo()
    return len(sent), result


def enqueue_upload(data):
    """A recorded upload of `data` and its recognition job, as the web makes them one by one."""
    prediction_id = history.new_id()
    history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", prediction_id, data,
                                                  job_id=f"predict-{prediction_id}")


def worker_round_trips(monkeypatch):
    """(round trips, worker) of a burst worker running every queued job."""
    worker = django_rq.get_worker("default", settings.EXPLAIN_QUEUE)
    sent, _ = count_round_trips(monkeypatch, lambda: worker.work(burst=True, with_scheduler=False))
    return sent, worker


def steady_round_trips_per_job(monkeypatch, digit_images, run_worker):
    """(round trips per job, the ten jobs run, the worker) once the model is loaded: a burst of
    ten uploads against a burst of one, so the worker's start and end are not counted."""
    enqueue_upload(digit_images[0])
    run_worker()  # model loaded, first-time work done: count the steady state
    enqueue_upload(digit_images[1])
    one, _ = worker_round_trips(monkeypatch)
    jobs = [enqueue_upload(digit_images[d]) for d in range(10)]
    ten, worker = worker_round_trips(monkeypatch)
    return (ten - one) / 9, jobs, worker
