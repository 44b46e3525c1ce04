"""WSGI entry point (gunicorn mnistsite.wsgi)."""
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mnistsite.settings")
application = get_wsgi_application()


def _require_secret_key():
    """The web signs sessions and CSRF tokens: refuse to start without a key, not at the first
    request (workers and commands start without one; see settings._secret_key)."""
    from django.conf import settings

    try:
        settings.SECRET_KEY
    except ImproperlyConfigured:
        raise ImproperlyConfigured(settings.SECRET_KEY_MISSING) from None


_require_secret_key()
