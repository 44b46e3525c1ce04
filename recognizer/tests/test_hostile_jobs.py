"""Jobs given what the web checks would have refused end `failed` with a message, and the
worker goes on to the next job."""
import django_rq
from rq.registry import FailedJobRegistry

from recognizer import history, reconcile, tasks
from recognizer.submit import ON_FAILURE


def enqueue_raw(name, data):
    """Record and enqueue bytes directly, bypassing every check submit() makes."""
    prediction_id = history.new_id()
    history.create(prediction_id, filename=name, stored="", content_type="image/png",
                   size_bytes=len(data), job_id=f"predict-{prediction_id}")
    django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", prediction_id, data,
                                           job_id=f"predict-{prediction_id}", on_failure=ON_FAILURE)
    return prediction_id


def test_garbage_bytes_end_failed_and_the_next_job_still_runs(digit_images, run_worker):
    garbage = enqueue_raw("garbage.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    text = enqueue_raw("text.png", b"hello")
    empty = enqueue_raw("empty.png", b"")
    good = enqueue_raw("seven.png", digit_images[7])
    worker = run_worker()
    for prediction_id in (garbage, text, empty):
        record = history.get(prediction_id)
        assert record["status"] == "failed"
        assert len(record["error"]) > 10
    assert history.get(good)["status"] == "finished"
    assert history.get(good)["digit"] == 7
    assert worker.get_state() != "busy"


def test_an_unexpected_error_in_a_job_ends_its_record_and_spares_the_next(digit_images, run_worker,
                                                                          monkeypatch):
    real = tasks.recognise_many

    def explode_on_sevens(images, *args, **kwargs):
        # A picture that breaks the recognition breaks any batch it is in (the worker may serve
        # the next upload's job in the same call, coalesce.py).
        if digit_images[7] in images:
            raise MemoryError("simulated")
        return real(images, *args, **kwargs)

    monkeypatch.setattr(tasks, "recognise_many", explode_on_sevens)
    bad = enqueue_raw("seven.png", digit_images[7])
    good = enqueue_raw("two.png", digit_images[2])
    run_worker()
    assert history.get(bad)["status"] == "failed"
    assert history.get(bad)["error"] == reconcile.INTERNAL_ERROR
    assert history.get(good)["digit"] == 2
    # The traceback is kept for operators in RQ's failed registry.
    failed = FailedJobRegistry(queue=django_rq.get_queue("default"))
    assert failed.get_job_ids() == [f"predict-{bad}"]
