"""Request guards and response headers that apply to the whole site.

RequestGuardMiddleware sits first: it refuses oversize bodies before they are read, turns
upload-parsing errors (too many files, a broken multipart body) into a clear 4xx instead of
Django's bare 400 page or a 500, and gives every error under /api/ and /healthz a JSON body
(Django's own 404, 405 and 403 answers are HTML or empty). Who may use the API is decided by
recognizer/access.py, on the API's views.
"""
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _, gettext_noop as N_
from redis.exceptions import ConnectionError, RedisError, TimeoutError

from . import access

log = logging.getLogger(__name__)
MESSAGE = N_("The prediction store is unreachable right now. Please try again in a moment.")
# What a JSON client is told when Django itself answered with an HTML or empty error.
STATUS_MESSAGES = {
    400: N_("The request is not valid."),
    403: N_("This request is not allowed."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not answer this method."),
    413: N_("The request is too large."),
}
# Headers that belong to an error and must survive its JSON rewrite.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")

# Our own pages use no inline script or style, so the policy can forbid both.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
# Django's admin and django-rq's pages carry inline scripts and styles; only staff reach them.
ADMIN_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


def is_api(request):
    """Requests answered in JSON: the API, and the health check that load balancers read."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def refuse(request, message, status):
    if is_api(request):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_many_files():
    return _("Too many files in one request; the limit is %(n)d. Send them in smaller groups.") % {
        "n": settings.MAX_FILES_PER_REQUEST}


def upload_error(exception):
    """(message, status) for an exception raised while Django parses a request body, or None."""
    if isinstance(exception, TooManyFilesSent):
        return _too_many_files(), 400
    if isinstance(exception, TooManyFieldsSent):
        return _("Too many form fields in one request."), 400
    if isinstance(exception, RequestDataTooBig):
        return _("The form fields of this request are too large."), 413
    if isinstance(exception, MultiPartParserError):
        return _("The upload could not be read (a broken multipart/form-data body). Please send it again."), 400
    return None


def as_json_error(response):
    """An HTML or empty error answer rewritten as {"error": ...}, keeping its status."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    message = STATUS_MESSAGES.get(response.status_code, N_("The request could not be answered."))
    rewritten = JsonResponse({"error": _(message)}, status=response.status_code)
    for name in KEPT_HEADERS:
        if name in response:
            rewritten[name] = response[name]
    return rewritten


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.guard(request)
        if is_api(request):
            response = as_json_error(response)
        access.remember_visitor(request, response)
        return response

    def guard(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(request, _("The Content-Length header is not a number."), 400)
        if length > settings.MAX_REQUEST_BYTES:
            return refuse(request, _("The request is %(size).1f MB; the limit is %(limit)g MB per request.") % {
                "size": length / (1024 * 1024), "limit": settings.MAX_REQUEST_BYTES / (1024 * 1024)}, 413)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            # Parse here, before the CSRF check does, so that parse errors get our answer.
            try:
                request.FILES
            except Exception as exc:
                found = upload_error(exc)
                if found is None:
                    raise
                return refuse(request, *found)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN_CSP if request.path.startswith("/admin/") else CSP
        response.setdefault("Content-Security-Policy", policy)
        return response


class RedisUnavailableMiddleware:
    """Turn an unreachable Redis into a 503 with a message, not a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RedisError):
            return None
        if not isinstance(exception, (ConnectionError, TimeoutError)):
            # Redis answered but refused: a demoted master after a failover (READONLY), a server
            # that will not persist (MISCONF), protected mode (DENIED). Still the store being
            # away for the person, and still worth a traceback for the operator.
            log.error("Redis refused a request: %s", exception, exc_info=exception)
        if is_api(request):
            response = JsonResponse({"error": _(MESSAGE)}, status=503)
        else:
            response = render(request, "recognizer/unavailable.html", {"message": _(MESSAGE)}, status=503)
        response["Retry-After"] = "5"
        return response
