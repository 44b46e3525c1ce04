"""An upload whose job a worker took off the queue just before it died ends by itself.

A worker that listens on several queues takes a job with BLPOP: from then until it marks the
job started, nothing in Redis says who holds it (no intermediate list, no started job), and
RQ's own maintenance never looks at such a job. A worker killed in that moment leaves its
upload's job "queued" but in no queue. The workers that remain must end it as lost within a
bounded time, idle or not, and never run it as well.
"""
import os
import signal
import time

import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, StartedJobRegistry

from recognizer import history
from recognizer.messages import JOB_LOST

# Starts processes of its own: left out of `make test-fast`.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Ticks every second, so the test's waits are short; a real deployment ticks every minute.
TICKS = {"WORKER_MAINTENANCE_SECONDS": "1"}
# Two ticks and the wait before a job in that state counts as lost, with room for a busy machine.
BOUND_SECONDS = 60


def wait_for(condition, timeout, message="timed out"):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.1)
    return value


def blocked_in_blpop(connection):
    return any(c.get("cmd") == "blpop" for c in connection.client_list())


def upload(client, picture):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("digit.png", picture)})
    assert response.status_code == 202, response.content
    return response.json()["predictions"][0]["id"]


def assert_ended_as_lost(prediction_id):
    queue = django_rq.get_queue("default")
    wait_for(lambda: history.get(prediction_id)["status"] != "queued", BOUND_SECONDS,
             lambda: f"still {history.get(prediction_id)}")
    record = history.get(prediction_id)
    assert record["status"] == "failed", record
    assert record["error"] == JOB_LOST
    assert not record.get("started_at")  # no worker ever ran its picture
    job = Job.fetch(record["job_id"], connection=queue.connection)
    assert job.get_status() == JobStatus.FAILED
    # Nothing will run it later: in no queue, not started, filed as failed once.
    assert record["job_id"] not in queue.get_job_ids()
    assert StartedJobRegistry(queue=queue).get_job_ids() == []
    assert FailedJobRegistry(queue=queue).get_job_ids() == [record["job_id"]]


def test_it_ends_an_upload_taken_off_the_queue_by_a_worker_killed_before_starting_it(
        client, start_worker, digit_images):
    connection = django_rq.get_connection("default")
    first, log = start_worker(env=TICKS)
    wait_for(lambda: blocked_in_blpop(connection), 30, lambda: log.read_text())
    # Stopped while blocked in BLPOP: Redis still hands it the next job, which it never starts.
    os.kill(first.pid, signal.SIGSTOP)
    try:
        prediction_id = upload(client, digit_images[7])
        queue = django_rq.get_queue("default")
        wait_for(lambda: queue.count == 0, 10, "the stopped worker did not take the job")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    assert history.get(prediction_id)["status"] == "queued"

    second, _ = start_worker(env=TICKS)
    # Idle from here on: nothing else arrives that would wake it.
    assert_ended_as_lost(prediction_id)

    assert second.poll() is None
    response = client.post("/api/predictions?wait=30", {"image": SimpleUploadedFile("4.png", digit_images[4])})
    assert response.json()["predictions"][0]["digit"] == 4


def test_it_ends_an_upload_whose_worker_died_between_filing_and_starting_its_job(
        client, start_worker, digit_images):
    """The next step of the same moment: the dead worker had filed its execution in the started
    registry but not yet marked the job started. RQ's cleanup skips a job that is not
    "started" and drops its registry entry, so only our reconciliation can end it."""
    queue = django_rq.get_queue("default")
    prediction_id = upload(client, digit_images[7])
    job = Job.fetch(f"predict-{prediction_id}", connection=queue.connection)
    # What the killed worker left: popped, an execution filed under its name, status still queued.
    assert queue.connection.lpop(queue.key).decode() == job.id
    with queue.connection.pipeline() as pipe:
        Execution.create(job, ttl=300, pipeline=pipe, worker_name="killed-worker")
        pipe.execute()
    assert StartedJobRegistry(queue=queue).get_job_ids() == [job.id]

    start_worker(env=TICKS)
    assert_ended_as_lost(prediction_id)


def test_it_leaves_alone_an_upload_still_waiting_in_the_queue_however_old(client, settings, monkeypatch,
                                                                           digit_images):
    from recognizer import reconcile

    waiting, taken = upload(client, digit_images[1]), upload(client, digit_images[2])
    queue = django_rq.get_queue("default")
    queue.connection.lrem(queue.key, 0, f"predict-{taken}")  # what a worker killed after BLPOP leaves
    # Long past any timeout, and no wait between looks: only being in the queue keeps it.
    settings.JOB_TIMEOUT = 0
    monkeypatch.setattr(reconcile, "GRACE_SECONDS", 0)
    monkeypatch.setattr(reconcile, "UNCLAIMED_SECONDS", 0)
    assert reconcile.reconcile_all() == 0  # the first look at the taken one only notes it
    assert reconcile.reconcile_all() == 1
    assert history.get(taken)["status"] == "failed"
    assert history.get(taken)["error"] == JOB_LOST
    assert history.get(waiting)["status"] == "queued"
    assert queue.get_job_ids() == [f"predict-{waiting}"]
