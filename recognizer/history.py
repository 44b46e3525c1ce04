"""The prediction history in Redis: the only module that knows its key layout.

Keys, under HISTORY_PREFIX (default "mnist"):
  {p}:rec:{id}          hash    one prediction record (see FIELDS)
  {p}:rec:{id}:thumb    string  small PNG thumbnail of the upload
  {p}:rec:{id}:input    string  PNG of the 28x28 image(s) the model saw
  {p}:index             zset    every id, scored by creation time, so pages never scan keys
  {p}:status:{status}   zset    ids per status, same score
  {p}:digit:{d}         zset    ids of finished single-digit answers, per digit
  {p}:corrected         zset    ids a person gave feedback on (field `correction`), same score
"""
import json
import time
import uuid

import django_rq
from redis.commands.core import Script
from django.conf import settings

STATUSES = ("queued", "started", "finished", "failed")
# Stored as JSON text in the hash; everything else is a plain string.
JSON_FIELDS = ("probabilities", "digits", "error_params")
FLOAT_FIELDS = ("confidence", "created_at", "started_at", "finished_at", "duration_ms",
                "corrected_at")
INT_FIELDS = ("digit", "size_bytes", "correction")
BOOL_FIELDS = ("low_confidence", "inverted")


def connection():
    return django_rq.get_connection("default")


def _key(*parts):
    return ":".join((settings.HISTORY_PREFIX, *map(str, parts)))


def new_id():
    return uuid.uuid4().hex[:16]


def _encode(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def _decode(raw):
    record = {k.decode(): v.decode() for k, v in raw.items()}
    for name in JSON_FIELDS:
        record[name] = json.loads(record[name]) if record.get(name) else None
    for name in FLOAT_FIELDS:
        record[name] = float(record[name]) if record.get(name) else None
    for name in INT_FIELDS:
        record[name] = int(record[name]) if record.get(name) else None
    for name in BOOL_FIELDS:
        record[name] = record.get(name) == "1"
    for name in ("number", "error", "error_code", "hint", "job_id", "stored", "content_type"):
        record[name] = record.get(name) or None
    return record


def create(prediction_id, *, filename, stored, content_type, size_bytes, source="upload",
           job_id=None):
    """Record a new upload as queued and index it by time."""
    now = time.time()
    fields = {
        "id": prediction_id,
        "filename": filename,
        "stored": stored,
        "content_type": content_type,
        "size_bytes": size_bytes,
        "source": source,
        "status": "queued",
        "created_at": now,
        "job_id": job_id,
    }
    pipe = connection().pipeline()
    pipe.hset(_key("rec", prediction_id), mapping={k: _encode(v) for k, v in fields.items()})
    pipe.zadd(_key("index"), {prediction_id: now})
    pipe.zadd(_key("status", "queued"), {prediction_id: now})
    pipe.execute()


# A status change in one round trip and atomically: the record's hash, its status index, its
# digit index and its images change together, and not at all when the record was deleted
# meanwhile (a late worker must not resurrect half a record).
# KEYS: record, the four status indexes, the new status index, digit index or '', thumb, input.
# ARGV: id, thumb PNG or '', input PNG or '', then field/value pairs.
_UPDATE = Script(None, b"""
local created = redis.call('HGET', KEYS[1], 'created_at')
if not created then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
for i = 2, 5 do redis.call('ZREM', KEYS[i], ARGV[1]) end
redis.call('ZADD', KEYS[6], created, ARGV[1])
if KEYS[7] ~= '' then redis.call('ZADD', KEYS[7], created, ARGV[1]) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[8], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[9], ARGV[3]) end
return 1
""")


def _update(prediction_id, status, fields, images=None, digit=None):
    """Write a status change; False when the record no longer exists."""
    images = images or {}
    keys = [_key("rec", prediction_id), *(_key("status", s) for s in STATUSES), _key("status", status),
            _key("digit", digit) if digit is not None else "",
            _key("rec", prediction_id, "thumb"), _key("rec", prediction_id, "input")]
    args = [prediction_id, images.get("thumb") or b"", images.get("input") or b""]
    for name, value in {"status": status, **fields}.items():
        args += [name, _encode(value)]
    return bool(_UPDATE(keys, args, client=connection()))


def mark_started(prediction_id):
    return _update(prediction_id, "started", {"started_at": time.time(), "error": ""})


def mark_finished(prediction_id, *, answers, number, digit, confidence, probabilities,
                  low_confidence, inverted, duration_ms, thumb=None, input_png=None, hint=None):
    """Store the model's answer; `answers` is one dict per digit found, left to right.

    `hint` is the code of a likely cause of an unsure answer (see recognizer.messages.HINTS)."""
    fields = {
        "finished_at": time.time(),
        "digit": digit,
        "number": number,
        "confidence": confidence,
        "probabilities": probabilities,
        "digits": answers,
        "low_confidence": low_confidence,
        "inverted": inverted,
        "duration_ms": round(duration_ms, 3),
        "error": "",
        "hint": hint,
    }
    images = {"thumb": thumb, "input": input_png}
    return _update(prediction_id, "finished", fields, images=images, digit=digit)


def mark_failed(prediction_id, error, *, duration_ms=None, thumb=None, code=None, params=None):
    """`error` is the English text; `code` and `params` let pages say it in the reader's language."""
    fields = {"finished_at": time.time(), "error": error, "error_code": code, "error_params": params or None}
    if duration_ms is not None:
        fields["duration_ms"] = round(duration_ms, 3)
    return _update(prediction_id, "failed", fields, images={"thumb": thumb})


def get(prediction_id):
    raw = connection().hgetall(_key("rec", prediction_id))
    return _decode(raw) if raw else None


def get_many(ids):
    pipe = connection().pipeline()
    for prediction_id in ids:
        pipe.hgetall(_key("rec", prediction_id))
    return [_decode(raw) for raw in pipe.execute() if raw]


def image(prediction_id, kind):
    """The stored 'thumb' or 'input' PNG of a record, or None."""
    if kind not in ("thumb", "input"):
        raise ValueError(kind)
    return connection().get(_key("rec", prediction_id, kind))


def _index_key(digit=None, status=None):
    if digit is not None:
        return _key("digit", digit)
    if status is not None:
        return _key("status", status)
    return _key("index")


def _bound(value, default):
    return default if value is None else repr(float(value))


def iter_ids(*, digit=None, status=None, since=None, until=None, q=None, chunk=500):
    """Ids newest first, matching the filters, read from Redis `chunk` at a time.

    `since`/`until` are epoch seconds (inclusive); `q` keeps ids whose filename contains it,
    ignoring case. The walk pages by score rather than by offset, so reading a million ids
    costs one index lookup per chunk instead of re-skipping everything already read.
    """
    if digit is not None and status not in (None, "finished"):
        # Only finished records carry a digit, so the digit index already answers both.
        return
    conn = connection()
    key = _index_key(digit, status)
    low, high = _bound(since, "-inf"), _bound(until, "+inf")
    needle = q.casefold() if q else None
    skip = set()  # ids at the current upper bound score, already yielded
    while True:
        want = chunk + len(skip)
        rows = [(i.decode(), score) for i, score in
                conn.zrevrangebyscore(key, high, low, start=0, num=want, withscores=True)]
        fresh = [(i, score) for i, score in rows if i not in skip]
        if not fresh:
            return
        ids = [i for i, _ in fresh]
        if needle:
            pipe = conn.pipeline()
            for prediction_id in ids:
                pipe.hget(_key("rec", prediction_id), "filename")
            names = pipe.execute()
            ids = [i for i, name in zip(ids, names)
                   if name is not None and needle in name.decode().casefold()]
        yield from ids
        if len(rows) < want:
            return
        last = fresh[-1][1]
        if repr(last) != high:
            skip = set()
        # Ids sharing the boundary score come back in the next read; skip them there.
        skip.update(i for i, score in fresh if score == last)
        high = repr(last)


def iter_records(*, chunk=500, **filters):
    """Records newest first, matching the filters, fetched `chunk` at a time (for exports)."""
    batch = []
    for prediction_id in iter_ids(chunk=chunk, **filters):
        batch.append(prediction_id)
        if len(batch) >= chunk:
            yield from get_many(batch)
            batch = []
    if batch:
        yield from get_many(batch)


def page(*, digit=None, status=None, offset=0, limit=20, since=None, until=None, q=None):
    """(total, records) newest first, optionally only one digit, one status, a time range
    (epoch seconds, inclusive) or filenames containing `q`."""
    if digit is not None and status is not None and status != "finished":
        return 0, []
    if q:
        # A filename search has no index; it walks the (time-bounded) ids in chunks.
        total, ids = 0, []
        for prediction_id in iter_ids(digit=digit, status=status, since=since, until=until, q=q):
            if offset <= total < offset + limit:
                ids.append(prediction_id)
            total += 1
        return total, get_many(ids)
    conn = connection()
    key = _index_key(digit, status)
    low, high = _bound(since, "-inf"), _bound(until, "+inf")
    if since is None and until is None:
        total = conn.zcard(key)
        raw = conn.zrevrange(key, offset, offset + limit - 1)
    else:
        total = conn.zcount(key, low, high)
        raw = conn.zrevrangebyscore(key, high, low, start=offset, num=limit)
    return total, get_many([i.decode() for i in raw])


def recent(limit=1000):
    """The newest `limit` records, for statistics that must not read the whole history."""
    ids = [i.decode() for i in connection().zrevrange(_key("index"), 0, limit - 1)]
    return get_many(ids)


def set_correction(prediction_id, digit):
    """Record what a person says the digit really is, beside (never over) the prediction."""
    conn = connection()
    created = conn.hget(_key("rec", prediction_id), "created_at")
    if created is None:
        return False
    pipe = conn.pipeline()
    pipe.hset(_key("rec", prediction_id),
              mapping={"correction": _encode(int(digit)), "corrected_at": _encode(time.time())})
    pipe.zadd(_key("corrected"), {prediction_id: float(created)})
    pipe.execute()
    return True


def corrected(limit=1000):
    """The newest `limit` records that carry a correction, and how many there are in all."""
    conn = connection()
    total = conn.zcard(_key("corrected"))
    ids = [i.decode() for i in conn.zrevrange(_key("corrected"), 0, limit - 1)]
    return total, get_many(ids)


def counts():
    """Totals for the dashboard: all records, per status and per digit."""
    pipe = connection().pipeline()
    pipe.zcard(_key("index"))
    for status in STATUSES:
        pipe.zcard(_key("status", status))
    for digit in range(10):
        pipe.zcard(_key("digit", digit))
    values = pipe.execute()
    return {
        "total": values[0],
        "status": dict(zip(STATUSES, values[1:5])),
        "digits": dict(zip(range(10), values[5:15])),
    }


def delete(prediction_id):
    """Remove a record with its images and index entries; returns its stored file name."""
    conn = connection()
    stored = conn.hget(_key("rec", prediction_id), "stored")
    pipe = conn.pipeline()
    pipe.delete(_key("rec", prediction_id), _key("rec", prediction_id, "thumb"),
                _key("rec", prediction_id, "input"))
    pipe.zrem(_key("index"), prediction_id)
    for status in STATUSES:
        pipe.zrem(_key("status", status), prediction_id)
    for digit in range(10):
        pipe.zrem(_key("digit", digit), prediction_id)
    pipe.zrem(_key("corrected"), prediction_id)
    pipe.execute()
    return stored.decode() if stored else None


def prune(*, max_records=None, max_age_seconds=None, now=None):
    """Delete the oldest records beyond `max_records` or older than `max_age_seconds`.

    Returns the stored file names of the deleted records, for the caller to remove.
    """
    conn = connection()
    doomed = set()
    if max_age_seconds is not None:
        cutoff = (now or time.time()) - max_age_seconds
        doomed.update(i.decode() for i in conn.zrangebyscore(_key("index"), "-inf", f"({cutoff}"))
    if max_records is not None:
        excess = conn.zcard(_key("index")) - max_records
        if excess > 0:
            doomed.update(i.decode() for i in conn.zrange(_key("index"), 0, excess - 1))
    return [name for name in map(delete, sorted(doomed)) if name]
