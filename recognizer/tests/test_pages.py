"""The upload form leads to a result page; the history page lists and filters records."""
from django.core.files.uploadedfile import SimpleUploadedFile

from recognizer import history


def test_it_shows_the_upload_form(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b'type="file"' in page.content
    assert b'accept="image/*"' in page.content


def test_uploading_through_the_form_leads_to_the_answer(client, digit_images, run_worker):
    response = client.post("/", {"image": SimpleUploadedFile("seven.png", digit_images[7])})
    assert response.status_code == 302
    result_url = response["Location"]
    pending = client.get(result_url)
    assert b"Working on it" in pending.content
    assert b"Refresh" in pending.content
    run_worker()
    page = client.get(result_url)
    assert page.status_code == 200
    assert b'<p class="digit"' in page.content
    assert b">7</p>" in page.content
    history_page = client.get("/history/")
    assert b"seven.png" in history_page.content


def test_the_form_shows_a_clear_error_for_a_bad_file(client):
    response = client.post("/", {"image": SimpleUploadedFile("x.png", b"hello")})
    assert response.status_code == 400
    assert b"x.png" in response.content
    assert history.counts()["total"] == 0


def test_history_escapes_filenames(client, digit_images):
    name = "<img src=x onerror=alert(1)>.png"
    client.post("/api/predictions", {"image": SimpleUploadedFile(name, digit_images[1])})
    page = client.get("/history/")
    assert b"<img src=x onerror" not in page.content
    assert b"&lt;img src=x onerror=alert(1)&gt;.png" in page.content


def test_history_filters_by_digit(client, digit_images, run_worker):
    client.post("/api/predictions", {"image": SimpleUploadedFile("one.png", digit_images[1])})
    client.post("/api/predictions", {"image": SimpleUploadedFile("eight.png", digit_images[8])})
    run_worker()
    page = client.get("/history/?digit=8")
    assert b"eight.png" in page.content
    assert b"one.png" not in page.content


def test_history_serves_thumbnails_after_recognition(client, digit_images, run_worker):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("two.png", digit_images[2])})
    prediction_id = response.json()["predictions"][0]["id"]
    run_worker()
    thumb = client.get(f"/media/{prediction_id}/thumb.png")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/png"
    seen = client.get(f"/media/{prediction_id}/input.png")
    assert seen.status_code == 200 and seen.content.startswith(b"\x89PNG")
