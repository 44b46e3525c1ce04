"""An upload is recorded, queued and counted in one Redis transaction, so in one round trip,
however many pictures it holds: the metrics' count rides on it (it used to cost a second)."""
import django_rq
import pytest

from recognizer import history, submit
from recognizer.tests.round_trips import count_round_trips


def _round_trips(monkeypatch, uploads):
    sent, (ids, refused) = count_round_trips(monkeypatch, lambda: submit.accept(uploads))
    assert refused == []
    return sent, ids


@pytest.mark.django_db
def test_an_upload_of_one_picture_or_three_takes_one_round_trip(monkeypatch, digit_images):
    submit.accept([("warm.png", digit_images[0])])  # scripts loaded: count the steady state
    one, first = _round_trips(monkeypatch, [("1.png", digit_images[1])])
    three, rest = _round_trips(monkeypatch, [(f"{d}.png", digit_images[d]) for d in (2, 3, 4)])

    assert one == three == 1
    assert [r["status"] for r in history.get_many(first + rest)] == ["queued"] * 4
    assert django_rq.get_queue("default").count == 3  # the warm-up's job, then one per upload
    assert history.read_counts()["uploads"] == 5
