"""A burst of 2,000 uploads through two real worker processes: every one ends finished or
failed, nothing is left queued or started, and the history holds exactly the uploads."""
import django_rq
import pytest
from rq.registry import FailedJobRegistry, StartedJobRegistry

from recognizer import history
from recognizer.submit import submit

from .test_hostile_jobs import enqueue_raw

# A burst of 2,000 uploads through a real worker: left out of `make test-fast`.
pytestmark = pytest.mark.slow

UPLOADS = 2000
GARBAGE_EVERY = 50


def test_every_upload_of_a_burst_ends_and_is_counted(digit_images, start_worker):
    ids = []
    for i in range(UPLOADS):
        if i % GARBAGE_EVERY == 0:
            ids.append(enqueue_raw(f"junk-{i}.png", b"\x89PNG\r\n\x1a\n junk"))
        else:
            records, _refused = submit([(f"{i}.png", digit_images[i % 10])])
            ids.append(records[0]["id"])
    queue = django_rq.get_queue("default")
    assert queue.count == UPLOADS

    workers = [start_worker("--burst")[0] for _ in range(2)]
    for process in workers:
        assert process.wait(600) == 0

    counts = history.counts()
    assert counts["total"] == UPLOADS
    garbage = UPLOADS // GARBAGE_EVERY
    assert counts["status"] == {"queued": 0, "started": 0, "finished": UPLOADS - garbage, "failed": garbage}
    records = history.get_many(ids)
    assert len(records) == UPLOADS
    for i, record in enumerate(records):
        if i % GARBAGE_EVERY:
            assert record["status"] == "finished" and record["number"], record
        else:
            assert record["status"] == "failed" and record["error"]
    assert queue.count == 0
    assert StartedJobRegistry(queue=queue).count == 0
    assert FailedJobRegistry(queue=queue).count == 0  # unreadable pictures are answers, not crashes
