"""Health checks for load balancers, orchestrators and the worker's liveness probe.

  GET /healthz/live    200 while the process answers; touches nothing else, so a Redis outage
                       never gets web processes restarted (use it as the liveness probe)
  GET /healthz/ready   200 when Redis answers, 503 (JSON) otherwise: take the host out of the
                       load balancer until it is back (the readiness probe); /healthz is the same
`manage.py worker_health` checks this host's worker from RQ's heartbeat (see worker_status).
"""
import socket
from datetime import datetime, timezone

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.exceptions import ConnectionError, RedisError, TimeoutError
from rq import Worker
from rq.defaults import DEFAULT_WORKER_TTL

from . import history

# RQ lets a worker's key expire this long after its last heartbeat (an idle worker beats about
# every DEFAULT_WORKER_TTL - 15 seconds, while it waits for a job).
HEARTBEAT_MAX_AGE = DEFAULT_WORKER_TTL + 60


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    try:
        history.connection().ping()
    except (ConnectionError, TimeoutError):
        return JsonResponse({"status": "unavailable", "error": "Redis is unreachable."}, status=503)
    except RedisError as e:
        # Reachable but refusing (protected mode, a server that cannot persist): as unready.
        return JsonResponse({"status": "unavailable", "error": f"Redis refuses requests: {e}"}, status=503)
    return JsonResponse({"status": "ok"})


def worker_status(hostname=None, max_age=HEARTBEAT_MAX_AGE, now=None):
    """(healthy, sentence) for the RQ workers registered from `hostname` (this host by default):
    healthy when one of them sent a heartbeat within `max_age` seconds."""
    hostname = hostname or socket.gethostname()
    now = now or datetime.now(timezone.utc)
    ages = []
    for worker in Worker.all(connection=history.connection()):
        if worker.hostname == hostname and worker.last_heartbeat is not None:
            beat = worker.last_heartbeat
            if beat.tzinfo is None:
                beat = beat.replace(tzinfo=timezone.utc)
            ages.append(((now - beat).total_seconds(), worker.name))
    if not ages:
        return False, f"No worker is registered from {hostname}."
    age, name = min(ages)
    if age > max_age:
        return False, f"Worker {name} last sent a heartbeat {age:.0f} s ago (limit {max_age} s)."
    return True, f"Worker {name} sent a heartbeat {age:.0f} s ago."
