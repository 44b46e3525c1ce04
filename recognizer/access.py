"""Who may do what: the API token, a visitor's own uploads, staff.

A visitor is a browser: its first upload gives it a random key in a signed cookie (no database
row per visitor), and every record remembers the key of the browser that uploaded it. Lists show a visitor only their own
uploads (staff see everything; PUBLIC_HISTORY=1 shows everyone everything), and only the
uploader or staff may correct an answer. A single prediction stays reachable by its link: ids
carry 128 random bits.

The JSON API, with API_TOKEN set, answers scripts that send `Authorization: Bearer <token>`
and this site's own pages, which send the visitor (or login session) cookie and Django's CSRF
token. No other
request header stands in for either: Origin, Referer and Sec-Fetch-Site are set by whoever
writes the request.
"""
import hmac
import re
import secrets
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

VISITOR_COOKIE = "visitor"
VISITOR_SALT = "recognizer.access.visitor"
VISITOR_PATTERN = re.compile(r"[0-9a-f]{32}")
# The owner of uploads made with the API token: every holder of the token is the same client.
TOKEN_OWNER = "api-token"
# Owns nothing: the list owner of a visitor who has uploaded nothing yet.
NOBODY = "-"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _authorization(request):
    """'valid', 'invalid' or None (no Authorization header, or no API_TOKEN configured)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not settings.API_TOKEN or not header:
        return None
    scheme, _sep, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return "invalid"
    return "valid" if hmac.compare_digest(token.encode(), settings.API_TOKEN.encode()) else "invalid"


def is_staff(request):
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


def holds_token(request):
    return getattr(request, "api_token", False)


def visitor(request, *, create=False):
    """The key of this request's visitor (their session, or the API token), or None.

    With `create`, a browser without one gets one (the session cookie then carries it).
    """
    if holds_token(request):
        return TOKEN_OWNER
    key = getattr(request, "new_visitor", None) or request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_SALT)
    if key is not None and not VISITOR_PATTERN.fullmatch(key):
        key = None
    if key is None and create:
        key = request.new_visitor = secrets.token_hex(16)  # the middleware sets the cookie
    return key


def remember_visitor(request, response):
    """Give a browser that just became a visitor its cookie (called by the middleware)."""
    key = getattr(request, "new_visitor", None)
    if key:
        response.set_signed_cookie(
            VISITOR_COOKIE, key, salt=VISITOR_SALT, max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")


def list_owner(request):
    """The owner whose uploads the lists may show this request, or None for everyone's."""
    if settings.PUBLIC_HISTORY or is_staff(request):
        return None
    return visitor(request) or NOBODY


def may_correct(request, record):
    """Only the uploader (their browser session, or a holder of the API token for uploads made
    with it) or staff may say what a picture really shows."""
    if is_staff(request):
        return True
    owner = record.get("owner")
    return bool(owner) and visitor(request) == owner


def who(request):
    """Who acts, as recorded beside a correction and counted by rate limits."""
    if is_staff(request):
        return f"staff:{request.user.get_username()}"
    if holds_token(request):
        return TOKEN_OWNER
    return f"visitor:{visitor(request) or 'anonymous'}"


def _csrf_passes(request):
    def checked(request):  # a view that is not csrf_exempt, so the check runs
        return None
    return CsrfViewMiddleware(checked).process_view(request, checked, (), {}) is None


def _refuse(message, status):
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _needs_token():
    return _refuse(_("This API needs a token: send 'Authorization: Bearer <token>'."), 401)


def api_view(view):
    """The API's door: a valid bearer token, or this site's own page (its cookie + CSRF token).

    Without API_TOKEN the API is open to scripts too; a request that carries the site's visitor
    or login cookie must still pass the CSRF check, so no other site can act in a visitor's name.
    A wrong token is refused even beside a good cookie.
    """
    @wraps(view)
    def guarded(request, *args, **kwargs):
        state = _authorization(request)
        if state == "invalid":
            return _needs_token()
        if state == "valid":
            request.api_token = True
            return view(request, *args, **kwargs)
        has_session = any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, VISITOR_COOKIE))
        if request.method not in SAFE_METHODS and (has_session or settings.API_TOKEN):
            if not _csrf_passes(request):
                if settings.API_TOKEN:
                    return _needs_token()
                return _refuse(_("This request lacks the page's CSRF token; reload the page and try "
                                 "again."), 403)
        elif request.method in SAFE_METHODS and settings.API_TOKEN:
            # The site's pages read the API after an upload made their browser a visitor.
            if visitor(request) is None and not is_staff(request):
                return _needs_token()
        return view(request, *args, **kwargs)
    return csrf_exempt(guarded)
