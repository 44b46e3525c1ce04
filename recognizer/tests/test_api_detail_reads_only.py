"""GET /api/predictions/<id> only reads: an overdue record whose job is gone stays as it is
(ending it is the workers' reconciliation, not a reader's)."""
import time

from recognizer import history

from .records import make_record


def test_reading_an_overdue_record_changes_nothing(client, redis_conn, settings):
    prediction_id = make_record("x.png", status="queued", created_at=time.time() - 10 * settings.JOB_TIMEOUT)
    redis_conn.hset(history._key("rec", prediction_id), "job_id", "predict-gone")
    before = {k: redis_conn.dump(k) for k in redis_conn.keys()}
    for _ in range(3):
        body = client.get(f"/api/predictions/{prediction_id}").json()
        assert body["status"] == "queued"
    after = {k: redis_conn.dump(k) for k in redis_conn.keys()}
    assert after == before
