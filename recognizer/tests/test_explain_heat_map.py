"""A heat map shows what an answer rests on: hot where the digit's ink is, cold on the empty
paper, and the result page shows it with a sentence on how to read it. It is drawn on demand:
nothing is drawn for an answer until someone opens its page or its explain.png, then a worker
draws it by its own job on the lower-priority queue, from the stored input, once."""
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
from recognizer import heatmaps, history, storage, tasks


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


def _explain_queue():
    return django_rq.get_queue(settings.EXPLAIN_QUEUE)


@pytest.mark.django_db
def test_a_heat_map_is_drawn_when_its_result_is_first_opened(client, digit_images, start_worker):
    prediction_id = _queued(digit_images[2])
    tasks.recognise_upload(prediction_id, digit_images[2])
    # An answer nobody looks at costs no heat map.
    assert history.image(prediction_id, "explain") is None and _explain_queue().count == 0
    start_worker()
    response = client.get(f"/media/{prediction_id}/explain.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as img:
        assert img.size == (28, 28) and img.mode == "RGB"
        pixels = np.asarray(img)
    # Coloured, not grey: the heat is drawn over the input.
    assert (pixels[..., 0].astype(int) - pixels[..., 2]).max() > 100
    assert history.image(prediction_id, "explain") == response.content
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert f"/media/{prediction_id}/explain.png" in page
    assert "one small square hidden each time" in page


@pytest.mark.django_db
def test_a_record_with_nothing_to_draw_from_shows_no_heat_map(client):
    from .records import make_record

    prediction_id = make_record("broken.png", status="failed")
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert "explain.png" not in page
    assert client.get(f"/media/{prediction_id}/explain.png").status_code == 404
    assert _explain_queue().count == 0


@pytest.mark.django_db
def test_it_is_asked_for_once_and_its_job_holds_only_ids(digit_images):
    prediction_id = _queued(digit_images[4])
    tasks.recognise_upload(prediction_id, digit_images[4])
    assert heatmaps.ask(prediction_id) and heatmaps.ask(prediction_id)
    [job] = _explain_queue().get_jobs()  # a second look while it is drawn queues nothing more
    assert job.args == ([prediction_id],) and not job.kwargs
    django_rq.get_worker(settings.EXPLAIN_QUEUE).work(burst=True)
    with Image.open(io.BytesIO(history.image(prediction_id, "explain"))) as img:
        assert img.size == (28, 28)


@pytest.mark.django_db
def test_a_worker_takes_waiting_uploads_before_heat_maps(monkeypatch, digit_images, run_worker):
    first, second = _queued(digit_images[1]), _queued(digit_images[8])
    tasks.recognise_upload(first, digit_images[1])
    heatmaps.ask(first)  # its heat map now waits on the explain queue
    django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_upload", second, digit_images[8])
    ran = []
    for name in ("recognise_upload", "explain_predictions"):
        original = getattr(tasks, name)
        monkeypatch.setattr(tasks, name, lambda *a, _f=original, _n=name: ran.append((_n, a[0])) or _f(*a))
    run_worker()
    assert ran == [("recognise_upload", second), ("explain_predictions", [first])]
    assert history.image(first, "explain") and history.image(second, "explain") is None


@pytest.mark.django_db
def test_a_heat_map_that_fails_leaves_the_answer_as_it_was(monkeypatch, digit_images, run_worker):
    prediction_id = _queued(digit_images[6])
    tasks.recognise_upload(prediction_id, digit_images[6])
    answered = history.get(prediction_id)

    def broken(*args, **kwargs):
        raise RuntimeError("occlusion broke")

    monkeypatch.setattr(tasks, "occlusion", broken)
    heatmaps.ask(prediction_id)
    run_worker()
    assert history.get(prediction_id) == answered
    assert history.image(prediction_id, "explain") is None
    assert FailedJobRegistry(queue=_explain_queue()).count == 1
