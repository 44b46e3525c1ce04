"""/history/export.csv streams the filtered rows with hostile filenames made harmless."""
import csv
import io

import pytest
from django.http import StreamingHttpResponse

from .records import make_record


@pytest.fixture(autouse=True)
def public_history(settings):
    """Filters are the subject here; who may see which rows is test_history_private.py's."""
    settings.PUBLIC_HISTORY = True


def _rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_it_exports_the_filtered_rows(client):
    make_record("seven.png", digit=7)
    make_record("three.png", digit=3)
    response = client.get("/history/export.csv?digit=7")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert [(r["filename"], r["digit"], r["status"]) for r in rows] == [("seven.png", "7", "finished")]


def test_it_escapes_hostile_filenames(client):
    make_record('=HYPERLINK("http://x","y").png', digit=1)
    make_record('comma, "quote"\nnewline.png', digit=2)
    rows = _rows(client.get("/history/export.csv"))
    names = {r["filename"] for r in rows}
    assert '\'=HYPERLINK("http://x","y").png' in names
    assert 'comma, "quote"\nnewline.png' in names
    assert len(rows) == 2


def test_it_exports_only_a_header_when_nothing_matches(client):
    rows = _rows(client.get("/history/export.csv?q=nothing"))
    assert rows == []


@pytest.mark.parametrize("name", [" =1+1.png", "  +cmd.png", "\t-2.png", "\n@SUM(A1).png", "\r=x.png",
                                  "\u00a0=x.png", "=x.png", "+x.png", "-x.png", "@x.png"])
def test_it_neutralises_formulas_after_leading_whitespace(client, name):
    make_record(name, digit=1)
    [row] = _rows(client.get("/history/export.csv"))
    assert row["filename"] == "'" + name


def test_it_leaves_ordinary_names_alone(client):
    make_record(" seven.png", digit=7)
    [row] = _rows(client.get("/history/export.csv"))
    assert row["filename"] == " seven.png"
