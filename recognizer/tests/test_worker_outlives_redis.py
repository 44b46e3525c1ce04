"""A worker process outlives a Redis outage: it waits for Redis with back-off instead of
exiting, the job the outage cut off ends as lost when it cannot run again (this one carries no
picture; not as a fault of the picture), and new uploads are recognised once Redis is back."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.settings import rq_connection, rq_queues
from recognizer import history, messages

from .stack import wait_for
from .test_faults_worker import enqueue_slow

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def own_redis(settings, tmp_path):
    """A persistent Redis of this test's own, that the test may kill."""
    server = EmbeddedRedis(tmp_path / "redis", persist=True)
    server.start()
    settings.RQ_QUEUES = rq_queues(rq_connection(server.url), timeout=60)
    yield server
    server.stop()


def test_a_worker_outlives_a_redis_outage(client, own_redis, start_worker, digit_images):
    worker, log = start_worker(env={"REDIS_URL": own_redis.url, "WORKER_MAINTENANCE_SECONDS": "2"})
    prediction_id = enqueue_slow(3)
    wait_for(lambda: history.get(prediction_id)["status"] == "started", 30)

    own_redis.process.kill()
    own_redis.process.wait(10)
    # The job ends while Redis is away: the worker cannot record it, and waits.
    wait_for(lambda: "Redis unreachable" in log.read_text(), 60, log.read_text)
    wait_for(lambda: "trying again in 2.0 s" in log.read_text(), 60, log.read_text)  # its third try
    assert worker.poll() is None, log.read_text()

    own_redis.start()
    record = wait_for(lambda: (r := history.get(prediction_id))["status"] in ("finished", "failed") and r,
                      60, log.read_text)
    assert record["status"] == "failed"
    assert record["error"] == messages.JOB_LOST
    assert record["error"] != messages.INTERNAL_ERROR

    response = client.post("/api/predictions?wait=30", {"image": SimpleUploadedFile("4.png", digit_images[4])})
    assert response.status_code == 200, response.content
    assert response.json()["predictions"][0]["digit"] == 4
    assert worker.poll() is None
