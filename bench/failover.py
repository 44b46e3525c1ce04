"""A Redis failover under a stream of uploads, measured: `python -m bench.failover [--out bench/failover.json]`.

Real parts on loopback: a Redis master, one replica, three Sentinels (quorum 2), one gunicorn
web and one worker, both finding the master through Sentinel. One client sends a stream of
uploads (one every --interval seconds); after --kill-after of them the master is killed
(SIGKILL). An upload answered with anything but 202 is sent again every 0.1 s, as a client
would, until it is accepted. Then every accepted record is followed until it is finished or
--settle seconds pass.

Written: outage (from the kill to the first upload accepted after it), the longest any one
upload waited to be accepted, uploads sent / accepted / refused answers, records finished,
failed, lost (no record) and stuck (not ended), and whether the worker exited. The test
(recognizer/tests/test_worker_outlives_failover.py) asserts the outcomes; this only measures.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mnistsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-failover")

import django  # noqa: E402

django.setup()

from mnistsite.embedded_redis import executable, free_port  # noqa: E402
from mnistsite.processes import stop_all  # noqa: E402
from mnistsite.stack import web_command, worker_command  # noqa: E402
from recognizer.tests.stack import multipart, request, wait_for, wait_until_listening  # noqa: E402

MASTER = "digits"
BASE_DIR = Path(__file__).resolve().parent.parent
PICTURE = BASE_DIR / "ml" / "tests" / "fixtures" / "images" / "canvas_7_black_on_transparent.png"


def redis_server(workdir, name, *args):
    port = free_port()
    (workdir / name).mkdir()
    process = subprocess.Popen([executable(), *args, "--port", str(port), "--bind", "127.0.0.1",
                                "--dir", str(workdir / name), "--save", "", "--appendonly", "no",
                                "--logfile", str(workdir / name / "log")], stdin=subprocess.DEVNULL)
    wait_for(lambda: _answers(port), 30, f"{name} did not start")
    return process, port


def sentinel(workdir, name, master_port):
    port = free_port()
    config = workdir / f"{name}.conf"
    config.write_text(f"port {port}\nbind 127.0.0.1\nlogfile {workdir / name}.log\n"
                      f"sentinel monitor {MASTER} 127.0.0.1 {master_port} 2\n"
                      f"sentinel down-after-milliseconds {MASTER} 1000\n"
                      f"sentinel failover-timeout {MASTER} 10000\n")
    process = subprocess.Popen([executable(), str(config), "--sentinel"], stdin=subprocess.DEVNULL)
    wait_for(lambda: _answers(port), 30, f"{name} did not start")
    return process, port


def _answers(port):
    try:
        return redis.Redis(port=port, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def stream(url, picture, uploads, interval, kill_after, kill):
    """Send the uploads; return (accepted ids, per-upload (first try, accepted) times, refusals, kill time)."""
    body, headers = multipart("image", "digit.png", picture)
    ids, waits, refusals, killed = [], [], {}, None
    for number in range(uploads):
        if number == kill_after:
            killed = kill()
        first_try = time.monotonic()
        while True:
            status, raw = request(url + "/api/predictions", body, headers, timeout=30)
            if status == 202:
                break
            refusals[str(status)] = refusals.get(str(status), 0) + 1
            time.sleep(0.1)
        accepted = time.monotonic()
        ids.extend(p["id"] for p in json.loads(raw)["predictions"])
        waits.append((first_try, accepted))
        time.sleep(max(0.0, interval - (accepted - first_try)))
    return ids, waits, refusals, killed


def settle(url, ids, seconds):
    """{id: status} once every record has ended, or when `seconds` pass ("lost": no record)."""
    statuses = {}
    deadline = time.monotonic() + seconds
    while True:
        for pid in ids:
            if statuses.get(pid) in ("finished", "failed"):
                continue
            status, raw = request(f"{url}/api/predictions/{pid}", timeout=10)
            statuses[pid] = json.loads(raw)["status"] if status == 200 else "lost" if status == 404 else "unanswered"
        if all(s in ("finished", "failed") for s in statuses.values()) or time.monotonic() > deadline:
            return statuses
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--kill-after", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between uploads")
    parser.add_argument("--settle", type=float, default=120, help="seconds to wait for records to end")
    parser.add_argument("--out", default=str(BASE_DIR / "bench" / "failover.json"))
    args = parser.parse_args()

    processes = []
    with tempfile.TemporaryDirectory(prefix="failover-") as tmp:
        workdir = Path(tmp)
        try:
            master, master_port = redis_server(workdir, "master")
            replica, replica_port = redis_server(workdir, "replica", "--replicaof", "127.0.0.1", str(master_port))
            processes += [master, replica]
            wait_for(lambda: redis.Redis(port=replica_port).info("replication")["master_link_status"] == "up", 30)
            sentinels = [sentinel(workdir, f"sentinel-{n}", master_port) for n in range(3)]
            processes += [process for process, _ in sentinels]
            env = {**os.environ, "SECRET_KEY": "bench-failover", "DATA_DIR": str(workdir / "data"),
                   "REDIS_URL": "", "REDIS_SENTINELS": ",".join(f"127.0.0.1:{port}" for _, port in sentinels),
                   "REDIS_SENTINEL_MASTER": MASTER, "ALLOWED_HOSTS": "127.0.0.1", "API_TOKEN": "",
                   "WEB_CONCURRENCY": "1", "WEB_THREADS": "4", "ACCESS_LOG": "/dev/null"}
            (workdir / "data").mkdir()
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR,
                           env=env, check=True)
            port = free_port()
            with open(workdir / "web.log", "w") as out:
                web = subprocess.Popen(web_command("127.0.0.1", port, env) +
                                       ["--control-socket", str(workdir / "gunicorn.ctl")],
                                       cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
            processes.append(web)
            wait_until_listening(port, web, timeout=60)
            with open(workdir / "worker.log", "w") as out:
                worker = subprocess.Popen(worker_command(), cwd=BASE_DIR, env=env, stdout=out,
                                          stderr=subprocess.STDOUT)
            processes.append(worker)
            url = f"http://127.0.0.1:{port}"
            picture = PICTURE.read_bytes()
            # Ready when one upload is recognised end to end (the worker has loaded the model).
            wait_for(lambda: request(url + "/api/predictions?wait=30", *multipart("image", "d.png", picture),
                                     timeout=40)[0] == 200, 120, lambda: (workdir / "worker.log").read_text())

            def kill():
                master.kill()
                return time.monotonic()

            started = time.monotonic()
            ids, waits, refusals, killed = stream(url, picture, args.uploads, args.interval, args.kill_after, kill)
            stream_seconds = time.monotonic() - started
            promoted = int(redis.Redis(port=sentinels[0][1]).sentinel_get_master_addr_by_name(MASTER)[1])
            after_kill = [accepted for first_try, accepted in waits if first_try >= killed]
            statuses = settle(url, ids, args.settle)
            worker_log = (workdir / "worker.log").read_text()
            counts = {s: list(statuses.values()).count(s) for s in sorted(set(statuses.values()))}
            result = {
                "machine_cpus": os.cpu_count(),
                "setup": "1 master, 1 replica, 3 Sentinels (quorum 2, down-after 1000 ms); 1 gunicorn web "
                         "(1 process, 4 threads), 1 worker; all found the master through Sentinel",
                "uploads_sent": args.uploads,
                "master_killed_after_uploads": args.kill_after,
                "upload_interval_seconds": args.interval,
                "stream_seconds": round(stream_seconds, 3),
                "replica_promoted": promoted == replica_port,
                "outage_seconds": round(after_kill[0] - killed, 3),
                "longest_wait_to_accept_seconds": round(max(a - f for f, a in waits), 3),
                "uploads_accepted": len(waits),
                "refused_answers": refusals,
                "records": len(ids),
                "records_by_status": counts,
                "records_lost": counts.get("lost", 0),
                "records_stuck": sum(n for s, n in counts.items() if s not in ("finished", "failed", "lost")),
                "failed_error_codes": sorted({r for r in _error_codes(url, statuses)}),
                # Where in the stream each failed record was (the master died before upload kill_after).
                "failed_upload_positions": [n for n, pid in enumerate(ids) if statuses[pid] == "failed"],
                "worker_exited": worker.poll() is not None,
                "worker_log_tracebacks": worker_log.count("Traceback"),
            }
        finally:
            stop_all(processes, timeout=15)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _error_codes(url, statuses):
    for pid, status in statuses.items():
        if status == "failed":
            code, raw = request(f"{url}/api/predictions/{pid}", timeout=10)
            yield json.loads(raw).get("error_code") if code == 200 else "unanswered"


if __name__ == "__main__":
    main()
