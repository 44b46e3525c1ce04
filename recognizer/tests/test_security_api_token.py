"""With API_TOKEN set, the JSON API answers scripts only with `Authorization: Bearer <token>`,
and this site's own pages only with their cookie and Django's CSRF token. No header that a
script can write (Sec-Fetch-Site, Origin, Referer) stands in for either."""
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .records import make_record
from .visitors import become_visitor

TOKEN = "t0ken-for-tests-0123456789"
FORGED = {
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-Mode": "cors",
    "Origin": "http://testserver",
    "Referer": "http://testserver/",
}


@pytest.fixture(autouse=True)
def api_token(settings):
    settings.API_TOKEN = TOKEN


def strict():
    """A client that is held to the CSRF check, as a real browser or script is."""
    return Client(enforce_csrf_checks=True)


def upload(client, digit_images, **headers):
    return client.post("/api/predictions", {"image": SimpleUploadedFile("7.png", digit_images[7])}, headers=headers)


def forged_header_sets():
    names = list(FORGED)
    for n in range(len(names) + 1):
        for chosen in itertools.combinations(names, n):
            yield {name: FORGED[name] for name in chosen}


@pytest.mark.slow
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer", f"bearer  {TOKEN}x"])
@pytest.mark.parametrize("forged", list(forged_header_sets()), ids=lambda h: "+".join(h) or "none")
def test_it_refuses_every_forged_header_with_or_without_a_wrong_token(digit_images, authorization, forged):
    headers = dict(forged)
    if authorization:
        headers["Authorization"] = authorization
    client = strict()
    record = make_record("x.png", digit=3)
    for response in (upload(client, digit_images, **headers), client.get("/api/predictions", headers=headers),
                     client.get(f"/api/predictions/{record}", headers=headers),
                     client.post(f"/api/predictions/{record}/correction", {"digit": "1"}, headers=headers)):
        assert response.status_code == 401, (response.request["PATH_INFO"], response.content)
        assert "Bearer" in response.json()["error"]
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_all_forged_headers_at_once_are_refused(digit_images):
    """The quick version of the test above (which tries every combination)."""
    client = strict()
    for authorization in (None, "Bearer wrong"):
        headers = dict(FORGED, **({"Authorization": authorization} if authorization else {}))
        assert upload(client, digit_images, **headers).status_code == 401
        assert client.get("/api/predictions", headers=headers).status_code == 401


def test_a_wrong_token_is_refused_even_with_the_pages_cookie(digit_images):
    client = strict()
    become_visitor(client)
    assert client.get("/api/predictions", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_it_accepts_the_token(digit_images):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    client = strict()
    created = upload(client, digit_images, **auth)
    assert created.status_code == 202
    detail = client.get(created.json()["predictions"][0]["url"], headers=auth)
    assert detail.status_code == 200
    # Uploads made with the token are the token's: its holder lists them (and nobody else's).
    make_record("someone-else.png", digit=1, owner="f" * 32)
    listed = client.get("/api/predictions", headers=auth).json()
    assert [r["filename"] for r in listed["results"]] == ["7.png"]


def test_the_sites_own_pages_use_their_cookie_and_csrf_token(digit_images):
    client = strict()
    page = client.get("/")
    assert page.status_code == 200
    csrf = client.cookies["csrftoken"].value
    # Without the CSRF token the cookie alone is not enough.
    assert upload(client, digit_images).status_code == 401
    created = upload(client, digit_images, **{"X-CSRFToken": csrf})
    assert created.status_code == 202
    # The upload made this browser a visitor: its cookie now reads the API, as the cards poll it.
    detail = client.get(created.json()["predictions"][0]["url"])
    assert detail.status_code == 200
    assert client.get("/api/predictions").json()["count"] == 1


def test_without_a_token_setting_the_api_is_open_to_scripts(settings, digit_images):
    settings.API_TOKEN = ""
    assert upload(strict(), digit_images).status_code == 202


def test_without_a_token_setting_a_visitors_cookie_still_needs_the_csrf_token(settings, digit_images):
    settings.API_TOKEN = ""
    client = strict()
    become_visitor(client)
    response = upload(client, digit_images)
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
