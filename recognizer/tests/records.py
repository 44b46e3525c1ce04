"""Records written straight into the history, for tests of the pages that read them.

They go through history.create/mark_finished/mark_failed, the same calls the worker makes,
without loading the model.
"""
import io

from PIL import Image

from recognizer import history, storage


def png(size=(28, 28), value=0):
    out = io.BytesIO()
    Image.new("L", size, value).save(out, "PNG")
    return out.getvalue()


def make_record(filename="d.png", *, digit=None, confidence=0.99, status="finished", created_at=None,
                error="No digit found in the picture", digits=1, duration_ms=5.0, owner=None):
    prediction_id = history.new_id()
    data = png((56, 56), 255)
    stored = storage.save(prediction_id, data, "PNG")
    history.create(prediction_id, filename=filename, stored=stored, content_type="image/png",
                   size_bytes=len(data), owner=owner)
    if created_at is not None:
        _backdate(prediction_id, created_at)
    if status == "started":
        history.mark_started(prediction_id)
    elif status == "finished":
        history.mark_started(prediction_id)
        probabilities = [0.0] * 10
        probabilities[digit] = confidence
        answers = [{"digit": digit, "confidence": confidence, "probabilities": probabilities,
                    "box": [0, 0, 28, 28]}] * digits
        history.mark_finished(
            prediction_id, answers=answers, number=str(digit) * digits,
            digit=digit if digits == 1 else None, confidence=confidence,
            probabilities=probabilities if digits == 1 else None, low_confidence=confidence < 0.5,
            inverted=False, duration_ms=duration_ms, thumb=png((48, 48)),
            input_png=png((28 * digits, 28), 255),
        )
    elif status == "failed":
        history.mark_failed(prediction_id, error, duration_ms=duration_ms, thumb=png((48, 48)))
    return prediction_id


def _backdate(prediction_id, created_at):
    """Move a record to another creation time in every index (tests of date filters)."""
    conn = history.connection()
    key = history._key
    conn.hset(key("rec", prediction_id), "created_at", repr(created_at))
    conn.zadd(key("index"), {prediction_id: created_at})
    conn.zadd(key("status", "queued"), {prediction_id: created_at})
