"""?wait=N answers the finished records from a separate worker process that loads the model once."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


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
