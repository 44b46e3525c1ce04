"""Redis going away: the site answers 503 with a message meanwhile, recovers by itself when
Redis is back, and the history survives the restart (append-only file), even a crash."""
import signal
import time

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.settings import rq_connection, rq_queues
from recognizer import history

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def own_redis(settings, tmp_path):
    """A persistent Redis of this test's own, reached through the production pool settings."""
    server = EmbeddedRedis(tmp_path / "redis", persist=True)
    url = server.start()
    settings.RQ_QUEUES = rq_queues(rq_connection(url), timeout=60)
    yield server
    server.stop()


def restart(server, crash=False):
    if crash:
        # Killing the process loses only what Redis has not yet written to its append-only file
        # (the kernel keeps what was written); wait until its AOF buffer is empty.
        client = redis.Redis.from_url(server.url)
        deadline = time.monotonic() + 10
        while client.info("persistence")["aof_buffer_length"] != 0:
            assert time.monotonic() < deadline, "Redis never flushed its append-only file"
            time.sleep(0.01)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
    else:
        server.stop()
    return server


def upload_and_recognise(client, digit_images, run_worker):
    for d in (1, 2, 3):
        client.post("/api/predictions", {"image": SimpleUploadedFile(f"{d}.png", digit_images[d])})
    run_worker()
    return client.get("/api/predictions").json()


@pytest.mark.parametrize("crash", [False, True], ids=["clean-restart", "crash"])
def test_history_survives_a_redis_restart(client, own_redis, digit_images, run_worker, crash):
    before = upload_and_recognise(client, digit_images, run_worker)
    assert before["count"] == 3

    restart(own_redis, crash=crash)
    down = client.get("/api/predictions")
    assert down.status_code == 503
    assert "unreachable" in down.json()["error"]
    assert down["Retry-After"]
    assert client.get("/healthz").status_code == 503
    page = client.get("/history/")
    assert page.status_code == 503 and b"unreachable" in page.content

    own_redis.start()
    after = client.get("/api/predictions").json()  # the same pooled client, no restart of ours
    assert after == before
    assert [r["digit"] for r in after["results"]] == [3, 2, 1]
    assert client.get("/healthz").status_code == 200
    assert history.counts()["status"]["finished"] == 3
