"""Over real HTTP to gunicorn, with a real worker: after a volley of hostile requests the
server and the worker are still up and answer the next good upload."""
import json
import os
import socket
import subprocess
import sys
import uuid
from http.client import HTTPConnection

import pytest
from django.conf import settings

from mnistsite.embedded_redis import free_port

from .stack import wait_until_listening
from .test_hostile_uploads import png_header

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def live_web(tmp_path):
    port = free_port()
    env = {**os.environ, "MEDIA_ROOT": str(tmp_path / "media"), "MAX_REQUEST_BYTES": str(20 * 1024 * 1024)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mnistsite.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_listening(port, process)
    yield port, process
    process.terminate()
    process.wait(20)


def multipart(files):
    boundary = uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
        for name, data in files
    ) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def request(port, method, path, body=b"", content_type=None):
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": content_type} if content_type else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, json.loads(payload) if payload.startswith(b"{") else payload


def announce_huge_body(port, size):
    """Send only the headers of a huge upload: the answer must come without the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST /api/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {size}\r\n\r\n".encode())
        return sock.recv(65536).decode("latin-1")


def test_the_server_and_worker_survive_hostile_requests(live_web, start_worker, digit_images):
    port, web = live_web
    worker, _ = start_worker()
    hostile = [
        [("empty.png", b"")],
        [("notes.png", b"just text")],
        [("cut.png", digit_images[1][:100])],
        [("bomb.png", png_header(60000, 60000))],
        [("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")],
        [("big.png", b"\0" * (12 * 1024 * 1024))],
        [(f"{i}.png", digit_images[1]) for i in range(100)],
    ]
    for files in hostile:
        status, body = request(port, "POST", "/api/predictions?wait=5", *multipart(files))
        assert 400 <= status < 500 and body["error"], (files[0][0], status, body)
    for content_type, body in (("application/json", b"{}"), ("text/plain", b"7")):
        status, answer = request(port, "POST", "/api/predictions", body, content_type)
        assert status == 415 and answer["error"]
    assert "413" in announce_huge_body(port, 30 * 1024 * 1024).split("\r\n")[0]

    status, body = request(port, "POST", "/api/predictions?wait=30", *multipart([("7.png", digit_images[7])]))
    assert status == 200
    assert body["predictions"][0]["digit"] == 7
    assert web.poll() is None and worker.poll() is None
