"""Settings, all read from the environment here and nowhere else.

One file for every environment (as healthchecks does): production is the default, `DEBUG=1`
relaxes it for development. Each helper fails loudly on a value it cannot parse.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import redis
from redis.sentinel import Sentinel

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envsecret(name, default=""):
    """A secret from `NAME_FILE` (a path, as Kubernetes and Docker mount secrets) or from `NAME`."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.strerror}.") from None
    return os.environ.get(name) or default


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# Everything the app writes (SQLite, uploads, the embedded Redis' files) lives under DATA_DIR.
DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / ".data")


def _secret_key():
    if envsecret("SECRET_KEY"):
        return envsecret("SECRET_KEY")
    # `make run` writes a random key here on first start, so a local install needs no setup.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        return "insecure-development-key-only-for-debug"
    # Workers and commands such as `predict` sign nothing, so they start without a key (Django
    # raises only when something signs); the web's entry point refuses to start (wsgi.py).
    return ""


SECRET_KEY_MISSING = "Set SECRET_KEY in the environment (a long random string), or DEBUG=1 for development."
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# --- HTTPS ---
# HTTPS=1 where the site is served over TLS (directly or behind a proxy): secure cookies,
# redirect to https and HSTS. Off by default so `make run` on http://127.0.0.1 keeps working.
HTTPS = envbool("HTTPS", False)
if envbool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# When set, /api/* answers only requests with `Authorization: Bearer <API_TOKEN>`, or this
# site's own pages (session cookie and CSRF token); see recognizer/access.py.
API_TOKEN = envsecret("API_TOKEN")
# Lists (history, list API, exports) show each visitor only their own uploads unless this is on.
PUBLIC_HISTORY = envbool("PUBLIC_HISTORY", False)
# Corrections one browser session (or the API token) may make per hour.
CORRECTIONS_PER_HOUR = envint("CORRECTIONS_PER_HOUR", 60)
# /metrics answers staff, and scrapers sending `Authorization: Bearer <METRICS_TOKEN>` when set.
METRICS_TOKEN = envsecret("METRICS_TOKEN")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_rq",
    # Login throttling (django-axes): too many wrong passwords lock the username and address out.
    "axes",
    "recognizer",
]

MIDDLEWARE = [
    "recognizer.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "recognizer.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recognizer.middleware.RedisUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "recognizer.logins.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many wrong passwords for one username from one address, logins are refused (even
# with the right password) for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "mnistsite.urls"
WSGI_APPLICATION = "mnistsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The database holds only users, sessions and admin logs; predictions live in Redis. SQLite by
# default; DATABASE_URL (postgres://user:password@host:5432/name) where several web hosts share logins.
DATABASE_URL = envsecret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
                                                  conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH") or DATA_DIR / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded pictures, named by prediction id (never by the user's filename), under uploads/ of the
# default storage: MEDIA_ROOT on local disk, or with S3_BUCKET set an S3-compatible object store
# that every web host and worker share.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")


def s3_storage(bucket, *, endpoint_url=None, region=None, access_key=None, secret_key=None, prefix="",
               addressing_style=None):
    """django-storages' settings for an S3-compatible bucket. Without keys boto3 uses its own chain
    (an instance role, AWS_* variables, ~/.aws); `addressing_style="path"` suits servers without
    per-bucket host names (MinIO, a local test server)."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint_url, "region_name": region,
        "access_key": access_key, "secret_key": secret_key, "location": prefix,
        "addressing_style": addressing_style,
        # Pictures are served through our own views, never from a public bucket URL.
        "default_acl": None, "querystring_auth": True,
    }}


S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        S3_BUCKET, endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        region=os.environ.get("S3_REGION") or None, access_key=envsecret("S3_ACCESS_KEY_ID") or None,
        secret_key=envsecret("S3_SECRET_ACCESS_KEY") or None, prefix=os.environ.get("S3_PREFIX", ""),
        addressing_style=os.environ.get("S3_ADDRESSING_STYLE") or None)

LOGIN_URL = "admin:login"
# Logging out (the admin's link too) lands back on the site, not on the admin's bare page.
LOGOUT_REDIRECT_URL = "recognizer-index"

# --- Redis, queue and worker ---
REDIS_URL = envsecret("REDIS_URL") or "redis://127.0.0.1:6379/0"
# A job that runs longer than this is stopped and its prediction marked failed.
JOB_TIMEOUT = envint("JOB_TIMEOUT", 60)


def rq_connection(url):
    """django-rq's connection settings for `url`, with one connection pool per process.

    Given a URL, django-rq builds a new client (own pool, new TCP connection and handshake) on
    every get_connection(); that cost several milliseconds per call, most of a prediction's
    time. A shared pool is created lazily, is thread-safe and resets itself after a fork.
    """
    pool = redis.ConnectionPool.from_url(url, health_check_interval=30)
    parts = urlsplit(url)
    return {"HOST": parts.hostname, "PORT": parts.port or 6379, "DB": pool.connection_kwargs.get("db", 0),
            "REDIS_CLIENT_KWARGS": {"connection_pool": pool}}


def rq_sentinel(sentinels, master, url):
    """django-rq's settings for a Redis behind Sentinel: `sentinels` is a list of host:port;
    the database number and password come from REDIS_URL.

    One Sentinel client and one master pool per process, built here: django-rq's own SENTINELS
    setting builds a new Sentinel client, and asks it for the master again, on every
    get_connection(). The pool finds the master lazily and follows a failover by itself.
    """
    parts = urlsplit(url)
    hosts = []
    for item in sentinels:
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ImproperlyConfigured(f"REDIS_SENTINELS must be host:port entries, not {item!r}.")
        hosts.append((host, int(port)))
    db = int(parts.path.strip("/") or 0)
    sentinel = Sentinel(hosts, db=db, password=parts.password, username=parts.username,
                        health_check_interval=30)
    pool = sentinel.master_for(master).connection_pool
    # HOST and PORT are unused once a pool is given; django-rq's admin pages that rebuild a
    # client from them alone (cron schedulers) skip a connection that fails.
    return {"HOST": hosts[0][0], "PORT": hosts[0][1], "DB": db, "REDIS_CLIENT_KWARGS": {"connection_pool": pool}}


# With REDIS_SENTINELS set, the master is found through Sentinel and follows a failover.
REDIS_SENTINELS = envlist("REDIS_SENTINELS", [])
if REDIS_SENTINELS:
    _redis = rq_sentinel(REDIS_SENTINELS, os.environ.get("REDIS_SENTINEL_MASTER", "mymaster"), REDIS_URL)
else:
    _redis = rq_connection(REDIS_URL)
# How long RQ keeps an ended job (its outcome and traceback, for the admin's queue pages; read
# by submit.py). The job's pictures are dropped as soon as it ends, whatever these say (jobs.py).
JOB_RESULT_TTL = envint("JOB_RESULT_TTL", 600)
JOB_FAILURE_TTL = envint("JOB_FAILURE_TTL", 7 * 86400)
# Heat maps (ml/explain.py) are drawn by jobs on this queue, after the answers are recorded.
# Workers listen on "default" first and on this one second (`rqworker default explain`), so a
# heat map is drawn only while no upload waits.
EXPLAIN_QUEUE = os.environ.get("EXPLAIN_QUEUE", "explain")


def rq_queues(connection, timeout=JOB_TIMEOUT):
    """django-rq's RQ_QUEUES for one Redis: the uploads' queue and the heat maps' queue."""
    return {name: {**connection, "DEFAULT_TIMEOUT": timeout} for name in ("default", EXPLAIN_QUEUE)}


RQ_QUEUES = rq_queues(_redis)
# Records live in Redis, not in the database, so jobs are enqueued at once, not on a DB commit.
RQ = {"WORKER_CLASS": "recognizer.worker.ModelWorker", "COMMIT_MODE": "auto"}
RQ_SHOW_ADMIN_LINK = True
# The model the workers serve: a LiteRT file converted from the trained Keras model (ml/convert.py).
MODEL_PATH = Path(os.environ.get("MODEL_PATH") or BASE_DIR / "ml" / "artifacts" / "mnist_cnn.tflite")
# Its twin from another seed, asked where the first is unsure (ml.predict.Pair); set empty to
# serve MODEL_PATH alone.
SECOND_MODEL_PATH = os.environ.get("SECOND_MODEL_PATH", str(BASE_DIR / "ml" / "artifacts" / "mnist_cnn_2.tflite"))
SECOND_MODEL_PATH = Path(SECOND_MODEL_PATH) if SECOND_MODEL_PATH else None
# The small model that judges the cuts of touching digits (ml.pieces, ml.recognise).
WHOLENESS_MODEL_PATH = Path(os.environ.get("WHOLENESS_MODEL_PATH")
                            or BASE_DIR / "ml" / "artifacts" / "wholeness.tflite")
# Model threads per worker process (0: LiteRT's default). Scale out with processes instead.
WORKER_MODEL_THREADS = envint("WORKER_MODEL_THREADS", 1)
# Recognition jobs a running job takes from behind it on its queue, to serve them in one model
# call and one round of bookkeeping (recognizer/coalesce.py); 0 leaves every job to RQ.
WORKER_TAKE_MAX = envint("WORKER_TAKE_MAX", 8)
# How often each worker runs RQ's registry maintenance plus ours (reconciliation, retention).
WORKER_MAINTENANCE_SECONDS = envint("WORKER_MAINTENANCE_SECONDS", 60)
# History retention, applied by the workers and by `manage.py prune_history`; 0 keeps everything.
HISTORY_MAX_RECORDS = envint("HISTORY_MAX_RECORDS", 100_000)
HISTORY_MAX_AGE_DAYS = envint("HISTORY_MAX_AGE_DAYS", 90)
# Workers prune as part of their housekeeping. Turn this off on hosts that do not share the
# web's MEDIA_ROOT, and run `manage.py prune_history` where the files are instead.
RETENTION_ON_WORKERS = envbool("RETENTION_ON_WORKERS", True)
# Key prefix of the prediction history, so several deployments can share one Redis.
HISTORY_PREFIX = os.environ.get("HISTORY_PREFIX", "mnist")

# --- Upload limits ---
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = envint("MAX_IMAGE_PIXELS", 40_000_000)
MAX_FILES_PER_REQUEST = envint("MAX_FILES_PER_REQUEST", 20)
# A whole request body, checked from Content-Length before anything is read.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 50 * 1024 * 1024)
# Django stops parsing at the first file beyond the limit (our middleware words the answer).
DATA_UPLOAD_MAX_NUMBER_FILES = MAX_FILES_PER_REQUEST
# The longest `?wait=N` the API honours, in seconds.
MAX_WAIT_SECONDS = envint("MAX_WAIT_SECONDS", 30)
# Waits one web process serves at once (each holds a thread); past this, uploads answer 202 at
# once. By default half of the process's threads (WEB_THREADS), so waiters never hold them all.
MAX_WAITS_PER_PROCESS = envint("MAX_WAITS_PER_PROCESS", max(1, envint("WEB_THREADS", 8) // 2))
# Dynamic batching (recognizer/batching.py): uploads reaching one web process together share a
# job. The first waits at most this long, and only for uploads that process is already reading.
UPLOAD_BATCH_WAIT_MS = envint("UPLOAD_BATCH_WAIT_MS", 5)
UPLOAD_BATCH_MAX = envint("UPLOAD_BATCH_MAX", 32)
HISTORY_PAGE_SIZE = envint("HISTORY_PAGE_SIZE", 20)
# Rows in one CSV or JSON export (the newest); narrow the dates to export older ones.
EXPORT_MAX_ROWS = envint("EXPORT_MAX_ROWS", 10_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
