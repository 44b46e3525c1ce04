"""A Redis that answers but refuses to write (a master demoted to a replica by a failover, while
this process still talks to it) is the store being away: 503 with the message, never a 500."""
import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile

from mnistsite.embedded_redis import EmbeddedRedis, free_port
from mnistsite.settings import rq_connection, rq_queues

# Starts a server of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def demoted_redis(settings, tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", persist=False)
    url = server.start()
    # A replica of a master that is gone: it serves reads and refuses every write (READONLY).
    redis.Redis.from_url(url).replicaof("127.0.0.1", free_port())
    settings.RQ_QUEUES = rq_queues(rq_connection(url), timeout=60)
    yield server
    server.stop()


def test_an_api_upload_is_answered_503_with_the_message(client, demoted_redis, digit_images):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("3.png", digit_images[3])})
    assert response.status_code == 503
    assert "unreachable" in response.json()["error"]
    assert response["Retry-After"]


def test_a_page_upload_is_answered_503_in_the_persons_language(client, demoted_redis, digit_images):
    response = client.post("/", {"image": SimpleUploadedFile("3.png", digit_images[3])},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert "text/html" in response["Content-Type"]
    assert "暂时无法连接识别记录存储" in response.content.decode()
