"""An upload's records and its job are written in one Redis transaction, after the files are
stored: when Redis fails, the answer is 503 and nothing is left behind (no record, no job, no
file), so a client that retries gets no duplicate."""
import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.settings import rq_connection, rq_queues
from recognizer import history, storage


@pytest.fixture
def own_redis(settings, tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", persist=False)
    settings.RQ_QUEUES = rq_queues(rq_connection(server.start()), timeout=60)
    yield server
    server.stop()


def upload(client, digit_images, *digits):
    files = [SimpleUploadedFile(f"{d}.png", digit_images[d]) for d in digits]
    return client.post("/api/predictions", {"image": files})


def test_records_and_job_are_one_transaction(client, own_redis, digit_images):
    """The whole write is one MULTI/EXEC: Redis' slow log (set to log every command) shows
    MULTI, then the queued writes as EXEC runs them, and no write before."""
    conn = history.connection()
    conn.execute_command("CONFIG", "SET", "slowlog-log-slower-than", "0")
    conn.execute_command("SLOWLOG", "RESET")
    response = upload(client, digit_images, 1, 2)
    assert response.status_code == 202
    commands = [entry["command"].split()[0].upper() for entry in reversed(conn.slowlog_get(128))]
    commands = [c.decode() if isinstance(c, bytes) else c for c in commands]
    start = commands.index("MULTI")
    pushed = commands.index("RPUSH")  # the job onto its queue, the last write of the upload
    assert not {"HSET", "ZADD", "RPUSH", "SET"} & set(commands[:start])
    inside = commands[start + 1:pushed + 1]
    assert inside.count("HSET") >= 3  # two records, and the job (RQ writes its hash in two steps)
    # HINCRBY: the metrics' upload count, written in the same transaction.
    assert set(inside) <= {"HSET", "ZADD", "SADD", "RPUSH", "HINCRBY"}


def test_a_redis_failure_leaves_no_record_no_job_and_no_file(client, own_redis, digit_images, settings):
    own_redis.stop()
    response = upload(client, digit_images, 3, 4)
    assert response.status_code == 503
    assert "unreachable" in response.json()["error"]
    assert storage.names() == []
    own_redis.start()
    assert history.counts()["total"] == 0
    assert django_rq.get_queue("default").count == 0
    # And when Redis is back the same upload goes through once.
    assert upload(client, digit_images, 3, 4).status_code == 202
    assert history.counts()["total"] == 2 and len(storage.names()) == 2
