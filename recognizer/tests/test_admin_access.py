"""The admin, the queue dashboard and the stats page are for staff only."""
import pytest
from django.contrib.auth.models import User

STAFF_PAGES = ["/admin/", "/dashboard/", "/admin/django_rq/dashboard/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_non_staff_users_are_refused(client, url):
    User.objects.create_user("visitor", password="pw-123456789")
    client.login(username="visitor", password="pw-123456789")
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_staff_see_the_dashboard_with_counts(admin_client, digit_images, run_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile
    admin_client.post("/api/predictions", {"image": SimpleUploadedFile("3.png", digit_images[3])})
    run_worker()
    page = admin_client.get("/dashboard/")
    assert page.status_code == 200
    assert b'id="digit-3">1<' in page.content
    assert b'id="stat-finished">1<' in page.content
    index = admin_client.get("/admin/")
    assert b"/dashboard/" in index.content
    assert b"django_rq" in index.content
