"""Uploads that reach a web process together share one job; each keeps its own record and answer."""
import threading

import django_rq
import pytest
from rq.registry import FinishedJobRegistry

from recognizer import batching, history, storage, tasks
from recognizer.messages import INTERNAL_ERROR
from recognizer.submit import _enqueue, submit


def _upload(ids, data, results, barrier):
    # Reading and checking happen inside arriving(); the barrier holds every upload there
    # until all have arrived, as concurrent requests would be.
    with batching.arriving():
        barrier.wait()
        prediction_id = history.new_id()
        ids.append(prediction_id)
        record = {"filename": f"{prediction_id}.png", "stored": storage.save(prediction_id, data, "PNG"),
                  "content_type": "image/png", "size_bytes": len(data), "source": "upload", "owner": None}
        results.append(batching.write([prediction_id], [record], [data], [None], enqueue=_enqueue))


@pytest.mark.django_db
def test_uploads_arriving_together_share_one_job_and_each_gets_its_own_answer(settings, digit_images, run_worker):
    settings.UPLOAD_BATCH_WAIT_MS = 60_000  # the batch closes when all have joined, not on the clock
    digits = [1, 4, 7, 9]
    ids, jobs, barrier = [], [], threading.Barrier(len(digits))
    threads = [threading.Thread(target=_upload, args=(ids, digit_images[d], jobs, barrier)) for d in digits]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(jobs) == len(digits) and len(set(jobs)) == 1

    run_worker()
    records = {r["id"]: r for r in history.get_many(ids)}
    assert len(records) == len(digits)
    by_name = {r["filename"]: r for r in records.values()}
    for prediction_id in ids:
        assert by_name[f"{prediction_id}.png"]["status"] == "finished"
        assert by_name[f"{prediction_id}.png"]["job_id"] == jobs[0]
    assert sorted(r["digit"] for r in records.values()) == sorted(digits)
    assert FinishedJobRegistry(queue=django_rq.get_queue("default")).get_job_ids() == [jobs[0]]


@pytest.mark.django_db
def test_a_lone_upload_goes_at_once(settings, digit_images):
    settings.UPLOAD_BATCH_WAIT_MS = 600_000  # were it to wait for the bound, the thread would hang
    done = []
    thread = threading.Thread(target=lambda: done.append(submit([("3.png", digit_images[3])])))
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    [record], refused = done[0]
    assert record["status"] == "queued" and refused == []


@pytest.mark.django_db
def test_a_picture_that_breaks_recognition_fails_alone(monkeypatch, digit_images):
    poison = digit_images[5]
    real = tasks.recognise_many

    def breaks_on_poison(images, crops=None, preview=None):  # a fault in recognition, for one picture only
        if any(data is poison for data in images):
            raise RuntimeError("recognition fault")
        return real(images, crops=crops, preview=preview)

    monkeypatch.setattr(tasks, "recognise_many", breaks_on_poison)
    images = [digit_images[2], poison, digit_images[8]]
    ids = []
    for data in images:
        prediction_id = history.new_id()
        history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                       content_type="image/png", size_bytes=len(data))
        ids.append(prediction_id)
    with pytest.raises(RuntimeError):
        tasks.recognise_batch(ids, images)
    good, bad, other = history.get_many(ids)
    assert (good["status"], good["digit"]) == ("finished", 2)
    assert (other["status"], other["digit"]) == ("finished", 8)
    assert (bad["status"], bad["error"]) == ("failed", INTERNAL_ERROR)
