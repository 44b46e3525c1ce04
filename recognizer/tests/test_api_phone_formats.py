"""A phone's own photo format (HEIC) and AVIF go through the API like a JPEG: read by a real
worker, stored under their own type, shown as a PNG thumbnail; a cut-off one is refused at once
with its reason, in the person's language."""
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from recognizer import history

IMAGES = Path(__file__).resolve().parents[2] / "ml" / "tests" / "fixtures" / "images"


def test_a_heic_photo_is_read_stored_and_thumbnailed(client, run_worker):
    data = (IMAGES / "phone_sheet_305.heic").read_bytes()
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("IMG_0001.HEIC", data, "image/heic")})
    assert response.status_code == 202
    prediction_id = response.json()["predictions"][0]["id"]
    run_worker()
    body = client.get(f"/api/predictions/{prediction_id}").json()
    assert body["status"] == "finished" and body["number"] == "305"
    assert body["thumb_url"] == f"/media/{prediction_id}/thumb.png"
    # The result page's card shows that thumbnail too, not the HEIC a browser may not draw.
    assert f'src="/media/{prediction_id}/thumb.png"'.encode() in client.get(f"/p/{prediction_id}/").content
    stored = client.get(f"/media/{prediction_id}/upload")
    assert stored["Content-Type"] == "image/heic"
    assert b"".join(stored.streaming_content) == data
    thumb = client.get(f"/media/{prediction_id}/thumb.png")
    assert thumb["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(thumb.content)) as img:
        assert img.format == "PNG" and img.size == (160, 120)


def test_an_avif_photo_is_read(client, run_worker):
    with Image.open(IMAGES / "phone_sheet_305.heic") as img:
        out = io.BytesIO()
        img.save(out, "AVIF", quality=60)
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("photo.avif", out.getvalue())})
    prediction_id = response.json()["predictions"][0]["id"]
    run_worker()
    body = client.get(f"/api/predictions/{prediction_id}").json()
    assert body["number"] == "305"
    assert client.get(f"/media/{prediction_id}/upload")["Content-Type"] == "image/avif"


def test_a_cut_off_heic_is_refused_with_its_reason_and_nothing_is_stored(client):
    data = (IMAGES / "phone_sheet_305.heic").read_bytes()
    cut = SimpleUploadedFile("IMG_0002.HEIC", data[:len(data) // 2], "image/heic")
    response = client.post("/api/predictions", {"image": cut}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "IMG_0002.HEIC" in response.json()["error"]
    assert "图片已损坏或不完整" in response.json()["error"]
    assert history.counts()["total"] == 0
