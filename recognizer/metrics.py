"""/metrics in Prometheus' text format, for staff or a scraper holding METRICS_TOKEN.

Several gunicorn processes on several hosts answer scrapes, so nothing is counted in process
memory: counters are kept in Redis (history.add_counts) by whichever process saw the event, and
one collector reads them, with the queue and worker gauges, at scrape time.
"""
import hmac

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from . import history

# Seconds a recognition job takes, with the jobs it took from behind it (coalesce.py): one
# picture is tens of milliseconds, a batch or a cold model more.
DURATION_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# A job is counted in the one bucket it falls in (Prometheus' buckets are cumulative: they are
# summed when scraped), so that it costs one increment, not one per bucket it is under.
# Named apart from the cumulative fields kept before, which are left alone.
_BUCKET = "duration:in:{}"
_SUM = "duration:sum"


def _bucket(seconds):
    return next((bound for bound in DURATION_BUCKETS if seconds <= bound), "+Inf")


def _digit_label(outcome):
    number = outcome.get("number")
    if outcome.get("status") != "finished" or not number:
        return ""
    return number if len(number) == 1 else "several"


# `pipeline`: the Redis pipeline that records the event itself, so that counting it costs no
# round trip of its own (and is counted exactly when the event is written).


def count_uploads(n, pipeline=None):
    """`n` pictures were accepted and queued."""
    history.add_counts({"uploads": n}, pipeline)


def observe_job(seconds, outcomes, pipeline=None):
    """A recognition job ran for `seconds` and ended its records with `outcomes` (one dict each,
    with `status`, and `number` or `code`)."""
    fields = {_BUCKET.format(_bucket(seconds)): 1, _SUM: float(seconds)}
    for outcome in outcomes:
        key = f"predictions:{outcome['status']}:{_digit_label(outcome)}"
        fields[key] = fields.get(key, 0) + 1
        if outcome["status"] == "failed":
            reason = f"failures:{outcome.get('code') or 'unknown'}"
            fields[reason] = fields.get(reason, 0) + 1
    history.add_counts(fields, pipeline)


def count_failures(code, n):
    """`n` records were ended by a failure of the job itself (time-out, lost worker, error)."""
    history.add_counts({"predictions:failed:": n, f"failures:{code or 'unknown'}": n})


class Collector:
    """Reads every value from Redis when Prometheus scrapes."""

    def collect(self):
        import django_rq
        from rq import Worker
        from rq.registry import FailedJobRegistry, StartedJobRegistry

        counts = history.read_counts()
        uploads = CounterMetricFamily("digits_uploads", "Pictures accepted and queued for recognition.")
        uploads.add_metric([], counts.get("uploads", 0))
        yield uploads

        predictions = CounterMetricFamily("digits_predictions", "Records ended by a recognition job.",
                                          labels=["status", "digit"])
        failures = CounterMetricFamily("digits_failures", "Failed records by reason code.", labels=["reason"])
        for name, value in sorted(counts.items()):
            kind, _, rest = name.partition(":")
            if kind == "predictions":
                status, _, digit = rest.partition(":")
                predictions.add_metric([status, digit], value)
            elif kind == "failures":
                failures.add_metric([rest], value)
        yield predictions
        yield failures

        buckets, below = [], 0
        for bound in DURATION_BUCKETS + ("+Inf",):
            below += counts.get(_BUCKET.format(bound), 0)
            buckets.append((str(bound), below))
        yield HistogramMetricFamily("digits_job_duration_seconds",
                                    "Time a worker's recognition job took, with the jobs it took from behind it.",
                                    buckets=buckets, sum_value=counts.get(_SUM, 0))

        queue = django_rq.get_queue("default")
        gauges = [
            ("digits_queue_length", "Jobs waiting in the queue.", queue.count),
            ("digits_jobs_running", "Jobs being worked on.", StartedJobRegistry(queue=queue).count),
            ("digits_jobs_failed", "Jobs in RQ's failed-job registry.", FailedJobRegistry(queue=queue).count),
            ("digits_workers", "Workers alive (registered and beating).",
             Worker.count(connection=queue.connection)),
        ]
        for name, text, value in gauges:
            gauge = GaugeMetricFamily(name, text)
            gauge.add_metric([], value)
            yield gauge

        stored = history.counts()
        records = GaugeMetricFamily("digits_history_records", "Records kept in the history, by status.",
                                    labels=["status"])
        for status, value in stored["status"].items():
            records.add_metric([status], value)
        yield records


def _allowed(request):
    if request.user.is_active and request.user.is_staff:
        return True
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return bool(settings.METRICS_TOKEN) and scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.METRICS_TOKEN.encode())


@never_cache
@require_GET
def view(request):
    if not _allowed(request):
        return HttpResponse("Metrics are for staff, or a scraper with the METRICS_TOKEN bearer token.\n",
                            status=403, content_type="text/plain; charset=utf-8")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
