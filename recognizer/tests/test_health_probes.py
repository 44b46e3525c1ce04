"""Liveness answers while Redis is down (so an outage restarts no web process); readiness and
/healthz answer 503 with a JSON reason until Redis is back."""
import pytest

from mnistsite.embedded_redis import free_port
from mnistsite.settings import rq_queues


@pytest.fixture
def redis_down(settings):
    settings.RQ_QUEUES = rq_queues({"URL": f"redis://127.0.0.1:{free_port()}/0"})


def test_all_probes_pass_while_redis_answers(client):
    for url in ("/healthz/live", "/healthz/ready", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json() == {"status": "ok"}


def test_liveness_holds_while_redis_is_down(client, redis_down):
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/healthz/ready", "/healthz"])
def test_readiness_fails_with_a_reason_while_redis_is_down(client, redis_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "error": "Redis is unreachable."}
    assert response["Cache-Control"].startswith("max-age=0")
