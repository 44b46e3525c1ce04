"""Scale-out: two worker processes against one Redis share the queue; every job is done once."""
import time

import django_rq
import pytest
from rq import get_current_job
from rq.job import Job
from rq.registry import FinishedJobRegistry

from recognizer import history, tasks
from recognizer.submit import ON_FAILURE

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

JOBS = 16
MET = "test:scale-out:workers"


def recognise_once_both_work(prediction_id, data):
    """A real recognition that first waits (up to 30 s) until both workers have taken a job, so
    the test proves the sharing without depending on how fast either worker is."""
    job = get_current_job()
    job.connection.sadd(MET, job.worker_name)
    deadline = time.monotonic() + 30
    while job.connection.scard(MET) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    return tasks.recognise_upload(prediction_id, data)


def test_two_workers_share_the_queue(start_worker, digit_images):
    workers = [start_worker()[0] for _ in range(2)]
    queue = django_rq.get_queue("default")
    ids = []
    for i in range(JOBS):
        prediction_id = history.new_id()
        history.create(prediction_id, filename=f"{i}.png", stored="", content_type="image/png",
                       size_bytes=1, job_id=f"predict-{prediction_id}")
        queue.enqueue("recognizer.tests.test_scale_out.recognise_once_both_work", prediction_id, digit_images[i % 10],
                      job_id=f"predict-{prediction_id}", on_failure=ON_FAILURE)
        ids.append(prediction_id)

    registry = FinishedJobRegistry(queue=queue)
    deadline = time.monotonic() + 120
    # RQ files a job as finished just after the job has written its records: wait for both.
    while any(r["status"] != "finished" for r in history.get_many(ids)) or registry.count < JOBS:
        assert time.monotonic() < deadline, history.counts()
        time.sleep(0.1)

    finished = registry.get_job_ids()
    assert sorted(finished) == sorted(f"predict-{i}" for i in ids)
    by_worker = {}
    for job in Job.fetch_many(finished, connection=queue.connection):
        by_worker.setdefault(job.worker_name, []).append(job.id)
    assert len(by_worker) == 2, by_worker
    assert [r["digit"] for r in history.get_many(ids)] == [i % 10 for i in range(JOBS)]
    assert all(w.poll() is None for w in workers)
