"""Dynamic batching: uploads that reach one web process at the same moment share one job.

A job costs the worker several milliseconds of RQ bookkeeping (dequeue, heartbeat, result,
registries) whatever it holds, so uploads arriving within a few milliseconds of each other are
written as one job, the way model servers batch requests. The wait is bounded and adaptive: the
first upload of a batch waits only for uploads this process is already reading (at most
UPLOAD_BATCH_WAIT_MS), so a lone upload on a quiet site goes at once. "Reading" starts before the
request's body is parsed (the views enter arriving() first): parsing the multipart body is most
of an upload's time in the web, and the window in which another upload can join.

Each upload keeps its own records, its own answer and its own failure (the worker records each
picture separately); the records and the shared job are written in one Redis transaction, so
either all of a batch is recorded or none of it is, and every request in it gets the error.
"""
import threading
from contextlib import contextmanager

from django.conf import settings

from . import history

_cond = threading.Condition()
_open = None  # the batch now gathering members, or None
_reading = 0  # uploads of this process being read and checked, not yet in a batch
_local = threading.local()


class _Batch:
    def __init__(self):
        self.members = []  # (ids, records, images, crops)
        self.size = 0
        self.done = threading.Event()
        self.job_id = None
        self.error = None


@contextmanager
def arriving():
    """Around a request's reading and checking: a batch being gathered waits for it.

    Re-entrant: a view that entered it before parsing the body calls submit(), which enters it
    again; the upload is counted once."""
    global _reading
    if getattr(_local, "inside", False):
        yield
        return
    with _cond:
        _reading += 1
    _local.joined, _local.inside = False, True
    try:
        yield
    finally:
        _local.inside = False
        if not _local.joined:
            with _cond:
                _reading -= 1
                _cond.notify_all()


def write(ids, records, images, crops, *, enqueue):
    """Record `ids` (history.create's fields for each, in `records`) and queue their pictures,
    in a job shared with the uploads arriving at the same moment; returns the job id.

    `enqueue(ids, images, job_id, pipeline, crops)` queues the job on the transaction.
    """
    global _open, _reading
    with _cond:
        if getattr(_local, "joined", True) is False:
            _local.joined = True
            _reading -= 1
        batch = _open
        leader = batch is None or batch.size + len(ids) > settings.UPLOAD_BATCH_MAX
        if leader:
            batch = _open = _Batch()
        batch.members.append((ids, records, images, crops))
        batch.size += len(ids)
        _cond.notify_all()
        if leader:
            # Wait for the uploads already being read here, never longer than the bound.
            _cond.wait_for(lambda: _reading == 0 or batch.size >= settings.UPLOAD_BATCH_MAX or _open is not batch,
                           timeout=settings.UPLOAD_BATCH_WAIT_MS / 1000)
            if _open is batch:
                _open = None
    if not leader:
        batch.done.wait()
    else:
        try:
            batch.job_id = _write(batch, enqueue)
        except Exception as exc:
            batch.error = exc
        finally:
            batch.done.set()
    if batch.error is not None:
        raise batch.error
    return batch.job_id


def _write(batch, enqueue):
    all_ids = [i for ids, _, _, _ in batch.members for i in ids]
    job_id = f"predict-{all_ids[0]}"
    pipe = history.transaction()
    for ids, records, _, _ in batch.members:
        for prediction_id, fields in zip(ids, records):
            history.create(prediction_id, **fields, job_id=job_id, pipeline=pipe)
    images = [img for _, _, imgs, _ in batch.members for img in imgs]
    crops = [crop for _, _, _, cs in batch.members for crop in cs]
    enqueue(all_ids, images, job_id, pipe, crops)
    pipe.execute()
    return job_id
