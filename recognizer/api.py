"""The JSON API. CSRF-exempt on purpose: it is called by scripts (curl), not by logged-in pages.

  POST /api/predictions            multipart field `image`, one or more files -> 202 (or 200 with ?wait=N)
  GET  /api/predictions/<id>       one record
  GET  /api/predictions?digit=&status=&date_from=&date_to=&q=&page=&page_size=   newest first
  GET  /healthz                    200 when Redis answers, 503 otherwise (for load balancers)
Errors are always {"error": "..."} with a 4xx/503 status.
"""
from datetime import datetime, timezone

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import history, messages, reconcile
from .forms import HistoryFilterForm
from .submit import UploadError, read_files, submit
from .waiting import wait

MAX_PAGE_SIZE = 100


def _iso(timestamp):
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def serialize(record):
    pid = record["id"]
    return {
        "id": pid,
        "url": reverse("recognizer-api-detail", args=[pid]),
        "page": reverse("recognizer-result", args=[pid]),
        "filename": record.get("filename"),
        "status": record["status"],
        "digit": record.get("digit"),
        "number": record.get("number"),
        "confidence": record.get("confidence"),
        "low_confidence": record.get("low_confidence", False),
        "probabilities": record.get("probabilities"),
        "digits": record.get("digits") or [],
        # The reason in the request's language, from the stored code; `error_code` for scripts.
        "error": messages.of_record(record) if record["status"] == "failed" else None,
        "error_code": record.get("error_code"),
        "nothing_found": messages.nothing_found(record.get("error_code")),
        "hint": record.get("hint"),
        "hint_text": messages.hint(record.get("hint") or ("low_confidence" if record.get("low_confidence") else "")),
        "correction": record.get("correction"),
        "created_at": _iso(record.get("created_at")),
        "finished_at": _iso(record.get("finished_at")),
        "duration_ms": record.get("duration_ms"),
        "image_url": reverse("recognizer-upload", args=[pid]),
        "input_url": reverse("recognizer-input", args=[pid]) if record["status"] == "finished" else None,
        "explain_url": reverse("recognizer-explain", args=[pid]) if record["status"] == "finished" else None,
    }


def error(message, status):
    return JsonResponse({"error": message}, status=status)


def _int_param(request, name, default, low, high):
    value = request.GET.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise UploadError(f"'{name}' must be a whole number.") from None
    if not low <= number <= high:
        raise UploadError(f"'{name}' must be between {low} and {high}.")
    return number


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def predictions(request):
    try:
        if request.method == "POST":
            return _create(request)
        return _list(request)
    except UploadError as exc:
        return error(exc.message, exc.status)


def _create(request):
    if request.content_type != "multipart/form-data":
        raise UploadError(
            f"Send the pictures as multipart/form-data in the field 'image', not as "
            f"{request.content_type or 'a body without a content type'}.", status=415)
    wait_seconds = _int_param(request, "wait", 0, 0, 3600)
    records = submit(read_files(request.FILES.getlist("image")))
    if wait_seconds:
        records = wait([r["id"] for r in records], min(wait_seconds, settings.MAX_WAIT_SECONDS))
        done = all(r["status"] in ("finished", "failed") for r in records)
        return JsonResponse({"predictions": [serialize(r) for r in records]}, status=200 if done else 202)
    return JsonResponse({"predictions": [serialize(r) for r in records]}, status=202)


def _list(request):
    form = HistoryFilterForm(request.GET)
    if not form.is_valid():
        raise UploadError(form.first_error())
    page = form.cleaned_data.get("page") or 1
    page_size = _int_param(request, "page_size", settings.HISTORY_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    total, records = history.page(**form.filters(), offset=(page - 1) * page_size, limit=page_size)
    return JsonResponse({
        "count": total, "page": page, "page_size": page_size,
        "results": [serialize(r) for r in records],
    })


@never_cache
@require_GET
def prediction_detail(request, prediction_id):
    record = history.get(prediction_id)
    if record is None:
        return error("No prediction with this id.", 404)
    records = reconcile.refresh([record])
    if not records:
        return error("No prediction with this id.", 404)
    return JsonResponse(serialize(records[0]))


@never_cache
@require_GET
def healthz(request):
    # A Redis error here becomes the 503 of RedisUnavailableMiddleware.
    history.connection().ping()
    return JsonResponse({"status": "ok"})
