"""`manage.py worker_health` passes while this host's worker sends RQ heartbeats, and fails when
the heartbeat is stale (a hung worker) or no worker runs here; a Redis outage does not fail it."""
import socket
from datetime import datetime, timedelta, timezone

import django_rq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rq import Worker
from rq.utils import utcformat

from mnistsite.embedded_redis import free_port
from mnistsite.settings import rq_queues
from recognizer.health import HEARTBEAT_MAX_AGE

from .stack import wait_for

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def health(capsys, *args):
    """(exit code, output) as the probe sees them: a CommandError exits with its return code."""
    try:
        call_command("worker_health", *args)
        code, error = 0, ""
    except CommandError as exc:
        code, error = exc.returncode, str(exc)
    captured = capsys.readouterr()
    return code, captured.out + captured.err + error


def test_it_follows_the_heartbeat_of_this_hosts_worker(start_worker, capsys):
    code, text = health(capsys)
    assert code == 1 and f"No worker is registered from {socket.gethostname()}" in text

    start_worker()
    code, text = health(capsys)
    assert code == 0 and "sent a heartbeat" in text

    # A hung worker stops beating: its last heartbeat ages past the limit. Made stale once the
    # worker waits in its blocking dequeue, after the beats of its start (it beats next only when
    # that wait times out), so that a start-up beat cannot undo it.
    [worker] = Worker.all(connection=django_rq.get_connection("default"))
    wait_for(lambda: any(c.get("cmd") in ("blpop", "blmove") for c in worker.connection.client_list()), 60,
             "the worker never waited in its dequeue")
    stale = datetime.now(timezone.utc) - timedelta(seconds=HEARTBEAT_MAX_AGE + 30)
    worker.connection.hset(worker.key, "last_heartbeat", utcformat(stale))
    code, text = health(capsys)
    assert code == 1 and f"limit {HEARTBEAT_MAX_AGE} s" in text


def test_a_worker_on_another_host_does_not_count(start_worker, capsys):
    start_worker()
    code, text = health(capsys, "--hostname", "some-other-host")
    assert code == 1 and "No worker is registered from some-other-host" in text


def test_a_redis_outage_is_not_the_workers_fault(settings, capsys):
    settings.RQ_QUEUES = rq_queues({"URL": f"redis://127.0.0.1:{free_port()}/0"})
    code, text = health(capsys)
    assert code == 0 and "Redis is unreachable" in text
