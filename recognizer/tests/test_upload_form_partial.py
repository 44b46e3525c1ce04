"""The upload form judges each file on its own: good files are queued, each refused one is
named with its reason, and only a request with no good file at all is refused."""
from django.core.files.uploadedfile import SimpleUploadedFile

from recognizer import history


def test_the_good_file_is_queued_and_the_bad_one_is_named(client, digit_images):
    files = [SimpleUploadedFile("good.png", digit_images[3]), SimpleUploadedFile("fake.png", b"just text")]
    response = client.post("/", {"image": files})
    assert response.status_code == 302
    assert history.counts()["total"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "fake.png: This file is not a picture we can read" in page
    assert "good.png" in page


def test_refusals_speak_the_visitors_language(client, digit_images):
    files = [SimpleUploadedFile("good.png", digit_images[3]), SimpleUploadedFile("fake.png", b"just text")]
    response = client.post("/", {"image": files}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "fake.png: " in page and "This file is not a picture" not in page
    api = client.post("/api/predictions", {"image": [SimpleUploadedFile("fake.png", b"just text")]},
                      HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert api["refused"][0]["code"] == "not_image"
    assert "This file" not in api["refused"][0]["error"] and "This file" not in api["error"]


def test_a_form_with_only_bad_files_is_refused_with_each_reason(client):
    files = [SimpleUploadedFile("a.png", b"text"), SimpleUploadedFile("b.png", b"")]
    response = client.post("/", {"image": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert "a.png: " in page and "b.png: " in page
    assert history.counts()["total"] == 0
