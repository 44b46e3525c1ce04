"""Refreshes docs/screenshots/ from a live server, a real worker and Chromium (not a test):

    .venv/bin/python -m pytest -q recognizer/tests/screenshots.py

The Chinese page needs a CJK font on the machine (Debian: fonts-wqy-microhei).
"""
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from .browser import browser, draw_stroke, open_page, worker_process  # noqa: F401  (fixtures)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "a-long-test-password-1"


def _strip(mnist_test, digits, gap=6):
    x_test, y_test = mnist_test
    parts = []
    for d in digits:
        parts += [x_test[int(np.argmax(y_test == d))], np.zeros((28, gap), np.uint8)]
    strip = 255 - np.concatenate(parts, axis=1)
    out = io.BytesIO()
    Image.fromarray(strip).resize((strip.shape[1] * 4, 28 * 4), Image.BILINEAR).save(out, "PNG")
    return out.getvalue()




def _files(tmp_path, named):
    paths = []
    for name, data in named.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    return paths


def _upload_page(page, tmp_path, digit_images, mnist_test):
    page.set_input_files("#id_image", _files(tmp_path, {
        "four.png": digit_images[4], "year.png": _strip(mnist_test, (2, 0, 2, 6)),
        "notes.png": b"shopping list: milk, eggs", "nine.png": digit_images[9]}))
    page.click("#upload-submit")
    page.locator(".card.status-finished").nth(2).wait_for()
    draw_stroke(page, [(0.3, 0.2), (0.7, 0.2), (0.45, 0.85)])
    page.wait_for_function("() => document.getElementById('live-answer').dataset.state === 'finished'")
    page.evaluate("window.scrollTo(0, 0)")


def test_screenshots(open_page, worker_process, digit_images, mnist_test, tmp_path, django_user_model):
    OUT.mkdir(parents=True, exist_ok=True)
    django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)

    desk = open_page(width=1280, height=900)
    page = desk.open("/")
    _upload_page(page, tmp_path, digit_images, mnist_test)
    page.screenshot(path=str(OUT / "upload.png"), full_page=True)

    # The crop box on a picture with a stray mark beside the digit.
    page.set_input_files("#id_image", _files(tmp_path, {"photo.png": _strip(mnist_test, (3, 7), gap=14)}))
    page.locator(".crop-button").click()
    stage = page.locator("#crop-stage").bounding_box()
    page.mouse.move(stage["x"] + stage["width"] * 0.52, stage["y"] + stage["height"] * 0.04)
    page.mouse.down()
    page.mouse.move(stage["x"] + stage["width"] * 0.97, stage["y"] + stage["height"] * 0.96, steps=8)
    page.mouse.up()
    page.locator("section[aria-labelledby=upload-heading]").screenshot(path=str(OUT / "crop.png"))

    page = desk.open("/")
    page.set_input_files("#id_image", _files(tmp_path, {"seven.png": digit_images[7]}))
    page.click("#upload-submit")
    page.locator(".card.status-finished .result-link").click()
    page.wait_for_url("**/p/*/")
    page.locator("#heat-map").wait_for()
    page.wait_for_function("() => document.getElementById('heat-map').complete")
    page.screenshot(path=str(OUT / "result.png"), full_page=True)

    desk.login("staff", PASSWORD)
    desk.open("/history/").screenshot(path=str(OUT / "history.png"), full_page=True)
    desk.open("/dashboard/").screenshot(path=str(OUT / "dashboard.png"), full_page=True)

    phone = open_page(width=375, height=812)
    page = phone.open("/")
    page.set_input_files("#id_image", _files(tmp_path, {"year.png": _strip(mnist_test, (2, 0, 2, 6))}))
    page.click("#upload-submit")
    page.locator(".card.status-finished .result-link").click()
    page.wait_for_url("**/p/*/")
    page.wait_for_function("() => document.getElementById('heat-map').complete")
    page.screenshot(path=str(OUT / "result-number-phone.png"), full_page=True)
    page = phone.open("/")
    draw_stroke(page, [(0.5, 0.15), (0.5, 0.85)])
    page.wait_for_function("() => document.getElementById('live-answer').dataset.state === 'finished'")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(OUT / "upload-phone.png"), full_page=True)

    zh = open_page(locale="zh-Hans", width=1280, height=900)
    page = zh.open("/")
    _upload_page(page, tmp_path, digit_images, mnist_test)
    page.screenshot(path=str(OUT / "upload-zh-hans.png"), full_page=True)
    for p in (desk, phone, zh):
        assert p.errors == []
