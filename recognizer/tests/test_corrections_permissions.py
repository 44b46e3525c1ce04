"""Only the uploader (the same browser, or a holder of the API token for uploads made with it)
or staff may correct a prediction; who corrected and when is recorded; a browser's corrections
are rate-limited."""
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recognizer import history

from .records import make_record
from .visitors import become_visitor

TOKEN = "t0ken-for-corrections-0123456789"


def correct_api(client, prediction_id, digit, **headers):
    return client.post(f"/api/predictions/{prediction_id}/correction", {"digit": str(digit)}, headers=headers)


def test_a_stranger_cannot_correct_someone_elses_prediction():
    owner, stranger = Client(), Client()
    prediction_id = make_record("x.png", digit=4, owner=become_visitor(owner))
    become_visitor(stranger)
    response = correct_api(stranger, prediction_id, 9)
    assert response.status_code == 403
    assert "uploaded" in response.json()["error"]
    page = stranger.post(f"/p/{prediction_id}/correct", {"digit": "9"}, follow=True)
    assert "Only the person who uploaded this picture" in page.content.decode()
    assert history.get(prediction_id)["correction"] is None
    # Nor does a browser with no visitor cookie at all.
    assert correct_api(Client(), prediction_id, 9).status_code == 403
    # The result page offers the form to the uploader only.
    assert b"correction-form" not in stranger.get(f"/p/{prediction_id}/").content
    assert b"correction-form" in owner.get(f"/p/{prediction_id}/").content


def test_the_uploader_corrects_and_is_recorded():
    client = Client()
    prediction_id = make_record("x.png", digit=4, owner=become_visitor(client))
    response = correct_api(client, prediction_id, 9)
    assert response.status_code == 200
    assert response.json()["correction"] == 9 and response.json()["digit"] == 4
    assert response.json()["corrected_at"] is not None
    record = history.get(prediction_id)
    assert record["correction"] == 9 and record["corrected_at"] is not None
    assert record["corrected_by"].startswith("visitor:")


def test_the_browser_that_uploaded_through_the_form_may_correct(digit_images, run_worker):
    client = Client()
    response = client.post("/", {"image": SimpleUploadedFile("seven.png", digit_images[7])})
    prediction_id = response["Location"].strip("/").split("/")[-1]
    run_worker()
    client.post(f"/p/{prediction_id}/correct", {"digit": "1"})
    assert history.get(prediction_id)["correction"] == 1


@pytest.mark.django_db
def test_staff_may_correct_anything_and_are_named():
    staff = Client()
    staff.force_login(User.objects.create_user("ops", password="pw-123456789", is_staff=True))
    prediction_id = make_record("x.png", digit=4, owner="a" * 32)
    assert correct_api(staff, prediction_id, 5).status_code == 200
    record = history.get(prediction_id)
    assert record["correction"] == 5 and record["corrected_by"] == "staff:ops"


def test_the_token_holder_corrects_uploads_made_with_the_token(settings, digit_images, run_worker):
    settings.API_TOKEN = TOKEN
    auth = {"Authorization": f"Bearer {TOKEN}"}
    script = Client(enforce_csrf_checks=True)
    created = script.post("/api/predictions", {"image": SimpleUploadedFile("7.png", digit_images[7])}, headers=auth)
    prediction_id = created.json()["predictions"][0]["id"]
    run_worker()
    assert correct_api(script, prediction_id, 2, **auth).status_code == 200
    assert history.get(prediction_id)["corrected_by"] == "api-token"
    # A visitor's upload is not the token's.
    visitors = make_record("v.png", digit=3, owner="b" * 32)
    assert correct_api(script, visitors, 2, **auth).status_code == 403


def test_corrections_are_rate_limited_per_browser(settings):
    settings.CORRECTIONS_PER_HOUR = 3
    client, other = Client(), Client()
    prediction_id = make_record("x.png", digit=4, owner=become_visitor(client))
    answers = [correct_api(client, prediction_id, d % 10).status_code for d in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert history.get(prediction_id)["correction"] == 2
    # Another browser has its own count.
    other_id = make_record("y.png", digit=4, owner=become_visitor(other))
    assert correct_api(other, other_id, 1).status_code == 200


def test_odd_corrections_are_refused_with_a_4xx(client):
    owner = become_visitor(client)
    prediction_id = make_record("x.png", digit=4, owner=owner)
    queued = make_record("q.png", status="queued", owner=owner)
    for digit in ("10", "-1", "seven", "", "4.5"):
        assert client.post(f"/api/predictions/{prediction_id}/correction", {"digit": digit}).status_code == 400
    assert client.post(f"/api/predictions/{prediction_id}/correction", '{"digit": true}',
                       content_type="application/json").status_code == 400
    assert client.post(f"/api/predictions/{prediction_id}/correction", '{"digit": 3}',
                       content_type="application/json").status_code == 200
    assert correct_api(client, queued, 3).status_code == 400
    assert correct_api(client, "0" * 32, 3).status_code == 404
    assert client.get(f"/api/predictions/{prediction_id}/correction").status_code == 405
