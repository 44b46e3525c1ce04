"""The pages carry no inline script, inline style or event-handler attribute (the CSP forbids
them), and the upload page offers the picker, the camera, the drop zone and the draw pad."""
import re

import pytest

from .records import make_record

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(rb"<[^>]+\sstyle\s*=", re.I)


def test_it_offers_picker_camera_drop_zone_and_draw_pad(client):
    page = client.get("/").content.decode()
    assert re.search(r'<input type="file" name="image"[^>]*accept="image/\*"[^>]*multiple', page)
    assert re.search(r'<input type="file" name="image" id="id_camera" accept="image/\*" capture="environment">', page)
    assert 'id="drop-zone"' in page and '<canvas id="draw-pad"' in page
    assert 'data-max-bytes="10485760"' in page
    assert '<template id="card-template">' in page
    for control in ("id_image", "id_camera", "language-select"):
        assert f'for="{control}"' in page


@pytest.mark.django_db
def test_no_page_has_inline_script_style_or_handlers(admin_client):
    finished = make_record("a.png", digit=3)
    pending = make_record("b.png", status="queued")
    number = make_record("c.png", digit=2, digits=4)
    urls = ["/", f"/p/{finished}/", f"/p/{pending}/", f"/p/{number}/", f"/results/?ids={finished},{pending}",
            "/history/", "/history/delete", f"/p/{finished}/delete", "/dashboard/"]
    for url in urls:
        content = admin_client.get(url).content
        assert not INLINE_SCRIPT.search(content), url
        assert not HANDLER.search(content), url
        assert not STYLE_ATTR.search(content), url
