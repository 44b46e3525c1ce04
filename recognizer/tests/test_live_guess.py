"""POST /api/live: a drawing in progress goes through the queue and a real worker, the answer
(all ten probabilities) comes back in the response, and nothing is written to the history."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recognizer import history

pytestmark = pytest.mark.slow


def _post(client, data, **extra):
    return client.post("/api/live", {"image": SimpleUploadedFile("live.png", data)}, **extra)


def test_it_answers_with_all_ten_probabilities_and_keeps_no_history(client, start_worker, digit_images):
    start_worker()
    for digit in (4, 9):
        body = _post(client, digit_images[digit]).json()
        assert body["status"] == "finished"
        assert body["number"] == str(digit) and body["digit"] == digit
        [answer] = body["digits"]
        assert len(answer["probabilities"]) == 10
        assert abs(sum(answer["probabilities"]) - 1) < 1e-3
        assert max(range(10), key=answer["probabilities"].__getitem__) == digit
    assert history.counts()["total"] == 0


def test_a_blank_drawing_says_nothing_was_found(client, start_worker, digit_images):
    from .records import png

    start_worker()
    body = _post(client, png((280, 280), 255), HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert body["status"] == "failed" and body["code"] == "no_digit"
    assert "没有找到数字" in body["error"]
    assert history.counts()["total"] == 0


def test_a_file_that_is_no_picture_is_refused_before_the_queue(client):
    response = _post(client, b"just text")
    assert response.status_code == 400
    assert response.json()["code"] == "not_image"
    assert history.connection().llen("rq:queue:default") == 0


@pytest.mark.django_db
def test_it_needs_the_page_csrf_token(digit_images):
    response = _post(Client(enforce_csrf_checks=True), digit_images[1])
    assert response.status_code == 403
