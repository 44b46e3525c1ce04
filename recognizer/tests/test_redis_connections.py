"""Where Redis connections come from: behind Sentinel, one Sentinel client and one master pool
per process, whatever the number of get_connection() calls; and `make run` starts no embedded
Redis when Sentinel is configured, with or without REDIS_URL."""
import os
import subprocess
import sys

from django.conf import settings

from mnistsite import stack


def test_sentinel_clients_are_built_once_per_process(tmp_path):
    code = ("import django_rq; a = django_rq.get_connection('default'); b = django_rq.get_connection('default');"
            " from recognizer import history; c = history.connection();"
            " print(a.connection_pool is b.connection_pool is c.connection_pool,"
            " type(a.connection_pool).__name__, a.connection_pool.service_name)")
    env = {**os.environ, "SECRET_KEY": "x" * 50, "DATA_DIR": str(tmp_path),
           "REDIS_SENTINELS": "127.0.0.1:1,127.0.0.1:2", "REDIS_SENTINEL_MASTER": "digits"}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1] == "True SentinelConnectionPool digits", result.stderr


def test_make_run_starts_an_embedded_redis_only_without_a_redis_setting():
    assert stack.wants_embedded_redis({})
    assert not stack.wants_embedded_redis({"REDIS_URL": "redis://db:6379/0"})
    assert not stack.wants_embedded_redis({"REDIS_SENTINELS": "10.0.0.1:26379"})
