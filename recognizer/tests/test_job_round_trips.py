"""A job writes its records in a fixed number of Redis round trips, however many pictures it holds:
one to mark them started, one for their answers with the job's metrics."""
import pytest

from recognizer import history, storage, tasks
from recognizer.tests.round_trips import count_round_trips


def _queued(data):
    prediction_id = history.new_id()
    history.create(prediction_id, filename="d.png", stored=storage.save(prediction_id, data, "PNG"),
                   content_type="image/png", size_bytes=len(data))
    return prediction_id


def _round_trips(monkeypatch, ids, images):
    return count_round_trips(monkeypatch, lambda: tasks.recognise_batch(ids, images))[0]


@pytest.mark.django_db
def test_it_records_one_picture_and_twelve_in_as_many_round_trips(monkeypatch, digit_images):
    broken = b"\x89PNG\r\n\x1a\n not a picture"
    one = [digit_images[3]]
    twelve = [digit_images[d % 10] for d in range(11)] + [broken]
    tasks.recognise_batch([_queued(one[0])], one)  # scripts loaded, model warm: count steady state

    single = _round_trips(monkeypatch, [_queued(d) for d in one], one)
    ids = [_queued(d) for d in twelve]
    batch = _round_trips(monkeypatch, ids, twelve)

    assert batch == single == 2
    records = history.get_many(ids)
    assert [r["status"] for r in records] == ["finished"] * 11 + ["failed"]
    assert [r["digit"] for r in records[:11]] == [d % 10 for d in range(11)]
    assert all(history.image(i, "input") for i in ids[:11])
