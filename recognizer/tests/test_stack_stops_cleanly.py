"""Ctrl-C on `make run` while clients wait on `?wait=10` leaves no process behind (gunicorn's
workers included), frees the port, and a second `make run` serves on the same port."""
import threading

import psutil
import pytest

from .stack import Stack, port_is_free, request, wait_for

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def alive(processes):
    found = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.NoSuchProcess:
            pass
    return found


def test_ctrl_c_after_waited_uploads_leaves_nothing_behind(tmp_path, digit_images):
    # No worker: the uploads stay queued, so their clients are still waiting at Ctrl-C.
    stack = Stack(tmp_path, WORKERS=0).start()
    try:
        waiting = [threading.Thread(target=stack.upload, args=(digit_images[d],), kwargs={"wait": 10},
                                    daemon=True) for d in range(4)]
        for thread in waiting:
            thread.start()
        wait_for(lambda: stack.queued_uploads() == 4, 30, stack.log_text)
        everything = stack.descendants()
        assert len([p for p in everything if "gunicorn" in " ".join(p.cmdline())]) >= 3  # master + 2 workers

        assert stack.interrupt() == 0
        assert alive(everything) == []
        assert port_is_free(stack.port)
    finally:
        stack.stop()

    again = Stack(tmp_path, port=stack.port, WORKERS=0).start()
    try:
        assert request(again.url + "/healthz")[0] == 200
    finally:
        again.stop()
