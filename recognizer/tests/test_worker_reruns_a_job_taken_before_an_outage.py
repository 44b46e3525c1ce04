"""A job that a worker took off its queue just before Redis went away runs again once Redis
answers, instead of staying "queued" in no queue.

A Sentinel failover keeps what the old master had already sent its replica, which can be the
take of a job (a BLPOP reaches the replica as an LPOP) without the worker's writes that followed
it: on the new master the job says queued, is in no queue and in no registry, and the worker may
never have learnt its id (the fetch after the take failed). Here the same state is made without
the timing luck: a worker stopped while blocked in BLPOP is handed the job, Redis goes away
before the worker can fetch it, then comes back with the take kept.
"""
import os
import signal

import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rq.job import Job, JobStatus

from recognizer import history, jobs

from .stack import wait_for
from .test_worker_outlives_redis import own_redis  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def upload(client, picture):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("4.png", picture)})
    assert response.status_code == 202, response.content
    return response.json()["predictions"][0]["id"]


def blocked_in_blpop(connection):
    return any(c.get("cmd") == "blpop" for c in connection.client_list())


@pytest.mark.slow  # starts a Redis and a worker of its own
def test_it_runs_a_job_taken_off_its_queue_before_the_outage(client, own_redis, start_worker,  # noqa: F811
                                                             digit_images):
    # Maintenance far away: reconciliation must not be what ends the record, either way.
    worker, log = start_worker(env={"REDIS_URL": own_redis.url, "WORKER_MAINTENANCE_SECONDS": "600"})
    queue = django_rq.get_queue("default")
    wait_for(lambda: blocked_in_blpop(queue.connection), 30, log.read_text)
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        prediction_id = upload(client, digit_images[4])
        wait_for(lambda: queue.count == 0, 10, "the stopped worker was not handed the job")
        # The state a failover can leave: taken, still "queued", in no queue.
        assert Job.fetch(f"predict-{prediction_id}", connection=queue.connection).get_status() == JobStatus.QUEUED
        own_redis.stop()  # saves: the take is kept, as a replica keeps the old master's pop
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    wait_for(lambda: "Redis unreachable" in log.read_text(), 60, log.read_text)

    own_redis.start()
    record = wait_for(lambda: (r := history.get(prediction_id))["status"] in ("finished", "failed") and r,
                      60, log.read_text)
    assert record["status"] == "finished", record
    assert record["digit"] == 4
    assert worker.poll() is None, log.read_text()


def test_it_puts_back_a_job_that_says_queued_but_left_its_queue(client, digit_images):
    prediction_id = upload(client, digit_images[4])
    queue = django_rq.get_queue("default")
    job_id = f"predict-{prediction_id}"
    # Taken off by a worker whose writes after the take were lost: still "queued", in no queue.
    assert queue.connection.lpop(queue.key).decode() == job_id

    assert jobs.requeue_cut_off(job_id, queue.connection)
    assert queue.get_job_ids() == [job_id]
    # Waiting now: a second look leaves it where it is.
    assert jobs.requeue_cut_off(job_id, queue.connection)
    assert queue.get_job_ids() == [job_id]
