"""Scale-out: two worker processes against one Redis share the queue; every job is done once."""
import time

import django_rq
from rq.job import Job
from rq.registry import FinishedJobRegistry

from recognizer import history, tasks
from recognizer.submit import ON_FAILURE

JOBS = 16


def recognise_slowly(prediction_id, data):
    """A real recognition that also takes a while, so one worker cannot take every job."""
    time.sleep(0.2)
    return tasks.recognise_upload(prediction_id, data)


def test_two_workers_share_the_queue(start_worker, digit_images):
    workers = [start_worker()[0] for _ in range(2)]
    queue = django_rq.get_queue("default")
    ids = []
    for i in range(JOBS):
        prediction_id = history.new_id()
        history.create(prediction_id, filename=f"{i}.png", stored="", content_type="image/png",
                       size_bytes=1, job_id=f"predict-{prediction_id}")
        queue.enqueue("recognizer.tests.test_scale_out.recognise_slowly", prediction_id, digit_images[i % 10],
                      job_id=f"predict-{prediction_id}", on_failure=ON_FAILURE)
        ids.append(prediction_id)

    deadline = time.monotonic() + 120
    while any(r["status"] != "finished" for r in history.get_many(ids)):
        assert time.monotonic() < deadline, history.counts()
        time.sleep(0.1)

    finished = FinishedJobRegistry(queue=queue).get_job_ids()
    assert sorted(finished) == sorted(f"predict-{i}" for i in ids)
    by_worker = {}
    for job in Job.fetch_many(finished, connection=queue.connection):
        by_worker.setdefault(job.worker_name, []).append(job.id)
    assert len(by_worker) == 2, by_worker
    assert all(len(jobs) >= 2 for jobs in by_worker.values()), by_worker
    assert [r["digit"] for r in history.get_many(ids)] == [i % 10 for i in range(JOBS)]
    assert all(w.poll() is None for w in workers)
