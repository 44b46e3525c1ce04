"""Hostile and broken uploads: each gets a 4xx with a clear message; nothing is stored."""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from recognizer import history


def post(client, *files, path="/api/predictions"):
    return client.post(path, {"image": list(files)} if files else {})


def assert_refused(response, status, *words):
    assert response.status_code == status, response.content[:300]
    message = response.json()["error"]
    for word in words:
        assert word in message, message
    assert history.counts()["total"] == 0
    return message


def png_header(width, height):
    """A PNG signature and IHDR chunk (valid CRC) that claim `width`×`height` pixels, no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def jpeg_bytes(digit_png):
    out = io.BytesIO()
    Image.open(io.BytesIO(digit_png)).convert("L").save(out, "JPEG", quality=90)
    return out.getvalue()


def test_it_refuses_a_zero_byte_file(client):
    assert_refused(post(client, SimpleUploadedFile("empty.png", b"")), 400, "empty")


def test_it_refuses_text_named_png(client):
    f = SimpleUploadedFile("notes.png", b"Dear diary, today I drew a seven.", content_type="image/png")
    assert_refused(post(client, f), 400, "notes.png", "not a picture")


def test_it_refuses_a_truncated_png(client, digit_images):
    data = digit_images[7]
    assert_refused(post(client, SimpleUploadedFile("cut.png", data[: len(data) // 2])), 400, "cut.png")


def test_it_refuses_a_truncated_jpeg(client, digit_images):
    data = jpeg_bytes(digit_images[7])
    assert_refused(post(client, SimpleUploadedFile("cut.jpg", data[: len(data) // 2])), 400, "cut.jpg")


def test_it_refuses_a_png_header_claiming_60000_by_60000_pixels(client):
    message = assert_refused(post(client, SimpleUploadedFile("bomb.png", png_header(60000, 60000))), 413)
    assert "pixels" in message


def test_it_refuses_a_30_mb_upload_with_413(client):
    big = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (30 * 1024 * 1024))
    assert_refused(post(client, big), 413, "huge.png", "MB")


def test_it_refuses_a_request_over_the_body_limit_before_reading_it(client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    big = SimpleUploadedFile("two-mb.png", b"\0" * (2 * 1024 * 1024))
    assert_refused(post(client, big), 413, "limit is 1 MB per request")


def test_it_refuses_an_svg_with_a_script(client):
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
           b'<script>alert(document.cookie)</script><text>7</text></svg>')
    assert_refused(post(client, SimpleUploadedFile("seven.svg", svg, content_type="image/svg+xml")), 400, "SVG")


def test_it_never_uses_the_filename_as_a_path(client, digit_images, settings, tmp_path):
    response = post(client, SimpleUploadedFile("../../../etc/passwd.png", digit_images[3]))
    assert response.status_code == 202
    prediction = response.json()["predictions"][0]
    assert "/" not in prediction["filename"]  # Django keeps only the last path component
    stored = history.get(prediction["id"])["stored"]
    assert stored == f"{prediction['id']}.png"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [stored]
    assert files[0].parent == settings.MEDIA_ROOT / "uploads"


def test_the_form_shows_a_hostile_filename_escaped(client):
    name = "<img src=x onerror=alert(1)>.png"
    response = client.post("/", {"image": SimpleUploadedFile(name, b"not a picture")})
    assert response.status_code == 400
    assert b"<img src=x onerror" not in response.content
    assert b"&lt;img src=x onerror=alert(1)&gt;.png" in response.content


def test_it_refuses_a_request_with_no_file(client):
    assert_refused(post(client), 400, "No file")


@pytest.mark.parametrize("count", [21, 100])
def test_it_refuses_too_many_files_with_a_clear_400(client, digit_images, count):
    files = [SimpleUploadedFile(f"{i}.png", digit_images[i % 10]) for i in range(count)]
    assert_refused(post(client, *files), 400, "Too many files", "20")


def test_the_form_refuses_too_many_files_with_a_message(client, digit_images):
    files = [SimpleUploadedFile(f"{i}.png", digit_images[1]) for i in range(100)]
    response = client.post("/", {"image": files})
    assert response.status_code == 400
    assert b"Too many files" in response.content


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"image": "aGVsbG8="}'),
    ("text/plain", b"seven"),
    ("application/x-www-form-urlencoded", b"image=seven"),
])
def test_it_refuses_a_body_that_is_not_multipart(client, content_type, body):
    response = client.post("/api/predictions", body, content_type=content_type)
    assert_refused(response, 415, "multipart/form-data", content_type)


def test_it_refuses_a_broken_multipart_body(client):
    response = client.post("/api/predictions", b"--x\r\nContent-Disposition: form-data; name=image\r\n",
                           content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert "multipart" in response.json()["error"]
