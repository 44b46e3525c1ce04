"""A correction is written atomically, like the status changes: it never brings back a record
deleted meanwhile, nor writes anything for an id that is not one of ours."""
from recognizer import history

from .records import make_record


def test_a_correction_of_a_deleted_record_writes_nothing(redis_conn):
    prediction_id = make_record("x.png", digit=4)
    keys_before = set(redis_conn.keys())
    history.delete(prediction_id)
    assert history.set_correction(prediction_id, 9, by="staff:ops") is False
    assert history.get(prediction_id) is None
    assert history.corrected()[0] == 0
    # Nothing of the record came back: only keys that were not the record's remain.
    left = {k.decode() for k in redis_conn.keys()}
    assert not any(prediction_id in k for k in left), left
    assert left <= {k.decode() for k in keys_before}


def test_a_correction_records_who_and_when(redis_conn):
    prediction_id = make_record("x.png", digit=4)
    assert history.set_correction(prediction_id, 7, by="visitor:abc")
    record = history.get(prediction_id)
    assert (record["correction"], record["corrected_by"]) == (7, "visitor:abc")
    assert record["corrected_at"] >= record["created_at"]
    assert history.corrected()[0] == 1


def test_a_malformed_id_never_reaches_redis(redis_conn):
    prediction_id = make_record("x.png", digit=4)
    for bad in (f"{prediction_id}:thumb", f"{prediction_id}:input", "", "X" * 32, prediction_id + "0"):
        assert history.set_correction(bad, 1) is False
        assert history.get(bad) is None
        assert history.image(bad, "thumb") is None
        assert history.delete(bad) is None
    assert history.get(prediction_id)["correction"] is None
