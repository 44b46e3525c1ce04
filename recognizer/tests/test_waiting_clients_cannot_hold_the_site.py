"""24 clients parked on `?wait=30` behind a backlog, plus 16 history exports, cannot hold the
site: past each web process's cap on waits, uploads answer 202 at once, and /healthz and the
upload page answer while the parked clients are still waiting."""
import threading

import pytest

from .stack import Stack, request, wait_for

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

CLIENTS = 24
EXPORTS = 16


def test_parked_waits_and_exports_leave_the_pages_answering(tmp_path, digit_images):
    # No worker: a backlog that never moves, so every wait runs to its end.
    stack = Stack(tmp_path, WORKERS=0, WEB_CONCURRENCY=2, WEB_THREADS=8, MAX_WAIT_SECONDS=30).start()
    try:
        answers = {}

        def wait_upload(number):
            answers[number] = stack.upload(digit_images[number % 10], wait=30, timeout=90)

        clients = [threading.Thread(target=wait_upload, args=(n,), daemon=True) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        wait_for(lambda: stack.queued_uploads() == CLIENTS, 60, stack.log_text)
        # Each process serves at most half its threads' worth of waits (4): the others answer now.
        wait_for(lambda: len(answers) >= CLIENTS - 2 * 4, 20, lambda: f"{len(answers)} answered")
        for status, body in answers.values():
            assert status == 202
            assert body["predictions"][0]["status"] == "queued"
            assert body["predictions"][0]["url"]
        parked = [c for c in clients if c.is_alive()]
        assert parked

        exports = [threading.Thread(target=request, args=(stack.url + "/history/export.json",),
                                    kwargs={"timeout": 90}, daemon=True) for _ in range(EXPORTS)]
        for export in exports:
            export.start()
        assert request(stack.url + "/healthz", timeout=60)[0] == 200
        assert request(stack.url + "/", timeout=60)[0] == 200
        # Both answered while the parked clients were still waiting.
        assert all(c.is_alive() for c in parked)
        for export in exports:
            export.join(90)
    finally:
        stack.stop()
