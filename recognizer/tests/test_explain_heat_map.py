"""The worker stores a heat map with each answer: hot where the digit's ink is, cold on the
empty paper, and the result page shows it with a sentence on how to read it."""
import io

import numpy as np
import pytest
from PIL import Image

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
def test_the_result_page_shows_the_stored_heat_map(client, digit_images):
    prediction_id = _queued(digit_images[2])
    tasks.recognise_upload(prediction_id, digit_images[2])
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
