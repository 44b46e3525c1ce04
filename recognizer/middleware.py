"""Request guards and response headers that apply to the whole site.

RequestGuardMiddleware sits first: it refuses oversize bodies before they are read, holds the
JSON API to its token when API_TOKEN is set, and turns upload-parsing errors (too many files,
a broken multipart body) into a clear 4xx instead of Django's bare 400 page or a 500.
"""
import hmac

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from redis.exceptions import ConnectionError, TimeoutError

MESSAGE = "The prediction store is unreachable right now. Please try again in a moment."

# Our own pages use no inline script or style, so the policy can forbid both.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
# Django's admin and django-rq's pages carry inline scripts and styles; only staff reach them.
ADMIN_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


def is_api(request):
    return request.path.startswith("/api/")


def refuse(request, message, status):
    if is_api(request):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_many_files():
    return (f"Too many files in one request; the limit is {settings.MAX_FILES_PER_REQUEST}. "
            "Send them in smaller groups.")


def upload_error(exception):
    """(message, status) for an exception raised while Django parses a request body, or None."""
    if isinstance(exception, TooManyFilesSent):
        return _too_many_files(), 400
    if isinstance(exception, TooManyFieldsSent):
        return "Too many form fields in one request.", 400
    if isinstance(exception, RequestDataTooBig):
        return "The form fields of this request are too large.", 413
    if isinstance(exception, MultiPartParserError):
        return "The upload could not be read (a broken multipart/form-data body). Please send it again.", 400
    return None


def _bearer_token(request):
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _same_origin_browser(request):
    """A request made by this site's own pages: browsers label them, other sites cannot."""
    if request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin":
        return True
    origin = request.META.get("HTTP_ORIGIN")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


def api_allowed(request):
    if not settings.API_TOKEN or not is_api(request):
        return True
    token = _bearer_token(request)
    if token:
        return hmac.compare_digest(token.encode(), settings.API_TOKEN.encode())
    return _same_origin_browser(request)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(request, "The Content-Length header is not a number.", 400)
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES / (1024 * 1024)
            return refuse(request, f"The request is {length / (1024 * 1024):.1f} MB; the limit is "
                                   f"{limit_mb:g} MB per request.", 413)
        if not api_allowed(request):
            response = refuse(request, "This API needs a token: send 'Authorization: Bearer <token>'.", 401)
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
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
        if not isinstance(exception, (ConnectionError, TimeoutError)):
            return None
        if is_api(request):
            response = JsonResponse({"error": MESSAGE}, status=503)
        else:
            response = render(request, "recognizer/unavailable.html", {"message": MESSAGE}, status=503)
        response["Retry-After"] = "5"
        return response
