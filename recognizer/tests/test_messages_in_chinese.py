"""A zh-Hans reader sees no English sentence: pages and API errors say every reason from its code."""
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from recognizer import history, messages

from .records import make_record, png

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}
# Words that stay as they are in a Chinese page: format names, units, the API's name, a key.
ALLOWED = {"PNG", "JPEG", "HEIC", "AVIF", "GIF", "WebP", "BMP", "TIFF", "SVG", "JSON", "API", "CSV", "Shift", "MB", "KB",
           "English",  # the language switch names English in English (lang="en")
           # The dashboard's model card: model names, libraries and their versions.
           "cnn", "lenet", "mlp", "softmax", "python", "keras", "tensorflow", "cpu", "numpy", "pillow", "django"}
WORD = re.compile(r"[A-Za-z]{3,}")
# Attributes a person hears or reads (and the page's data-* strings, which its scripts show).
SPOKEN = {"alt", "title", "aria-label", "aria-roledescription", "placeholder"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):  # commands are typed as they are
            self._skip += 1
        for name, value in attrs:
            if value and (name in SPOKEN or name.startswith("data-") and " " in value):
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(text, filenames=()):
    for name in filenames:
        text = text.replace(name, " ")
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


def page_words(html, filenames=()):
    parser = _Text()
    parser.feed(html)
    return english_words(" ".join(parser.parts), filenames)


def failed_record(name, code, **params):
    prediction_id = make_record(name, status="queued")
    history.mark_failed(prediction_id, messages.english(code, **params), code=code, params=params)
    return prediction_id


def test_every_reason_and_hint_has_a_chinese_text():
    with translation.override("zh-hans"):
        for code in messages.REASONS:
            params = {"width": 9000, "height": 9000, "limit_mp": 40, "size_mb": 12.5, "limit_mb": 10,
                      "format": "PNG"}
            text = messages.reason(code, **params)
            assert english_words(text) == [], (code, text)
        for code in messages.HINTS:
            assert english_words(messages.hint(code)) == [], code


@pytest.mark.django_db
def test_pages_in_chinese_carry_no_english_sentence(admin_client):
    names = ["seven.png", "year.png", "blank.png", "fake.png", "big.png"]
    digit = make_record(names[0], digit=7)
    number = make_record(names[1], digit=2, digits=4)
    nothing = failed_record(names[2], "no_digit")
    fake = failed_record(names[3], "not_image")
    big = failed_record(names[4], "too_many_pixels", width=9000, height=9000, limit_mp=40.0)
    pages = ["/", f"/p/{digit}/", f"/p/{number}/", f"/p/{nothing}/", f"/p/{fake}/", f"/p/{big}/",
             f"/results/?ids={digit},{nothing},{fake}", "/history/", f"/p/{digit}/delete", "/dashboard/"]
    for url in pages:
        response = admin_client.get(url, **ZH)
        assert response.status_code == 200, url
        assert page_words(response.content.decode(), names) == [], url
    # The scan does see English: the same page in English is full of it.
    assert len(page_words(admin_client.get(f"/p/{nothing}/").content.decode(), names)) > 10
    # The reason is the code's own sentence, in Chinese.
    assert "没有找到数字" in admin_client.get(f"/p/{nothing}/", **ZH).content.decode()
    assert "9000×9000" in admin_client.get(f"/p/{big}/", **ZH).content.decode()


@pytest.mark.django_db
def test_api_errors_in_chinese_carry_no_english_sentence(client):
    fake = failed_record("fake.png", "not_image")
    body = client.get(f"/api/predictions/{fake}", **ZH).json()
    assert body["error_code"] == "not_image"
    assert body["error"] == "这个文件不是可以读取的图片。请上传 PNG、JPEG、HEIC、WebP、AVIF、GIF、BMP 或 TIFF 图片。"
    live = client.post("/api/live", {"image": SimpleUploadedFile("live.png", b"not a picture")}, **ZH)
    assert live.status_code == 400
    assert live.json()["code"] == "not_image" and english_words(live.json()["error"]) == []


def test_the_english_text_stays_stored_beside_the_code(client):
    fake = failed_record("fake.png", "not_image")
    record = history.get(fake)
    assert record["error_code"] == "not_image"
    assert record["error"].startswith("This file is not a picture we can read.")
    assert client.get(f"/api/predictions/{fake}").json()["error"] == record["error"]


def test_a_record_without_a_code_keeps_its_stored_text(client):
    old = make_record("old.png", status="failed", error="No digit found in the picture")
    assert client.get(f"/api/predictions/{old}").json()["error"] == "No digit found in the picture"
    assert png()  # the helper's pictures are real PNGs
