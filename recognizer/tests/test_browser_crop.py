"""In Chromium: a picture with a stray mark beside the digit reads wrong as a whole; dragging a
box around the digit on its preview (mouse, finger on a touch screen, or arrow keys) sends the box
with the upload, and the worker reads the right digit."""
import io

import numpy as np
import pytest
from PIL import Image

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


@pytest.fixture
def photo(mnist_test, tmp_path):
    x_test, y_test = mnist_test
    three, seven = (x_test[int(np.argmax(y_test == d))] for d in (3, 7))
    strip = 255 - np.concatenate([three, np.zeros((28, 14), np.uint8), seven], axis=1)
    path = tmp_path / "photo.png"
    out = io.BytesIO()
    Image.fromarray(strip).resize((70 * 4, 28 * 4), Image.BILINEAR).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def _recognise(page, count):
    page.click("#upload-submit")
    card = page.locator(".card.status-finished").nth(count - 1)
    card.wait_for()
    return page.locator(".card.status-finished .digit").first.inner_text()


def _box(page, left, top, right, bottom):
    stage = page.locator("#crop-stage").bounding_box()
    return ((stage["x"] + stage["width"] * left, stage["y"] + stage["height"] * top),
            (stage["x"] + stage["width"] * right, stage["y"] + stage["height"] * bottom))


def test_a_crop_box_drawn_with_the_mouse_gives_the_right_digit(open_page, worker_process, photo):
    browser_page = open_page()
    page = browser_page.open("/")
    page.set_input_files("#id_image", photo)
    assert _recognise(page, 1).endswith("37")  # the stray mark is read too

    page.set_input_files("#id_image", photo)
    page.locator(".crop-button").click()
    assert page.evaluate("document.activeElement.id") == "crop-stage"
    (x0, y0), (x1, y1) = _box(page, 0.52, 0.03, 0.98, 0.97)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()
    assert page.locator("#crop-box").is_visible()
    page.click("#crop-done")
    assert "cropped" in page.locator(".preview .size").inner_text()
    digit = _recognise(page, 2)
    assert digit.endswith("7") and not digit.endswith("37")
    numbers = sorted(r["number"] for r in history.page()[1])
    assert numbers == ["37", "7"]
    assert browser_page.errors == []


def test_a_crop_box_drawn_with_a_finger(open_page, worker_process, photo):
    browser_page = open_page(width=375, height=740)
    page = browser_page.open("/")
    page.set_input_files("#id_image", photo)
    page.locator(".crop-button").click()
    page.locator("#crop-stage").scroll_into_view_if_needed()
    (x0, y0), (x1, y1) = _box(page, 0.52, 0.03, 0.98, 0.97)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for step in range(1, 9):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + (x1 - x0) * step / 8, "y": y0 + (y1 - y0) * step / 8}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert page.locator("#crop-box").is_visible()
    page.click("#crop-done")
    digit = _recognise(page, 1)
    assert digit.endswith("7") and not digit.endswith("37")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser_page.errors == []


def test_a_crop_box_set_with_the_keyboard(open_page, worker_process, photo):
    browser_page = open_page()
    page = browser_page.open("/")
    page.set_input_files("#id_image", photo)
    page.locator(".crop-button").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "crop-stage"
    # From the middle box: taller, up to the top, taller again, then over to the right half.
    for keys in (["Shift+ArrowDown"] * 5, ["ArrowUp"] * 5, ["Shift+ArrowDown"] * 5, ["ArrowRight"] * 5):
        for key in keys:
            page.keyboard.press(key)
    box = page.evaluate("""() => {
        const b = document.getElementById('crop-box').getBoundingClientRect();
        const s = document.getElementById('crop-image').getBoundingClientRect();
        return [(b.left - s.left) / s.width, (b.top - s.top) / s.height, (b.right - s.left) / s.width,
                (b.bottom - s.top) / s.height];
    }""")
    assert [round(v, 2) for v in box] == [0.5, 0.0, 1.0, 1.0]
    page.locator("#crop-done").focus()
    page.keyboard.press("Enter")
    digit = _recognise(page, 1)
    assert digit.endswith("7") and not digit.endswith("37")
    assert browser_page.errors == []
