"""What the operator's dashboard shows: history counts and statistics, the queue, feedback
from corrections and the model card."""
import json
import math
import re
from collections import Counter
from datetime import datetime, timedelta

import django_rq
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from rq import Worker
from rq.registry import FailedJobRegistry, StartedJobRegistry

from . import charts, history

ARTIFACTS = settings.BASE_DIR / "ml" / "artifacts"
# Statistics read this many of the newest records, so the page costs the same at any size.
RECENT = 1000
PLOT_NAME = re.compile(r"^[A-Za-z0-9_-]+\.png$")


def _read_json(name):
    try:
        return json.loads((ARTIFACTS / name).read_text())
    except (OSError, ValueError):
        return None


def model_card():
    """metrics.json of the shipped model, or None when it has not been written."""
    return _read_json("metrics.json")


def served_card():
    """served.json: the MNIST test figures of the pair of models the workers answer with
    (ml.predict.Pair, `python -m ml.evaluate --output`), or None when it has not been written."""
    return _read_json("served.json")


def _plot_names():
    try:
        return sorted(p.name for p in ARTIFACTS.glob("*.png") if PLOT_NAME.match(p.name))
    except OSError:
        return []


def plots():
    """The training plots (*.png) next to the model, with a title for each."""
    titles = {
        "training_curves.png": _("Training curves"),
        "confusion_matrix.png": _("Confusion matrix on the test set"),
        "misclassified.png": _("Misclassified test images"),
        "class_balance.png": _("Training images per digit"),
    }
    return [{"name": name, "title": titles.get(name, name[:-4].replace("_", " "))}
            for name in _plot_names()]


def plot_path(name):
    if not PLOT_NAME.match(name) or name not in _plot_names():
        return None
    return ARTIFACTS / name


def baselines():
    """baselines.json as sorted rows: one per model kind."""
    data = _read_json("baselines.json")
    if not isinstance(data, dict):
        return []
    return [{"model": kind, **values} for kind, values in sorted(data.items())
            if isinstance(values, dict)]


# The corpus's kinds of picture (ml/corpus.py's case names), as the dashboard names them.
CASE_LABELS = {
    "scan": gettext_lazy("Scan"),
    "phone_photo": gettext_lazy("Phone photo"),
    "canvas": gettext_lazy("Drawn on screen"),
    "chalkboard": gettext_lazy("Chalk on a board"),
    "tiny_in_big_photo": gettext_lazy("Tiny digit in a big photo"),
    "thick_marker": gettext_lazy("Thick marker"),
    "thin_pen": gettext_lazy("Thin pen"),
    "coloured_ink": gettext_lazy("Coloured ink"),
    "formats": gettext_lazy("Other file formats"),
    "multi_digit": gettext_lazy("Several digits"),
    "multi_digit_touching": gettext_lazy("Touching digits"),
    "typed_font": gettext_lazy("Typed font"),
    "paper_on_table": gettext_lazy("Paper on a table"),
    "sheet_fills_frame": gettext_lazy("Sheet filling the frame"),
    "shadow": gettext_lazy("Shadow across the page"),
    "keystone": gettext_lazy("Page at an angle"),
    "rotated_sheet": gettext_lazy("Rotated sheet"),
    "ruled_paper": gettext_lazy("Ruled paper"),
    "squared_paper": gettext_lazy("Squared paper"),
    "faint_pencil": gettext_lazy("Faint pencil"),
    "dim_noisy": gettext_lazy("Dim, noisy photo"),
    "sticky_note": gettext_lazy("Sticky note"),
    "white_ink_transparent": gettext_lazy("White ink, transparent"),
    "number_on_sheet": gettext_lazy("Number on a sheet"),
    "framed": gettext_lazy("In a box, ringed or underlined"),
    "bound_page": gettext_lazy("Notebook or binder page"),
    "pen_beside": gettext_lazy("Pen lying beside the digit"),
    "patterned_table": gettext_lazy("Sheet on a checked or striped cloth"),
    "folded_page": gettext_lazy("Folded page, one part in the shade"),
    "held_sheet": gettext_lazy("Sheet held in the hand, a thumb over its edge"),
    "whole_page": gettext_lazy("Whole page, writing of an ordinary size"),
}


def corpus_results():
    """corpus_results.json as rows per kind of picture plus the overall line, or None."""
    data = _read_json("corpus_results.json")
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        return None
    rows = [{**case, "case": CASE_LABELS.get(case["case"], case["label"])} for case in data["cases"]]
    return {"rows": rows, "overall": data.get("overall"), "n": data.get("n_per_case")}


def queue_state():
    queue = django_rq.get_queue("default")
    workers = Worker.all(queue=queue)
    return {
        "queued": queue.count,
        "started": StartedJobRegistry(queue=queue).count,
        "failed_jobs": FailedJobRegistry(queue=queue).count,
        "workers": len(workers),
        "worker_states": [{"name": w.name, "state": w.get_state()} for w in workers],
    }


def percentile(values, p):
    """The p-th percentile by the nearest-rank method, or None for no values."""
    values = sorted(values)
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def latency(records):
    waits = [1000 * (r["started_at"] - r["created_at"]) for r in records
             if r.get("started_at") is not None and r.get("created_at") is not None]
    work = [r["duration_ms"] for r in records if r.get("duration_ms") is not None]
    return {
        "wait_p50": percentile(waits, 50), "wait_p95": percentile(waits, 95),
        "work_p50": percentile(work, 50), "work_p95": percentile(work, 95),
        "n": len(work),
    }


def per_hour(records, now=None, hours=24):
    """Records created in each of the last `hours` hours, oldest first, in local time."""
    now = timezone.localtime(now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    starts = [now - timedelta(hours=h) for h in range(hours - 1, -1, -1)]
    counts = Counter()
    first = starts[0].timestamp()
    for r in records:
        created = r.get("created_at")
        if created is not None and created >= first:
            counts[int((created - first) // 3600)] += 1
    return [(start.strftime("%H"), counts[n]) for n, start in enumerate(starts)]


def confidence_histogram(records, bins=10):
    counts = [0] * bins
    for r in records:
        if r["status"] == "finished" and r.get("confidence") is not None:
            counts[min(int(r["confidence"] * bins), bins - 1)] += 1
    # Each band is labelled by its lower bound in percent: "90" holds 90% up to 100%.
    step = 100 // bins
    return [(str(n * step), c) for n, c in enumerate(counts)]


def feedback(limit=RECENT):
    """Accuracy on records people gave feedback on, and the pairs the model confuses most.

    A record counts as right when the person's digit equals the predicted one (a "that is
    right" confirmation stores exactly that), wrong otherwise.
    """
    total, records = history.corrected(limit)
    judged = [r for r in records if r.get("digit") is not None and r.get("correction") is not None]
    right = sum(1 for r in judged if r["digit"] == r["correction"])
    pairs = Counter((r["digit"], r["correction"]) for r in judged if r["digit"] != r["correction"])
    return {
        "total": total,
        "judged": len(judged),
        "right": right,
        "wrong": len(judged) - right,
        "accuracy": right / len(judged) if judged else None,
        "confused": [{"predicted": p, "actual": a, "count": n} for (p, a), n in pairs.most_common(5)],
    }


def context():
    counts = history.counts()
    recent = history.recent(RECENT)
    failures = history.page(status="failed", limit=10)[1]
    return {
        "counts": counts,
        "recent_n": len(recent),
        "recent_limit": RECENT,
        "digit_chart": charts.bar_chart(
            [(str(d), n) for d, n in counts["digits"].items()], title=_("Answers per digit")),
        "hour_chart": charts.bar_chart(per_hour(recent), title=_("Predictions per hour, last 24 hours")),
        "confidence_chart": charts.bar_chart(confidence_histogram(recent), title=_("Confidence, in bands of 10%")),
        "latency": latency(recent),
        "queue": queue_state(),
        "failures": failures,
        "feedback": feedback(),
        "model": model_card(),
        "served": served_card(),
        "plots": plots(),
        "baselines": baselines(),
        "corpus": corpus_results(),
    }
