"""In Chromium: a result page shows the heat map with how to read it; a number fits a 375-px
phone without sideways scrolling, asks "Is this right?" and takes a whole-number correction."""
import pytest

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def _upload(page, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("#id_image", str(path))
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    card.locator(".result-link").click()
    page.wait_for_url("**/p/*/")


def _number_png(mnist_test, digits):
    import io

    import numpy as np
    from PIL import Image

    x_test, y_test = mnist_test
    parts = []
    for d in digits:
        parts += [x_test[int(np.argmax(y_test == d))], np.zeros((28, 6), np.uint8)]
    strip = 255 - np.concatenate(parts, axis=1)
    out = io.BytesIO()
    Image.fromarray(strip).resize((strip.shape[1] * 4, 28 * 4), Image.BILINEAR).save(out, "PNG")
    return out.getvalue()


def test_the_heat_map_is_shown_with_how_to_read_it(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    _upload(page, tmp_path, "nine.png", digit_images[9])
    # The page answers before the heat map is drawn; its script shows it once a worker has drawn
    # it, however long the worker's queue is on a loaded machine.
    heat = page.locator("#heat-map")
    heat.wait_for(timeout=60_000)
    page.wait_for_function("() => document.getElementById('heat-map').complete", timeout=60_000)
    assert page.locator("#heat-map-pending").count() == 0
    assert heat.evaluate("img => img.naturalWidth") == 28
    assert heat.evaluate("img => img.getBoundingClientRect().width") >= 100  # drawn large, pixelated
    assert "one small square hidden each time" in page.locator(".explain .hint").inner_text()
    assert browser_page.errors == []


def test_a_number_fits_a_phone_and_can_be_corrected(open_page, worker_process, mnist_test, tmp_path):
    browser_page = open_page(width=375, height=740)
    page = browser_page.open("/")
    _upload(page, tmp_path, "year.png", _number_png(mnist_test, (2, 0, 2, 6)))
    assert page.locator(".card .digit").inner_text().endswith("2026")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("#feedback-heading").inner_text() == "Is this right?"
    page.fill("#correction-number", "2028")
    page.locator(".number-correction button").click()
    page.wait_for_load_state()
    assert "2028" in page.locator(".feedback-given").inner_text()
    [record] = history.page()[1]
    assert record["number"] == "2026" and record["correction"] == 2028
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser_page.errors == []
