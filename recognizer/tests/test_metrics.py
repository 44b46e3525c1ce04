"""/metrics serves Prometheus' text format to staff and to a scraper with METRICS_TOKEN, to no one
else; what a worker process counts is what any web process reports (the counters live in Redis)."""
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from prometheus_client.parser import text_string_to_metric_families

from recognizer import history

from .records import png

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


@pytest.mark.django_db
def test_it_refuses_anyone_but_staff_or_the_token_holder(client, settings):
    settings.METRICS_TOKEN = "scrape-token-for-tests"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    User.objects.create_user("visitor", password="a long pass phrase")
    client.login(username="visitor", password="a long pass phrase")
    assert client.get("/metrics").status_code == 403
    client.logout()
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token-for-tests") is not None


@pytest.mark.django_db
def test_no_token_is_accepted_when_none_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.django_db
def test_it_reports_what_the_web_and_a_worker_process_counted(admin_client, digit_images, start_worker):
    for d in (3, 3, 5):
        response = admin_client.post("/api/predictions", {"image": SimpleUploadedFile(f"{d}.png", digit_images[d])})
        assert response.status_code == 202, response.content
    blank = admin_client.post("/api/predictions", {"image": SimpleUploadedFile("blank.png", png((64, 64), 255))})
    assert blank.status_code == 202, blank.content

    before = scrape(admin_client)
    assert value(before, "digits_uploads_total") == 4
    assert value(before, "digits_queue_length") == 4
    assert value(before, "digits_workers") == 0

    start_worker()
    deadline = time.monotonic() + 120
    while history.counts()["status"]["queued"] or history.counts()["status"]["started"]:
        assert time.monotonic() < deadline, history.counts()
        time.sleep(0.1)

    after = scrape(admin_client)
    [failed] = [r for r in history.recent(10) if r["status"] == "failed"]
    assert value(after, "digits_predictions_total", status="finished", digit="3") == 2
    assert value(after, "digits_predictions_total", status="finished", digit="5") == 1
    assert value(after, "digits_predictions_total", status="failed", digit="") == 1
    assert value(after, "digits_failures_total", reason=failed["error_code"]) == 1
    # The worker found the four jobs waiting: the first took the three behind it (coalesce.py),
    # so one recognition job ran, one duration.
    assert value(after, "digits_job_duration_seconds_count") == 1
    assert value(after, "digits_job_duration_seconds_bucket", le="+Inf") == 1
    assert value(after, "digits_job_duration_seconds_sum") > 0
    assert value(after, "digits_queue_length") == 0
    assert value(after, "digits_workers") == 1
    assert value(after, "digits_history_records", status="finished") == 3
