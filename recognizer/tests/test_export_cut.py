"""Exports cost a bounded amount, and one cut by a Redis failure is cut for the client too:
the stream raises, so the server drops the connection instead of ending a short file cleanly."""
import json

import pytest
from django.http import StreamingHttpResponse

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.settings import rq_connection, rq_queues
from recognizer import export

from .records import make_record


@pytest.fixture
def own_redis(settings, tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", persist=False)
    settings.RQ_QUEUES = rq_queues(rq_connection(server.start()), timeout=60)
    settings.PUBLIC_HISTORY = True
    yield server
    server.stop()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_redis_failure_mid_export_cuts_the_stream(client, own_redis, monkeypatch, fmt):
    monkeypatch.setattr(export, "PAGE_ROWS", 3)  # read the history three rows at a time
    for n in range(10):
        make_record(f"n{n}.png", digit=n % 10)
    response = client.get(f"/history/export.{fmt}")
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    stream = iter(response.streaming_content)
    received = [next(stream) for _ in range(3)]  # the opening and the first rows
    own_redis.stop()
    with pytest.raises(export.ExportCut):
        for chunk in stream:
            received.append(chunk)
    text = b"".join(received).decode()
    assert "n0.png" not in text  # the oldest rows never came
    if fmt == "json":
        assert not text.rstrip().endswith("]")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_unreachable_redis_fails_the_export_before_it_starts(client, own_redis, fmt):
    make_record("x.png", digit=1)
    own_redis.stop()
    response = client.get(f"/history/export.{fmt}")
    assert response.status_code == 503


def test_an_export_holds_at_most_export_max_rows(client, settings):
    settings.PUBLIC_HISTORY = True
    settings.EXPORT_MAX_ROWS = 4
    for n in range(7):
        make_record(f"n{n}.png", digit=n, created_at=1_700_000_000 + n)
    rows = json.loads(b"".join(client.get("/history/export.json").streaming_content))
    assert [r["filename"] for r in rows] == ["n6.png", "n5.png", "n4.png", "n3.png"]
