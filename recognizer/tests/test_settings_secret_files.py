"""Every secret can come from a file named by `<NAME>_FILE` (Kubernetes and Docker mount secrets
as files): each one the Kubernetes ConfigMap names reaches the settings, and a *_FILE that
names a missing file stops the process with a sentence saying which."""
import json
import os
import subprocess
import sys

import pytest
import yaml
from django.conf import settings

# Starts processes or servers of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

# How each secret shows in the settings, as a Python expression.
READ_BACK = {
    "SECRET_KEY": "settings.SECRET_KEY",
    "REDIS_URL": "settings.REDIS_URL",
    "DATABASE_URL": "settings.DATABASE_URL",
    "S3_ACCESS_KEY_ID": "settings.STORAGES['default']['OPTIONS']['access_key']",
    "S3_SECRET_ACCESS_KEY": "settings.STORAGES['default']['OPTIONS']['secret_key']",
    "METRICS_TOKEN": "settings.METRICS_TOKEN",
    "API_TOKEN": "settings.API_TOKEN",
}
VALUES = {"REDIS_URL": "redis://:a-password@redis.internal:6379/2",
          "DATABASE_URL": "postgres://digits:a-password@db.internal:5432/digits"}


def configmap_secret_files():
    docs = yaml.safe_load_all((settings.BASE_DIR / "deploy" / "k8s" / "configmap.yaml").read_text())
    [configmap] = [d for d in docs if d["kind"] == "ConfigMap"]
    return sorted(k[: -len("_FILE")] for k in configmap["data"] if k.endswith("_FILE"))


def read_settings(env, expression):
    clean = {k: v for k, v in os.environ.items() if k not in READ_BACK}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         f"import json; from django.conf import settings; print(json.dumps({expression}))"],
        cwd=settings.BASE_DIR, env={**clean, "S3_BUCKET": "digits-uploads", **env},
        capture_output=True, text=True, timeout=60)


def test_the_manifests_name_secret_files():
    assert set(configmap_secret_files()) >= {"SECRET_KEY", "REDIS_URL", "DATABASE_URL"}


@pytest.mark.parametrize("name", sorted(set(configmap_secret_files()) | {"API_TOKEN"}))
def test_a_secret_file_reaches_the_settings(name, tmp_path):
    value = VALUES.get(name, f"value of {name} from a file")
    secret = tmp_path / name
    secret.write_text(value + "\n")
    result = read_settings({f"{name}_FILE": str(secret)}, READ_BACK[name])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == value


def test_a_missing_secret_file_is_named(tmp_path):
    result = read_settings({"DATABASE_URL_FILE": str(tmp_path / "nowhere")}, "settings.DATABASE_URL")
    assert result.returncode != 0
    assert f"DATABASE_URL_FILE='{tmp_path / 'nowhere'}' cannot be read" in result.stderr
