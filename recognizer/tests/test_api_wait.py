"""?wait=N answers the finished records from a separate worker process that loads the model once."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def worker_process(start_worker):
    return start_worker()


def test_it_waits_for_the_answer(client, digit_images, worker_process):
    response = client.post("/api/predictions?wait=20",
                           {"image": SimpleUploadedFile("seven.png", digit_images[7])})
    assert response.status_code == 200
    [prediction] = response.json()["predictions"]
    assert prediction["status"] == "finished"
    assert prediction["digit"] == 7


def test_the_worker_loads_the_model_once_for_many_jobs(client, digit_images, worker_process):
    process, log = worker_process
    for d in (1, 2, 3):
        response = client.post("/api/predictions?wait=20",
                               {"image": SimpleUploadedFile(f"{d}.png", digit_images[d])})
        assert response.json()["predictions"][0]["digit"] == d
    process.terminate()
    process.wait(20)
    assert log.read_text().count("Model loaded") == 1


def test_past_the_cap_on_waits_an_upload_answers_at_once(client, digit_images, settings):
    from recognizer import waiting

    settings.MAX_WAITS_PER_PROCESS = 1
    slot = waiting._semaphore()
    assert slot.acquire(blocking=False)  # another request of this process is waiting
    try:
        response = client.post("/api/predictions?wait=30",
                               {"image": SimpleUploadedFile("seven.png", digit_images[7])})
    finally:
        slot.release()
    assert response.status_code == 202
    [prediction] = response.json()["predictions"]
    assert prediction["status"] == "queued"
    assert prediction["url"]


def test_waiting_never_ends_a_record(client, digit_images, settings, monkeypatch):
    """Even a record long overdue, whose job vanished, is answered as it is: ending it is the
    workers' reconciliation, never a reader's."""
    import django_rq
    from rq.job import Job

    from recognizer import history, reconcile

    body = client.post("/api/predictions", {"image": SimpleUploadedFile("seven.png", digit_images[7])}).json()
    prediction_id = body["predictions"][0]["id"]
    Job.fetch(history.get(prediction_id)["job_id"], connection=django_rq.get_connection("default")).delete()
    settings.JOB_TIMEOUT = 0
    monkeypatch.setattr(reconcile, "GRACE_SECONDS", 0)

    from recognizer.waiting import wait
    assert [r["status"] for r in wait([prediction_id], 1)] == ["queued"]
    assert client.get(f"/api/predictions/{prediction_id}").json()["status"] == "queued"
    assert history.get(prediction_id)["status"] == "queued"
