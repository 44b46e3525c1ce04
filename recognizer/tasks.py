"""Job functions run by the worker: plain, importable, taking ids and values."""
import logging
import time

import numpy as np
import redis

from ml.decode import ImageRejected
from ml.explain import heat_png, occlusion
from ml.predict import get_predictor
from ml.recognise import recognise_many

from django.conf import settings
from rq import get_current_job
from rq.exceptions import AbandonedJobError
from rq.timeouts import JobTimeoutException

from . import coalesce, history, jobs, metrics
from .images import THUMB_SIZE, input_pixels, input_png, thumbnail_png
from .messages import INTERNAL_ERROR, TIMED_OUT, WORKER_STOPPED, code_of
from .reconcile import PENDING, failure_message

log = logging.getLogger(__name__)


def recognise_upload(prediction_id, data, crop=None):
    """Recognise the digit(s) in one uploaded picture (or the part `crop` chose) and record the answer."""
    return recognise_batch([prediction_id], [data], [crop])


def recognise_batch(prediction_ids, images, crops=None):
    """Recognise several pictures with one model call and record each answer.

    `crops` holds one box per picture, or None: fractions (x0, y0, x1, y1) of the upright picture.
    The records change state in one Redis round trip per step, whatever the batch holds. Run by
    a worker under load, the recognition jobs waiting behind this one join it (coalesce.py). The
    heat maps are not made here: they are drawn on demand, when someone first opens a result
    (recognizer/heatmaps.py, explain_predictions).
    """
    connection = history.connection()
    current = get_current_job()
    # A picture is emptied in its job once its record has ended or was deleted (jobs.py). A job
    # run again after it ended (a failover can leave a copy of it on its queue) must not write
    # over the answers its first run recorded: a record whose picture is gone is left alone
    # unless it still waits for an answer (then the empty file fails it, as it would any job).
    prediction_ids, images, crops = _still_to_recognise(prediction_ids, images, crops)
    if not prediction_ids:
        return {}
    # Our worker marks the records started and takes the jobs behind in its own round trip that
    # starts the job (ModelWorker.prepare_job_execution); run any other way, the job does it.
    taken = coalesce.taken_at_start(current)
    if taken is None:
        pipe = connection.pipeline(transaction=False)
        taking = coalesce.start_records(prediction_ids, current, pipe)
        replies = pipe.execute()
        taken = replies[-1] if taking else []
    claimed = coalesce.claim(taken, connection, room=settings.UPLOAD_BATCH_MAX - len(images))
    own = list(prediction_ids)
    if claimed:
        prediction_ids, images = list(prediction_ids), list(images)
        crops = list(crops) if crops else [None] * len(images)
        for _, ids, pictures, boxes in claimed:
            prediction_ids += ids
            images += pictures
            crops += boxes
    try:
        summary = _recognise_and_record(prediction_ids, images, crops, claimed, current)
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        raise  # the taken jobs stay in hand: the worker puts them back once Redis answers
    except BaseException:
        coalesce.put_back(connection)  # not theirs to fail: they run again on their own
        raise
    return {i: summary[i] for i in own if i in summary}


def _still_to_recognise(prediction_ids, images, crops):
    if all(images):
        return prediction_ids, images, crops
    emptied = [i for i, data in zip(prediction_ids, images) if not data]
    waiting = {r["id"] for r in history.get_many(emptied) if r["status"] in PENDING}
    kept = [k for k, (i, data) in enumerate(zip(prediction_ids, images)) if data or i in waiting]
    return ([prediction_ids[k] for k in kept], [images[k] for k in kept],
            [crops[k] for k in kept] if crops else None)


def _recognise_and_record(prediction_ids, images, crops, claimed, current):
    connection = history.connection()
    if claimed:
        pipe = connection.pipeline(transaction=False)
        for _, ids, _, _ in claimed:
            for prediction_id in ids:
                history.mark_started(prediction_id, pipeline=pipe)
        pipe.execute()
    started = time.perf_counter()
    try:
        results = recognise_many(images, crops=crops, preview=THUMB_SIZE)
    except Exception:
        if len(images) > 1:
            # Uploads share jobs (batching.py, coalesce.py): one picture that breaks the
            # recognition must not fail the others, so each is tried alone.
            results = _one_by_one(images, crops)
        else:
            # Failures are data: the record says so, the traceback goes to RQ's failed registry.
            for prediction_id in prediction_ids:
                history.mark_failed(prediction_id, INTERNAL_ERROR, code="internal_error")
            metrics.count_failures("internal_error", len(prediction_ids))
            raise
    per_image_ms = (time.perf_counter() - started) * 1000 / max(len(images), 1)
    summary = {}
    # Each record's change is atomic on its own (history._UPDATE); one round trip for them all,
    # the job's metrics included (its duration is then up to that write), and the taken jobs
    # ended with their answers.
    pipe = connection.pipeline(transaction=False)
    for prediction_id, data, result in zip(prediction_ids, images, results):
        summary[prediction_id] = _record(prediction_id, data, result, per_image_ms, pipe)
    metrics.observe_job(time.perf_counter() - started, summary.values(), pipeline=pipe)
    coalesce.finish(claimed, summary, pipe, worker_name=getattr(current, "worker_name", None) or "")
    pipe.execute()
    coalesce.done()
    broken = [r.error for r in results if isinstance(r, _Broken)]
    if broken:
        raise broken[0]  # the others are recorded; the traceback still goes to the failed registry
    return summary


class _Broken:
    """A picture whose recognition raised: recorded as an internal error."""

    def __init__(self, error):
        self.error = error


def _one_by_one(images, crops):
    results = []
    for data, crop in zip(images, crops or [None] * len(images)):
        try:
            results.append(recognise_many([data], crops=[crop], preview=THUMB_SIZE)[0])
        except Exception as exc:
            log.exception("Recognition failed for one picture of a shared job")
            results.append(_Broken(exc))
    return results


def explain_predictions(prediction_ids):
    """Draw and store the heat map of each finished record: one model call for them all.

    Queued by the web when someone first asks to see a heat map (recognizer/heatmaps.py)."""
    finished = []
    records = {r["id"]: r for r in history.get_many(prediction_ids)}
    for prediction_id, png in zip(prediction_ids, history.images(prediction_ids, "input")):
        record = records.get(prediction_id)
        if record is None or record["status"] != "finished" or not png:
            continue  # deleted or pruned meanwhile
        digits = [d["digit"] for d in record["digits"] or []]
        try:
            inputs = input_pixels(png)
        except Exception:  # one unreadable strip must not cost the others their heat maps
            log.exception("Could not read the input of %s", prediction_id)
            continue
        if len(inputs) != len(digits):
            log.error("Input of %s holds %d digits, its answer %d", prediction_id, len(inputs), len(digits))
            continue
        finished.append((prediction_id, inputs, digits))
    if not finished:
        return 0
    inputs = np.concatenate([x for _, x, _ in finished])
    heat = occlusion(get_predictor().predict, inputs, [d for _, _, digits in finished for d in digits])
    pipe = history.connection().pipeline(transaction=False)
    at = 0
    for prediction_id, x, _ in finished:
        history.set_explain(prediction_id, heat_png(x, heat[at:at + len(x)]), pipeline=pipe)
        at += len(x)
    pipe.execute()
    return len(finished)


def _record(prediction_id, data, result, duration_ms, pipe):
    if isinstance(result, _Broken):
        history.mark_failed(prediction_id, INTERNAL_ERROR, code="internal_error", pipeline=pipe)
        return {"status": "failed", "error": INTERNAL_ERROR, "code": "internal_error"}
    thumb = thumbnail_png(data, getattr(result, "preview", None))
    if isinstance(result, ImageRejected):
        history.mark_failed(prediction_id, str(result), duration_ms=duration_ms, thumb=thumb,
                            code=result.code, params=result.params, pipeline=pipe)
        return {"status": "failed", "error": str(result), "code": result.code}
    answers = [
        {
            "digit": a.digit,
            "confidence": round(float(a.confidence), 6),
            "probabilities": [round(float(p), 6) for p in a.probabilities],
            "box": [int(v) for v in a.box],
        }
        for a in result.answers
    ]
    history.mark_finished(
        prediction_id,
        answers=answers,
        number=result.number,
        digit=result.digit,
        confidence=round(float(result.confidence), 6),
        probabilities=answers[0]["probabilities"] if len(answers) == 1 else None,
        low_confidence=result.low_confidence,
        inverted=result.inverted,
        duration_ms=duration_ms,
        thumb=thumb,
        input_png=input_png(result.inputs),
        hint=getattr(result, "hint", None),
        pipeline=pipe,
    )
    return {"status": "finished", "number": result.number}


def recognise_live(data):
    """Recognise a drawing in progress and return the answer; nothing is recorded.

    The page asks after every stroke; the answer goes back through RQ's job result.
    """
    result = recognise_many([data])[0]
    if isinstance(result, ImageRejected):
        return {"status": "failed", "code": result.code, "params": result.params, "error": str(result)}
    return {
        "status": "finished",
        "number": result.number,
        "digit": result.digit,
        "confidence": round(float(result.confidence), 6),
        "low_confidence": result.low_confidence,
        "digits": [{"digit": a.digit, "confidence": round(float(a.confidence), 6),
                    "probabilities": [round(float(p), 6) for p in a.probabilities]} for a in result.answers],
    }


def job_failed(job, connection, exc_type, exc_value, traceback):
    """RQ's failure callback: end the job's records that the job itself could not end.

    Runs for exceptions, timeouts, and for jobs RQ finds abandoned by a dead worker.
    """
    if issubclass(exc_type, AbandonedJobError):
        message = WORKER_STOPPED
    elif issubclass(exc_type, JobTimeoutException):
        message = TIMED_OUT
    else:
        message = failure_message(exc_type.__name__)  # Redis lost under the job: "lost", not "error"
    jobs.drop_pictures(job)
    ended = 0
    for prediction_id in jobs.record_ids(job):
        record = history.get(prediction_id)
        if record and record["status"] in PENDING:
            ended += history.mark_failed(prediction_id, message, code=code_of(message))
    if ended:
        metrics.count_failures(code_of(message), ended)
