"""Settings come from the environment with safe defaults; production settings pass
`manage.py check --deploy` cleanly."""
import os
import subprocess
import sys

import pytest
import secrets
from django.conf import settings

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def run_manage(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "API_TOKEN")}
    clean.update(DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                        SECRET_KEY=secrets.token_urlsafe(60), HTTPS="1", ALLOWED_HOSTS="digits.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_key_is_required_for_the_web_without_debug(tmp_path):
    result = run_manage(tmp_path, "shell", "-c", "import mnistsite.wsgi")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = run_manage(tmp_path, "shell", "-c", code, SECRET_KEY="x" * 60)
    assert result.stdout.splitlines()[-1] == "False False"
    result = run_manage(tmp_path, "shell", "-c", code, SECRET_KEY="x" * 60, HTTPS="1")
    assert result.stdout.splitlines()[-1] == "False True"


def test_bad_values_fail_loudly(tmp_path):
    result = run_manage(tmp_path, "check", SECRET_KEY="x" * 60, HTTPS="maybe")
    assert result.returncode != 0
    assert "HTTPS must be" in result.stderr


def test_redis_behind_sentinel_is_configured_from_the_environment(tmp_path):
    code = ("from django.conf import settings; p = settings.RQ_QUEUES['default']['REDIS_CLIENT_KWARGS']['connection_pool'];"
            " print([s.connection_pool.connection_kwargs['host'] + ':' + str(s.connection_pool.connection_kwargs['port'])"
            " for s in p.sentinel_manager.sentinels], p.service_name, p.connection_kwargs['db'])")
    result = run_manage(tmp_path, "shell", "-c", code, SECRET_KEY="x" * 60, REDIS_URL="redis://:pw@ignored:6379/2",
                        REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26379", REDIS_SENTINEL_MASTER="digits")
    assert result.stdout.splitlines()[-1] == "['10.0.0.1:26379', '10.0.0.2:26379'] digits 2"
