"""axe-core (from npm) finds no violation of any impact on any page, in English and in
Simplified Chinese: the upload page with result cards, a live guess and a crop box open, a
digit's and a number's result page, the history, the dashboard and the admin. The Chinese
pages, as the browser shows them after their scripts ran, carry no English sentence."""
import pytest

from .browser import axe_source, axe_violations, browser, open_page, worker_process  # noqa: F401  (fixtures)
from .records import make_record
from .test_messages_in_chinese import english_words

pytestmark = pytest.mark.slow

PASSWORD = "a-long-test-password-1"
NAMES = ["four.png", "fake.png", "year.png"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)


def _upload_with_cards(page, digit_images, tmp_path):
    good, bad = tmp_path / NAMES[0], tmp_path / NAMES[1]
    good.write_bytes(digit_images[4])
    bad.write_bytes(b"this is text, not a picture")
    page.set_input_files("#id_image", [str(good), str(bad)])
    page.locator(".preview.refused").wait_for()
    page.click("#upload-submit")
    page.locator(".card.status-finished").wait_for()
    page.locator(".card.status-refused").wait_for()
    # The live guess after a stroke, and a picture's crop box open, are on the page too.
    pad = page.locator("#draw-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8, steps=10)
    page.mouse.up()
    page.wait_for_function("() => document.getElementById('live-answer').dataset.state === 'finished'")
    page.set_input_files("#id_image", str(good))
    page.locator(".crop-button").click()


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_no_page_has_an_accessibility_violation(open_page, worker_process, axe_source, staff, digit_images,
                                                tmp_path, locale):
    digit = make_record("seven.png", digit=7)
    number = make_record(NAMES[2], digit=2, digits=4)
    browser_page = open_page(locale=locale)
    page = browser_page.page
    browser_page.login("staff", PASSWORD)
    found = {"admin": axe_violations(page, axe_source)}
    browser_page.open("/")
    _upload_with_cards(page, digit_images, tmp_path)
    found["upload with cards"] = axe_violations(page, axe_source)
    texts = {"upload with cards": page.inner_text("body")}
    for name, path in [("digit", f"/p/{digit}/"), ("number", f"/p/{number}/"), ("history", "/history/"),
                       ("dashboard", "/dashboard/")]:
        browser_page.open(path)
        found[name] = axe_violations(page, axe_source)
        texts[name] = page.inner_text("body")
    assert {name: v for name, v in found.items() if v} == {}
    if locale == "zh-Hans":
        for name in ("upload with cards", "digit", "number", "history"):
            assert english_words(texts[name], NAMES + ["seven.png"]) == [], name
    assert browser_page.errors == []


def test_the_checker_reports_what_it_finds(open_page, axe_source):
    browser_page = open_page()
    page = browser_page.open("/history/")
    page.evaluate("document.querySelector('main').appendChild(document.createElement('img'))")
    assert any(v.startswith("image-alt:") for v in axe_violations(page, axe_source))
    assert browser_page.errors == []
