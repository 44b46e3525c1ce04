"""A heat map shows what an answer rests on: hot where the digit's ink is, cold on the empty
paper, and the result page shows it with a sentence on how to read it. It is drawn on demand:
nothing is drawn for an answer until someone opens its page or its explain.png, then a worker
draws it by its own job on the lower-priority queue, from the stored input, once. The web never
waits for it: until it is stored, explain.png answers 202 and the page shows its place."""
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

from .stack import wait_for


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


def _explain(client, prediction_id):
    return client.get(f"/media/{prediction_id}/explain.png")


@pytest.mark.django_db
def test_a_heat_map_is_drawn_when_its_result_is_first_opened(client, digit_images, start_worker):
    prediction_id = _queued(digit_images[2])
    tasks.recognise_upload(prediction_id, digit_images[2])
    # An answer nobody looks at costs no heat map.
    assert history.image(prediction_id, "explain") is None and _explain_queue().count == 0
    # The page asks for it and answers at once, with its place and how to read it; its script
    # (and, without script, a reload) shows it once drawn.
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert 'id="heat-map-pending"' in page and "is being drawn" in page and "js/heat-map.js" in page
    assert f'data-src="/media/{prediction_id}/explain.png"' in page
    assert "one small square hidden each time" in page
    assert _explain_queue().count == 1
    start_worker()
    response = wait_for(lambda: (r := _explain(client, prediction_id)).status_code == 200 and r, timeout=120,
                        message="the worker drew no heat map")
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as img:
        assert img.size == (28, 28) and img.mode == "RGB"
        pixels = np.asarray(img)
    # Coloured, not grey: the heat is drawn over the input.
    assert (pixels[..., 0].astype(int) - pixels[..., 2]).max() > 100
    assert history.image(prediction_id, "explain") == response.content
    page = client.get(f"/p/{prediction_id}/").content.decode()
    assert f'<img src="/media/{prediction_id}/explain.png" class="heat-map" id="heat-map"' in page
    assert "heat-map-pending" not in page and "js/heat-map.js" not in page
    assert "one small square hidden each time" in page


@pytest.mark.django_db
def test_while_it_is_drawn_it_answers_202_and_is_asked_for_once(client, digit_images):
    prediction_id = _queued(digit_images[5])
    tasks.recognise_upload(prediction_id, digit_images[5])
    # No worker runs: every look answers at once that it is being drawn, and only the first queues it.
    for _ in range(3):
        assert 'id="heat-map-pending"' in client.get(f"/p/{prediction_id}/").content.decode()
        response = _explain(client, prediction_id)
        assert response.status_code == 202 and response["Content-Type"] == "application/json"
        assert response["Retry-After"] == str(heatmaps.RETRY_AFTER_SECONDS)
        assert "no-cache" in response["Cache-Control"]  # a 202 is never kept in place of the PNG
        assert response.json() == {"status": "drawing",
                                   "message": "The heat map is being drawn. Ask again in a moment."}
    zh = client.get(f"/media/{prediction_id}/explain.png", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert zh.status_code == 202 and "热力图" in zh.json()["message"]
    [job] = _explain_queue().get_jobs()
    assert job.args == ([prediction_id],)
    assert history.image(prediction_id, "explain") is None


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
