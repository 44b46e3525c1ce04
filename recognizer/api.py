"""The JSON API, for scripts (`Authorization: Bearer <API_TOKEN>`) and this site's own pages
(session cookie and CSRF token); see recognizer/access.py for who may do what.

  POST /api/predictions            multipart field `image`, one or more files -> 202 (or 200 with
                                   ?wait=N) with the accepted predictions and the `refused` files
                                   (filename, error, code); 400 (or 413) only when none is accepted
  GET  /api/predictions/<id>       one record (reads only: it never changes a record)
  POST /api/predictions/<id>/correction   {"digit": N} or form field digit: what it really shows
  GET  /api/predictions?digit=&status=&date_from=&date_to=&q=&page=&page_size=   newest first;
                                   a visitor's own uploads unless staff or PUBLIC_HISTORY
Errors are always {"error": "..."} with a 4xx/503 status, in the request's language.
"""
import json

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, batching, corrections, history, messages
from .export import iso
from .forms import HistoryFilterForm
from .submit import UploadError, accept, parse_crops, read_files, submit
from .waiting import wait

MAX_PAGE_SIZE = 100


def thumb_url(record):
    """The URL of the worker's PNG thumbnail of a record's picture, or None until it has ended."""
    return reverse("recognizer-thumb", args=[record["id"]]) if record["status"] in ("finished", "failed") else None


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
        "corrected_at": iso(record.get("corrected_at")),
        "created_at": iso(record.get("created_at")),
        "finished_at": iso(record.get("finished_at")),
        "duration_ms": record.get("duration_ms"),
        "image_url": reverse("recognizer-upload", args=[pid]),
        # The worker's PNG thumbnail, once it has read the picture: what a card shows, since a
        # browser cannot show every format accepted (HEIC outside Safari, TIFF).
        "thumb_url": thumb_url(record),
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
        raise UploadError(_("'%(name)s' must be a whole number.") % {"name": name}) from None
    if not low <= number <= high:
        raise UploadError(_("'%(name)s' must be between %(low)d and %(high)d.") % {
            "name": name, "low": low, "high": high})
    return number


@access.api_view
@never_cache
@require_http_methods(["GET", "POST"])
def predictions(request):
    try:
        if request.method == "POST":
            return _create(request)
        return _list(request)
    except UploadError as exc:
        body = {"error": exc.message}
        if exc.refused:
            body["refused"] = exc.refused
        return JsonResponse(body, status=exc.status)


def _create(request):
    if request.content_type != "multipart/form-data":
        raise UploadError(
            _("Send the pictures as multipart/form-data in the field 'image', not as %(type)s.") % {
                "type": request.content_type or _("a body without a content type")}, status=415)
    wait_seconds = _int_param(request, "wait", 0, 0, 3600)
    # Arriving from before the body is parsed: an upload gathering a shared job waits for this one.
    with batching.arriving():
        files = request.FILES.getlist("image")
        crops = parse_crops(request.POST.getlist("crop"), len(files))
        uploads, owner = read_files(files), access.visitor(request, create=True)
        if wait_seconds:
            ids, refused = accept(uploads, owner=owner, crops=crops)
        else:
            records, refused = submit(uploads, owner=owner, crops=crops)
    status = 202
    if wait_seconds:
        records = wait(ids, min(wait_seconds, settings.MAX_WAIT_SECONDS))
        if all(r["status"] in ("finished", "failed") for r in records):
            status = 200
    return JsonResponse({"predictions": [serialize(r) for r in records], "refused": refused}, status=status)


def _list(request):
    form = HistoryFilterForm(request.GET)
    if not form.is_valid():
        raise UploadError(form.first_error())
    page = form.cleaned_data.get("page") or 1
    page_size = _int_param(request, "page_size", settings.HISTORY_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    total, records = history.page(**form.filters(), owner=access.list_owner(request),
                                  offset=(page - 1) * page_size, limit=page_size)
    return JsonResponse({
        "count": total, "page": page, "page_size": page_size,
        "results": [serialize(r) for r in records],
    })


def _not_found():
    return error(_("No prediction with this id."), 404)


@access.api_view
@never_cache
@require_GET
def prediction_detail(request, prediction_id):
    # Reads only: ending a record whose job cannot is the workers' business (reconcile.py).
    record = history.get(prediction_id)
    if record is None:
        return _not_found()
    return JsonResponse(serialize(record))


def _digit_from(request):
    if request.content_type == "application/json":
        try:
            value = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None
        value = value.get("digit") if isinstance(value, dict) else None
    else:
        value = request.POST.get("digit")
    if isinstance(value, bool):
        return None
    try:
        digit = int(value)
    except (TypeError, ValueError):
        return None
    return digit if 0 <= digit <= 9 else None


@access.api_view
@never_cache
@require_POST
def correction(request, prediction_id):
    record = history.get(prediction_id)
    if record is None:
        return _not_found()
    digit = _digit_from(request)
    if digit is None:
        return error(_("Send the digit the picture shows, 0 to 9, as 'digit'."), 400)
    try:
        record = corrections.correct_as(request, record, digit)
    except corrections.CorrectionRefused as exc:
        return error(exc.message, exc.status)
    return JsonResponse(serialize(record))
