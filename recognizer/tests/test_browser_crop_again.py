"""In Chromium: an unsure answer says why it may be wrong and offers "Crop and try again", on
its card and on its result page; both bring the same picture back with the crop box open."""
import pytest

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)
from .conftest import digit_png

pytestmark = pytest.mark.slow

# An MNIST test digit (an 8) the shipped model is unsure of (its top probability is under 0.8).
UNSURE = 582


@pytest.fixture
def unsure_picture(mnist_test, tmp_path):
    path = tmp_path / "unsure.png"
    path.write_bytes(digit_png(mnist_test[0][UNSURE]))
    return str(path)


def test_an_unsure_answer_offers_crop_and_try_again(open_page, worker_process, unsure_picture):
    browser_page = open_page()
    page = browser_page.open("/")
    page.set_input_files("#id_image", unsure_picture)
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    assert card.locator(".warn").is_visible() and "crop" in card.locator(".warn").inner_text().lower()
    card.locator(".crop-again").click()
    assert page.locator(".preview .name").inner_text() == "unsure.png"
    # The crop box opens once the picture is decoded (item.ready in upload.js), a moment after
    # the file is listed: wait for it, as the result-page half below does.
    page.locator("#cropper").wait_for()
    assert page.locator("#cropper").is_visible()
    assert page.evaluate("document.activeElement.id") == "crop-stage"

    card.locator(".result-link").click()
    page.wait_for_url("**/p/*/")
    page.locator(".crop-again-link").click()
    page.wait_for_url("**/?again=*")
    page.locator("#cropper").wait_for()
    assert page.locator(".preview .name").inner_text() == "unsure.png"
    assert browser_page.errors == []
