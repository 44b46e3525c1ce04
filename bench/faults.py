"""How long faults hurt under `make run`, measured: `python -m bench.faults [--out bench/faults.json]`.

Starts the supervised stack (mnistsite/stack.py) on free ports and, one after the other:
kills the worker and times until an upload is answered again; kills the embedded redis-server
and times the 503 window on /healthz (probed every 20 ms); parks clients on ?wait behind a
backlog and times /healthz; opens clients that send their headers slowly and times /healthz,
straight to gunicorn and through compose's nginx config when nginx is installed; sends Ctrl-C
and counts the processes left. The tests assert the outcomes; this only measures.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mnistsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-faults")

import django  # noqa: E402

django.setup()

from mnistsite.embedded_redis import free_port  # noqa: E402
from mnistsite.processes import stop_all  # noqa: E402
from recognizer.tests.stack import Stack, request  # noqa: E402
from recognizer.tests.test_proxy_holds_slow_clients import nginx_config, slow_client  # noqa: E402

PICTURE = Path(__file__).resolve().parent.parent / "ml" / "tests" / "fixtures" / "images" / "canvas_7_black_on_transparent.png"


def timed(call):
    started = time.monotonic()
    result = call()
    return result, round(time.monotonic() - started, 3)


def worker_kill(stack, picture):
    stack.children()["worker"].kill()
    killed = time.monotonic()
    while True:
        status, body = stack.upload(picture, wait=30)
        if status == 200 and body["predictions"][0]["status"] == "finished":
            return round(time.monotonic() - killed, 3)


def redis_kill(stack):
    stack.children()["redis"].kill()
    killed, first_503, answers = time.monotonic(), None, []
    while True:
        status, _ = request(stack.url + "/healthz", timeout=30)
        answers.append(status)
        if status == 503 and first_503 is None:
            first_503 = time.monotonic()
        if status == 200 and first_503 is not None:
            return {"seconds_unavailable": round(time.monotonic() - killed, 3),
                    "probes": len(answers), "probe_statuses": sorted(set(map(str, answers)))}
        time.sleep(0.02)


def parked_waits(stack, picture, clients=24):
    threads = [threading.Thread(target=stack.upload, args=(picture,), kwargs={"wait": 30}, daemon=True)
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(3)  # let them arrive and park (measurement only)
    (status, _), seconds = timed(lambda: request(stack.url + "/healthz", timeout=60))
    return {"clients": clients, "healthz_status": status, "healthz_seconds": seconds}


def slow_headers(port, clients=40):
    sockets = [slow_client(port) for _ in range(clients)]
    try:
        (status, _), seconds = timed(lambda: request(f"http://127.0.0.1:{port}/healthz", timeout=40))
    finally:
        for sock in sockets:
            sock.close()
    return {"clients": clients, "healthz_status": status, "healthz_seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "faults.json"))
    args = parser.parse_args()
    picture = PICTURE.read_bytes()
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    results = {"machine_cpus": os.cpu_count()}

    stack, results["stack_start_seconds"] = timed(lambda: Stack(work, ACCESS_LOG="/dev/null").start())
    try:
        results["worker_sigkill_to_answer_seconds"] = worker_kill(stack, picture)
        results["redis_sigkill"] = redis_kill(stack)
    finally:
        stack.stop()

    stack = Stack(work / "idle", WORKERS=0)
    stack.data_dir.mkdir()
    stack.start()
    nginx = None
    try:
        results["parked_waits"] = parked_waits(stack, picture)
        results["slow_headers_gunicorn"] = slow_headers(stack.port)
        if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
            port = free_port()
            nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c",
                                      str(nginx_config(work, port, f"127.0.0.1:{stack.port}")), "-p", str(work)])
            while request(f"http://127.0.0.1:{port}/healthz", timeout=5)[0] != 200:
                time.sleep(0.1)
            results["slow_headers_nginx"] = slow_headers(port)
        everything = stack.descendants()
        _, results["ctrl_c_stop_seconds"] = timed(stack.interrupt)
        results["processes_left_after_ctrl_c"] = sum(1 for p in everything if p.is_running() and p.status() != "zombie")
    finally:
        if nginx:
            stop_all([nginx], timeout=10)
        stack.stop()

    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
