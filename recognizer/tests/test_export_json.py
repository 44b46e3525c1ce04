"""/history/export.json streams a JSON array of the filtered records."""
import json

import pytest

from .records import make_record


@pytest.fixture(autouse=True)
def public_history(settings):
    """Filters are the subject here; who may see which rows is test_history_private.py's."""
    settings.PUBLIC_HISTORY = True


def test_it_exports_valid_json_of_the_filtered_rows(client):
    for n in range(7):
        make_record(f"four-{n}.png", digit=4)
    make_record("broken.png", status="failed")
    response = client.get("/history/export.json?status=finished")
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert len(data) == 7
    assert {row["digit"] for row in data} == {4}
    assert all(row["created_at"].endswith("+00:00") for row in data)


def test_it_exports_an_empty_array(client):
    data = json.loads(b"".join(client.get("/history/export.json").streaming_content))
    assert data == []
