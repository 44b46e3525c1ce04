"""GET /api/predictions pages the history newest first and filters by digit."""
from django.core.files.uploadedfile import SimpleUploadedFile


def test_it_lists_newest_first_with_a_count(client, digit_images, run_worker):
    for d in (1, 2, 3):
        client.post("/api/predictions", {"image": SimpleUploadedFile(f"{d}.png", digit_images[d])})
    run_worker()
    body = client.get("/api/predictions").json()
    assert body["count"] == 3
    assert [r["filename"] for r in body["results"]] == ["3.png", "2.png", "1.png"]
    assert [r["digit"] for r in body["results"]] == [3, 2, 1]


def test_it_pages_through_the_history(client, digit_images):
    for i in range(5):
        client.post("/api/predictions", {"image": SimpleUploadedFile(f"{i}.png", digit_images[4])})
    first = client.get("/api/predictions?page_size=2&page=1").json()
    third = client.get("/api/predictions?page_size=2&page=3").json()
    assert first["count"] == 5
    assert [r["filename"] for r in first["results"]] == ["4.png", "3.png"]
    assert [r["filename"] for r in third["results"]] == ["0.png"]


def test_it_filters_by_digit(client, digit_images, run_worker):
    for d in (5, 6, 5):
        client.post("/api/predictions", {"image": SimpleUploadedFile(f"{d}.png", digit_images[d])})
    run_worker()
    body = client.get("/api/predictions?digit=5").json()
    assert body["count"] == 2
    assert {r["digit"] for r in body["results"]} == {5}
    assert client.get("/api/predictions?digit=8").json()["count"] == 0
