"""The picture bytes leave Redis with the job: an ended job (finished or failed) keeps no
picture, and deleting or pruning a record deletes its job. Every Redis key is scanned for the
bytes, as stored and as RQ compresses job data. The pictures are larger than a thumbnail, so
the record's own thumbnail is drawn anew and never equals them."""
import zlib

import django_rq
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rq.job import Job

from recognizer import deletion, history, retention

from .conftest import digit_png


@pytest.fixture(scope="module")
def pictures(mnist_test):
    """{digit: PNG bytes} of 224x224 pictures."""
    x_test, y_test = mnist_test
    return {d: digit_png(x_test[int(np.argmax(y_test == d))], scale=8) for d in range(10)}


def _inflate(value):
    try:
        return zlib.decompress(value)
    except (zlib.error, TypeError):
        return b""


def _values(conn, key):
    kind = conn.type(key).decode()
    if kind == "string":
        return [conn.get(key)]
    if kind == "hash":
        return list(conn.hgetall(key).values())
    if kind == "list":
        return conn.lrange(key, 0, -1)
    if kind == "set":
        return list(conn.smembers(key))
    if kind == "zset":
        return conn.zrange(key, 0, -1)
    if kind == "stream":
        return [v for _, fields in conn.xrange(key) for v in fields.values()]
    return []


def keys_holding(data):
    conn = django_rq.get_connection("default")
    return sorted(key.decode() for key in conn.scan_iter()
                  if any(data in v or data in _inflate(v) for v in _values(conn, key)))


def upload(client, *pictures):
    files = [SimpleUploadedFile(f"{n}.png", data) for n, data in enumerate(pictures)]
    response = client.post("/api/predictions", {"image": files})
    assert response.status_code == 202, response.content
    return [p["id"] for p in response.json()["predictions"]]


def job_of(prediction_id):
    return history.get(prediction_id)["job_id"]


def exists(job_id):
    return Job.exists(job_id, connection=django_rq.get_connection("default"))


def test_a_finished_job_keeps_no_picture(client, pictures, run_worker):
    [prediction_id] = upload(client, pictures[4])
    assert keys_holding(pictures[4]) == [f"rq:job:{job_of(prediction_id)}"]  # while it waits

    run_worker()
    assert history.get(prediction_id)["status"] == "finished"
    assert keys_holding(pictures[4]) == []


def test_a_failed_job_keeps_no_picture(client, pictures, run_worker, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the model is broken")
    monkeypatch.setattr("recognizer.tasks.recognise_many", broken)
    [prediction_id] = upload(client, pictures[6])

    run_worker()
    assert history.get(prediction_id)["status"] == "failed"
    assert exists(job_of(prediction_id))  # kept a while, for its traceback
    assert keys_holding(pictures[6]) == []


@pytest.mark.parametrize("run_first", [False, True], ids=["queued", "finished"])
def test_deleting_a_record_deletes_its_job(client, pictures, run_worker, run_first):
    [prediction_id] = upload(client, pictures[2])
    job_id = job_of(prediction_id)
    if run_first:
        run_worker()

    assert deletion.delete([prediction_id]) == 1
    assert not exists(job_id)
    assert keys_holding(pictures[2]) == []
    assert django_rq.get_queue("default").count == 0


def test_deleting_one_record_of_a_batch_keeps_the_others_picture(client, pictures, run_worker):
    first, second = upload(client, pictures[1], pictures[8])
    assert deletion.delete([first]) == 1
    assert keys_holding(pictures[1]) == []
    assert keys_holding(pictures[8]) == [f"rq:job:{job_of(second)}"]

    run_worker()
    assert history.get(second)["digit"] == 8
    assert keys_holding(pictures[8]) == []


def test_pruning_records_deletes_their_jobs(client, pictures, run_worker, settings):
    ids = [upload(client, pictures[d])[0] for d in (3, 5, 9)]
    jobs = [job_of(i) for i in ids]
    run_worker()
    settings.HISTORY_MAX_RECORDS = 1
    settings.HISTORY_MAX_AGE_DAYS = 0

    assert retention.prune() == 2
    assert [exists(j) for j in jobs] == [False, False, True]
