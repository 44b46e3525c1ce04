"""?wait=N answers the finished records from a separate worker process that loads the model once."""
import os
import subprocess
import sys
import time

import django_rq
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rq import Worker


@pytest.fixture
def worker_process(tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "default"],
            cwd=settings.BASE_DIR, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
        )
    queue = django_rq.get_queue("default")
    deadline = time.monotonic() + 60
    while Worker.count(queue=queue) == 0:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "worker did not start"
        time.sleep(0.1)
    yield process, log
    process.terminate()
    process.wait(20)


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
