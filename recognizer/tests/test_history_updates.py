"""Status changes move a record between indexes in one step, and never resurrect a deleted one."""
from recognizer import history


def _create(prediction_id=None):
    prediction_id = prediction_id or history.new_id()
    history.create(prediction_id, filename="a.png", stored="", content_type="image/png", size_bytes=1)
    return prediction_id


def _finish(prediction_id, digit=4):
    return history.mark_finished(
        prediction_id, answers=[{"digit": digit, "confidence": 0.9}], number=str(digit), digit=digit,
        confidence=0.9, probabilities=[0.01] * 10, low_confidence=False, inverted=True,
        duration_ms=3.0, thumb=b"\x89PNG\xff\x00thumb", input_png=b"\x89PNG\x80input",
    )


def test_it_moves_a_record_through_the_status_indexes(redis_conn):
    prediction_id = _create()
    assert history.mark_started(prediction_id)
    assert history.counts()["status"] == {"queued": 0, "started": 1, "finished": 0, "failed": 0}
    assert _finish(prediction_id)
    counts = history.counts()
    assert counts["status"] == {"queued": 0, "started": 0, "finished": 1, "failed": 0}
    assert counts["digits"][4] == 1
    record = history.get(prediction_id)
    assert record["status"] == "finished" and record["digit"] == 4 and record["inverted"] is True


def test_it_keeps_image_bytes_exactly(redis_conn):
    prediction_id = _create()
    _finish(prediction_id)
    assert history.image(prediction_id, "thumb") == b"\x89PNG\xff\x00thumb"
    assert history.image(prediction_id, "input") == b"\x89PNG\x80input"


def test_it_ignores_updates_to_a_deleted_record(redis_conn):
    prediction_id = _create()
    history.delete(prediction_id)
    assert not history.mark_started(prediction_id)
    assert not _finish(prediction_id)
    assert history.get(prediction_id) is None
    assert history.image(prediction_id, "thumb") is None
    assert history.counts() == {"total": 0, "status": dict.fromkeys(history.STATUSES, 0),
                                "digits": dict.fromkeys(range(10), 0)}
