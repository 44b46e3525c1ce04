"""A recognition job that has ended and comes round again keeps the answers it recorded.

A Sentinel failover can leave a copy of a job's id on its queue after the job ran: the new master
kept the enqueue but not the worker's take, or the worker put back a job it had taken whose end
reached Redis though the reply did not. The job's pictures were dropped when it ended, so a second
run has nothing to recognise; it must not mark the records started again, nor end them as failed
("The file is empty."), which would lose a user's answer. Here the copy is made by hand.
"""
import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rq.job import Job

from recognizer import coalesce, history

pytestmark = pytest.mark.django_db


def upload(client, picture):
    response = client.post("/api/predictions", {"image": SimpleUploadedFile("d.png", picture)})
    assert response.status_code == 202, response.content
    return response.json()["predictions"][0]["id"]


def test_a_finished_job_run_again_leaves_its_record_finished(client, digit_images, run_worker):
    prediction_id = upload(client, digit_images[4])
    run_worker()
    before = history.get(prediction_id)
    assert before["status"] == "finished" and before["digit"] == 4

    queue = django_rq.get_queue("default")
    queue.connection.rpush(queue.key, f"predict-{prediction_id}")  # the copy a failover leaves
    run_worker()

    after = history.get(prediction_id)
    assert after["status"] == "finished", after
    assert after["digit"] == 4 and after["finished_at"] == before["finished_at"]
    assert queue.count == 0


def test_a_running_job_does_not_take_an_ended_copy_behind_it(client, digit_images, run_worker):
    first = upload(client, digit_images[3])
    run_worker()
    queue = django_rq.get_queue("default")
    second = upload(client, digit_images[5])
    queue.connection.rpush(queue.key, f"predict-{first}")  # behind the new upload's job

    run_worker()

    records = {r["id"]: r for r in history.get_many([first, second])}
    assert records[first]["status"] == "finished" and records[first]["digit"] == 3, records[first]
    assert records[second]["status"] == "finished" and records[second]["digit"] == 5, records[second]
    assert queue.count == 0


def test_putting_taken_jobs_back_neither_doubles_a_waiting_one_nor_revives_an_ended_one(client, digit_images,
                                                                                        run_worker):
    ended = upload(client, digit_images[1])
    run_worker()
    waiting = upload(client, digit_images[7])
    queue = django_rq.get_queue("default")
    connection = queue.connection
    # The worker believes it holds both (taken before an outage); Redis says one ended and the
    # other never left its queue.
    coalesce._in_hand[:] = [Job.fetch(f"predict-{i}", connection=connection) for i in (ended, waiting)]
    try:
        coalesce.put_back(connection)
    finally:
        coalesce._in_hand.clear()

    assert queue.get_job_ids() == [f"predict-{waiting}"]
    assert history.get(ended)["status"] == "finished"
