"""Staff delete one record or a filtered selection; files and index entries go with them."""
import pytest
from django.contrib.auth.models import User

from recognizer import history, storage

from .records import make_record


@pytest.mark.django_db
def test_it_deletes_one_record_with_its_files(admin_client):
    keep = make_record("keep.png", digit=1)
    doomed = make_record("doomed.png", digit=2)
    history.set_correction(doomed, 3)
    stored = history.get(doomed)["stored"]
    assert storage.path(stored).exists()
    confirm = admin_client.get(f"/p/{doomed}/delete")
    assert b"doomed.png" in confirm.content and b"csrfmiddlewaretoken" in confirm.content
    response = admin_client.post(f"/p/{doomed}/delete")
    assert response.status_code == 302
    assert history.get(doomed) is None
    assert history.image(doomed, "thumb") is None and history.image(doomed, "input") is None
    assert not storage.path(stored).exists()
    assert history.counts()["total"] == 1 and history.counts()["digits"][2] == 0
    assert history.corrected()[0] == 0
    assert history.get(keep) is not None


@pytest.mark.django_db
def test_it_deletes_a_filtered_selection(admin_client):
    sevens = [make_record(f"seven-{n}.png", digit=7) for n in range(3)]
    other = make_record("one.png", digit=1)
    confirm = admin_client.get("/history/delete?digit=7")
    assert b"Delete 3 predictions" in confirm.content
    admin_client.post("/history/delete", {"digit": "7"})
    assert all(history.get(i) is None for i in sevens)
    assert history.get(other) is not None
    assert [p.name for p in storage.upload_dir().iterdir()] == [history.get(other)["stored"]]


@pytest.mark.django_db
def test_it_refuses_deletion_to_non_staff(client):
    User.objects.create_user("visitor", password="pw-123456789")
    client.login(username="visitor", password="pw-123456789")
    target = make_record("mine.png", digit=5)
    client.post(f"/p/{target}/delete")
    client.post("/history/delete", {})
    assert history.get(target) is not None


@pytest.mark.django_db
def test_it_needs_a_csrf_token(admin_user):
    from django.test import Client
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    target = make_record("mine.png", digit=5)
    assert strict.post(f"/p/{target}/delete").status_code == 403
    assert history.get(target) is not None
