"""iter_ids walks every matching id once, newest first, in chunks, even with equal scores."""
from recognizer import history

from .records import make_record


def test_it_reads_every_id_once_across_chunks_with_tied_scores():
    ids = [make_record(f"{n}.png", status="queued", created_at=1_700_000_000 + n // 4) for n in range(23)]
    walked = list(history.iter_ids(chunk=3))
    assert sorted(walked) == sorted(ids)
    assert len(walked) == len(set(walked)) == 23
    scores = [history.get(i)["created_at"] for i in walked]
    assert scores == sorted(scores, reverse=True)


def test_it_streams_records_matching_a_search():
    for n in range(12):
        make_record(f"{'keep' if n % 3 == 0 else 'skip'}-{n}.png", digit=n % 10)
    names = [r["filename"] for r in history.iter_records(q="keep", chunk=2)]
    assert sorted(names) == ["keep-0.png", "keep-3.png", "keep-6.png", "keep-9.png"]
