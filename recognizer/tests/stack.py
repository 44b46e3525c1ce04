"""`make run` for the tests: `python -m mnistsite.stack` on free ports with its own data directory,
started as a terminal would start it (its own process group, so a Ctrl-C can be sent to it)."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import psutil
import redis
from django.conf import settings
from rq import Queue

from mnistsite.embedded_redis import free_port
from recognizer.jobs import record_ids


def wait_for(condition, timeout, message="timed out"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.1)


def request(url, data=None, headers=None, timeout=60):
    """(status, body bytes) of one HTTP request; (None, error) when the connection fails."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, socket.timeout) as exc:
        return None, repr(exc).encode()


def multipart(field, filename, data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def wait_until_listening(port, process, timeout=30):
    """Return once something accepts connections on `port`; fail if `process` exits first."""
    wait_for(lambda: process.poll() is None and not port_is_free(port), timeout,
             lambda: "the server did not start" if process.poll() is None else "the server exited")


def port_is_free(port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class Stack:
    def __init__(self, data_dir, port=None, **env):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.redis_port = free_port()
        self.log = data_dir / f"stack-{self.port}.log"
        self.env = {**os.environ, "PORT": str(self.port), "EMBEDDED_REDIS_PORT": str(self.redis_port),
                    "DATA_DIR": str(data_dir), "ACCESS_LOG": "/dev/null", "SECRET_KEY": "stack-test-key",
                    **{k: str(v) for k, v in env.items()}}
        for name in ("REDIS_URL", "REDIS_SENTINELS", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=120):
        with open(self.log, "a") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "mnistsite.stack"], cwd=settings.BASE_DIR,
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        wait_for(lambda: self.process.poll() is None and request(self.url + "/healthz", timeout=5)[0] == 200,
                 timeout, self.log_text)
        return self

    def log_text(self):
        return self.log.read_text() if self.log.exists() else ""

    def children(self):
        """{name: psutil.Process} of the supervised children ("redis", "worker", "web")."""
        found = {}
        for child in psutil.Process(self.process.pid).children():
            try:
                line = " ".join(child.cmdline())
            except (psutil.ZombieProcess, psutil.NoSuchProcess):  # died, not yet reaped
                continue
            name = "redis" if "redis-server" in line else "worker" if "rqworker" in line else \
                "web" if "gunicorn" in line else line
            found.setdefault(name, child)
        return found

    def descendants(self):
        return psutil.Process(self.process.pid).children(recursive=True)

    def upload(self, data, wait=0, name="digit.png", timeout=60):
        body, headers = multipart("image", name, data)
        query = f"?wait={wait}" if wait else ""
        status, raw = request(f"{self.url}/api/predictions{query}", body, headers, timeout=timeout)
        return status, (json.loads(raw) if status and raw.startswith(b"{") else raw)

    def queued_uploads(self):
        """How many uploads the jobs waiting on the default queue hold: uploads arriving together
        share one job (recognizer/batching.py), so jobs are not uploads."""
        queue = Queue("default", connection=redis.Redis(port=self.redis_port))
        return sum(len(record_ids(job)) for job in queue.get_jobs())

    def record(self, prediction_id):
        status, raw = request(f"{self.url}/api/predictions/{prediction_id}", timeout=10)
        return json.loads(raw) if status == 200 else None

    def interrupt(self, timeout=60):
        """Ctrl-C as a terminal sends it: SIGINT to the whole process group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout)

    def stop(self):
        if self.process and self.process.poll() is None:
            everything = self.descendants()
            try:
                self.interrupt()
            finally:
                for process in everything:
                    try:
                        process.kill()
                    except psutil.NoSuchProcess:
                        pass
