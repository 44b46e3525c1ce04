"""A client waiting for its answer is woken by the record's ending itself (history.wait_ended),
written in the same Redis step as the answer: not by the job's own result, which RQ writes
later, nor only by the wait's periodic look. Whoever ends a record wakes its waiters."""
import threading

from recognizer import history, jobs, submit, waiting

BLOCK_MS = 20000  # far longer than any join below: a thread still blocked means no wake-up


def _create():
    prediction_id = history.new_id()
    history.create(prediction_id, filename="a.png", stored="", content_type="image/png", size_bytes=1,
                   job_id=f"predict-{prediction_id}")
    return prediction_id


def _finish(prediction_id, digit=3):
    return history.mark_finished(
        prediction_id, answers=[{"digit": digit, "confidence": 0.9}], number=str(digit), digit=digit,
        confidence=0.9, probabilities=[0.1] * 10, low_confidence=False, inverted=False, duration_ms=1.0)


def _in_thread(call, *args):
    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("value", call(*args)), daemon=True)
    thread.start()
    return thread, out


def test_it_wakes_a_blocked_waiter_when_a_record_finishes(redis_conn):
    waiting_for, other = _create(), _create()
    thread, out = _in_thread(history.wait_ended, [other, waiting_for], BLOCK_MS)
    thread.join(0.2)
    assert thread.is_alive()  # nothing has ended yet
    assert _finish(waiting_for)
    thread.join(10)
    assert not thread.is_alive()
    assert out["value"] == [waiting_for]


def test_it_answers_at_once_for_a_record_that_ended_before_the_call(redis_conn):
    prediction_id = _create()
    assert history.mark_failed(prediction_id, "broken", code="internal_error")
    thread, out = _in_thread(history.wait_ended, [prediction_id], BLOCK_MS)
    thread.join(10)
    assert not thread.is_alive()
    assert out["value"] == [prediction_id]


def test_a_record_that_runs_again_is_no_longer_ended(redis_conn):
    prediction_id = _create()
    assert history.mark_failed(prediction_id, "lost", code="lost")
    assert history.mark_started(prediction_id)  # put back on its queue after an outage
    assert history.wait_ended([prediction_id], 50) == []


def test_deleting_a_record_removes_its_notice(redis_conn):
    prediction_id = _create()
    assert _finish(prediction_id)
    history.delete(prediction_id)
    assert redis_conn.keys(f"*{prediction_id}*") == []


def test_an_api_wait_is_answered_before_the_job_ends(redis_conn, digit_images):
    # No worker runs: the job stays queued and RQ writes no result for it. The record is ended
    # as a worker ends it; the waiting request answers with it at once.
    ids, _ = submit.accept([("three.png", digit_images[3])])
    job = jobs._fetch(f"predict-{ids[0]}", redis_conn)
    thread, out = _in_thread(waiting.wait, ids, 30)
    thread.join(0.2)
    assert thread.is_alive()
    assert _finish(ids[0])
    thread.join(10)
    assert not thread.is_alive()
    assert [(r["id"], r["status"], r["digit"]) for r in out["value"]] == [(ids[0], "finished", 3)]
    assert job.get_status() == "queued"


def test_it_reads_the_records_in_the_round_trip_that_waits(redis_conn, monkeypatch):
    from recognizer.tests.round_trips import count_round_trips

    ended, waiting_for = _create(), _create()
    assert _finish(ended)
    sent, (woken_by, records) = count_round_trips(
        monkeypatch, lambda: history.get_many_when_ended([waiting_for, ended], [waiting_for, ended], BLOCK_MS))
    assert sent == 1
    assert woken_by == [ended]
    assert [(r["id"], r["status"]) for r in records] == [(waiting_for, "queued"), (ended, "finished")]
