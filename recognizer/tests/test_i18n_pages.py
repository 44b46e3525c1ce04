"""Every page speaks Simplified Chinese when the browser asks for it, and so do the API's errors."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recognizer import history

from .records import make_record

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def test_it_serves_the_upload_page_in_chinese(client):
    page = client.get("/", **ZH).content.decode()
    assert '<html lang="zh-hans">' in page
    for text in ("这是哪个数字？", "上传图片", "拍照", "或者手写一个数字", "历史记录", "识别"):
        assert text in page
    assert "Which digit is it?" not in page


@pytest.mark.django_db
def test_it_serves_every_page_in_chinese(admin_client):
    finished = make_record("a.png", digit=3)
    failed = make_record("b.png", status="failed")
    pages = {
        f"/p/{finished}/": ["识别结果", "识别正确吗？", "不对，它是"],
        f"/p/{failed}/": ["无法识别这张图片"],
        "/history/": ["筛选", "文件名包含", "导出 CSV", "第 1 页，共 1 页"],
        "/history/delete?digit=3": ["删除 1 条识别记录"],
        "/dashboard/": ["统计面板", "队列与工作进程", "模型信息", "最近的失败"],
    }
    for url, texts in pages.items():
        page = admin_client.get(url, **ZH).content.decode()
        for text in texts:
            assert text in page, (url, text)


def test_the_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/history/"}, **ZH)
    assert response.status_code == 302 and response["Location"] == "/history/"
    page = client.get("/history/", **ZH).content.decode()
    assert '<html lang="en">' in page and "History" in page
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page


@pytest.mark.django_db
def test_api_errors_follow_the_request_language(client):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("x.png", b"nope")}, **ZH)
    assert response.status_code == 400
    error = response.json()["error"]
    assert "x.png" in error and "不是可以读取的图片" in error and "picture" not in error
    assert history.counts()["total"] == 0
