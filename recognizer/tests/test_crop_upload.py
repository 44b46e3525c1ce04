"""A crop box chosen on the page reaches the worker, which reads only what is inside it: the
right digit where the whole picture gave the wrong answer."""
import io

import numpy as np
import pytest
from PIL import Image

from recognizer import history, storage, tasks

# The wanted digit sits on the right; a stray mark (another digit) on the left.
RIGHT_HALF = (0.5, 0.0, 1.0, 1.0)


@pytest.fixture
def two_digits(mnist_test):
    x_test, y_test = mnist_test
    three, seven = (x_test[int(np.argmax(y_test == d))] for d in (3, 7))
    strip = 255 - np.concatenate([three, np.zeros((28, 14), np.uint8), seven], axis=1)
    out = io.BytesIO()
    Image.fromarray(strip).resize((70 * 4, 28 * 4), Image.BILINEAR).save(out, "PNG")
    return out.getvalue()


def _queued(data):
    prediction_id = history.new_id()
    history.create(prediction_id, filename="page.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return prediction_id


def test_the_worker_reads_only_the_cropped_part(two_digits):
    whole, cropped = _queued(two_digits), _queued(two_digits)
    tasks.recognise_batch([whole, cropped], [two_digits, two_digits], [None, RIGHT_HALF])
    assert history.get(whole)["number"] == "37"
    assert history.get(cropped)["number"] == "7"
    assert history.get(cropped)["digit"] == 7


def test_an_empty_box_is_refused_with_its_reason(two_digits):
    prediction_id = _queued(two_digits)
    tasks.recognise_upload(prediction_id, two_digits, (0.6, 0.2, 0.6, 0.8))
    record = history.get(prediction_id)
    assert record["status"] == "failed" and record["error_code"] == "empty_crop"


@pytest.mark.django_db
def test_the_api_takes_a_crop_box_per_file(client, run_worker, two_digits):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("whole.png", two_digits), SimpleUploadedFile("cropped.png", two_digits)]
    response = client.post("/api/predictions", {"image": files, "crop": ["", "0.5,0,1,1"]})
    assert response.status_code == 202
    run_worker()
    numbers = {r["filename"]: r["number"] for r in history.page()[1]}
    assert numbers == {"whole.png": "37", "cropped.png": "7"}


@pytest.mark.django_db
def test_a_box_that_is_no_box_is_refused(client, two_digits):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for box in ("0.5,0,1", "0.6,0,0.4,1", "a,b,c,d", "0,0,1,2"):
        response = client.post("/api/predictions", {"image": SimpleUploadedFile("p.png", two_digits), "crop": box})
        assert response.status_code == 400, box
        assert "crop box" in response.json()["error"]
    assert history.counts()["total"] == 0
