"""A Sentinel failover under a running worker: the master is killed, Sentinel promotes the
replica, the worker (which found the master through Sentinel) carries on without exiting, and
uploads are recognised again through the new master; under a stream of uploads every accepted one
finishes with its answer (the job cut off by the failover runs again), none lost or left unended.
Real redis-servers on loopback: a master, a replica and one Sentinel (redis-server in sentinel
mode). `python -m bench.failover` measures the outage."""
import subprocess
import time

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile

from mnistsite.embedded_redis import executable, free_port
from mnistsite.processes import stop_all
from mnistsite.settings import rq_queues, rq_sentinel

from .stack import wait_for

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

MASTER = "digits"


def serve(tmp_path, name, *args):
    port = free_port()
    workdir = tmp_path / name
    workdir.mkdir()
    process = subprocess.Popen([executable(), *args, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                                "--save", "", "--appendonly", "no", "--logfile", str(workdir / "log")],
                               stdin=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    wait_for(lambda: _answers(client), 30, f"{name} did not start")
    return process, port


def _answers(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def sentinel_setup(tmp_path, settings):
    master, master_port = serve(tmp_path, "master")
    replica, replica_port = serve(tmp_path, "replica", "--replicaof", "127.0.0.1", str(master_port))
    wait_for(lambda: redis.Redis(port=replica_port).info("replication")["master_link_status"] == "up", 30)
    config = tmp_path / "sentinel.conf"
    config.write_text(f"sentinel monitor {MASTER} 127.0.0.1 {master_port} 1\n"
                      f"sentinel down-after-milliseconds {MASTER} 1000\n"
                      f"sentinel failover-timeout {MASTER} 10000\n")
    sentinel_port = free_port()
    sentinel = subprocess.Popen([executable(), str(config), "--sentinel", "--port", str(sentinel_port),
                                 "--bind", "127.0.0.1", "--logfile", str(tmp_path / "sentinel.log")],
                                stdin=subprocess.DEVNULL)
    wait_for(lambda: _answers(redis.Redis(port=sentinel_port)), 30, "sentinel did not start")
    sentinels = [f"127.0.0.1:{sentinel_port}"]
    settings.RQ_QUEUES = rq_queues(rq_sentinel(sentinels, MASTER, "redis://127.0.0.1:6379/0"), timeout=60)
    yield {"master": master, "replica_port": replica_port, "sentinel_port": sentinel_port,
           "env": {"REDIS_SENTINELS": ",".join(sentinels), "REDIS_SENTINEL_MASTER": MASTER, "REDIS_URL": ""}}
    stop_all([sentinel, replica, master], timeout=10)


def upload(client, picture, name):
    response = client.post("/api/predictions?wait=30", {"image": SimpleUploadedFile(name, picture)})
    return response.status_code, response.json()


def test_a_worker_carries_on_through_a_sentinel_failover(client, sentinel_setup, start_worker, digit_images):
    worker, log = start_worker(env=sentinel_setup["env"])
    status, body = upload(client, digit_images[2], "2.png")
    assert status == 200 and body["predictions"][0]["digit"] == 2

    sentinel_setup["master"].kill()
    sentinel = redis.Redis(port=sentinel_setup["sentinel_port"])
    wait_for(lambda: int(sentinel.sentinel_get_master_addr_by_name(MASTER)[1]) == sentinel_setup["replica_port"],
             60, "no failover")

    def recognised():
        status, body = upload(client, digit_images[6], "6.png")
        return status == 200 and body["predictions"][0]["status"] == "finished" and body
    body = wait_for(recognised, 60, log.read_text)
    assert body["predictions"][0]["digit"] == 6
    assert worker.poll() is None, log.read_text()


def test_a_stream_of_uploads_through_a_failover_loses_no_record(client, sentinel_setup, start_worker, digit_images):
    worker, log = start_worker(env=sentinel_setup["env"])
    ids = []
    for number in range(200):
        if number == 50:
            sentinel_setup["master"].kill()
        while True:  # as a client does: a 503 during the failover means "send it again"
            response = client.post("/api/predictions", {"image": SimpleUploadedFile("4.png", digit_images[4])})
            if response.status_code == 202:
                break
            assert response.status_code == 503, response.content
            time.sleep(0.1)
        ids.append(response.json()["predictions"][0]["id"])
    assert int(redis.Redis(port=sentinel_setup["sentinel_port"]).sentinel_get_master_addr_by_name(MASTER)[1]) \
        == sentinel_setup["replica_port"]

    def ended():
        records = [client.get(f"/api/predictions/{pid}") for pid in ids]
        return all(r.status_code == 200 and r.json()["status"] in ("finished", "failed") for r in records) and \
            [r.json() for r in records]
    records = wait_for(ended, 120, log.read_text)
    assert len(records) == 200
    # The job cut off by the failover runs again once Redis answers: none ends lost.
    assert [r["error_code"] for r in records if r["status"] == "failed"] == []
    assert all(r["status"] == "finished" and r["digit"] == 4 for r in records)
    assert worker.poll() is None, log.read_text()
