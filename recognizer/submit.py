"""Accepting uploads: check them, store them, record them as queued and enqueue the job.

The form view and the JSON API both come through here, so both give the same answers.
"""
import io
import time

import django_rq
from django.conf import settings
from PIL import Image
from rq import Callback
from rq.results import Result

from ml.decode import ImageRejected, check_upload

from . import history, metrics, reconcile, storage

FILENAME_MAX = 255
DONE = ("finished", "failed")
# Ends the records of a job that fails outside our code: timeouts, a worker killed mid-job.
ON_FAILURE = Callback("recognizer.tasks.job_failed")


class UploadError(Exception):
    """A request we refuse, with the HTTP status and a message a person understands."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def read_files(files):
    """[(filename, bytes)] from Django UploadedFiles, refusing oversize ones before reading."""
    if not files:
        raise UploadError("No file was uploaded. Send one or more pictures in the field 'image'.")
    if len(files) > settings.MAX_FILES_PER_REQUEST:
        raise UploadError(
            f"Too many files: {len(files)} in one request; the limit is "
            f"{settings.MAX_FILES_PER_REQUEST}. Send them in smaller groups."
        )
    uploads = []
    for f in files:
        name = (f.name or "upload")[:FILENAME_MAX]
        if f.size > settings.MAX_UPLOAD_BYTES:
            raise UploadError(_too_large(name, f.size), status=413)
        uploads.append((name, f.read()))
    return uploads


def _too_large(name, size):
    limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
    return f"{name}: the file is {size / (1024 * 1024):.1f} MB; the limit is {limit_mb:g} MB."


def submit(uploads, *, source="upload"):
    """Queue [(filename, bytes)] for recognition as one job; returns the new records.

    Every file is checked before anything is stored, so a refused request leaves nothing behind.
    """
    formats = []
    for name, data in uploads:
        try:
            check_upload(data, max_bytes=settings.MAX_UPLOAD_BYTES, max_pixels=settings.MAX_IMAGE_PIXELS)
        except ImageRejected as exc:
            raise UploadError(f"{name}: {exc}", status=exc.status) from None
        with Image.open(io.BytesIO(data)) as img:
            formats.append(img.format)

    ids = [history.new_id() for _ in uploads]
    job_id = f"predict-{ids[0]}"
    for prediction_id, (name, data), image_format in zip(ids, uploads, formats):
        _, content_type = storage.describe(image_format)
        stored = storage.save(prediction_id, data, image_format)
        history.create(prediction_id, filename=name, stored=stored, content_type=content_type,
                       size_bytes=len(data), source=source, job_id=job_id)

    # Enqueued by name so the web processes never import the model's libraries.
    queue = django_rq.get_queue("default")
    images = [data for _, data in uploads]
    options = {"job_id": job_id, "on_failure": ON_FAILURE}
    if len(ids) == 1:
        queue.enqueue("recognizer.tasks.recognise_upload", ids[0], images[0], **options)
    else:
        queue.enqueue("recognizer.tasks.recognise_batch", ids, images, **options)
    metrics.count_uploads(len(ids))
    return history.get_many(ids)


def wait(ids, timeout):
    """The records once all are finished or failed, or as they are when `timeout` runs out."""
    deadline = time.monotonic() + timeout
    conn = history.connection()
    previous = None
    while True:
        records = reconcile.refresh(history.get_many(ids))
        jobs = {r["job_id"] for r in records if r["status"] not in DONE and r.get("job_id")}
        remaining = deadline - time.monotonic()
        if len(records) < len(ids) or not jobs or remaining <= 0:
            return records
        if records == previous:
            time.sleep(0.02)  # the job has ended but its records not yet: do not spin
        previous = records
        # RQ appends every job's outcome to a stream, after our records are written: blocking on
        # it answers the moment a job ends, without polling. The one-second cap notices records
        # ended by someone else (a reconciliation), which write no job result.
        block_ms = max(1, int(min(remaining, 1.0) * 1000))
        conn.xread({Result.get_key(job): "0-0" for job in jobs}, block=block_ms)
