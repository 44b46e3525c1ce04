"""In Chromium: corrections reach the dashboard, history filters feed the CSV export, the
dashboard is for staff only, and the site speaks Simplified Chinese."""
import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from recognizer import history

from .browser import browser, open_page, worker_process  # noqa: F401  (fixtures)
from .records import make_record

pytestmark = pytest.mark.slow

STAFF = ("staff", "staff-pw-123456789")


def _staff():
    User.objects.create_user(STAFF[0], password=STAFF[1], is_staff=True)


def test_a_correction_shows_on_the_dashboard(open_page, worker_process, client, digit_images):
    _staff()
    response = client.post("/api/predictions?wait=20", {"image": SimpleUploadedFile("four.png", digit_images[4])})
    [prediction] = response.json()["predictions"]
    assert prediction["digit"] == 4
    browser_page = open_page()
    # The upload came from another client: only staff (or its uploader) may correct it.
    browser_page.login(*STAFF)
    page = browser_page.open(prediction["page"])
    page.select_option("#correction-digit", "9")
    page.click(".correction-form button[type=submit]")
    page.locator(".message.success").wait_for()
    assert history.get(prediction["id"])["correction"] == 9
    assert history.get(prediction["id"])["digit"] == 4
    page = browser_page.open("/dashboard/")
    assert page.locator("#feedback-accuracy").inner_text() == "0.0%"
    assert page.locator("#feedback-wrong").inner_text() == "1"
    assert page.locator("table.confused tbody tr").first.inner_text().split() == ["4", "9", "1"]
    assert browser_page.errors == []


def test_filtered_history_exports_its_rows_as_csv(open_page, settings):
    settings.PUBLIC_HISTORY = True  # records made here belong to no browser; the subject is filters
    make_record("cat-7.png", digit=7)
    make_record("cat-1.png", digit=1)
    make_record("dog-7.png", digit=7)
    browser_page = open_page()
    page = browser_page.open("/history/")
    page.fill("#id_q", "cat")
    page.select_option("#id_digit", "7")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/history/?*")
    assert page.locator("table.history tbody tr").count() == 1
    assert page.locator("table.history td.filename").inner_text() == "cat-7.png"
    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert [(r["filename"], r["digit"]) for r in rows] == [("cat-7.png", "7")]
    assert browser_page.errors == []


def test_anonymous_visitors_cannot_open_the_dashboard(open_page):
    browser_page = open_page()
    page = browser_page.open("/dashboard/")
    assert "/admin/login/" in page.url
    assert page.locator("#id_username").is_visible()
    assert browser_page.open("/").locator("nav a[href='/dashboard/']").count() == 0
    assert browser_page.errors == []


def test_staff_log_in_and_see_the_dashboard(open_page):
    _staff()
    make_record("seen.png", digit=3)
    make_record("broken.png", status="failed", error="No digit found in the picture")
    browser_page = open_page()
    browser_page.login(*STAFF)
    page = browser_page.open("/admin/")
    page.click("#recognizer-links a[href='/dashboard/']")
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("#stat-total").inner_text() == "2"
    assert page.locator("figure.chart svg").count() == 3
    assert "No digit found in the picture" in page.locator(".failures").inner_text()
    assert browser_page.errors == []


def test_the_upload_page_speaks_simplified_chinese(open_page):
    browser_page = open_page(locale="zh-CN")
    page = browser_page.open("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "这是哪个数字？"
    assert page.locator("#upload-submit").inner_text() == "识别"
    page.select_option("#language-select", "en")
    page.click(".language button[type=submit]")
    page.locator("html[lang=en]").wait_for()
    assert page.locator("h1").inner_text() == "Which digit is it?"
    assert browser_page.errors == []
