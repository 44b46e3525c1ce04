"""Shared fixtures: a clean real Redis per test, pictures of digits, a burst worker."""
import io

import django_rq
import numpy as np
import pytest
from PIL import Image

from ml.data import load_mnist


@pytest.fixture(scope="session")
def redis_conn():
    conn = django_rq.get_connection("default")
    if conn.dbsize():
        pytest.exit(f"Refusing to run: the Redis database at {conn.connection_pool.connection_kwargs} "
                    "is not empty. Point REDIS_URL at an empty database.", returncode=3)
    return conn


@pytest.fixture(autouse=True)
def clean_redis(redis_conn, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield redis_conn
    redis_conn.flushdb()


@pytest.fixture(scope="session")
def mnist_test():
    (_, _), (x_test, y_test) = load_mnist()
    return x_test, y_test


def digit_png(pixels, *, scale=4, ink_on_paper=True):
    """A PNG of an MNIST digit as a person would upload it: dark ink on white paper, enlarged."""
    img = Image.fromarray(pixels).resize((28 * scale, 28 * scale), Image.BILINEAR)
    if ink_on_paper:
        img = Image.eval(img, lambda v: 255 - v)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def digit_images(mnist_test):
    """{digit: PNG bytes} using the first test image of each digit."""
    x_test, y_test = mnist_test
    return {d: digit_png(x_test[int(np.argmax(y_test == d))]) for d in range(10)}


@pytest.fixture
def run_worker():
    """Run every queued job to completion in a real burst worker (the model loads once)."""
    def run():
        worker = django_rq.get_worker("default")
        worker.work(burst=True)
        return worker
    return run


@pytest.fixture
def start_worker(tmp_path):
    """Start real `manage.py rqworker` processes; each call returns (process, log path) once the
    worker has registered (its model loaded). All are stopped after the test."""
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from rq import Worker

    started = []

    def start(*extra_args, env=None):
        log = tmp_path / f"worker-{len(started)}.log"
        before = {w.name for w in Worker.all(connection=django_rq.get_connection("default"))}
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "rqworker", "default", *extra_args],
                cwd=settings.BASE_DIR, env={**os.environ, **(env or {})},
                stdout=out, stderr=subprocess.STDOUT,
            )
        started.append(process)
        deadline = time.monotonic() + 90
        while True:
            now = {w.name for w in Worker.all(connection=django_rq.get_connection("default"))}
            if now - before:
                return process, log
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "worker did not start"
            time.sleep(0.05)

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
