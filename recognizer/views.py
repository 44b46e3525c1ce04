"""The pages people see. Thin: the work happens in submit.py, history.py and the worker."""
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import dashboard, history, storage
from .forms import HistoryFilterForm, UploadForm
from .submit import UploadError, read_files, submit


@require_http_methods(["GET", "POST"])
def index(request):
    form = UploadForm()
    if request.method == "POST":
        try:
            records = submit(read_files(request.FILES.getlist("image")))
        except UploadError as exc:
            messages.error(request, exc.message)
            return render(request, "recognizer/index.html", {"form": form}, status=exc.status)
        if len(records) == 1:
            return redirect("recognizer-result", records[0]["id"])
        ids = ",".join(r["id"] for r in records)
        return redirect(f"{reverse('recognizer-results')}?ids={ids}")
    return render(request, "recognizer/index.html", {"form": form})


def _record_or_404(prediction_id):
    record = history.get(prediction_id)
    if record is None:
        raise Http404("No prediction with this id.")
    return record


@never_cache
@require_GET
def result(request, prediction_id):
    record = _record_or_404(prediction_id)
    return render(request, "recognizer/result.html", {"record": record, "records": [record]})


@never_cache
@require_GET
def results(request):
    ids = [i for i in request.GET.get("ids", "").split(",") if i][: settings.MAX_FILES_PER_REQUEST]
    records = history.get_many(ids)
    if not records:
        raise Http404("No predictions with these ids.")
    return render(request, "recognizer/results.html", {"records": records})


@never_cache
@require_GET
def history_page(request):
    form = HistoryFilterForm(request.GET)
    if form.is_valid():
        filters, page_number = form.filters(), form.cleaned_data.get("page") or 1
    else:
        filters, page_number = {"digit": None, "status": None}, 1
    size = settings.HISTORY_PAGE_SIZE
    total, records = history.page(**filters, offset=(page_number - 1) * size, limit=size)
    # The Paginator only draws the page links; the records come from Redis one page at a time.
    paginator = Paginator(range(total), size)
    page = paginator.get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "recognizer/history.html", {
        "form": form, "records": records, "page": page, "total": total,
        "query": query.urlencode(),
    })


def _image_response(data, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def upload_file(request, prediction_id):
    record = _record_or_404(prediction_id)
    path = storage.path(record.get("stored"))
    if path is None or not path.exists():
        raise Http404("The uploaded file is no longer stored.")
    response = FileResponse(path.open("rb"), content_type=record["content_type"])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def thumb(request, prediction_id):
    data = history.image(prediction_id, "thumb")
    if data is None:
        raise Http404("No thumbnail yet.")
    return _image_response(data, "image/png")


@require_GET
def model_input(request, prediction_id):
    data = history.image(prediction_id, "input")
    if data is None:
        raise Http404("Not recognised yet.")
    return _image_response(data, "image/png")


@staff_member_required
@never_cache
def dashboard_page(request):
    return render(request, "recognizer/dashboard.html", dashboard.context())
