"""In Chromium, on a 375-px phone: a finished card has the room for "what the model saw" before
that picture arrives, so the link under it stays where a finger is about to tap it (a card that
grew as the picture came in moved the link, and the tap landed on nothing)."""
import pytest

from .browser import browser, open_page, release_held_pictures, worker_process  # noqa: F401  (fixtures)
from .test_browser_result_page import _number_png

pytestmark = pytest.mark.slow


def test_the_result_link_does_not_move_when_the_models_input_arrives(open_page, worker_process, mnist_test, tmp_path):
    browser_page = open_page(width=375, height=740)
    page = browser_page.open("/")
    held = []
    # The picture the model saw is held back until the finished card has been measured.
    page.route("**/input.png", lambda route: held.append(route))
    path = tmp_path / "year.png"
    path.write_bytes(_number_png(mnist_test, (2, 0, 2, 6)))
    page.set_input_files("#id_image", str(path))
    page.click("#upload-submit")
    card = page.locator(".card.status-finished")
    card.wait_for()
    image, link = card.locator(".model-input img"), card.locator(".result-link")
    assert not image.evaluate("img => img.complete && img.naturalWidth > 0")   # not arrived yet
    before, room = link.bounding_box(), image.bounding_box()
    assert room["width"] > 3 * room["height"]   # four digits' room, in a card narrower than 4 x 56 px
    release_held_pictures(page, held, "**/input.png", ".card .model-input img")
    assert image.evaluate("img => img.naturalWidth") == 4 * 28
    assert image.bounding_box() == room
    assert link.bounding_box() == before
    assert browser_page.errors == []
