"""In Chromium, on a 375-px phone: a result page has the room for "what the model saw" before
that picture arrives, so the links under it stay where a finger is about to tap them (a picture
that took its width only once it came in pushed the heat map onto a line of its own, and all
below it down the page)."""
import pytest

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)
from .test_browser_result_page import _number_png

pytestmark = pytest.mark.slow


def test_the_links_do_not_move_when_the_models_input_arrives(open_page, worker_process, mnist_test, tmp_path):
    browser_page = open_page(width=375, height=740)
    page = browser_page.open("/")
    held = []
    # The result page's picture of what the model saw is held back until the page has been
    # measured (the card's, on the page before, loads as usual).
    page.route("**/input.png", lambda route: held.append(route) if "/p/" in route.request.frame.url
               else route.continue_())
    path = tmp_path / "two.png"
    path.write_bytes(_number_png(mnist_test, (2, 6)))
    page.set_input_files("#id_image", str(path))
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    card.locator(".result-link").click()
    # Not "load": that waits for the picture held back.
    page.wait_for_url("**/p/*/", wait_until="domcontentloaded")
    image = page.locator(".explain figure img").first
    link = page.locator(".actions a.button")
    link.wait_for()
    assert not image.evaluate("img => img.complete && img.naturalWidth > 0")   # not arrived yet
    before, room = link.bounding_box(), image.bounding_box()
    assert room["width"] == pytest.approx(2 * room["height"])   # two digits' room
    for _ in range(100):   # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the result page asked for the model's input"
    for route in held:
        route.continue_()
    page.unroute("**/input.png")
    page.wait_for_function("() => { const i = document.querySelector('.explain figure img');"
                           " return i.complete && i.naturalWidth > 0; }")
    assert image.evaluate("img => img.naturalWidth") == 2 * 28
    assert image.bounding_box() == room
    assert link.bounding_box() == before
    assert browser_page.errors == []
