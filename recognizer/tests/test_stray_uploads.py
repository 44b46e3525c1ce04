"""`manage.py prune_history` removes stored files that no record points at (a process that died
between storing and recording leaves one), on local disk and in an S3 bucket alike; a file
younger than the grace period may still be getting its record and stays."""
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from recognizer import history, storage, strays

from .records import make_record, png
from .servers import s3_server  # noqa: F401  (fixture)

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture(params=["local", "s3"])
def where(request, settings):
    if request.param == "s3":
        server = request.getfixturevalue("s3_server")
        settings.STORAGES = {**settings.STORAGES, "default": server.storage_setting(server.new_bucket())}
    return request.param


def stray(name):
    default_storage.save(f"uploads/{name}", ContentFile(png()))
    return name


def test_it_removes_old_files_without_a_record_and_keeps_the_rest(where):
    kept = history.get(make_record("kept.png", digit=1))["stored"]
    orphan = stray(f"{history.new_id()}.png")
    odd = stray("not-an-id.bin")
    assert storage.names() == sorted([kept, orphan, odd])

    later = time.time() + strays.GRACE_SECONDS + 5
    assert sorted(strays.find(now=later)) == sorted([orphan, odd])
    assert strays.remove(now=later) == 2
    assert storage.names() == [kept]


def test_the_command_leaves_a_young_file_alone(where, capsys):
    young = stray(f"{history.new_id()}.png")
    call_command("prune_history")
    assert "removed 0 stored file(s) with no record" in capsys.readouterr().out
    assert storage.names() == [young]


def test_a_file_whose_record_names_another_file_is_a_stray(where):
    prediction_id = make_record("real.png", digit=2)
    real = history.get(prediction_id)["stored"]
    leftover = stray(f"{prediction_id}.jpg")
    assert strays.find(now=time.time() + strays.GRACE_SECONDS + 5) == [leftover]
    assert storage.exists(real)
