"""Accepting uploads: check them, store them, record them as queued and enqueue the job.

The form view and the JSON API both come through here, so both give the same answers. Each
file is judged on its own: the good ones are queued, the refused ones come back with their
reason, and only a request with no good file at all is an error.
"""
import logging

import django_rq
from django.conf import settings
from django.utils.translation import gettext as _
from rq import Callback

from ml.decode import ImageRejected, check_upload

from . import batching, history, messages, metrics, storage

log = logging.getLogger(__name__)

FILENAME_MAX = 255
# Ends the records of a job that fails outside our code: timeouts, a worker killed mid-job.
ON_FAILURE = Callback("recognizer.tasks.job_failed")


class UploadError(Exception):
    """A request we refuse, with the HTTP status and a message a person understands; `refused`
    lists each refused file (filename, error, code) when files were the reason."""

    def __init__(self, message, status=400, refused=()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.refused = list(refused)


def read_files(files):
    """[(filename, bytes)] from Django UploadedFiles; an oversize file is not read (submit()
    refuses it with the others' answers)."""
    if not files:
        raise UploadError(_("No file was uploaded. Send one or more pictures in the field 'image'."))
    if len(files) > settings.MAX_FILES_PER_REQUEST:
        raise UploadError(
            _("Too many files: %(count)d in one request; the limit is %(limit)d. Send them in smaller groups.")
            % {"count": len(files), "limit": settings.MAX_FILES_PER_REQUEST})
    uploads = []
    for f in files:
        name = (f.name or "upload")[:FILENAME_MAX]
        uploads.append((name, _TooLarge(f.size) if f.size > settings.MAX_UPLOAD_BYTES else f.read()))
    return uploads


class _TooLarge:
    """Stands for the bytes of a file too large to read."""

    def __init__(self, size):
        self.size = size


def _check(name, data):
    """(Pillow format, None) for a file we accept, else (None, refusal dict)."""
    if isinstance(data, _TooLarge):
        exc = ImageRejected("", status=413, code="file_too_large", size_mb=data.size / 1048576,
                            limit_mb=settings.MAX_UPLOAD_BYTES / 1048576)
    else:
        try:
            return check_upload(data, max_bytes=settings.MAX_UPLOAD_BYTES,
                                max_pixels=settings.MAX_IMAGE_PIXELS), None
        except ImageRejected as rejected:
            exc = rejected
    return None, {"filename": name, "error": messages.reason(exc.code, str(exc), **exc.params),
                  "code": exc.code, "status": exc.status}


def refusal_text(refused):
    """One sentence naming each refused file and why."""
    return " ".join(f"{r['filename']}: {r['error']}" for r in refused)


def public(refused):
    """The refused list as the API shows it."""
    return [{"filename": r["filename"], "error": r["error"], "code": r["code"]} for r in refused]


def parse_crops(values, count):
    """One crop box or None per file, from the form's `crop` fields (sent in the files' order):
    "x0,y0,x1,y1", fractions 0..1 of the upright picture; an empty field or none means the whole
    picture. Raises UploadError for a field that is not such a box."""
    boxes = []
    for value in list(values)[:count]:
        if not value.strip():
            boxes.append(None)
            continue
        try:
            box = tuple(float(v) for v in value.split(","))
        except ValueError:
            box = ()
        if len(box) != 4 or not all(0 <= v <= 1 for v in box) or box[0] >= box[2] or box[1] >= box[3]:
            raise UploadError(_("A crop box is four numbers from 0 to 1: left, top, right, bottom."))
        boxes.append(box)
    return boxes + [None] * (count - len(boxes))


def submit(uploads, *, source="upload", owner=None, crops=None):
    """Queue the acceptable files of [(filename, bytes)] as one job, shared with uploads that
    arrive at the same moment (batching.py); returns (records, refused).

    Raises UploadError when no file is acceptable. The records and their job are written in one
    Redis transaction, after the files are stored: when Redis fails, nothing is recorded and the
    stored files are removed again, so an error answer means nothing happened.
    """
    ids, refused = accept(uploads, source=source, owner=owner, crops=crops)
    return history.get_many(ids), refused


def accept(uploads, *, source="upload", owner=None, crops=None):
    """submit() without reading the new records back: (ids, refused), for a caller that reads
    them later anyway (an API request that waits for its answers)."""
    with batching.arriving():
        return _submit(uploads, source, owner, crops)


def _submit(uploads, source, owner, crops):
    accepted, refused, kept_crops = [], [], []
    for (name, data), crop in zip(uploads, crops or [None] * len(uploads)):
        image_format, refusal = _check(name, data)
        if refusal:
            refused.append(refusal)
        else:
            accepted.append((name, data, image_format))
            kept_crops.append(crop)
    if not accepted:
        statuses = {r["status"] for r in refused}
        raise UploadError(refusal_text(refused), status=statuses.pop() if len(statuses) == 1 else 400,
                          refused=public(refused))

    ids = [history.new_id() for _ in accepted]
    stored_names = []
    try:
        for prediction_id, (_name, data, image_format) in zip(ids, accepted):
            stored_names.append(storage.save(prediction_id, data, image_format))
        records = []
        for stored, (name, data, image_format) in zip(stored_names, accepted):
            _, content_type = storage.describe(image_format)
            records.append({"filename": name, "stored": stored, "content_type": content_type,
                            "size_bytes": len(data), "source": source, "owner": owner})
        batching.write(ids, records, [data for _, data, _ in accepted], kept_crops, enqueue=_enqueue)
    except Exception:
        _remove(stored_names)
        raise
    return ids, public(refused)


def _enqueue(ids, images, job_id, pipeline, crops):
    # Enqueued by name so the web processes never import the model's libraries; on the
    # caller's transaction, so the job exists exactly when its records do.
    queue = django_rq.get_queue("default", connection=history.connection())
    # Counted in the same transaction: uploads are counted exactly when they are queued.
    metrics.count_uploads(len(ids), pipeline=pipeline)
    options = {"job_id": job_id, "on_failure": ON_FAILURE, "pipeline": pipeline,
               "result_ttl": settings.JOB_RESULT_TTL, "failure_ttl": settings.JOB_FAILURE_TTL}
    # Crop boxes go with the job only when someone drew one.
    if len(ids) == 1:
        args = (ids[0], images[0]) + ((crops[0],) if crops[0] else ())
        queue.enqueue("recognizer.tasks.recognise_upload", *args, **options)
    else:
        args = (ids, images) + ((crops,) if any(crops) else ())
        queue.enqueue("recognizer.tasks.recognise_batch", *args, **options)


def _remove(stored_names):
    for name in stored_names:
        try:
            storage.remove(name)
        except Exception:  # the storage may be failing too; the record never existed anyway
            log.exception("Could not remove %s after a failed upload", name)

