"""In Chromium: a good and a bad file sent together each get their own card. A text file named
.png is caught by its first bytes before sending; a file the server refuses (a cut-off PNG that
starts like a real one) gets a card with the server's reason; the good picture is recognised.
The next Recognise clears the old messages."""
import pytest

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_good_and_bad_files_each_get_their_own_card(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    fake = _write(tmp_path, "fake.png", b"Dear reader, this is text with a .png name.")
    cut = _write(tmp_path, "cut.png", digit_images[2][:60])
    good = _write(tmp_path, "six.png", digit_images[6])
    page.set_input_files("#id_image", [good, fake, cut])
    # Sniffed in the browser: the fake is flagged in the list before anything is sent.
    flagged = page.locator(".preview.refused")
    flagged.wait_for()
    assert flagged.locator(".name").inner_text() == "fake.png"
    assert "not sent" in flagged.locator(".problem").inner_text()
    assert page.locator(".preview:not(.refused)").count() == 2

    page.click("#upload-submit")
    finished = page.locator(".card.status-finished")
    finished.wait_for()
    assert finished.locator(".filename").inner_text() == "six.png"
    assert finished.locator(".digit").inner_text().endswith("6")
    refused = {page.locator(".card.status-refused .filename").nth(i).inner_text():
               page.locator(".card.status-refused .error").nth(i).inner_text() for i in range(2)}
    assert set(refused) == {"fake.png", "cut.png"}
    assert "PNG, JPEG" in refused["fake.png"]
    assert "damaged" in refused["cut.png"]  # the server's own reason, from the 202's refused list
    assert page.locator("#upload-error").is_hidden()
    assert [r["filename"] for r in history.page()[1]] == ["six.png"]
    # Focus moved to the first new card.
    assert page.evaluate("document.activeElement.classList.contains('card')")

    # The next submit starts clean: the refused cards of the last one are gone.
    page.set_input_files("#id_image", _write(tmp_path, "one.png", digit_images[1]))
    page.click("#upload-submit")
    page.locator(".card.status-finished").nth(1).wait_for()
    assert page.locator(".card.status-refused").count() == 0
    assert browser_page.errors == []


def test_refused_cards_speak_chinese(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page(locale="zh-Hans")
    page = browser_page.open("/")
    page.set_input_files("#id_image", [_write(tmp_path, "cut.png", digit_images[2][:60]),
                                       _write(tmp_path, "three.png", digit_images[3])])
    page.click("#upload-submit")
    page.locator(".card.status-finished").wait_for()
    card = page.locator(".card.status-refused")
    assert card.locator(".filename").inner_text() == "cut.png"
    assert "图片已损坏或不完整" in card.locator(".error").inner_text()
    assert browser_page.errors == []
