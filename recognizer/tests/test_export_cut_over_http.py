"""Over real HTTP (gunicorn, chunked transfer), an export cut by a Redis failure reaches the
client as a broken download, not as a clean end: the client's read fails."""
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from mnistsite.embedded_redis import EmbeddedRedis, free_port

from .stack import wait_until_listening

ROWS = 40_000  # several MB of JSON: more than the socket buffers hold, so the server must wait for us
GUNICORN = Path(sys.executable).with_name("gunicorn")
pytestmark = pytest.mark.slow


@pytest.fixture
def served_history(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", persist=False)
    url = server.start()
    conn = redis.Redis.from_url(url)
    pipe = conn.pipeline(transaction=False)
    now = time.time()
    for n in range(ROWS):
        pid = f"{n + 1:032x}"
        pipe.hset(f"mnist:rec:{pid}", mapping={"id": pid, "filename": f"file-{n}-{'x' * 100}.png",
                                               "status": "finished", "created_at": now - n, "digit": n % 10})
        pipe.zadd("mnist:index", {pid: now - n})
    pipe.execute()
    port = free_port()
    env = dict(os.environ, REDIS_URL=url, DEBUG="1", PUBLIC_HISTORY="1", DATA_DIR=str(tmp_path),
               EXPORT_MAX_ROWS=str(ROWS), HISTORY_PREFIX="mnist", SECRET_KEY="s" * 50)
    web = subprocess.Popen([str(GUNICORN), "mnistsite.wsgi:application", "--bind", f"127.0.0.1:{port}",
                            "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_listening(port, web)
    yield server, port
    web.terminate()
    web.wait(10)
    server.stop()


def test_the_client_sees_the_cut(served_history):
    server, port = served_history
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/history/export.json")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
    assert response.read(1000).startswith(b"[")
    # The export is larger than the socket buffers, so the server is still reading the history.
    server.process.kill()
    server.process.wait(10)
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    assert not cut.value.partial.rstrip().endswith(b"]")
