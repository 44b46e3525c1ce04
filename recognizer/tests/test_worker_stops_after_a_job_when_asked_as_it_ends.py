"""A stop asked for (SIGTERM) while a job's result is being written lets that job finish and
stops the worker before the next one. The worker tells Redis it is idle in that very
transaction (ModelWorker.increment_successful_job_count), but must not take itself for idle
yet: RQ stops an idle worker by raising at once, which there would fail the finished job and
be swallowed, leaving the worker running."""
import signal

import django_rq

from recognizer import history
from recognizer.tests.round_trips import enqueue_upload
from recognizer.worker import ModelWorker


def test_the_job_finishes_and_the_next_waits(monkeypatch, settings, digit_images, run_worker):
    # One job at a time: a job taking the one behind it (coalesce.py) would run both.
    settings.WORKER_TAKE_MAX = 0
    enqueue_upload(digit_images[0])
    run_worker()  # the model loaded, so the jobs below are ordinary ones
    first, second = enqueue_upload(digit_images[4]), enqueue_upload(digit_images[7])
    worker = django_rq.get_worker("default", settings.EXPLAIN_QUEUE)
    real = ModelWorker.increment_successful_job_count

    def stop_asked_meanwhile(self, pipeline=None):
        real(self, pipeline=pipeline)
        self.request_stop(signal.SIGTERM, None)  # as the signal handler would, right then

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(ModelWorker, "increment_successful_job_count", stop_asked_meanwhile)
    try:
        worker.work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)

    assert first.get_status(refresh=True) == "finished"
    assert history.get(first.args[0])["status"] == "finished"
    assert history.get(first.args[0])["digit"] == 4
    # Stopped before the next job, which waits for another worker.
    assert second.get_status(refresh=True) == "queued"
    assert history.get(second.args[0])["status"] == "queued"
