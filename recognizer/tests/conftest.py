"""Shared fixtures: a clean real Redis per test, pictures of digits, a burst worker."""
import io

import django_rq
import numpy as np
import pytest
from PIL import Image

from ml.data import load_mnist

from .workers import spawn_worker, stop_workers


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
    from django.conf import settings

    def run():
        worker = django_rq.get_worker("default", settings.EXPLAIN_QUEUE)  # uploads, then heat maps
        worker.work(burst=True)
        return worker
    return run


@pytest.fixture
def start_worker(tmp_path):
    """Start real `manage.py rqworker` processes; each call returns (process, log path) once the
    worker has registered (its model loaded). All are stopped after the test."""
    started = []

    def start(*extra_args, env=None):
        log = tmp_path / f"worker-{len(started)}.log"
        started.append(spawn_worker(log, *extra_args, env=env))
        return started[-1], log

    yield start
    stop_workers(started)
