"""After a job, a worker is registered idle with a fresh heartbeat and its idle lifetime, though
it sends them with RQ's result instead of in round trips of their own (ModelWorker.
increment_successful_job_count): dashboards, `worker_health` and autoscalers read these."""
import time

import django_rq
import pytest
from rq import Worker
from rq.defaults import DEFAULT_WORKER_TTL

from recognizer import history
from recognizer.tests.round_trips import enqueue_upload

# Starts processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def test_a_worker_is_idle_and_beating_after_each_job(digit_images, start_worker):
    start_worker()
    connection = django_rq.get_connection("default")
    for digit in (3, 8):
        job = enqueue_upload(digit_images[digit])
        prediction_id = job.args[0]
        deadline = time.monotonic() + 60
        while history.get(prediction_id)["status"] not in ("finished", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert history.get(prediction_id)["digit"] == digit
        finished_at = time.time()
        # RQ's own bookkeeping of the job follows the record's answer; give it a moment.
        while job.get_status(refresh=True) != "finished":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        [worker] = Worker.all(connection=connection)
        assert worker.get_state() == "idle"
        assert abs(worker.last_heartbeat.timestamp() - finished_at) < 5
        # The idle lifetime (RQ's worker TTL and a minute), not the shorter one of a running job.
        assert connection.ttl(worker.key) > DEFAULT_WORKER_TTL
