"""Static checks of the container files (no Docker engine is needed to run these): the
Dockerfile's stages, user, health check and baked-in model; compose's services, scaling and
Redis persistence; `docker compose config` where a compose binary is installed."""
import os
import re
import shutil
import subprocess

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def instructions():
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n\s*", " ", text)
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def test_the_dockerfile_is_multi_stage_on_python_slim():
    froms = [arg for op, arg in instructions() if op == "FROM"]
    assert len(froms) >= 2
    assert all(f.startswith("python:3.11-slim") for f in froms)
    assert any(op == "COPY" and arg.startswith("--from=") for op, arg in instructions())


def test_the_image_runs_as_a_non_root_user_with_a_health_check():
    ops = instructions()
    users = [arg for op, arg in ops if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_user = max(i for i, (op, _) in enumerate(ops) if op == "USER")
    cmd = max(i for i, (op, _) in enumerate(ops) if op == "CMD")
    assert last_user < cmd
    [health] = [arg for op, arg in ops if op == "HEALTHCHECK"]
    assert "/healthz" in health


def test_the_model_and_static_files_are_built_in():
    runs = " ".join(arg for op, arg in instructions() if op == "RUN")
    assert "collectstatic" in runs
    assert "ml/artifacts/mnist_cnn.keras" in runs
    copies = [arg.split() for op, arg in instructions() if op == "COPY" and not arg.startswith("--from")]
    ignored = (ROOT / ".dockerignore").read_text().split()
    for parts in copies:
        for source in parts[:-1]:
            assert (ROOT / source).exists(), source
            assert source not in ignored, source
    assert (ROOT / "ml" / "artifacts" / "mnist_cnn.keras").exists()
    for private in (".venv", ".data", ".git", ".env"):
        assert private in ignored


def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_web_scalable_workers_and_persistent_redis():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "redis"}
    web, worker, redis = services["web"], services["worker"], services["redis"]
    # Scalable with --scale worker=N: nothing that must be unique per container.
    assert "ports" not in worker and "container_name" not in worker
    assert worker["command"][-2:] == ["rqworker", "default"]
    assert web["environment"] == worker["environment"]
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["volumes"] == worker["volumes"]
    assert redis["image"].startswith("redis:7")
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert "SECRET_KEY:?" in (ROOT / "compose.yaml").read_text()


def test_docker_compose_config_accepts_the_file(tmp_path):
    binary = shutil.which("docker-compose")
    if binary:
        command = [binary]
    elif shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose"]
    else:
        pytest.skip("no docker compose here")
    env = {**os.environ, "SECRET_KEY": "x" * 50}
    result = subprocess.run([*command, "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
