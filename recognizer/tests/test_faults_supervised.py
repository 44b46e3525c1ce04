"""Under the supervised `make run`, a killed worker and then a killed Redis heal by themselves:
the site answers throughout (503 JSON while Redis is away), new uploads finish afterwards, and
every upload the site accepted before or during the faults ends finished or failed."""
import json
import threading
import time

import pytest

from .stack import Stack, request, wait_for

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

DONE = ("finished", "failed")


class Traffic(threading.Thread):
    """Uploads (without waiting) and health probes, one after the other, until stopped."""

    def __init__(self, stack, picture):
        super().__init__(daemon=True)
        self.stack, self.picture = stack, picture
        self.accepted, self.answers, self.failures = [], [], []
        self.running = threading.Event()
        self.running.set()

    def run(self):
        while self.running.is_set():
            status, body = self.stack.upload(self.picture, timeout=30)
            self.answers.append(("upload", status, body))
            if status == 202:
                self.accepted.extend(p["id"] for p in body["predictions"])
            status, raw = request(self.stack.url + "/healthz", timeout=30)
            self.answers.append(("healthz", status, raw))
            time.sleep(0.05)

    def stop(self):
        self.running.clear()
        self.join(60)


@pytest.fixture
def stack(tmp_path):
    # Quick maintenance ticks and a short job timeout, so that reconciliation (which ends any
    # job the outage cut off) runs within the test's waits.
    running = Stack(tmp_path, WORKER_MAINTENANCE_SECONDS=3, JOB_TIMEOUT=15).start()
    yield running
    running.stop()


def replaced(stack, name, old):
    child = stack.children().get(name)
    return child if child is not None and child.pid != old.pid else None


def test_a_killed_worker_and_a_killed_redis_heal_by_themselves(stack, digit_images):
    traffic = Traffic(stack, digit_images[7])
    traffic.start()
    try:
        wait_for(lambda: len(traffic.accepted) >= 5, 60, stack.log_text)

        worker = stack.children()["worker"]
        worker.kill()
        wait_for(lambda: replaced(stack, "worker", worker), 60, stack.log_text)
        status, body = stack.upload(digit_images[3], wait=30)
        assert status == 200, body
        assert body["predictions"][0]["digit"] == 3

        redis = stack.children()["redis"]
        redis.kill()
        wait_for(lambda: replaced(stack, "redis", redis), 60, stack.log_text)
        wait_for(lambda: request(stack.url + "/healthz")[0] == 200, 30, stack.log_text)
        # A new upload finishes within 30 s of Redis being back.
        status, body = stack.upload(digit_images[5], wait=30)
        assert status == 200, body
        assert body["predictions"][0]["status"] == "finished"
        assert body["predictions"][0]["digit"] == 5
        wait_for(lambda: len(traffic.accepted) >= 20, 60)
    finally:
        traffic.stop()

    # The site answered every request: 200/202, or 503 with a JSON error while Redis was away.
    statuses = [status for _, status, _ in traffic.answers]
    assert None not in statuses, [a for a in traffic.answers if a[1] is None][:3]
    assert set(statuses) <= {200, 202, 503}
    unavailable = [(kind, body) for kind, status, body in traffic.answers if status == 503]
    assert unavailable, "the probes never saw Redis away"
    for _kind, body in unavailable:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        assert json.loads(raw)["error"]
    # The same processes' children were started again, never the whole site torn down.
    log = stack.log_text()
    assert "worker 1 (pid" in log and "exited with SIGKILL; starting it again" in log
    assert "redis-server (pid" in log
    assert stack.process.poll() is None
    assert stack.children()["web"].is_running()

    # Every upload the site accepted ends finished or failed; none is lost.
    def ended():
        records = [stack.record(i) for i in traffic.accepted]
        return all(r is not None and r["status"] in DONE for r in records) and records
    records = wait_for(ended, 120, lambda: str([stack.record(i) for i in traffic.accepted]))
    assert len(records) == len(set(traffic.accepted))
    for record in records:
        if record["status"] == "failed":
            assert "lost" in record["error"] or "stopped" in record["error"], record


def test_a_killed_web_server_comes_back_on_its_port_without_orphans(stack):
    web = stack.children()["web"]
    gunicorn_workers = web.children()
    assert gunicorn_workers
    web.kill()  # the master only: its workers would otherwise keep the port
    wait_for(lambda: replaced(stack, "web", web), 60, stack.log_text)
    wait_for(lambda: request(stack.url + "/healthz")[0] == 200, 60, stack.log_text)
    assert not [p for p in gunicorn_workers if p.is_running() and p.status() != "zombie"]
    assert "web (pid" in stack.log_text()
