"""In Chromium: an iPhone's HEIC photo, which the browser itself cannot show, is still accepted,
listed by its format instead of a preview (and without a crop it could not draw), sent and read."""
from pathlib import Path

import pytest

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

IMAGES = Path(__file__).resolve().parents[2] / "ml" / "tests" / "fixtures" / "images"
SHOWS_THUMBNAIL = "() => document.querySelector('.card .thumb').src.endsWith('/thumb.png')"
CROPS_ON_THUMBNAIL = "() => document.getElementById('crop-image').src.endsWith('/thumb.png')"


def _send_heic(page, tmp_path, fixture, name):
    """Pick a HEIC picture, see it listed by its format, send it: its finished card."""
    picture = tmp_path / name
    picture.write_bytes((IMAGES / fixture).read_bytes())
    page.set_input_files("#id_image", str(picture))
    placeholder = page.locator(".preview .no-preview")
    placeholder.wait_for()
    assert placeholder.inner_text() == "HEIC"
    assert page.locator(".preview.refused").count() == 0
    assert page.locator(".preview .crop-button").count() == 0
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    # The card shows the worker's PNG thumbnail, which the browser can draw.
    page.wait_for_function(SHOWS_THUMBNAIL)
    return card


def test_a_heic_photo_is_listed_sent_and_read(open_page, worker_process, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    card = _send_heic(page, tmp_path, "phone_sheet_305.heic", "IMG_0001.HEIC")
    assert card.locator(".digit").inner_text().endswith("305")
    assert card.locator(".thumb").evaluate("img => img.decode().then(() => img.naturalWidth)") == 160
    assert browser_page.errors == []


def test_an_unsure_heic_is_cropped_again_on_its_thumbnail(open_page, worker_process, tmp_path):
    # The shipped model is unsure of this 8: its card offers "Crop and try again". Chromium
    # cannot draw the HEIC itself, so the crop box opens on the server's thumbnail, whose shape
    # is the picture's: a crop drawn there holds for the original.
    browser_page = open_page()
    page = browser_page.open("/")
    card = _send_heic(page, tmp_path, "unsure_8.heic", "IMG_0002.HEIC")
    card.locator(".crop-again").click()
    page.locator("#cropper").wait_for()
    stage_image = page.locator("#crop-image")
    page.wait_for_function(CROPS_ON_THUMBNAIL)
    assert stage_image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 112
    # Drawn larger than its 112 pixels, so that a box can be aimed on it.
    page.wait_for_function("() => document.getElementById('crop-image').getBoundingClientRect().width > 300")
    assert round(stage_image.bounding_box()["width"]) == 320

    card.locator(".result-link").click()
    page.wait_for_url("**/p/*/")
    page.locator(".crop-again-link").click()
    page.wait_for_url("**/?again=*")
    page.locator("#cropper").wait_for()
    page.wait_for_function(CROPS_ON_THUMBNAIL)
    assert page.locator(".preview img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 112
    assert browser_page.errors == []
