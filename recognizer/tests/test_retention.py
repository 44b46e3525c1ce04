"""History retention: by count and by age, with the stored files, from the worker and from
`manage.py prune_history`."""
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from mnistsite.settings import rq_queues

from recognizer import history, retention, storage


def upload(client, digit_images, n):
    ids = []
    for i in range(n):
        response = client.post("/api/predictions", {"image": SimpleUploadedFile(f"{i}.png", digit_images[i % 10])})
        ids.append(response.json()["predictions"][0]["id"])
        time.sleep(0.002)  # distinct creation times, so "oldest" is well defined
    return ids


def stored_files():
    return sorted(p.name for p in storage.upload_dir().iterdir())


def test_it_keeps_only_the_newest_records_and_their_files(client, digit_images, settings):
    settings.HISTORY_MAX_RECORDS = 3
    settings.HISTORY_MAX_AGE_DAYS = 0
    ids = upload(client, digit_images, 5)
    assert len(stored_files()) == 5
    assert retention.prune() == 2
    assert history.counts()["total"] == 3
    assert [r["id"] for r in history.get_many(ids)] == ids[2:]
    assert stored_files() == sorted(f"{i}.png" for i in ids[2:])
    assert client.get(f"/api/predictions/{ids[0]}").status_code == 404


def test_it_removes_records_older_than_the_age_limit(client, digit_images, settings):
    settings.HISTORY_MAX_RECORDS = 0
    settings.HISTORY_MAX_AGE_DAYS = 1
    upload(client, digit_images, 2)
    assert retention.prune() == 0
    assert retention.prune(now=time.time() + 2 * 86400) == 2
    assert history.counts()["total"] == 0
    assert stored_files() == []


def test_zero_limits_keep_everything(client, digit_images, settings):
    settings.HISTORY_MAX_RECORDS = 0
    settings.HISTORY_MAX_AGE_DAYS = 0
    upload(client, digit_images, 2)
    assert retention.prune(now=time.time() + 1000 * 86400) == 0
    assert history.counts()["total"] == 2


def test_the_worker_applies_retention(client, digit_images, settings, run_worker):
    settings.HISTORY_MAX_RECORDS = 2
    ids = upload(client, digit_images, 4)
    run_worker()  # start-up housekeeping prunes; the jobs of deleted records are ignored
    assert history.counts()["total"] == 2
    assert [r["status"] for r in history.get_many(ids[2:])] == ["finished", "finished"]


def test_workers_can_leave_retention_to_the_web_host(client, digit_images, settings, run_worker):
    settings.HISTORY_MAX_RECORDS = 1
    settings.RETENTION_ON_WORKERS = False
    upload(client, digit_images, 3)
    run_worker()
    assert history.counts()["total"] == 3


def test_the_management_command_prunes(client, digit_images, settings, capsys):
    settings.HISTORY_MAX_RECORDS = 1
    upload(client, digit_images, 3)
    call_command("prune_history")
    assert "Removed 2 record(s)" in capsys.readouterr().out
    assert history.counts()["total"] == 1


def test_the_management_command_fails_cleanly_without_redis(settings):
    from mnistsite.embedded_redis import free_port
    settings.RQ_QUEUES = rq_queues({"URL": f"redis://127.0.0.1:{free_port()}/0"})
    # A CommandError is one line on stderr and exit status 1 from the command line.
    with pytest.raises(CommandError, match="Redis is unreachable") as error:
        call_command("prune_history")
    assert error.value.returncode == 1
