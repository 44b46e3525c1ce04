"""`make bench`: the queued design against two synchronous baselines, on this machine, over HTTP.

Starts everything itself on loopback (embedded Redis, N model workers, gunicorn; then each
baseline under gunicorn), drives uploads with K client threads for a fixed count, and writes
bench/results.json plus a Markdown table. A benchmark, not a test: nothing here asserts.

  .venv/bin/python -m bench.run [--clients 8] [--count 1000] [--light-count 200] [--quick] [--profile DIR]
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


def summarise(latencies, answers, errors, wall, clients, images_per_request=1):
    """One cell group of the table; `n` is the number of requests every figure in it comes from."""
    done = len(latencies) - len(errors)
    durations = [p["duration_ms"] for a in answers for p in a.get("predictions", [])
                 if p.get("duration_ms") is not None]
    failed = sum(1 for a in answers for p in a.get("predictions", []) if p.get("status") != "finished")
    return {
        "n": len(latencies),
        "clients": clients,
        "images_per_request": images_per_request,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "not_finished": failed,
        "predictions_per_s": round(done * images_per_request / wall, 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "worker_ms_per_image": round(statistics.median(durations), 2) if durations else None,
        "worker_ms_per_image_n": len(durations),
        "wall_s": round(wall, 2),
    }


def run_load(port, path, bodies, count, clients, images_per_request=1):
    return summarise(*drive(port, path, bodies, count, clients), clients, images_per_request)


# --- Processes ------------------------------------------------------------------------------

def cpu_ticks():
    """(steal, all) CPU ticks since boot, from /proc/stat. On a shared host the time other guests
    take from this machine's cores shows up as steal, and slows every figure measured meanwhile."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_share(before, after):
    return round((after[0] - before[0]) / max(after[1] - before[1], 1), 3)


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


def tree_pids(pid):
    """A process and its live children (gunicorn's master and its workers)."""
    try:
        return [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return [pid]


def memory(groups):
    """Resident MB of every process of a design, by role: {"web": {"n", "mb", "each"}, ..., "total"}."""
    out = {}
    for name, processes in groups.items():
        each = [rss_mb(p) or 0 for proc in processes for p in tree_pids(proc.pid)]
        out[name] = {"n": len(each), "mb": round(sum(each), 1), "each": each}
    out["total_mb"] = round(sum(g["mb"] for g in out.values()), 1)
    out["n"] = sum(g["n"] for k, g in out.items() if isinstance(g, dict))
    return out


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
def our_stack(workers, data_dir, web_concurrency, max_waits):
    """Redis, `workers` model workers and gunicorn, as `make run` starts them."""
    from redis import Redis
    from rq import Worker

    env = dict(os.environ, DATA_DIR=str(data_dir), SECRET_KEY="bench-" + uuid.uuid4().hex,
               DEBUG="0", LOG_LEVEL="WARNING", ACCESS_LOG="/dev/null",
               WEB_CONCURRENCY=str(web_concurrency),
               # Every client waits for its answer (?wait=30), none is turned away with a 202.
               MAX_WAITS_PER_PROCESS=str(max_waits))
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
        ready_rss = [rss_mb(p.pid) for p in processes]
        port = free_port()
        web = subprocess.Popen(stack.web_command(HOST, port, env), cwd=BASE_DIR, env=env)
        processes.append(web)
        wait_http(port, web)
        yield {"port": port, "ready_s": ready_s, "ready_rss_mb": ready_rss, "workers": processes[:workers],
               "web": web, "redis": redis_server.process, "conn": conn}
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

def finished_jobs(conn):
    from rq import Queue
    from rq.registry import FinishedJobRegistry

    return FinishedJobRegistry(queue=Queue("default", connection=conn)).count


def jobs_run_by_workers(conn):
    """Jobs the workers ran themselves (RQ's count per worker); the rest of the finished jobs were
    taken by a running job and served in its model call (recognizer/coalesce.py)."""
    from rq import Worker

    return sum(w.successful_job_count + w.failed_job_count for w in Worker.all(connection=conn))


def wait_drained(conn, timeout=120):
    """Wait until the workers have worked off everything the load left queued (heat maps on the
    lower-priority queue too): work deferred past the load is still the load's cost. Returns the
    seconds it took."""
    from rq import Queue

    names = ("default", os.environ.get("EXPLAIN_QUEUE") or "explain")
    queues = [Queue(name, connection=conn) for name in names]
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if all(q.count == 0 and q.started_job_registry.count == 0 for q in queues):
            break
        time.sleep(0.05)
    return round(time.perf_counter() - started, 2)


def cpu_per_prediction(before, after, done):
    cells = {k: round((after[k] - before[k]) * 1000 / max(done, 1), 2) for k in after}
    cells["total"] = round(sum(cells.values()), 2)
    cells["n"] = done
    return cells


def measure_ours(workers, args, single, batch, data_dir):
    with our_stack(workers, data_dir, args.web_concurrency, max(args.clients, args.batch_clients)) as s:
        port = s["port"]
        path = "/api/predictions?wait=30"
        run_load(port, path, single, 20, 2)  # warm-up: imports, connections, first model calls
        light = run_load(port, path, single, args.light_count, 1)
        processes = {"web": [s["web"]], "workers": s["workers"], "redis": [s["redis"]]}
        recorders = []
        if args.profile:
            from bench import profile

            out = Path(args.profile) / f"w{workers}"
            recorders = [profile.Recorder("web", s["web"].pid, out)]
            recorders += [profile.Recorder(f"worker{i}", p.pid, out) for i, p in enumerate(s["workers"])]
        jobs_before, runs_before = finished_jobs(s["conn"]), jobs_run_by_workers(s["conn"])
        before = cpu_split(processes)
        load = run_load(port, path, single, args.count, args.clients)
        load["drain_s"] = wait_drained(s["conn"])
        after = cpu_split(processes)
        # Dynamic batching: how many jobs the load's uploads took.
        load["jobs"] = finished_jobs(s["conn"]) - jobs_before
        load["uploads_per_job"] = round((load["n"] - load["errors"]) / max(load["jobs"], 1), 2)
        # Worker-side batching: how many jobs the workers ran, each serving the jobs it took.
        load["jobs_run"] = jobs_run_by_workers(s["conn"]) - runs_before
        load["uploads_per_job_run"] = round((load["n"] - load["errors"]) / max(load["jobs_run"], 1), 2)
        for recorder in recorders:
            print(profile.report(profile.top(recorder.stop()), recorder.path), flush=True)
        load["cpu_ms_per_prediction"] = cpu_per_prediction(before, after, load["n"] - load["errors"])
        mem = memory(processes)
        batched = run_load(port, path, batch, args.batch_count, args.batch_clients, BATCH_SIZE)
        return {
            "design": f"queued, {workers} worker{'s' if workers > 1 else ''}",
            "workers": workers,
            "worker_ready_s": s["ready_s"],
            "worker_ready_rss_mb": s["ready_rss_mb"],
            "memory_after_load": mem,
            "light": light,
            "load": load,
            "batched": batched,
        }


BASELINE_NAMES = {"loaded_once_app": "(b) sync view, model loaded once",
                  "per_request_app": "(a) sync view, model loaded per request"}


def measure_baseline(app, args, single):
    with baseline(app, args.web_concurrency) as b:
        run_load(b["port"], "/", single, 2 * args.web_concurrency, args.web_concurrency)
        light = run_load(b["port"], "/", single, args.light_count, 1)
        processes = {"web": [b["web"]]}
        before = cpu_split(processes)
        load = run_load(b["port"], "/", single, args.count, args.clients)
        load["cpu_ms_per_prediction"] = cpu_per_prediction(before, cpu_split(processes), load["n"] - load["errors"])
        return {"design": BASELINE_NAMES[app], "app": app, "memory_after_load": memory(processes),
                "light": light, "load": load}


def targets(results):
    """The performance targets, each with the figure it is judged on and whether it is met."""
    best = max(results["ours"], key=lambda r: r["load"]["predictions_per_s"])
    b, a = results["baselines"]
    rate = best["load"]["predictions_per_s"]
    ready = [r["worker_ready_s"] for r in results["ours"]]
    rss = [m for r in results["ours"] for m in r["worker_ready_rss_mb"] if m is not None]
    cpu = best["load"]["cpu_ms_per_prediction"]["total"]
    rows = [
        (f"≥ 250 predictions/s, {results['config']['clients']} clients, one image per request", rate, rate >= 250),
        ("≥ the synchronous loaded-once baseline (b)", round(rate / b["load"]["predictions_per_s"], 2),
         rate >= b["load"]["predictions_per_s"]),
        ("light-load p50 ≤ 15 ms", best["light"]["p50_ms"], best["light"]["p50_ms"] <= 15),
        ("batched ≥ 800 images/s", max(r["batched"]["predictions_per_s"] for r in results["ours"]),
         max(r["batched"]["predictions_per_s"] for r in results["ours"]) >= 800),
        ("CPU per prediction ≤ 7 ms (web + workers + Redis)", cpu, cpu <= 7),
        ("a ready worker ≤ 150 MB resident", max(rss) if rss else None, bool(rss) and max(rss) <= 150),
        ("a worker ready ≤ 1 s after start", max(ready), max(ready) <= 1),
        ("≥ 25× the load-per-request baseline (a), predictions/s", round(rate / a["load"]["predictions_per_s"], 1),
         rate >= 25 * a["load"]["predictions_per_s"]),
    ]
    return [{"target": t, "value": v, "met": bool(m), "design": best["design"]} for t, v, m in rows]


def table(results):
    c = results["config"]
    head = [
        f"Predictions over HTTP on loopback, one image per request: {c['count']} requests from "
        f"{c['clients']} concurrent clients per design (*load*), {c['light_count']} from 1 client "
        f"(*light*). {c['machine']}; load average {c['load_average_before']} before the run, "
        f"{c['load_average_after']} after"
        + (f"; CPU steal {100 * c['cpu_steal']:.0f} % during it (the host's other guests)" if "cpu_steal" in c else "")
        + ". Memory: every process of the design, after the load.",
        "",
        "| design | predictions/s | light p50 / p99 ms | load p50 / p95 / p99 ms | worker ms/image "
        "| CPU ms per prediction | memory MB (processes) | worker ready |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = []
    for r in results["ours"] + results["baselines"]:
        load, light, mem = r["load"], r["light"], r["memory_after_load"]
        cpu = load["cpu_ms_per_prediction"]
        cpu_text = " + ".join(f"{k} {v}" for k, v in cpu.items() if k not in ("total", "n"))
        mem_text = " + ".join(f"{k} {g['mb']:.0f} ({g['n']})" for k, g in mem.items() if isinstance(g, dict))
        ready = (f"{r['worker_ready_s']} s, " + " + ".join(f"{m:.0f}" for m in r["worker_ready_rss_mb"]) + " MB"
                 if "worker_ready_s" in r else "–")
        rows.append(
            f"| {r['design']} | {load['predictions_per_s']} (n {load['n']}) | {light['p50_ms']} / "
            f"{light['p99_ms']} (n {light['n']}) | {load['p50_ms']} / {load['p95_ms']} / {load['p99_ms']} | "
            f"{load.get('worker_ms_per_image') or '–'} | {cpu_text} = {cpu['total']} | "
            f"{mem['total_mb']:.0f}: {mem_text} | {ready} |"
        )
    tail = ["", "| design, load run | uploads | jobs (web batching) | uploads per job | jobs the workers ran "
            "(each serving those it took) | uploads per model call |", "|---|---|---|---|---|---|"]
    for r in results["ours"]:
        load = r["load"]
        if "jobs_run" in load:
            tail.append(f"| {r['design']} | {load['n'] - load['errors']} | {load['jobs']} | {load['uploads_per_job']} "
                        f"| {load['jobs_run']} | {load['uploads_per_job_run']} |")
    tail += ["", f"| batched upload ({BATCH_SIZE} images per request, one job) | images/s | p50 ms per request | n |",
            "|---|---|---|---|"]
    for r in results["ours"]:
        b = r["batched"]
        tail.append(f"| {r['design']} | {b['predictions_per_s']} | {b['p50_ms']} | {b['n']} |")
    tail += ["", "| target | value | met |", "|---|---|---|"]
    for t in results["targets"]:
        tail.append(f"| {t['target']} | {t['value']} | {'yes' if t['met'] else 'no'} |")
    return "\n".join(head + rows + tail)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the load runs")
    parser.add_argument("--count", type=int, default=1000, help="requests per load run, every design")
    parser.add_argument("--light-count", type=int, default=200, help="requests with one client, every design")
    parser.add_argument("--batch-count", type=int, default=60, help=f"requests of {BATCH_SIZE} images")
    parser.add_argument("--batch-clients", type=int, default=2)
    parser.add_argument("--web-concurrency", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--quick", action="store_true", help="small counts, to check the harness")
    parser.add_argument("--queued-only", action="store_true", help="leave the baselines out (while tuning)")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--profile", metavar="DIR", help="py-spy the web and workers during the load run")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.light_count, args.batch_count = 100, 20, 10

    started, ticks = time.perf_counter(), cpu_ticks()
    images = digit_pngs()
    single = [multipart([img]) for img in images]
    batch = [multipart(images[i:i + BATCH_SIZE]) for i in range(0, len(images), BATCH_SIZE)]
    results = {"config": {
        "clients": args.clients, "count": args.count, "light_count": args.light_count,
        "batch_size": BATCH_SIZE, "batch_count": args.batch_count, "batch_clients": args.batch_clients,
        "web_concurrency": args.web_concurrency, "quick": args.quick,
        "machine": f"{os.cpu_count()} CPU cores, {platform.machine()}, Python {platform.python_version()}",
        "load_average_before": round(os.getloadavg()[0], 2),
    }, "ours": [], "baselines": []}

    with tempfile.TemporaryDirectory(prefix="digits-bench-") as tmp:
        for n in [int(w) for w in args.workers.split(",")]:
            print(f"queued design, {n} worker(s)…", flush=True)
            results["ours"].append(measure_ours(n, args, single, batch, Path(tmp) / f"w{n}"))
    for app in () if args.queued_only else ("loaded_once_app", "per_request_app"):
        print(f"baseline {BASELINE_NAMES[app]}…", flush=True)
        results["baselines"].append(measure_baseline(app, args, single))

    results["config"]["load_average_after"] = round(os.getloadavg()[0], 2)
    results["config"]["cpu_steal"] = steal_share(ticks, cpu_ticks())
    results["config"]["duration_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results) if results["baselines"] else []
    results["markdown"] = table(results)
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(results["markdown"])
    print(f"\nWritten to {args.output} in {results['config']['duration_s']:.0f} s")


if __name__ == "__main__":
    main()
