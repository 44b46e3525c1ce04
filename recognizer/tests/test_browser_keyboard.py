"""In Chromium, with the keyboard alone: choose a picture, recognise it, land on the answer,
open it and correct it; draw on the pad with arrow keys and see the live guess. Focus rings
stand out at 3:1 or more against the page."""
import pytest

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def _tab_to(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _outline(page):
    color = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    return [int(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3]]


def test_upload_result_and_correction_by_keyboard(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    picture = tmp_path / "eight.png"
    picture.write_bytes(digit_images[8])
    # Playwright turns on Chromium's file-chooser interception when the first listener
    # arrives, without waiting for it; a key pressed in the same instant can open a chooser
    # nobody intercepts. Listening from here lets the tabbing below happen after it is on.
    page.on("filechooser", lambda chooser: None)
    _tab_to(page, "#id_image")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(picture))
    page.locator(".preview").wait_for()
    _tab_to(page, "#upload-submit")
    assert _contrast(_outline(page), (255, 255, 255)) >= 3
    page.keyboard.press("Enter")
    page.locator(".card.status-finished").wait_for()
    # Focus is on the new answer, so the next Tab stays inside it.
    assert page.evaluate("document.activeElement.matches('.card')")
    _tab_to(page, ".result-link", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/*/")
    _tab_to(page, "#correction-digit")
    assert _contrast(_outline(page), (255, 255, 255)) >= 3
    page.keyboard.press("3")
    _tab_to(page, ".correction-form button")
    page.keyboard.press("Enter")
    page.locator(".feedback-given").wait_for()
    [record] = history.page()[1]
    assert record["digit"] == 8 and record["correction"] == 3
    assert browser_page.errors == []


def test_drawing_with_arrow_keys(open_page, worker_process):
    browser_page = open_page()
    page = browser_page.open("/")
    _tab_to(page, "#draw-pad")
    assert page.locator("#draw-pad").get_attribute("aria-describedby") == "draw-help draw-keys"
    for _ in range(7):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")  # pen down
    for _ in range(14):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # pen up: the stroke is done, the guess follows
    page.wait_for_function("() => document.getElementById('live-answer').dataset.state === 'finished'")
    assert page.locator("#live-probs li.top .k").inner_text() == "1"
    assert history.counts()["total"] == 0
    # The keyboard path offers the upload instead.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "draw-upload-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_image"
    assert browser_page.errors == []
