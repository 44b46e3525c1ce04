"""Private by default: the history page, the list API and the exports show a visitor only the
uploads of their own browser; staff see everything; PUBLIC_HISTORY=1 shows everyone everything.
A single prediction and its pictures stay reachable by their link, so ids are unguessable."""
import csv
import io
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from recognizer import history

from .records import make_record
from .visitors import become_visitor


@pytest.fixture
def two_visitors():
    alice, bob = Client(), Client()
    mine = make_record("alice.png", digit=1, owner=become_visitor(alice))
    theirs = make_record("bob.png", digit=2, owner=become_visitor(bob))
    make_record("older-anonymous.png", digit=3)  # from before visitors had keys
    return alice, bob, mine, theirs


def listed(client):
    """Filenames each list shows `client`: history page, list API, CSV and JSON exports."""
    page = client.get("/history/").content.decode()
    api = [r["filename"] for r in client.get("/api/predictions").json()["results"]]
    csv_rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/history/export.csv").streaming_content).decode())))
    json_rows = json.loads(b"".join(client.get("/history/export.json").streaming_content))
    names = ("alice.png", "bob.png", "older-anonymous.png")
    return {
        "page": sorted(n for n in names if n in page),
        "api": sorted(api),
        "csv": sorted(r["filename"] for r in csv_rows),
        "json": sorted(r["filename"] for r in json_rows),
    }


def test_each_visitor_lists_only_their_own_uploads(two_visitors):
    alice, bob, _mine, _theirs = two_visitors
    assert set(map(tuple, listed(alice).values())) == {("alice.png",)}
    assert set(map(tuple, listed(bob).values())) == {("bob.png",)}
    assert set(map(tuple, listed(Client()).values())) == {()}


def test_filters_apply_within_a_visitors_own_uploads(two_visitors):
    alice, _bob, _mine, _theirs = two_visitors
    owner = become_visitor(alice, history.get(_mine)["owner"])
    make_record("alice-failed.png", status="failed", owner=owner)
    results = alice.get("/api/predictions?status=finished&digit=1").json()["results"]
    assert [r["filename"] for r in results] == ["alice.png"]
    assert alice.get("/api/predictions?digit=2").json()["count"] == 0
    assert alice.get("/api/predictions?status=failed").json()["count"] == 1
    assert alice.get("/api/predictions?q=FAILED").json()["count"] == 1


@pytest.mark.django_db
def test_staff_see_everything(two_visitors):
    staff = Client()
    staff.force_login(User.objects.create_user("ops", password="pw-123456789", is_staff=True))
    everything = ["alice.png", "bob.png", "older-anonymous.png"]
    assert listed(staff) == {"page": everything, "api": everything, "csv": everything, "json": everything}


def test_public_history_restores_the_shared_list(two_visitors, settings):
    settings.PUBLIC_HISTORY = True
    everything = ["alice.png", "bob.png", "older-anonymous.png"]
    assert listed(Client()) == {"page": everything, "api": everything, "csv": everything, "json": everything}


def test_a_prediction_stays_reachable_by_its_link(two_visitors):
    _alice, bob, mine, _theirs = two_visitors
    assert bob.get(f"/p/{mine}/").status_code == 200
    assert bob.get(f"/api/predictions/{mine}").json()["filename"] == "alice.png"
    assert bob.get(f"/media/{mine}/upload").status_code == 200
    assert bob.get(f"/media/{mine}/thumb.png").status_code == 200


def test_ids_carry_128_random_bits():
    ids = {history.new_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    # Every hex digit varies across ids: none is fixed (as a uuid4's version digit would be).
    assert all(len({i[n] for i in ids}) == 16 for n in range(32))


def test_the_upload_page_says_who_sees_the_pictures(client, settings):
    assert "Only you (in this browser) and the site's staff see your pictures" in client.get("/").content.decode()
    zh = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "只有你（在此浏览器中）和网站工作人员能在历史记录中看到你的图片" in zh
    settings.PUBLIC_HISTORY = True
    assert "listed in the public history" in client.get("/").content.decode()


def test_the_first_upload_makes_a_browser_a_visitor(client, digit_images):
    from django.core.files.uploadedfile import SimpleUploadedFile
    assert "visitor" not in client.cookies
    client.post("/api/predictions", {"image": SimpleUploadedFile("mine.png", digit_images[5])})
    cookie = client.cookies["visitor"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert [r["filename"] for r in client.get("/api/predictions").json()["results"]] == ["mine.png"]
    # A forged or edited cookie is no one's.
    client.cookies["visitor"] = "0" * 32
    assert client.get("/api/predictions").json()["count"] == 0
