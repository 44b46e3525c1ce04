"""A worker serves the converted model with LiteRT and never loads TensorFlow."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _mapped_libraries(pid):
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
            if len(line.split()) >= 6}


@pytest.mark.django_db
def test_a_worker_answers_uploads_without_ever_loading_tensorflow(client, start_worker, digit_images):
    worker, _log = start_worker()
    response = client.post("/api/predictions?wait=30", {"image": SimpleUploadedFile("7.png", digit_images[7])})
    assert response.status_code == 200
    [prediction] = response.json()["predictions"]
    assert prediction["status"] == "finished" and prediction["digit"] == 7

    libraries = _mapped_libraries(worker.pid)
    assert any("ai_edge_litert" in path for path in libraries)
    assert not any("tensorflow" in path for path in libraries), sorted(p for p in libraries if "tensorflow" in p)
