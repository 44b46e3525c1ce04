"""Every response carries a Content-Security-Policy; stored files are served by id with their
own content type and nosniff; CSRF protects the forms."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recognizer.middleware import ADMIN_CSP, CSP


@pytest.mark.parametrize("url", ["/", "/history/", "/api/predictions", "/healthz", "/no-such-page/"])
def test_every_response_has_the_strict_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_pages_work_under_their_own_policy(admin_client):
    for url in ("/admin/", "/admin/django_rq/dashboard/", "/dashboard/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert admin_client.get("/admin/")["Content-Security-Policy"] == ADMIN_CSP
    assert "frame-ancestors 'none'" in ADMIN_CSP


def test_an_uploaded_file_is_served_by_id_as_its_real_type(client, digit_images):
    # A PNG that claims to be an HTML page, under a name that tries to leave the folder.
    f = SimpleUploadedFile("..\\page.html", digit_images[5], content_type="text/html")
    prediction = client.post("/api/predictions", {"image": f}).json()["predictions"][0]
    served = client.get(prediction["image_url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == "inline"
    assert served["Content-Security-Policy"] == CSP
    assert prediction["image_url"] == f"/media/{prediction['id']}/upload"


@pytest.mark.django_db
def test_forms_need_a_csrf_token(digit_images):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/", {"image": SimpleUploadedFile("7.png", digit_images[7])})
    assert refused.status_code == 403

    page = browser.get("/")
    token = page.cookies["csrftoken"].value
    accepted = browser.post("/", {"image": SimpleUploadedFile("7.png", digit_images[7]),
                                  "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
