"""The prediction history in Redis: the only module that knows its key layout.

Keys, under HISTORY_PREFIX (default "mnist"):
  {p}:rec:{id}          hash    one prediction record (see FIELDS)
  {p}:rec:{id}:thumb    string  small PNG thumbnail of the upload
  {p}:rec:{id}:input    string  PNG of the 28x28 image(s) the model saw
  {p}:rec:{id}:explain  string  PNG heat map over those images: which pixels drove the answer
  {p}:rec:{id}:asked    string  set while a heat map is being drawn for someone (expires)
  {p}:rec:{id}:ended    stream  one entry once the record is finished or failed, for clients
                                waiting on it (expires after ENDED_NOTICE_SECONDS)
  {p}:index             zset    every id, scored by creation time, so pages never scan keys
  {p}:status:{status}   zset    ids per status, same score
  {p}:digit:{d}         zset    ids of finished single-digit answers, per digit
  {p}:corrected         zset    ids a person gave feedback on (field `correction`), same score
  {p}:counters          hash    running totals since the start, for /metrics (never pruned)
  {p}:owner:{owner}     zset    ids uploaded by one visitor (a browser session or the API token)
  {p}:hits:{name}:{who} string  a rate limit's counter for one window (expires with it)
"""
import json
import re
import secrets
import time

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


_client = (None, None)  # (the settings it was made for, the client)


def connection():
    """This process's Redis client. django-rq builds a new client object on every call; one kept
    per process (its pool is shared anyway) saves that, and lets RQ ask the server's version
    once rather than for every job it enqueues (rq.utils.get_version caches it on the client)."""
    global _client
    config = settings.RQ_QUEUES["default"]
    made_for, client = _client
    if made_for is not config:  # tests point RQ_QUEUES at another Redis
        client = django_rq.get_connection("default")
        _client = (config, client)
    return client


def _key(*parts):
    return ":".join((settings.HISTORY_PREFIX, *map(str, parts)))


# 128 random bits: a prediction is reachable by whoever holds its link, so ids must not be
# guessable. Older records have 64-bit ids (16 hex digits); they stay readable.
ID_PATTERN = re.compile(r"[0-9a-f]{32}|[0-9a-f]{16}")


def new_id():
    return secrets.token_hex(16)


def valid_id(prediction_id):
    """True for a string shaped like one of our ids; checked before any Redis call, so that a
    crafted id (`<id>:thumb`) can never address another key."""
    return isinstance(prediction_id, str) and ID_PATTERN.fullmatch(prediction_id) is not None


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
    for name in ("number", "error", "error_code", "hint", "job_id", "stored", "content_type", "owner",
                 "corrected_by"):
        record[name] = record.get(name) or None
    return record


def transaction():
    """A MULTI/EXEC pipeline: what is queued on it is written all together or not at all."""
    pipe = connection().pipeline(transaction=True)
    pipe.multi()
    return pipe


def create(prediction_id, *, filename, stored, content_type, size_bytes, source="upload",
           job_id=None, owner=None, pipeline=None):
    """Record a new upload as queued and index it by time (and by its owner, when known).

    With `pipeline` (see transaction()), the writes are queued there for the caller to execute.
    """
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
        "owner": owner,
    }
    pipe = pipeline if pipeline is not None else connection().pipeline()
    pipe.hset(_key("rec", prediction_id), mapping={k: _encode(v) for k, v in fields.items()})
    pipe.zadd(_key("index"), {prediction_id: now})
    pipe.zadd(_key("status", "queued"), {prediction_id: now})
    if owner:
        pipe.zadd(_key("owner", owner), {prediction_id: now})
    if pipeline is None:
        pipe.execute()


# How long a record's `ended` notice is kept: a waiting client reads it within milliseconds of
# reading the record still pending (waiting.py); after that the record itself says it ended.
ENDED_NOTICE_SECONDS = 60


# A status change in one round trip and atomically: the record's hash, its status index, its
# digit index and its images change together, and not at all when the record was deleted
# meanwhile (a late worker must not resurrect half a record).
# A record that ends also appends to its `ended` stream, in the same step: a client waiting for
# it (waiting.py) wakes the moment the answer is readable, not after the job's own bookkeeping;
# a record that runs again (after an outage) loses its notice.
# KEYS: record, the four status indexes, the new status index, digit index or '', thumb, input,
# explain, ended stream. ARGV: id, thumb PNG or '', input PNG or '', explain PNG or '',
# then field/value pairs, `status` first.
_UPDATE = b"""
local created = redis.call('HGET', KEYS[1], 'created_at')
if not created then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
for i = 2, 5 do redis.call('ZREM', KEYS[i], ARGV[1]) end
redis.call('ZADD', KEYS[6], created, ARGV[1])
if KEYS[7] ~= '' then redis.call('ZADD', KEYS[7], created, ARGV[1]) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[8], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[9], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[10], ARGV[4]) end
if ARGV[6] == 'finished' or ARGV[6] == 'failed' then
  redis.call('XADD', KEYS[11], 'MAXLEN', 1, '*', 'status', ARGV[6])
  redis.call('EXPIRE', KEYS[11], %d)
else
  redis.call('DEL', KEYS[11])
end
return 1
""" % ENDED_NOTICE_SECONDS


def _script(source, keys, args, client):
    """Run a Lua script with EVAL. Redis caches it after the first call; EVALSHA through
    redis-py's Script would make every pipeline that carries it ask SCRIPT EXISTS first, one
    more round trip per job."""
    return client.eval(source, len(keys), *keys, *args)


def _update(prediction_id, status, fields, images=None, digit=None, pipeline=None):
    """Write a status change; False when the record no longer exists. With `pipeline`, the
    change is queued there (a worker writes a whole job's records in one round trip)."""
    images = images or {}
    keys = [_key("rec", prediction_id), *(_key("status", s) for s in STATUSES), _key("status", status),
            _key("digit", digit) if digit is not None else "",
            _key("rec", prediction_id, "thumb"), _key("rec", prediction_id, "input"),
            _key("rec", prediction_id, "explain"), _key("rec", prediction_id, "ended")]
    args = [prediction_id, images.get("thumb") or b"", images.get("input") or b"", images.get("explain") or b""]
    for name, value in {"status": status, **fields}.items():
        args += [name, _encode(value)]
    if pipeline is not None:
        return _script(_UPDATE, keys, args, pipeline)
    return bool(_script(_UPDATE, keys, args, connection()))


def mark_started(prediction_id, pipeline=None):
    return _update(prediction_id, "started", {"started_at": time.time(), "error": ""}, pipeline=pipeline)


def mark_finished(prediction_id, *, answers, number, digit, confidence, probabilities,
                  low_confidence, inverted, duration_ms, thumb=None, input_png=None, hint=None,
                  explain_png=None, pipeline=None):
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
    images = {"thumb": thumb, "input": input_png, "explain": explain_png}
    return _update(prediction_id, "finished", fields, images=images, digit=digit, pipeline=pipeline)


def mark_failed(prediction_id, error, *, duration_ms=None, thumb=None, code=None, params=None, pipeline=None):
    """`error` is the English text; `code` and `params` let pages say it in the reader's language."""
    fields = {"finished_at": time.time(), "error": error, "error_code": code, "error_params": params or None}
    if duration_ms is not None:
        fields["duration_ms"] = round(duration_ms, 3)
    return _update(prediction_id, "failed", fields, images={"thumb": thumb}, pipeline=pipeline)


# An image added to an existing record only: a record deleted meanwhile stays deleted.
_SET_IMAGE = b"""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1
"""


def set_explain(prediction_id, png, pipeline=None):
    """Store a finished record's heat map (made after its answer is recorded)."""
    keys = [_key("rec", prediction_id), _key("rec", prediction_id, "explain")]
    return _script(_SET_IMAGE, keys, [png], pipeline if pipeline is not None else connection())


def ask_once(prediction_id, seconds):
    """True the first time in `seconds` that this record's heat map is asked for: the asker
    then queues its drawing; others who ask meanwhile only wait for it."""
    return bool(connection().set(_key("rec", prediction_id, "asked"), b"1", nx=True, ex=seconds))


def get(prediction_id):
    """The record, or None (also for a string that is not an id at all)."""
    if not valid_id(prediction_id):
        return None
    raw = connection().hgetall(_key("rec", prediction_id))
    return _decode(raw) if raw else None


def get_many(ids):
    ids = [i for i in ids if valid_id(i)]
    if not ids:
        return []
    pipe = connection().pipeline(transaction=False)
    for prediction_id in ids:
        pipe.hgetall(_key("rec", prediction_id))
    return [_decode(raw) for raw in pipe.execute() if raw]


def wait_ended(ids, block_ms):
    """The ids of `ids` whose record has ended (finished or failed), as soon as one has, or []
    once `block_ms` (> 0) has passed without any. Reads each record's `ended` stream from its
    start, so a record that ended before this call (after the caller read it pending) answers
    at once."""
    return get_many_when_ended([], ids, block_ms)[0]


def get_many_when_ended(ids, pending, block_ms):
    """(wait_ended(pending, block_ms), get_many(ids) read right after it) in one round trip:
    Redis runs a client's next commands once its blocking read returns."""
    keys = {_key("rec", i, "ended"): "0-0" for i in pending if valid_id(i)}
    ids = [i for i in ids if valid_id(i)]
    if not keys or block_ms <= 0:
        return [], get_many(ids)
    pipe = connection().pipeline(transaction=False)
    pipe.xread(keys, block=block_ms)
    for prediction_id in ids:
        pipe.hgetall(_key("rec", prediction_id))
    replies, *raw = pipe.execute()
    replies = replies or []
    if isinstance(replies, dict):  # RESP3 answers a map of stream -> entries
        replies = list(replies.items())
    ended = {(k.decode() if isinstance(k, bytes) else k).rsplit(":", 2)[-2] for k, *_ in replies}
    return [i for i in pending if i in ended], [_decode(r) for r in raw if r]


def image(prediction_id, kind):
    """The stored 'thumb', 'input' or 'explain' PNG of a record, or None."""
    if kind not in ("thumb", "input", "explain"):
        raise ValueError(kind)
    if not valid_id(prediction_id):
        return None
    return connection().get(_key("rec", prediction_id, kind))


def images(ids, kind):
    """The stored `kind` PNG of each record in `ids` (None where there is none), in one round trip."""
    if kind not in ("thumb", "input", "explain"):
        raise ValueError(kind)
    ids = list(ids)
    keys = [_key("rec", i, kind) for i in ids if valid_id(i)]
    found = iter(connection().mget(keys) if keys else [])
    return [next(found) if valid_id(i) else None for i in ids]


def _index_key(digit=None, status=None):
    if digit is not None:
        return _key("digit", digit)
    if status is not None:
        return _key("status", status)
    return _key("index")


def _bound(value, default):
    return default if value is None else repr(float(value))


def _keep(conn, ids, needle, status, digit):
    """The ids whose record matches a filename needle, a status and a digit (each optional)."""
    pipe = conn.pipeline()
    for prediction_id in ids:
        pipe.hmget(_key("rec", prediction_id), "filename", "status", "digit")
    kept = []
    for prediction_id, (name, state, number) in zip(ids, pipe.execute()):
        if name is None and state is None:
            continue  # deleted meanwhile
        if needle and (name is None or needle not in name.decode().casefold()):
            continue
        if status is not None and (state or b"").decode() != status:
            continue
        if digit is not None and (number or b"").decode() != str(digit):
            continue
        kept.append(prediction_id)
    return kept


def iter_ids(*, digit=None, status=None, since=None, until=None, q=None, owner=None, chunk=500):
    """Ids newest first, matching the filters, read from Redis `chunk` at a time.

    `since`/`until` are epoch seconds (inclusive); `q` keeps ids whose filename contains it,
    ignoring case; `owner` keeps one visitor's uploads. The walk pages by score rather than by
    offset, so reading a million ids costs one index lookup per chunk instead of re-skipping
    everything already read.
    """
    if digit is not None and status not in (None, "finished"):
        # Only finished records carry a digit, so the digit index already answers both.
        return
    conn = connection()
    if owner is not None:
        # One visitor's index is the small one: status and digit are checked record by record.
        key = _key("owner", owner)
        check_status = "finished" if digit is not None else status
        check_digit = digit
    else:
        key = _index_key(digit, status)
        check_status = check_digit = None
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
        if needle or check_status is not None or check_digit is not None:
            ids = _keep(conn, ids, needle, check_status, check_digit)
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


def page(*, digit=None, status=None, offset=0, limit=20, since=None, until=None, q=None, owner=None):
    """(total, records) newest first, optionally only one digit, one status, a time range
    (epoch seconds, inclusive), filenames containing `q` or one owner's uploads."""
    if digit is not None and status is not None and status != "finished":
        return 0, []
    if q or (owner is not None and (digit is not None or status is not None)):
        # A filename search has no index, nor do an owner's uploads per status or digit: walk
        # the (time-bounded) ids in chunks.
        total, ids = 0, []
        for prediction_id in iter_ids(digit=digit, status=status, since=since, until=until, q=q,
                                      owner=owner):
            if offset <= total < offset + limit:
                ids.append(prediction_id)
            total += 1
        return total, get_many(ids)
    conn = connection()
    key = _key("owner", owner) if owner is not None else _index_key(digit, status)
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


# A correction in one atomic step, like the status changes: nothing is written when the record
# was deleted meanwhile, so a correction cannot bring back half a record.
# KEYS: record, corrected index. ARGV: id, correction, corrected_at, corrected_by.
_CORRECT = Script(None, b"""
local created = redis.call('HGET', KEYS[1], 'created_at')
if not created then return 0 end
redis.call('HSET', KEYS[1], 'correction', ARGV[2], 'corrected_at', ARGV[3], 'corrected_by', ARGV[4])
redis.call('ZADD', KEYS[2], created, ARGV[1])
return 1
""")


def set_correction(prediction_id, digit, *, by=""):
    """Record what a person says the digit really is, beside (never over) the prediction, with
    who said it (`by`) and when; False when the record does not exist."""
    if not valid_id(prediction_id):
        return False
    keys = [_key("rec", prediction_id), _key("corrected")]
    args = [prediction_id, _encode(int(digit)), _encode(time.time()), by]
    return bool(_CORRECT(keys, args, client=connection()))


def hit(name, who, window_seconds):
    """Count one event for `who` in the current `window_seconds` window; returns the count so far."""
    window = int(time.time() // window_seconds)
    key = _key("hits", name, who, window)
    pipe = connection().pipeline()
    pipe.incr(key)
    pipe.expire(key, window_seconds + 1)
    count, _ = pipe.execute()
    return count


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
    if not valid_id(prediction_id):
        return None
    conn = connection()
    stored, owner = conn.hmget(_key("rec", prediction_id), "stored", "owner")
    pipe = conn.pipeline()
    if owner:
        pipe.zrem(_key("owner", owner.decode()), prediction_id)
    pipe.delete(_key("rec", prediction_id), _key("rec", prediction_id, "thumb"),
                _key("rec", prediction_id, "input"), _key("rec", prediction_id, "explain"),
                _key("rec", prediction_id, "asked"), _key("rec", prediction_id, "ended"))
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


def add_counts(fields, pipeline=None):
    """Add to the running totals in {p}:counters (field -> amount); see recognizer/metrics.py.
    On `pipeline` when given (the caller's own round trip), else in a round trip of its own."""
    pipe = pipeline if pipeline is not None else connection().pipeline(transaction=False)
    for name, amount in fields.items():
        if isinstance(amount, float):
            pipe.hincrbyfloat(_key("counters"), name, amount)
        else:
            pipe.hincrby(_key("counters"), name, amount)
    if pipeline is None:
        pipe.execute()


def read_counts():
    """The running totals: {field: number}."""
    raw = connection().hgetall(_key("counters"))
    return {k.decode(): float(v) for k, v in raw.items()}
