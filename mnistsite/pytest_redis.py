"""pytest plugin (loaded with -p before Django is configured): a real Redis for the tests.

With REDIS_URL unset it starts a private embedded redis-server; with REDIS_URL set it uses
that server and refuses to run on a non-empty database, as django-rq's own tests do.
"""
import atexit
import os
import tempfile

from mnistsite.embedded_redis import EmbeddedRedis

_tmp = tempfile.mkdtemp(prefix="digits-test-")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ["DATA_DIR"] = _tmp
os.environ.setdefault("STATIC_ROOT", os.path.join(_tmp, "static"))
os.makedirs(os.environ["STATIC_ROOT"], exist_ok=True)
os.environ.setdefault("DEBUG", "0")

if not os.environ.get("REDIS_URL"):
    _server = EmbeddedRedis(os.path.join(_tmp, "redis"), persist=False)
    os.environ["REDIS_URL"] = _server.start()
    atexit.register(_server.stop)
