"""POST /api/predictions queues real jobs that a real worker answers with the shipped model."""
import django_rq
from django.core.files.uploadedfile import SimpleUploadedFile
from rq.registry import FinishedJobRegistry

from recognizer import history


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_it_answers_202_with_queued_records(client, digit_images):
    response = client.post("/api/predictions", {"image": upload("seven.png", digit_images[7])})
    assert response.status_code == 202
    [prediction] = response.json()["predictions"]
    assert prediction["status"] == "queued"
    assert prediction["url"] == f"/api/predictions/{prediction['id']}"
    assert prediction["filename"] == "seven.png"
    assert history.get(prediction["id"])["status"] == "queued"


def test_it_records_the_digit_after_the_worker_runs(client, digit_images, run_worker):
    response = client.post("/api/predictions", {"image": upload("seven.png", digit_images[7])})
    prediction_id = response.json()["predictions"][0]["id"]
    run_worker()
    body = client.get(f"/api/predictions/{prediction_id}").json()
    assert body["status"] == "finished"
    assert body["digit"] == 7
    assert body["number"] == "7"
    assert len(body["probabilities"]) == 10
    assert abs(sum(body["probabilities"]) - 1) < 1e-3
    assert body["confidence"] == max(body["probabilities"])
    assert body["error"] is None
    assert body["created_at"] <= body["finished_at"]
    assert body["duration_ms"] > 0


def test_it_answers_every_file_of_a_multi_file_upload(client, digit_images, run_worker):
    files = [upload(f"d{d}.png", digit_images[d]) for d in (0, 3, 9)]
    response = client.post("/api/predictions", {"image": files})
    assert response.status_code == 202
    ids = [p["id"] for p in response.json()["predictions"]]
    assert len(ids) == 3
    run_worker()
    # One batched job for the three pictures.
    assert FinishedJobRegistry(queue=django_rq.get_queue("default")).count == 1
    digits = [client.get(f"/api/predictions/{i}").json()["digit"] for i in ids]
    assert digits == [0, 3, 9]


def test_it_keeps_the_upload_and_serves_it_by_id(client, digit_images):
    response = client.post("/api/predictions", {"image": upload("../../etc/x.png", digit_images[1])})
    prediction = response.json()["predictions"][0]
    stored = client.get(prediction["image_url"])
    assert stored.status_code == 200
    assert stored["Content-Type"] == "image/png"
    assert stored["X-Content-Type-Options"] == "nosniff"
    assert b"".join(stored.streaming_content) == digit_images[1]
    assert history.get(prediction["id"])["stored"] == f"{prediction['id']}.png"
