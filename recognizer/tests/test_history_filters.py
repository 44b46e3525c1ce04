"""history.page and the history page filter by digit, status, date range and filename."""
from datetime import datetime, timezone

import pytest

from recognizer import history

from .records import make_record


@pytest.fixture(autouse=True)
def public_history(settings):
    """Filters are the subject here; who may see which rows is test_history_private.py's."""
    settings.PUBLIC_HISTORY = True


def _ts(day):
    return datetime(2026, 3, day, 12, 0, tzinfo=timezone.utc).timestamp()


def test_it_filters_by_filename_ignoring_case(client):
    make_record("Cat-Seven.png", digit=7)
    make_record("dog-seven.png", digit=7)
    make_record("cat-one.png", digit=1)
    total, records = history.page(q="CAT")
    assert total == 2
    assert {r["filename"] for r in records} == {"Cat-Seven.png", "cat-one.png"}
    page = client.get("/history/?q=cat")
    assert b"Cat-Seven.png" in page.content and b"dog-seven.png" not in page.content


def test_it_filters_by_date_range_including_the_end_day(client, settings):
    settings.TIME_ZONE = "UTC"
    make_record("march-1.png", digit=1, created_at=_ts(1))
    make_record("march-5.png", digit=5, created_at=_ts(5))
    make_record("march-9.png", digit=9, created_at=_ts(9))
    page = client.get("/history/?date_from=2026-03-02&date_to=2026-03-09")
    assert b"march-5.png" in page.content and b"march-9.png" in page.content
    assert b"march-1.png" not in page.content
    assert b"2 predictions" in page.content


def test_it_combines_digit_status_and_search():
    make_record("a-seven.png", digit=7)
    make_record("b-seven.png", digit=7)
    make_record("a-three.png", digit=3)
    make_record("a-broken.png", status="failed")
    assert history.page(digit=7, q="a-")[0] == 1
    assert history.page(status="failed", q="a-")[1][0]["filename"] == "a-broken.png"
    assert history.page(digit=7, status="failed") == (0, [])


def test_it_pages_newest_first():
    ids = [make_record(f"{n}.png", digit=n % 10, created_at=1_700_000_000 + n) for n in range(25)]
    total, first = history.page(offset=0, limit=10)
    _, last = history.page(offset=20, limit=10)
    assert total == 25
    assert [r["id"] for r in first] == ids[::-1][:10]
    assert [r["id"] for r in last] == ids[::-1][20:]


def test_it_reports_a_reversed_date_range(client):
    page = client.get("/history/?date_from=2026-03-09&date_to=2026-03-01")
    # The page still shows, with the form's message, as a 400: the query is not valid.
    assert page.status_code == 400
    assert b"The start date is after the end date." in page.content
