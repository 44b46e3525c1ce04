"""The pages people see. Thin: the work happens in submit.py, history.py and the worker."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import (access, corrections, dashboard, deletion, export, heatmaps, history, live, messages as reasons,
               storage)
from .forms import CorrectionForm, HistoryFilterForm, UploadForm
from .submit import UploadError, read_files, submit

NO_FILTERS = {"digit": None, "status": None, "since": None, "until": None, "q": None}


def _upload_context(form):
    return {"form": form, "max_mb": settings.MAX_UPLOAD_BYTES / (1024 * 1024),
            "max_bytes": settings.MAX_UPLOAD_BYTES, "max_files": settings.MAX_FILES_PER_REQUEST,
            "digits": range(10), "public_history": settings.PUBLIC_HISTORY}


@require_http_methods(["GET", "POST"])
def index(request):
    form = UploadForm()
    if request.method == "POST":
        try:
            records, refused = submit(read_files(request.FILES.getlist("image")),
                                      owner=access.visitor(request, create=True))
        except UploadError as exc:
            for line in ([f"{r['filename']}: {r['error']}" for r in exc.refused] or [exc.message]):
                messages.error(request, line)
            return render(request, "recognizer/index.html", _upload_context(form), status=exc.status)
        # The good files are queued; each refused one says why on the next page.
        for r in refused:
            messages.error(request, f"{r['filename']}: {r['error']}")
        if len(records) == 1:
            return redirect("recognizer-result", records[0]["id"])
        ids = ",".join(r["id"] for r in records)
        return redirect(f"{reverse('recognizer-results')}?ids={ids}")
    return render(request, "recognizer/index.html", _upload_context(form))


def _record_or_404(prediction_id):
    record = history.get(prediction_id)
    if record is None:
        raise Http404("No prediction with this id.")
    return record


@never_cache
@require_GET
def result(request, prediction_id):
    record = _record_or_404(prediction_id)
    return render(request, "recognizer/result.html", {
        "record": record, "records": [record], "correction_form": CorrectionForm(),
        # Only the uploader or staff may correct (corrections.authorize); others see no form.
        "can_correct": access.may_correct(request, record),
        # Asked for here, never waited on: the page's script shows it once a worker has drawn it.
        "heat_map": heatmaps.state(record["id"]) if record["status"] == "finished" else None,
    })


@never_cache
@require_GET
def results(request):
    ids = [i for i in request.GET.get("ids", "").split(",") if i][: settings.MAX_FILES_PER_REQUEST]
    records = history.get_many(ids)
    if not records:
        raise Http404("No predictions with these ids.")
    pending = any(r["status"] in ("queued", "started") for r in records)
    return render(request, "recognizer/results.html", {"records": records, "pending": pending})


@require_POST
def correct(request, prediction_id):
    record = _record_or_404(prediction_id)
    try:
        corrections.authorize(request, record)
    except corrections.CorrectionRefused as exc:
        messages.error(request, exc.message)
        return redirect("recognizer-result", record["id"])
    if "number" in request.POST:
        return _correct_number(request, record)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            corrections.correct(record["id"], form.cleaned_data["digit"], by=access.who(request))
        except corrections.CorrectionRefused:
            messages.error(request, _("Only a finished prediction can be corrected."))
        else:
            messages.success(request, _("Thank you: your answer is saved and helps the model learn."))
    else:
        messages.error(request, _("Choose the digit the picture shows."))
    return redirect("recognizer-result", record["id"])


def _correct_number(request, record):
    """A number's correction: the whole number, typed."""
    try:
        corrections.correct_number(record["id"], request.POST["number"], by=access.who(request))
    except corrections.CorrectionRefused:
        if record["status"] != "finished":
            messages.error(request, _("Only a finished prediction can be corrected."))
        else:
            messages.error(request, _("Type the number the picture shows, with digits only."))
    else:
        messages.success(request, _("Thank you: your answer is saved and helps the model learn."))
    return redirect("recognizer-result", record["id"])


def _filters(request):
    """(form, history filters, page number) from the query string; bad values filter nothing."""
    form = HistoryFilterForm(request.GET)
    if form.is_valid():
        return form, form.filters(), form.cleaned_data.get("page") or 1
    return form, dict(NO_FILTERS), 1


@never_cache
@require_GET
def history_page(request):
    form, filters, page_number = _filters(request)
    size = settings.HISTORY_PAGE_SIZE
    # Lists show a visitor their own uploads only (access.list_owner).
    owner = access.list_owner(request)
    total, records = history.page(**filters, owner=owner, offset=(page_number - 1) * size, limit=size)
    # The Paginator only draws the page links; the records come from Redis one page at a time.
    paginator = Paginator(range(total), size)
    page = paginator.get_page(page_number)
    if page.number != page_number:
        # Past the end: show the last page (its records, not an empty page labelled as it).
        total, records = history.page(**filters, owner=owner, offset=(page.number - 1) * size, limit=size)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "recognizer/history.html", {
        "form": form, "records": records, "page": page, "total": total,
        "query": query.urlencode(), "filtered": any(v is not None for v in filters.values()),
    }, status=200 if form.is_valid() else 400)


@never_cache
@require_GET
def history_export(request, fmt):
    form, filters, _page = _filters(request)
    if not form.is_valid():
        return HttpResponse(form.first_error(), status=400, content_type="text/plain; charset=utf-8")
    # The first rows are read here, so an unreachable Redis is a 503 rather than a cut download.
    records = export.records(filters, owner=access.list_owner(request))
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(records), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(export.json_chunks(records), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="predictions.{fmt}"'
    return response


@staff_member_required
@never_cache
@require_http_methods(["GET", "POST"])
def history_delete(request):
    """Delete every record matching the filters, after a confirmation page."""
    form, filters, _page = _filters(request)
    if request.method == "POST":
        form = HistoryFilterForm(request.POST)
        filters = form.filters() if form.is_valid() else None
        if filters is None:
            messages.error(request, _("The selection is not valid; nothing was deleted."))
            return redirect("recognizer-history")
        removed = deletion.delete(list(history.iter_ids(**filters)))
        messages.success(request, ngettext("Deleted %(n)d prediction.", "Deleted %(n)d predictions.",
                                           removed) % {"n": removed})
        return redirect("recognizer-history")
    total, sample = history.page(**filters, limit=5)
    return render(request, "recognizer/confirm_delete.html", {
        "form": form, "total": total, "sample": sample, "filtered": any(v is not None for v in filters.values()),
    })


@staff_member_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_one(request, prediction_id):
    record = _record_or_404(prediction_id)
    if request.method == "POST":
        deletion.delete([record["id"]])
        messages.success(request, _("The prediction and its pictures are deleted."))
        return redirect("recognizer-history")
    return render(request, "recognizer/confirm_delete.html", {"record": record, "total": 1, "sample": [record]})


def _image_response(data, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def upload_file(request, prediction_id):
    record = _record_or_404(prediction_id)
    # Read through the storage, so any web host serves any picture (local disk or S3).
    stored = storage.open(record.get("stored"))
    if stored is None:
        raise Http404("The uploaded file is no longer stored.")
    response = FileResponse(stored, content_type=record["content_type"])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


MISSING_IMAGE = {"thumb": "No thumbnail yet.", "input": "Not recognised yet.",
                 "explain": "No heat map can be drawn: the prediction is not recognised, or gone."}


def _heat_map_drawing():
    """202 for a heat map a worker is drawing: the client asks again after Retry-After."""
    response = JsonResponse({"status": "drawing",
                             "message": _("The heat map is being drawn. Ask again in a moment.")}, status=202)
    response["Retry-After"] = str(heatmaps.RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


@require_GET
def stored_image(request, prediction_id, kind):
    """The upload's thumbnail, the 28x28 input the model saw or its heat map, PNGs kept in Redis."""
    data = history.image(prediction_id, kind)
    if data is None and kind == "explain" and heatmaps.ask(prediction_id):
        return _heat_map_drawing()  # drawn the first time someone asks; never waited on here
    if data is None:
        raise Http404(MISSING_IMAGE[kind])
    return _image_response(data, "image/png")


@never_cache
@require_POST
def live_guess(request):
    """The worker's guess for a drawing in progress (JSON); nothing is written to the history."""
    upload = request.FILES.get("image")
    if upload is None or upload.size > settings.MAX_UPLOAD_BYTES:
        return JsonResponse({"error": reasons.reason("empty" if upload is None else "file_too_large",
                                                     size_mb=(upload.size if upload else 0) / 1048576,
                                                     limit_mb=settings.MAX_UPLOAD_BYTES / 1048576)},
                            status=400 if upload is None else 413)
    try:
        return JsonResponse(live.guess(upload.read()))
    except live.LiveError as exc:
        return JsonResponse({"error": exc.message, "code": exc.code}, status=exc.status)


@staff_member_required
@never_cache
def dashboard_page(request):
    return render(request, "recognizer/dashboard.html", dashboard.context())


@staff_member_required
@require_GET
def model_plot(request, name):
    path = dashboard.plot_path(name)
    if path is None:
        raise Http404("No such plot.")
    return _image_response(path.read_bytes(), "image/png")
