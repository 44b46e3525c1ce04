"""The job-duration histogram: each job is stored in the one bucket it falls in, and /metrics
reports Prometheus' cumulative buckets, whose +Inf bucket is the job count."""
import pytest

from recognizer import history, metrics

from .test_metrics import scrape, value

FINISHED = [{"status": "finished", "number": "7"}]


@pytest.mark.django_db
def test_buckets_are_cumulative_and_end_at_the_count(admin_client):
    for seconds in (0.004, 0.03, 0.03, 0.7, 100.0):
        metrics.observe_job(seconds, FINISHED)

    samples = scrape(admin_client)
    bucket = {le: value(samples, "digits_job_duration_seconds_bucket", le=le)
              for le in ("0.01", "0.025", "0.05", "0.1", "0.5", "1.0", "60.0", "+Inf")}
    assert bucket == {"0.01": 1, "0.025": 1, "0.05": 3, "0.1": 3, "0.5": 3, "1.0": 4, "60.0": 4, "+Inf": 5}
    assert value(samples, "digits_job_duration_seconds_count") == 5
    assert value(samples, "digits_job_duration_seconds_sum") == pytest.approx(100.764)
    assert value(samples, "digits_predictions_total", status="finished", digit="7") == 5


def test_a_job_costs_one_bucket_increment_not_one_per_bucket_above_it():
    metrics.observe_job(0.004, FINISHED)
    stored = history.read_counts()
    assert {name: n for name, n in stored.items() if name.startswith("duration:in:")} == {"duration:in:0.01": 1}
