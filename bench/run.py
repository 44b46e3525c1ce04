"""`make bench`: the queued design against two synchronous baselines, on this machine, over HTTP.

Starts everything itself on loopback (embedded Redis, N model workers, gunicorn; then each
baseline under gunicorn), drives uploads with K client threads for a fixed count, and writes
bench/results.json plus a Markdown table. A benchmark, not a test: nothing here asserts.

  .venv/bin/python -m bench.run [--clients 8] [--count 600] [--quick]
"""
import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

import numpy as np
from PIL import Image

from mnistsite import stack
from mnistsite.embedded_redis import EmbeddedRedis, free_port
from mnistsite.processes import stop_all

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results.json"
PYTHON = sys.executable
HOST = "127.0.0.1"
BATCH_SIZE = 20


# --- Inputs ---------------------------------------------------------------------------------

def digit_pngs(n=200):
    """PNGs of MNIST test digits drawn as people upload them: dark ink on white, enlarged."""
    from ml.data import load_mnist

    (_, _), (x_test, _) = load_mnist()
    out = []
    for pixels in x_test[:n]:
        img = Image.fromarray(255 - pixels).resize((112, 112), Image.BILINEAR)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        out.append(buf.getvalue())
    return out


def multipart(images):
    boundary = uuid.uuid4().hex
    parts = []
    for i, data in enumerate(images):
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d{i}.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n".encode() + data + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# --- Load -----------------------------------------------------------------------------------

def percentile(values, q):
    return round(float(np.percentile(values, q)), 1) if values else None


def drive(port, path, bodies, count, clients):
    """POST `count` requests with `clients` threads (keep-alive); latencies in ms and wall time."""
    latencies, answers, errors = [], [], []
    lock = threading.Lock()
    next_index = iter(range(count))

    def client():
        conn = HTTPConnection(HOST, port, timeout=120)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            body, content_type = bodies[i % len(bodies)]
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": content_type})
                response = conn.getresponse()
                payload = response.read()
            except OSError as exc:
                conn.close()
                conn = HTTPConnection(HOST, port, timeout=120)
                with lock:
                    errors.append(repr(exc))
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status == 200:
                    answers.append(json.loads(payload))
                else:
                    errors.append(f"{response.status} {payload[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return latencies, answers, errors, wall


def summarise(latencies, answers, errors, wall, images_per_request=1):
    done = len(latencies) - len(errors)
    durations = [p["duration_ms"] for a in answers for p in a.get("predictions", [])
                 if p.get("duration_ms") is not None]
    failed = sum(1 for a in answers for p in a.get("predictions", []) if p.get("status") != "finished")
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "not_finished": failed,
        "predictions_per_s": round(done * images_per_request / wall, 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "worker_ms_per_image": round(statistics.median(durations), 2) if durations else None,
        "wall_s": round(wall, 2),
    }


# --- Processes ------------------------------------------------------------------------------

def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def cpu_seconds(pid):
    """User plus system CPU time of a process and its live children, in seconds."""
    total = 0
    try:
        pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_split(processes):
    return {name: sum(cpu_seconds(p.pid) for p in procs) for name, procs in processes.items()}


def tree_rss_mb(pid):
    """RSS of a process and its children (gunicorn's master plus its workers)."""
    total = rss_mb(pid) or 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += rss_mb(int(child)) or 0
    return round(total, 1)


def wait_http(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the web server exited during start-up")
        try:
            conn = HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the web server did not answer in time")


@contextmanager
def our_stack(workers, data_dir, web_concurrency):
    """Redis, `workers` model workers and gunicorn, as `make run` starts them."""
    from redis import Redis
    from rq import Worker

    env = dict(os.environ, DATA_DIR=str(data_dir), SECRET_KEY="bench-" + uuid.uuid4().hex,
               DEBUG="0", LOG_LEVEL="WARNING", ACCESS_LOG="/dev/null",
               WEB_CONCURRENCY=str(web_concurrency))
    env.pop("REDIS_URL", None)
    redis_server = EmbeddedRedis(Path(data_dir) / "redis", persist=True)
    env["REDIS_URL"] = redis_server.start()
    conn = Redis.from_url(env["REDIS_URL"])
    processes = []
    try:
        started = time.perf_counter()
        for _ in range(workers):
            processes.append(subprocess.Popen(stack.worker_command(verbosity="0"), cwd=BASE_DIR, env=env,
                                              stdout=subprocess.DEVNULL))
        ready_s = None
        deadline = time.monotonic() + 120
        while len(Worker.all(connection=conn)) < workers:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("a worker exited during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not become ready")
            time.sleep(0.02)
        ready_s = round(time.perf_counter() - started, 2)
        port = free_port()
        web = subprocess.Popen(stack.web_command(HOST, port, env), cwd=BASE_DIR, env=env)
        processes.append(web)
        wait_http(port, web)
        yield {"port": port, "ready_s": ready_s, "workers": processes[:workers], "web": web,
               "redis": redis_server.process}
    finally:
        stop_all(processes)
        redis_server.stop()


@contextmanager
def baseline(app, web_processes):
    port = free_port()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    web = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", f"bench.baselines:{app}", "--bind", f"{HOST}:{port}",
         "--workers", str(web_processes), "--worker-class", "sync", "--timeout", "120"],
        cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_http(port, web)
        yield {"port": port, "web": web}
    finally:
        stop_all([web])


# --- The run --------------------------------------------------------------------------------

def measure_ours(workers, args, single, batch, data_dir):
    with our_stack(workers, data_dir, args.web_concurrency) as s:
        port = s["port"]
        path = "/api/predictions?wait=30"
        drive(port, path, single, 20, 2)  # warm-up: imports, connections, first graph calls
        light = summarise(*drive(port, path, single, args.light_count, 1))
        processes = {"web": [s["web"]], "workers": s["workers"], "redis": [s["redis"]]}
        before = cpu_split(processes)
        load = summarise(*drive(port, path, single, args.count, args.clients))
        after = cpu_split(processes)
        done = load["requests"] - load["errors"]
        load["cpu_ms_per_prediction"] = {k: round((after[k] - before[k]) * 1000 / max(done, 1), 2) for k in after}
        batched = summarise(*drive(port, path, batch, args.batch_count, args.batch_clients),
                            images_per_request=BATCH_SIZE)
        return {
            "workers": workers,
            "worker_ready_s": s["ready_s"],
            "worker_rss_mb": [rss_mb(p.pid) for p in s["workers"]],
            "web_rss_mb": tree_rss_mb(s["web"].pid),
            "light": light,
            "load": load,
            "batched": batched,
        }


def measure_baseline(app, args, single, count, light_count):
    with baseline(app, args.web_concurrency) as b:
        drive(b["port"], "/", single, 2 * args.web_concurrency, args.web_concurrency)
        light = summarise(*drive(b["port"], "/", single, light_count, 1))
        before = cpu_seconds(b["web"].pid)
        load = summarise(*drive(b["port"], "/", single, count, args.clients))
        done = load["requests"] - load["errors"]
        load["cpu_ms_per_prediction"] = {"web": round((cpu_seconds(b["web"].pid) - before) * 1000 / max(done, 1), 2)}
        return {"app": app, "web_rss_mb": tree_rss_mb(b["web"].pid), "light": light, "load": load}


def table(results):
    rows = []

    def row(name, r, extra=""):
        load, light = r["load"], r["light"]
        cpu = load.get("cpu_ms_per_prediction", {})
        cpu_text = " + ".join(f"{k} {v}" for k, v in cpu.items())
        rows.append(
            f"| {name} | {load['predictions_per_s']} | {light['p50_ms']} | {load['p50_ms']} | "
            f"{load['p95_ms']} | {load['p99_ms']} | {load.get('worker_ms_per_image') or '–'} | "
            f"{cpu_text} | {extra} |"
        )

    for r in results["ours"]:
        rss = " + ".join(f"{m:.0f}" for m in r["worker_rss_mb"])
        row(f"queued, {r['workers']} worker{'s' if r['workers'] > 1 else ''}", r,
            f"workers {rss} MB; web {r['web_rss_mb']:.0f} MB; ready {r['worker_ready_s']} s")
    names = {"loaded_once_app": "(b) sync view, model loaded once",
             "per_request_app": "(a) sync view, model loaded per request"}
    for r in results["baselines"]:
        row(names[r["app"]], r, f"web {r['web_rss_mb']:.0f} MB")
    c = results["config"]
    head = [
        f"Predictions over HTTP on loopback, one image per request; {c['clients']} concurrent clients "
        f"for the load columns, 1 client for *light p50*. {c['machine']}; load average "
        f"{c['load_average_before']} before the run, {c['load_average_after']} after.",
        "",
        "| design | predictions/s | light p50 ms | p50 ms | p95 ms | p99 ms | worker ms/image | CPU ms per prediction | memory, start-up |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    tail = ["", "| ratio | value |", "|---|---|"]
    for k, v in results["ratios"].items():
        tail.append(f"| {k} | {v}× |")
    tail += ["", "| batched upload (" + str(BATCH_SIZE) + " images, one job) | images/s | p50 ms per request |",
             "|---|---|---|"]
    for r in results["ours"]:
        b = r["batched"]
        tail.append(f"| {r['workers']} worker(s) | {b['predictions_per_s']} | {b['p50_ms']} |")
    return "\n".join(head + rows + tail)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the load runs")
    parser.add_argument("--count", type=int, default=1000, help="requests per load run")
    parser.add_argument("--light-count", type=int, default=100, help="requests with one client")
    parser.add_argument("--batch-count", type=int, default=60, help=f"requests of {BATCH_SIZE} images")
    parser.add_argument("--batch-clients", type=int, default=2)
    parser.add_argument("--baseline-a-count", type=int, default=24,
                        help="requests against the per-request-load baseline (it is slow)")
    parser.add_argument("--web-concurrency", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--quick", action="store_true", help="small counts, to check the harness")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.light_count, args.batch_count, args.baseline_a_count = 100, 20, 10, 6

    images = digit_pngs()
    single = [multipart([img]) for img in images]
    batch = [multipart(images[i:i + BATCH_SIZE]) for i in range(0, len(images), BATCH_SIZE)]
    results = {"config": {
        "clients": args.clients, "count": args.count, "light_count": args.light_count,
        "batch_size": BATCH_SIZE, "batch_count": args.batch_count,
        "web_concurrency": args.web_concurrency,
        "machine": f"{os.cpu_count()} CPU cores, {platform.machine()}, Python {platform.python_version()}",
        "load_average_before": round(os.getloadavg()[0], 2),
    }, "ours": [], "baselines": []}

    with tempfile.TemporaryDirectory(prefix="digits-bench-") as tmp:
        for n in [int(w) for w in args.workers.split(",")]:
            print(f"queued design, {n} worker(s)…", flush=True)
            results["ours"].append(measure_ours(n, args, single, batch, Path(tmp) / f"w{n}"))
    print("baseline (b): model loaded once…", flush=True)
    results["baselines"].append(measure_baseline("loaded_once_app", args, single, args.count, args.light_count))
    print("baseline (a): model loaded per request…", flush=True)
    a_light = max(3, args.baseline_a_count // 4)
    results["baselines"].append(measure_baseline("per_request_app", args, single, args.baseline_a_count, a_light))

    results["config"]["load_average_after"] = round(os.getloadavg()[0], 2)
    best = max(results["ours"], key=lambda r: r["load"]["predictions_per_s"])
    b, a = results["baselines"][0], results["baselines"][1]
    results["ratios"] = {
        f"queued ({best['workers']} w) / (a) predictions/s":
            round(best["load"]["predictions_per_s"] / a["load"]["predictions_per_s"], 1),
        f"queued ({best['workers']} w) / (b) predictions/s":
            round(best["load"]["predictions_per_s"] / b["load"]["predictions_per_s"], 2),
        "(a) light p50 / queued light p50":
            round(a["light"]["p50_ms"] / best["light"]["p50_ms"], 1),
    }
    results["markdown"] = table(results)
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(results["markdown"])
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
