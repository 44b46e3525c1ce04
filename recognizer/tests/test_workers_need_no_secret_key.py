"""Processes that sign nothing start without SECRET_KEY on a fresh clone (no DATA_DIR/secret_key
yet): a worker and `manage.py predict`. The web still refuses to start without one (see
test_security_settings)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

SEVEN = Path(settings.BASE_DIR) / "ml" / "tests" / "fixtures" / "images" / "canvas_7_black_on_transparent.png"


def run_manage(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    env["DATA_DIR"] = str(tmp_path / "fresh")  # no secret_key file: `make run` never ran here
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_worker_starts_and_works_without_a_secret_key(tmp_path):
    result = run_manage(tmp_path, "rqworker", "default", "--burst")
    assert result.returncode == 0, result.stderr
    assert "Model loaded" in result.stderr + result.stdout
    assert "SECRET_KEY" not in result.stderr


def test_predict_works_without_a_secret_key(tmp_path):
    result = run_manage(tmp_path, "predict", str(SEVEN))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == [str(SEVEN), "7"]
