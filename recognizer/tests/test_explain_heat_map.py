"""The worker stores a heat map with each answer: hot where the digit's ink is, cold on the
empty paper, and the result page shows it with a sentence on how to read it. The heat map is
drawn by its own job on a lower-priority queue, after the answer, from the stored input."""
import io

import django_rq
import numpy as np
import pytest
from django.conf import settings
from PIL import Image
from rq.registry import FailedJobRegistry

from ml.explain import occlusion
from ml.predict import get_predictor
from ml.recognise import recognise
from recognizer import history, storage, tasks


def _queued(data, name="d.png"):
    prediction_id = history.new_id()
    history.create(prediction_id, filename=name, stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return prediction_id


def test_the_heat_lies_on_the_ink(digit_images):
    predictor = get_predictor()
    for digit in (0, 3, 7):
        result = recognise(digit_images[digit], predictor)
        [heat] = occlusion(predictor.predict, result.inputs, [digit])
        ink = result.inputs[0].reshape(28, 28) > 0.3
        assert heat.max() == pytest.approx(1.0)
        # Hiding ink costs the answer far more than hiding the paper around it.
        assert heat[ink].mean() > 3 * heat[~ink].mean(), digit


@pytest.mark.django_db
def test_the_result_page_shows_the_stored_heat_map(client, digit_images, run_worker):
    prediction_id = _queued(digit_images[2])
    tasks.recognise_upload(prediction_id, digit_images[2])
    run_worker()  # the heat map's own job
    response = client.get(f"/media/{prediction_id}/explain.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as img:
        assert img.size == (28, 28) and img.mode == "RGB"
        pixels = np.asarray(img)
    # Coloured, not grey: the heat is drawn over the input.
    assert (pixels[..., 0].astype(int) - pixels[..., 2]).max() > 100
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert f"/media/{prediction_id}/explain.png" in page
    assert "one small square hidden each time" in page


@pytest.mark.django_db
def test_a_record_without_a_heat_map_shows_none(client):
    from .records import make_record

    prediction_id = make_record("old.png", digit=5)
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert "explain.png" not in page
    assert client.get(f"/media/{prediction_id}/explain.png").status_code == 404


@pytest.mark.django_db
def test_the_answer_comes_first_and_its_heat_map_job_holds_only_ids(digit_images):
    prediction_id = _queued(digit_images[4])
    tasks.recognise_upload(prediction_id, digit_images[4])
    assert history.get(prediction_id)["status"] == "finished"
    assert history.image(prediction_id, "explain") is None
    [job] = django_rq.get_queue(settings.EXPLAIN_QUEUE).get_jobs()
    assert job.args == ([prediction_id],) and not job.kwargs
    django_rq.get_worker(settings.EXPLAIN_QUEUE).work(burst=True)
    with Image.open(io.BytesIO(history.image(prediction_id, "explain"))) as img:
        assert img.size == (28, 28)


@pytest.mark.django_db
def test_a_worker_takes_waiting_uploads_before_heat_maps(monkeypatch, digit_images, run_worker):
    first, second = _queued(digit_images[1]), _queued(digit_images[8])
    tasks.recognise_upload(first, digit_images[1])  # its heat map now waits on the explain queue
    django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", second, digit_images[8])
    ran = []
    for name in ("recognise_upload", "explain_predictions"):
        original = getattr(tasks, name)
        monkeypatch.setattr(tasks, name, lambda *a, _f=original, _n=name: ran.append((_n, a[0])) or _f(*a))
    run_worker()
    assert ran == [("recognise_upload", second), ("explain_predictions", [first]),
                   ("explain_predictions", [second])]
    assert history.image(first, "explain") and history.image(second, "explain")


@pytest.mark.django_db
def test_a_heat_map_that_fails_leaves_the_answer_as_it_was(monkeypatch, digit_images, run_worker):
    prediction_id = _queued(digit_images[6])
    tasks.recognise_upload(prediction_id, digit_images[6])
    answered = history.get(prediction_id)

    def broken(*args, **kwargs):
        raise RuntimeError("occlusion broke")

    monkeypatch.setattr(tasks, "occlusion", broken)
    run_worker()
    assert history.get(prediction_id) == answered
    assert history.image(prediction_id, "explain") is None
    assert FailedJobRegistry(queue=django_rq.get_queue(settings.EXPLAIN_QUEUE)).count == 1
