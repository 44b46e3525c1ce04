"""Bad requests get a JSON error a person understands, never a 500, and nothing is stored."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mnistsite.embedded_redis import free_port
from mnistsite.settings import rq_queues
from recognizer import history


def post(client, *files, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/predictions?{query}", {"image": list(files)} if files else {})


def assert_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body["error"], str) and len(body["error"]) > 10
    return body["error"]


def test_it_refuses_a_request_without_a_file(client):
    assert "No file" in assert_error(post(client), 400)


def test_it_refuses_text_named_png(client):
    f = SimpleUploadedFile("notes.png", b"just some text, not a picture", content_type="image/png")
    message = assert_error(post(client, f), 400)
    assert "notes.png" in message
    assert history.counts()["total"] == 0


def test_it_refuses_an_empty_file(client):
    assert_error(post(client, SimpleUploadedFile("empty.png", b"", content_type="image/png")), 400)


def test_it_refuses_a_file_over_the_size_limit_with_413(client, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    img = Image.effect_noise((200, 200), 100)
    data = io.BytesIO()
    img.save(data, "PNG")
    message = assert_error(post(client, SimpleUploadedFile("big.png", data.getvalue())), 413)
    assert "MB" in message


def test_it_queues_the_good_file_and_reports_the_bad_one(client, digit_images):
    good = SimpleUploadedFile("good.png", digit_images[2])
    bad = SimpleUploadedFile("bad.png", b"\x89PNG\r\n\x1a\n truncated")
    response = post(client, good, bad)
    assert response.status_code == 202
    body = response.json()
    assert [p["filename"] for p in body["predictions"]] == ["good.png"]
    [refused] = body["refused"]
    assert refused["filename"] == "bad.png" and refused["code"] == "not_image"
    assert "not a picture" in refused["error"]
    assert history.counts()["total"] == 1


def test_it_answers_400_with_every_reason_when_no_file_is_good(client):
    files = [SimpleUploadedFile("a.png", b"text"), SimpleUploadedFile("b.png", b"")]
    body = post(client, *files).json()
    assert [(r["filename"], r["code"]) for r in body["refused"]] == [("a.png", "not_image"), ("b.png", "empty")]
    assert "a.png" in body["error"] and "b.png" in body["error"]
    assert history.counts()["total"] == 0


def test_it_refuses_bad_list_parameters(client):
    assert_error(client.get("/api/predictions?digit=12"), 400)
    assert_error(client.get("/api/predictions?page=0"), 400)
    assert_error(client.get("/api/predictions?page_size=1000"), 400)
    assert_error(client.get("/api/predictions?status=lost"), 400)


def test_it_answers_404_for_an_unknown_id(client):
    assert_error(client.get("/api/predictions/doesnotexist"), 404)


def test_it_answers_503_when_redis_is_unreachable(client, settings, digit_images):
    settings.RQ_QUEUES = rq_queues({"URL": f"redis://127.0.0.1:{free_port()}/0"})
    assert "unreachable" in assert_error(client.get("/api/predictions"), 503)
    assert_error(post(client, SimpleUploadedFile("seven.png", digit_images[7])), 503)
    page = client.get("/history/")
    assert page.status_code == 503
    assert b"unreachable" in page.content
