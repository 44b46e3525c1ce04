"""In Chromium, on a 375-px phone: a result page has the room for "what the model saw" and for
its heat map before they arrive, so the links under them stay where a finger is about to tap
them (a picture that took its width only once it came in pushed the heat map onto a line of its
own, and all below it down the page; the note "being drawn" was 2 px taller than the heat map
that took its place)."""
import pytest

from .browser import browser, open_page, release_held_pictures, worker_process  # noqa: F401  (fixtures)
from .test_browser_result_page import _number_png

pytestmark = pytest.mark.slow


def test_the_links_do_not_move_when_the_models_input_arrives(browser, open_page, worker_process, mnist_test):
    browser_page = open_page(width=375, height=740)
    # Uploaded by a script, so that no card has loaded the picture first (the browser would keep
    # it and not ask for it again).
    script = browser.new_context()
    answer = script.request.post(browser_page.base_url + "/api/predictions?wait=60", multipart={
        "image": {"name": "two.png", "mimeType": "image/png", "buffer": _number_png(mnist_test, (2, 6))}})
    [record] = answer.json()["predictions"]
    script.close()
    assert record["status"] == "finished" and record["number"] == "26"
    page = browser_page.page
    held = []
    # The picture the model saw is held back until the page has been measured.
    page.route("**/input.png", lambda route: held.append(route))
    # Not "load": that waits for the picture held back.
    page.goto(browser_page.base_url + record["page"], wait_until="domcontentloaded")
    image = page.locator(".explain figure img").first
    link = page.locator(".actions a.button")
    link.wait_for()
    assert not image.evaluate("img => img.complete && img.naturalWidth > 0")   # not arrived yet
    before, room = link.bounding_box(), image.bounding_box()
    assert room["width"] == pytest.approx(2 * room["height"])   # two digits' room
    release_held_pictures(page, held, "**/input.png", ".explain figure img")
    # The heat map, drawn by a worker meanwhile, takes the place of the note saying so.
    page.wait_for_function("() => { const i = document.getElementById('heat-map');"
                           " return i && i.complete && i.naturalWidth > 0; }", timeout=60_000)
    assert image.evaluate("img => img.naturalWidth") == 2 * 28
    assert image.bounding_box() == room
    assert link.bounding_box() == before
    assert browser_page.errors == []
