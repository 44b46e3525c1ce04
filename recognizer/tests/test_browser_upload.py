"""In Chromium: pictures sent by picker, by drag-and-drop and by the draw pad come back as
result cards that fill in live from a real worker running the shipped model."""
import base64

import pytest

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

FINISHED = ".card.status-finished"


def _digits_on_cards(page):
    return sorted(page.locator(f"{FINISHED} .digit").all_inner_texts())


def test_it_recognises_one_picked_file(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page()
    page = browser_page.open("/")
    picture = tmp_path / "seven.png"
    picture.write_bytes(digit_images[7])
    page.set_input_files("#id_image", str(picture))
    assert page.locator(".preview .name").inner_text() == "seven.png"
    page.click("#upload-submit")
    card = page.locator(FINISHED)
    card.wait_for()
    assert card.locator(".digit").inner_text().endswith("7")
    assert card.locator(".top3 li").count() == 3
    assert card.locator(".model-input img").get_attribute("src").endswith("/input.png")
    # The picture may still be on its way when the card has finished: wait for it to be decoded
    # (decode() fails if it cannot be), then read its size.
    assert card.locator(".model-input img").evaluate("img => img.decode().then(() => img.naturalHeight)") == 28
    card.locator(".result-link").click()
    page.wait_for_url("**/p/*/")
    assert page.locator(".card .digit").inner_text().endswith("7")
    assert browser_page.errors == []


def test_it_recognises_three_dropped_files(open_page, worker_process, digit_images):
    browser_page = open_page()
    page = browser_page.open("/")
    files = [{"name": f"dropped-{d}.png", "data": base64.b64encode(digit_images[d]).decode()} for d in (1, 2, 3)]
    page.evaluate("""files => {
        const transfer = new DataTransfer();
        for (const f of files) {
            const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
            transfer.items.add(new File([bytes], f.name, {type: "image/png"}));
        }
        const zone = document.getElementById("drop-zone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", files)
    assert page.locator(".preview").count() == 3
    page.click("#upload-submit")
    page.locator(FINISHED).nth(2).wait_for()
    assert [d[-1] for d in _digits_on_cards(page)] == ["1", "2", "3"]
    names = sorted(r["filename"] for r in history.page()[1])
    assert names == ["dropped-1.png", "dropped-2.png", "dropped-3.png"]
    assert page.locator(".preview").count() == 0
    assert browser_page.errors == []


def test_it_refuses_an_oversize_file_before_sending(open_page, tmp_path, settings):
    browser_page = open_page()
    page = browser_page.open("/")
    big = tmp_path / "huge.png"
    big.write_bytes(b"\0" * (settings.MAX_UPLOAD_BYTES + 1))
    page.set_input_files("#id_image", str(big))
    assert page.locator(".preview.refused .name").inner_text() == "huge.png"
    assert "10 MB" in page.locator(".preview.refused .problem").inner_text()
    page.click("#upload-submit")
    # Recognise explains the flagged file on its own card instead of asking for a picture.
    card = page.locator(".card.status-refused")
    card.wait_for()
    assert card.locator(".filename").inner_text() == "huge.png"
    assert "10 MB" in card.locator(".error").inner_text()
    assert page.locator("#upload-error").is_hidden()
    assert history.counts()["total"] == 0
    assert browser_page.errors == []


def test_it_recognises_a_drawn_one(open_page, worker_process):
    browser_page = open_page()
    page = browser_page.open("/")
    box = page.locator("#draw-pad").bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.15)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x, box["y"] + box["height"] * (0.15 + 0.7 * step / 20))
    page.mouse.up()
    page.click("#draw-recognise")
    card = page.locator(FINISHED)
    card.wait_for()
    assert card.locator(".digit").inner_text().endswith("1")
    [record] = history.page()[1]
    assert record["filename"].startswith("drawing-") and record["filename"].endswith(".png")
    assert record["digit"] == 1
    assert browser_page.errors == []


def test_the_draw_pad_undoes_and_clears(open_page):
    browser_page = open_page()
    page = browser_page.open("/")
    box = page.locator("#draw-pad").bounding_box()
    blank = page.evaluate("document.getElementById('draw-pad').toDataURL()")
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 120)
    page.mouse.up()
    assert page.evaluate("document.getElementById('draw-pad').toDataURL()") != blank
    page.click("#draw-undo")
    assert page.evaluate("document.getElementById('draw-pad').toDataURL()") == blank
    page.click("#draw-recognise")
    assert page.locator("#draw-error").is_visible()
    assert history.counts()["total"] == 0
    assert browser_page.errors == []


def test_the_upload_page_fits_a_phone_and_offers_the_camera(open_page):
    browser_page = open_page(width=375, height=740)
    page = browser_page.open("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    camera = page.locator("#id_camera")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    assert page.locator("label[for=id_camera]").is_visible()
    assert browser_page.errors == []


def test_without_javascript_the_form_leads_to_the_answer(open_page, worker_process, digit_images, tmp_path):
    browser_page = open_page(javascript=False)
    page = browser_page.open("/")
    assert page.locator("#draw-panel").is_hidden()
    picture = tmp_path / "eight.png"
    picture.write_bytes(digit_images[8])
    page.set_input_files("#id_image", str(picture))
    page.click("#upload-submit")
    page.wait_for_url("**/p/*/")
    # The pending page refreshes itself every two seconds until the answer is in.
    page.locator(FINISHED).wait_for()
    assert page.locator(f"{FINISHED} .digit").inner_text().endswith("8")
    assert page.locator("#correction-digit").is_visible()
    assert browser_page.errors == []


def test_a_pending_result_page_fills_in_and_offers_feedback(open_page, worker_process, client, digit_images):
    from django.core.files.uploadedfile import SimpleUploadedFile

    browser_page = open_page()
    response = client.post("/", {"image": SimpleUploadedFile("five.png", digit_images[5])})
    # The same browser as the upload's (its visitor cookie): only the uploader is asked for feedback.
    browser_page.page.context.add_cookies([{"name": "visitor", "value": client.cookies["visitor"].value,
                                            "url": browser_page.base_url}])
    page = browser_page.open(response["Location"])
    page.locator("#correction-digit").wait_for()
    assert page.locator(f"{FINISHED} .digit").inner_text().endswith("5")
    assert browser_page.errors == []
