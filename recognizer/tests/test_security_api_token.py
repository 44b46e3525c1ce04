"""With API_TOKEN set, the JSON API answers scripts only with `Authorization: Bearer <token>`;
the site's own pages (same-origin browser requests) keep working without it."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

TOKEN = "t0ken-for-tests-0123456789"


@pytest.fixture(autouse=True)
def api_token(settings):
    settings.API_TOKEN = TOKEN


def upload(client, digit_images, **headers):
    return client.post("/api/predictions", {"image": SimpleUploadedFile("7.png", digit_images[7])}, headers=headers)


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example"},
])
def test_it_refuses_api_calls_without_the_token(client, digit_images, headers):
    for response in (upload(client, digit_images, **headers), client.get("/api/predictions", headers=headers)):
        assert response.status_code == 401
        assert "Bearer" in response.json()["error"]
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_accepts_the_token(client, digit_images):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    created = upload(client, digit_images, **auth)
    assert created.status_code == 202
    detail = client.get(created.json()["predictions"][0]["url"], headers=auth)
    assert detail.status_code == 200
    assert client.get("/api/predictions", headers=auth).json()["count"] == 1


def test_the_sites_own_pages_keep_working(client, digit_images):
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    # What a browser sends with the upload page's fetch() calls.
    created = upload(client, digit_images, **{"Sec-Fetch-Site": "same-origin"})
    assert created.status_code == 202
    detail = client.get(created.json()["predictions"][0]["url"], headers={"Sec-Fetch-Site": "same-origin"})
    assert detail.status_code == 200
    assert upload(client, digit_images, Origin="http://testserver").status_code == 202


def test_without_a_token_setting_the_api_is_open(client, settings, digit_images):
    settings.API_TOKEN = ""
    assert upload(client, digit_images).status_code == 202
