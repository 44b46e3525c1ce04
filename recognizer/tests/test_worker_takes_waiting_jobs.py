"""Under load a running recognition job takes the recognition jobs waiting behind it on its queue:
their pictures go through the same model call, each record gets its own answer, and each taken job
ends as RQ ends a job it ran (finished registry, result, pictures dropped). Other jobs (a live
guess) keep their place in the queue, and a job that does not fit is left for RQ."""
import django_rq
import pytest
from rq.registry import FinishedJobRegistry

from recognizer import coalesce, history, storage
from recognizer.jobs import holds_pictures


def _enqueue(data, job_func="recognizer.tasks.recognise_upload"):
    prediction_id = history.new_id()
    history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return prediction_id, django_rq.get_queue("default").enqueue(job_func, prediction_id, data,
                                                                 job_id=f"predict-{prediction_id}")


def _enqueue_batch(pictures):
    ids = [history.new_id() for _ in pictures]
    for prediction_id, data in zip(ids, pictures):
        history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                       content_type="image/png", size_bytes=len(data))
    return ids, django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_batch", ids, pictures,
                                                       job_id=f"predict-{ids[0]}")


def _burst():
    worker = django_rq.get_worker("default")
    worker.work(burst=True, with_scheduler=False)
    worker.refresh()  # its job counts, as RQ keeps them in Redis
    return worker


@pytest.mark.django_db
def test_waiting_uploads_share_the_running_job_and_each_ends_finished(digit_images, run_worker):
    run_worker()  # the model loaded before counting
    digits = [3, 1, 4, 1, 5, 9]
    enqueued = [_enqueue(digit_images[d]) for d in digits]

    worker = _burst()

    # RQ itself ran one job; the five behind it were taken by it.
    assert worker.successful_job_count == 1
    records = history.get_many([pid for pid, _ in enqueued])
    assert [r["status"] for r in records] == ["finished"] * len(digits)
    assert [r["digit"] for r in records] == digits
    registry = FinishedJobRegistry(queue=django_rq.get_queue("default"))
    for prediction_id, job in enqueued:
        job.refresh()
        assert job.get_status() == "finished" and job.id in registry
        assert job.latest_result().return_value[prediction_id]["status"] == "finished"
        assert not holds_pictures(job.args)
    assert coalesce._in_hand == []


@pytest.mark.django_db
def test_a_live_guess_keeps_its_place_and_jobs_behind_it_are_left_for_rq(digit_images, run_worker):
    run_worker()
    first, second = _enqueue(digit_images[2]), _enqueue(digit_images[7])
    live = django_rq.get_queue("default").enqueue("recognizer.tasks.recognise_live", digit_images[8])
    third = _enqueue(digit_images[0])

    worker = _burst()

    # The first job took the second; the live guess and the job behind it ran on their own.
    assert worker.successful_job_count == 3
    live.refresh()
    assert live.get_status() == "finished" and live.latest_result().return_value["digit"] == 8
    assert [r["digit"] for r in history.get_many([first[0], second[0], third[0]])] == [2, 7, 0]


@pytest.mark.django_db
def test_a_waiting_job_that_does_not_fit_is_left_for_rq(settings, digit_images, run_worker):
    run_worker()
    settings.UPLOAD_BATCH_MAX = 4
    first = _enqueue(digit_images[6])
    small_ids, _ = _enqueue_batch([digit_images[d] for d in (1, 2)])
    big_ids, big = _enqueue_batch([digit_images[d] for d in (3, 4, 5)])  # 1 + 2 + 3 > 4 pictures

    worker = _burst()

    assert worker.successful_job_count == 2  # the first (with the small batch), then the big one
    records = history.get_many([first[0], *small_ids, *big_ids])
    assert [r["digit"] for r in records] == [6, 1, 2, 3, 4, 5]
    big.refresh()
    assert big.get_status() == "finished" and not holds_pictures(big.args)


@pytest.mark.django_db
def test_with_taking_off_rq_runs_every_job(settings, digit_images, run_worker):
    run_worker()
    settings.WORKER_TAKE_MAX = 0
    enqueued = [_enqueue(digit_images[d]) for d in (4, 2)]

    worker = _burst()

    assert worker.successful_job_count == 2
    assert [r["digit"] for r in history.get_many([pid for pid, _ in enqueued])] == [4, 2]


@pytest.mark.django_db
def test_jobs_taken_when_redis_failed_go_back_on_their_queue_in_order(digit_images):
    running = _enqueue(digit_images[1])[1]
    behind = [_enqueue(digit_images[d])[1] for d in (2, 3)]
    queue = django_rq.get_queue("default")
    queue.pop_job_id()  # the running job, as a worker's dequeue takes it
    pipe = queue.connection.pipeline()
    assert coalesce.take(running, pipe)
    claimed = coalesce.claim(pipe.execute()[-1], queue.connection, room=10)
    assert [job.id for job, _, _, _ in claimed] == [j.id for j in behind] and queue.job_ids == []

    # Redis failed under the running job and answers again: the worker puts the taken jobs back.
    django_rq.get_worker("default").after_outage()

    assert queue.job_ids[:2] == [j.id for j in behind]
    assert coalesce._in_hand == []
