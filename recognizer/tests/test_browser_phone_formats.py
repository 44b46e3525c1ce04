"""In Chromium: an iPhone's HEIC photo, which the browser itself cannot show, is still accepted,
listed by its format instead of a preview (and without a crop it could not draw), sent and read."""
from pathlib import Path

import pytest

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

IMAGES = Path(__file__).resolve().parents[2] / "ml" / "tests" / "fixtures" / "images"


def test_a_heic_photo_is_listed_sent_and_read(open_page, worker_process, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    picture = tmp_path / "IMG_0001.HEIC"
    picture.write_bytes((IMAGES / "phone_sheet_305.heic").read_bytes())
    page.set_input_files("#id_image", str(picture))
    placeholder = page.locator(".preview .no-preview")
    placeholder.wait_for()
    assert placeholder.inner_text() == "HEIC"
    assert page.locator(".preview.refused").count() == 0
    assert page.locator(".preview .crop-button").count() == 0
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    assert card.locator(".digit").inner_text().endswith("305")
    # The card shows the worker's PNG thumbnail, which the browser can draw.
    thumb = card.locator(".thumb")
    thumb.wait_for()
    page.wait_for_function("() => document.querySelector('.card .thumb').src.endsWith('/thumb.png')")
    assert thumb.evaluate("img => img.decode().then(() => img.naturalWidth)") == 160
    assert browser_page.errors == []


def test_an_unsure_heic_is_cropped_again_on_its_thumbnail(open_page, worker_process, tmp_path):
    # The shipped model is unsure of this 8: its card offers "Crop and try again". Chromium
    # cannot draw the HEIC itself, so the crop box opens on the server's thumbnail, whose shape
    # is the picture's: a crop drawn there holds for the original.
    browser_page = open_page()
    page = browser_page.open("/")
    picture = tmp_path / "IMG_0002.HEIC"
    picture.write_bytes((IMAGES / "unsure_8.heic").read_bytes())
    page.set_input_files("#id_image", str(picture))
    page.locator(".preview .no-preview").wait_for()
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    page.wait_for_function("() => document.querySelector('.card .thumb').src.endsWith('/thumb.png')")
    card.locator(".crop-again").click()
    page.locator("#cropper").wait_for()
    stage_image = page.locator("#crop-image")
    page.wait_for_function("() => document.getElementById('crop-image').src.endsWith('/thumb.png')")
    assert stage_image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 112

    card.locator(".result-link").click()
    page.wait_for_url("**/p/*/")
    page.locator(".crop-again-link").click()
    page.wait_for_url("**/?again=*")
    page.locator("#cropper").wait_for()
    page.wait_for_function("() => document.getElementById('crop-image').src.endsWith('/thumb.png')")
    assert page.locator(".preview img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 112
    assert browser_page.errors == []
