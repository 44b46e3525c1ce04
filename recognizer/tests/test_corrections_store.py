"""A person's "it is a N" is stored beside the prediction, never over it."""
from recognizer import history

from .records import make_record
from .visitors import become_visitor


def test_it_stores_a_correction_without_touching_the_prediction(client):
    prediction_id = make_record("x.png", digit=4, confidence=0.7, owner=become_visitor(client))
    response = client.post(f"/p/{prediction_id}/correct", {"digit": "9"})
    assert response.status_code == 302
    record = history.get(prediction_id)
    assert record["correction"] == 9
    assert record["digit"] == 4 and record["number"] == "4" and record["confidence"] == 0.7
    assert record["corrected_at"] is not None
    page = client.get(f"/p/{prediction_id}/")
    assert b"You said it is a 9" in page.content
    api = client.get(f"/api/predictions/{prediction_id}").json()
    assert api["correction"] == 9 and api["digit"] == 4


def test_it_stores_a_confirmation(client):
    prediction_id = make_record("x.png", digit=6, owner=become_visitor(client))
    client.post(f"/p/{prediction_id}/correct", {"digit": "6"})
    assert history.get(prediction_id)["correction"] == 6
    assert b"You confirmed that it is a 6" in client.get(f"/p/{prediction_id}/").content


def test_it_refuses_bad_digits_and_unfinished_records(client):
    owner = become_visitor(client)
    finished = make_record("x.png", digit=2, owner=owner)
    queued = make_record("q.png", status="queued", owner=owner)
    client.post(f"/p/{finished}/correct", {"digit": "12"})
    client.post(f"/p/{queued}/correct", {"digit": "3"})
    assert history.get(finished)["correction"] is None
    assert history.get(queued)["correction"] is None
    assert client.post("/p/nope/correct", {"digit": "1"}).status_code == 404


def test_it_needs_a_csrf_token():
    from django.test import Client
    prediction_id = make_record("x.png", digit=2)
    assert Client(enforce_csrf_checks=True).post(f"/p/{prediction_id}/correct", {"digit": "3"}).status_code == 403
    assert history.get(prediction_id)["correction"] is None
