"""Staff find a sign-in link on every page; logging out lands back on the site; a failed
picture says whether it could not be read or was read with nothing found, with a tip."""
import pytest

from recognizer import history, messages

from .records import make_record


@pytest.mark.django_db
def test_pages_offer_staff_a_sign_in_that_returns_to_them(client):
    page = client.get("/history/").content.decode()
    assert 'href="/admin/login/?next=/history/"' in page and "Staff sign-in" in page


@pytest.mark.django_db
def test_logging_out_returns_to_the_site(admin_client):
    page = admin_client.get("/").content.decode()
    assert 'action="/admin/logout/"' in page and "Staff sign-in" not in page
    response = admin_client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_nothing_found_is_not_called_unreadable(client):
    nothing = make_record("blank.png", status="queued")
    history.mark_failed(nothing, messages.english("no_digit"), code="no_digit")
    broken = make_record("cut.png", status="queued")
    history.mark_failed(broken, messages.english("damaged"), code="damaged")
    page = client.get(f"/p/{nothing}/").content.decode()
    assert "Nothing found in this picture:" in page and "could not be read" not in page
    assert "write bigger, or crop closer" in page
    page = client.get(f"/p/{broken}/").content.decode()
    assert "This picture could not be read:" in page and "damaged or incomplete" in page
