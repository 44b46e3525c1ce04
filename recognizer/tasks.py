"""Job functions run by the worker: plain, importable, taking ids and values."""
import logging
import time

from ml.preprocess import ImageRejected
from ml.recognise import input_png, recognise_many

from . import history
from .images import thumbnail_png

log = logging.getLogger(__name__)

INTERNAL_ERROR = "Something went wrong while reading this picture. It has been logged; please try again."


def recognise_upload(prediction_id, data):
    """Recognise the digit(s) in one uploaded picture and record the answer."""
    return recognise_batch([prediction_id], [data])


def recognise_batch(prediction_ids, images):
    """Recognise several pictures with one model call and record each answer."""
    for prediction_id in prediction_ids:
        history.mark_started(prediction_id)
    started = time.perf_counter()
    try:
        results = recognise_many(images)
    except Exception:
        # Failures are data: the record says so, the traceback goes to RQ's failed registry.
        for prediction_id in prediction_ids:
            history.mark_failed(prediction_id, INTERNAL_ERROR)
        raise
    per_image_ms = (time.perf_counter() - started) * 1000 / max(len(images), 1)
    summary = {}
    for prediction_id, data, result in zip(prediction_ids, images, results):
        summary[prediction_id] = _record(prediction_id, data, result, per_image_ms)
    return summary


def _record(prediction_id, data, result, duration_ms):
    thumb = thumbnail_png(data)
    if isinstance(result, ImageRejected):
        history.mark_failed(prediction_id, str(result), duration_ms=duration_ms, thumb=thumb)
        return {"status": "failed", "error": str(result)}
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
    )
    return {"status": "finished", "number": result.number}
