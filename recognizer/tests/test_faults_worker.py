"""A worker that dies mid-job, a job that times out, a job that vanished: no record stays
"started" forever, and the person is told to upload again."""
import os
import signal
import time

import django_rq
import pytest
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

from recognizer import history, reconcile
from recognizer.submit import ON_FAILURE

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def slow_recognise(prediction_id, seconds):
    """A job that starts like a real one, then takes `seconds` (imported by the worker)."""
    history.mark_started(prediction_id)
    time.sleep(seconds)


def enqueue_slow(seconds, **options):
    prediction_id = history.new_id()
    job_id = f"predict-{prediction_id}"
    history.create(prediction_id, filename="slow.png", stored="", content_type="image/png",
                   size_bytes=1, job_id=job_id)
    django_rq.get_queue("default").enqueue(
        "recognizer.tests.test_faults_worker.slow_recognise", prediction_id, seconds,
        job_id=job_id, on_failure=ON_FAILURE, **options)
    return prediction_id


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_job_leaves_a_failed_record_not_a_started_one(
        client, start_worker, digit_images):
    first, _ = start_worker()
    prediction_id = enqueue_slow(300)
    wait_for(lambda: history.get(prediction_id)["status"] == "started")

    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    # A new worker's start-up housekeeping sees that the job's worker is gone.
    second, _ = start_worker()
    wait_for(lambda: history.get(prediction_id)["status"] == "failed")

    body = client.get(f"/api/predictions/{prediction_id}").json()
    assert body["status"] == "failed"
    assert body["error"] == reconcile.WORKER_STOPPED
    queue = django_rq.get_queue("default")
    assert FailedJobRegistry(queue=queue).get_job_ids() == [f"predict-{prediction_id}"]
    assert StartedJobRegistry(queue=queue).get_job_ids() == []
    # The new worker carries on with new work.
    from django.core.files.uploadedfile import SimpleUploadedFile
    response = client.post("/api/predictions?wait=30", {"image": SimpleUploadedFile("4.png", digit_images[4])})
    assert response.json()["predictions"][0]["digit"] == 4
    assert second.poll() is None


def test_a_job_over_its_timeout_is_stopped_and_its_record_says_so(run_worker):
    prediction_id = enqueue_slow(10, job_timeout=1)
    # The job sleeps ten times its timeout: had it not been stopped, its record would say finished.
    run_worker()
    record = history.get(prediction_id)
    assert record["status"] == "failed"
    assert record["error"] == reconcile.TIMED_OUT


def test_a_record_whose_job_vanished_is_ended_by_the_workers_reconciliation(settings, monkeypatch):
    prediction_id = enqueue_slow(0)
    Job.fetch(f"predict-{prediction_id}", connection=django_rq.get_connection("default")).delete()
    assert reconcile.reconcile_all() == 0  # not yet overdue: a busy queue is normal
    assert history.get(prediction_id)["status"] == "queued"

    settings.JOB_TIMEOUT = 0
    monkeypatch.setattr(reconcile, "GRACE_SECONDS", 0)
    assert reconcile.reconcile_all() == 1
    record = history.get(prediction_id)
    assert record["status"] == "failed"
    assert record["error"] == reconcile.JOB_LOST


def test_rq_cleanup_of_an_abandoned_job_ends_its_record(run_worker):
    """RQ's own maintenance (another worker, after the job's heartbeat lapsed) runs our
    failure callback, so the record ends even where our reconciliation has not run."""
    prediction_id = enqueue_slow(0)
    queue = django_rq.get_queue("default")
    job = queue.fetch_job(f"predict-{prediction_id}")
    # Make the job look like one a dead worker had taken: started, in the started registry.
    from rq.job import JobStatus
    history.mark_started(prediction_id)
    queue.remove(job)
    job.set_status(JobStatus.STARTED)
    execution_registry = StartedJobRegistry(queue=queue)
    with queue.connection.pipeline() as pipe:
        from rq.executions import Execution
        execution = Execution.create(job, ttl=1, pipeline=pipe)
        execution_registry.add_execution(execution, pipeline=pipe, ttl=1)
        pipe.execute()
    execution_registry.cleanup(timestamp=time.time() + 60)
    record = history.get(prediction_id)
    assert record["status"] == "failed"
    assert record["error"] == reconcile.WORKER_STOPPED


def test_jobs_that_redis_lost_track_of_end_their_records_as_lost(monkeypatch):
    """What a Redis crash can leave behind (its last writes lost): a job taken off its queue that
    never started, and a job filed as finished whose record never got its answer. Both are the
    service's fault, not the picture's."""
    queue = django_rq.get_queue("default")
    taken = enqueue_slow(0)
    queue.connection.lrem(queue.key, 0, f"predict-{taken}")
    finished = enqueue_slow(0)
    queue.connection.lrem(queue.key, 0, f"predict-{finished}")  # a job runs once it has left its queue
    Job.fetch(f"predict-{finished}", connection=queue.connection).set_status("finished")
    # The finished one at once; the one taken off its queue only when seen so again later.
    assert reconcile.reconcile_all() == 1
    assert history.get(taken)["status"] == "queued"

    monkeypatch.setattr(reconcile, "UNCLAIMED_SECONDS", 0)
    assert reconcile.reconcile_all() == 1
    for prediction_id in (taken, finished):
        record = history.get(prediction_id)
        assert record["status"] == "failed"
        assert record["error"] == reconcile.JOB_LOST
    assert f"predict-{taken}" in FailedJobRegistry(queue=queue).get_job_ids()


def test_a_job_failed_by_a_redis_error_says_it_was_lost_not_that_the_picture_failed():
    import redis

    from recognizer import tasks

    prediction_id = enqueue_slow(0)
    job = Job.fetch(f"predict-{prediction_id}", connection=django_rq.get_connection("default"))
    tasks.job_failed(job, job.connection, redis.exceptions.ConnectionError, None, None)
    assert history.get(prediction_id)["error"] == reconcile.JOB_LOST

    other = enqueue_slow(0)
    job = Job.fetch(f"predict-{other}", connection=django_rq.get_connection("default"))
    tasks.job_failed(job, job.connection, ValueError, None, None)
    assert history.get(other)["error"] == reconcile.INTERNAL_ERROR
