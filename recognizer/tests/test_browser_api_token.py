"""In Chromium, with API_TOKEN set: the upload page still sends pictures through the API and
its cards fill in (the page uses its cookie and CSRF token, never the token), while the same
browser's request without the page's CSRF token is refused."""
import pytest

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def test_the_upload_page_works_with_an_api_token(open_page, worker_process, digit_images, tmp_path, settings):
    settings.API_TOKEN = "t0ken-the-page-never-sees-0123456789"
    browser_page = open_page()
    page = browser_page.open("/")
    picture = tmp_path / "seven.png"
    picture.write_bytes(digit_images[7])
    page.set_input_files("#id_image", str(picture))
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    assert card.locator(".digit").inner_text().endswith("7")
    # The same browser's cookies without the page's CSRF token: refused.
    refused = page.request.post(browser_page.base_url + "/api/predictions", multipart={
        "image": {"name": "seven.png", "mimeType": "image/png", "buffer": digit_images[7]}})
    assert refused.status == 401
    # Reading its own list works with the cookie the upload gave it.
    count = page.evaluate("() => fetch('/api/predictions').then(r => r.json()).then(b => b.count)")
    assert count == 1
    assert browser_page.errors == []
