"""Real worker processes for tests: `manage.py rqworker` with the shipped model loaded."""
import os
import subprocess
import sys
import time

import django_rq
from django.conf import settings
from rq import Worker

from mnistsite.processes import stop_all


def _names():
    return {w.name for w in Worker.all(connection=django_rq.get_connection("default"))}


def spawn_worker(log, *extra_args, env=None, timeout=90):
    """Start a worker writing to `log`; return it once it has registered (its model loaded)."""
    before = _names()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "default", settings.EXPLAIN_QUEUE, *extra_args],
            cwd=settings.BASE_DIR, env={**os.environ, **(env or {})},
            stdout=out, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while not _names() - before:
        assert process.poll() is None, open(log).read()
        assert time.monotonic() < deadline, "worker did not start"
        time.sleep(0.05)
    return process


def stop_workers(processes):
    stop_all(processes)
