"""The dashboard's statistics: feedback accuracy, confused pairs, latency, charts, model card."""
import json

import pytest
from django.conf import settings
from django.utils import timezone

from recognizer import dashboard, history

from .records import make_record


def test_it_computes_accuracy_and_confused_pairs_from_feedback():
    for predicted, actual in [(1, 1), (1, 7), (1, 7), (4, 9), (5, 5)]:
        history.set_correction(make_record(digit=predicted), actual)
    make_record(digit=2)
    feedback = dashboard.feedback()
    assert (feedback["judged"], feedback["right"], feedback["wrong"]) == (5, 2, 3)
    assert feedback["accuracy"] == pytest.approx(0.4)
    assert feedback["confused"][0] == {"predicted": 1, "actual": 7, "count": 2}


def test_it_computes_latency_percentiles():
    records = [{"created_at": 0.0, "started_at": n / 1000, "duration_ms": float(n)} for n in range(1, 101)]
    latency = dashboard.latency(records)
    assert latency["wait_p50"] == pytest.approx(50) and latency["wait_p95"] == pytest.approx(95)
    assert latency["work_p50"] == 50 and latency["work_p95"] == 95


def test_it_counts_predictions_per_hour_and_confidence_band():
    # Half past the hour, so "a minute ago" is in the current hour whenever the test runs.
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    make_record(digit=1, confidence=0.95, created_at=now.timestamp() - 60)
    make_record(digit=1, confidence=0.42, created_at=now.timestamp() - 3 * 3600)
    recent = history.recent()
    hours = dashboard.per_hour(recent, now=now)
    assert len(hours) == 24 and sum(n for _, n in hours) == 2 and hours[-1][1] == 1
    bands = dict(dashboard.confidence_histogram(recent))
    assert bands["90"] == 1 and bands["40"] == 1


@pytest.mark.django_db
def test_the_page_shows_feedback_failures_and_the_model_card(admin_client):
    history.set_correction(make_record("w.png", digit=3), 8)
    history.set_correction(make_record("r.png", digit=3), 3)
    make_record("bad.png", status="failed", error="No digit found in the picture")
    page = admin_client.get("/dashboard/").content.decode()
    assert 'id="feedback-accuracy">50.0%<' in page
    assert "No digit found in the picture" in page
    assert "/admin/django_rq/dashboard/queues/0/failed/" in page
    # The shipped model card is in the repository, so the page must show its accuracy.
    shipped = json.loads((settings.BASE_DIR / "ml" / "artifacts" / "metrics.json").read_text())
    assert f'id="model-accuracy">{100 * shipped["test_accuracy"]:.2f}%<' in page
    assert page.count("<svg") >= 3 and "style=" not in page
