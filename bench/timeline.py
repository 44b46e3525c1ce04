"""Where one upload's milliseconds go, light load: the Redis commands of each request, timed.

  .venv/bin/python -m bench.timeline [--count 40] [--show 1]

Starts the stack as `make bench` does (embedded Redis, one model worker, gunicorn), warms it up,
then sends `count` single uploads one after the other with `?wait=30`, each watched by Redis's
MONITOR: the server stamps every command it receives with its own clock, which is this
machine's, so the client's send and receive times line up with the web's and the worker's
commands. Prints the median time of each step and `show` whole timelines. MONITOR itself slows
Redis a little: the figures are for comparing steps, not for the benchmark's table.
"""
import argparse
import json
import statistics
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from redis import Redis

from bench import run


class Monitor:
    """Redis's MONITOR in a thread: (server time, client address, command, rest) per command."""

    def __init__(self, url, off=False):
        self.lines, self._conn = [], Redis.from_url(url)
        self._stop = False
        if off:
            return
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        with self._conn.monitor() as m:
            for command in m.listen():
                self.lines.append((command["time"], command["client_address"] + ":" + str(command["client_port"]),
                                   command["command"]))
                if self._stop:
                    return

    def stop(self):
        self._stop = True


# Each step ends at the first command (after the one before) that matches.
def _steps(cmds, t0, t1):
    """{step: ms since the request was sent} for one request's commands [(t, client, command)]."""
    marks = {}
    def first(pred, after):
        for t, client, cmd in cmds:
            if t >= after and pred(client, cmd):
                return t, client
        return None, None

    exec_t, web = first(lambda c, cmd: cmd == "EXEC", t0)
    if exec_t is None:
        return None
    marks["web: enqueued (EXEC)"] = exec_t
    w_t, worker = first(lambda c, cmd: c != web and not cmd.startswith("XREAD") and not cmd.startswith("HGETALL mnist"), exec_t)
    marks["worker: first command after the take"] = w_t
    prepared, _ = first(lambda c, cmd: cmd.startswith("HSET rq:execution:"), exec_t)
    marks["worker: RQ prepares the execution"] = prepared
    beat, _ = first(lambda c, cmd: cmd.startswith("HSET rq:job:") and " status started" in cmd, exec_t)
    marks["worker: RQ marks the job started"] = beat
    started, _ = first(lambda c, cmd: cmd.startswith("HSET mnist:rec:") and " status started" in cmd, exec_t)
    marks["worker: records started"] = started
    finished, _ = first(lambda c, cmd: cmd.startswith("HSET mnist:rec:") and " status finished" in cmd, exec_t)
    marks["worker: records finished"] = finished
    xadd, _ = first(lambda c, cmd: cmd.startswith("XADD rq:results"), exec_t)
    marks["worker: RQ result XADD"] = xadd
    last_worker = max((t for t, c, cmd in cmds if c == worker and t <= t1 and not cmd.startswith("BLPOP")
                       and not cmd.startswith("BZPOPMIN")), default=None)
    marks["worker: last command before the answer"] = last_worker
    last_web = max((t for t, c, cmd in cmds if c == web and t <= t1), default=None)
    marks["web: last command (reading the records)"] = last_web
    marks["client: answer received"] = t1
    return {k: None if v is None else (v - t0) * 1000 for k, v in marks.items()}


def _records(conn, answers):
    """Each answer's record as the history holds it (its time stamps, to the microsecond)."""
    import os

    import django

    kwargs = conn.connection_pool.connection_kwargs
    os.environ["REDIS_URL"] = f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs.get('db', 0)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mnistsite.settings")
    os.environ.setdefault("SECRET_KEY", "timeline")
    django.setup()
    from recognizer import history

    return [history.get(a["predictions"][0]["id"]) if a else None for a in answers]


def _print_stamps(timelines, records):
    """The steps from the records' own time stamps (web and worker clocks are this machine's),
    without MONITOR: created (the web, just before its transaction), started (the worker's
    start of the job), finished (the answer made, just before it is written)."""
    rows = []
    for (t0, t1, _), record in zip(timelines, records):
        if not record or not record.get("started_at") or not record.get("finished_at"):
            continue
        created, started, finished = record["created_at"], record["started_at"], record["finished_at"]
        rows.append({"web: request read, checked and stored (to created_at)": created - t0,
                     "enqueued, worker woken, job fetched and started (to started_at)": started - created,
                     "job: recognition and answer (to finished_at)": finished - started,
                     "  of which recognise_many (duration_ms)": record["duration_ms"] / 1000,
                     "records written, web woken, answer sent (to the client)": t1 - finished,
                     "total": t1 - t0})
    if rows:
        print(f"From the records' time stamps, median ms (n {len(rows)}):")
        for name in rows[0]:
            print(f"  {statistics.median(r[name] for r in rows) * 1000:7.2f}  {name}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--show", type=int, default=1, help="whole timelines to print")
    parser.add_argument("--profile", metavar="DIR", help="py-spy the web and the worker meanwhile")
    parser.add_argument("--no-monitor", action="store_true", help="leave MONITOR out (to profile only)")
    args = parser.parse_args(argv)
    single = [run.multipart([img]) for img in run.digit_pngs(50)]
    with tempfile.TemporaryDirectory(prefix="digits-timeline-") as tmp:
        with run.our_stack(1, Path(tmp) / "w1", 2, 8) as s:
            port, url = s["port"], s["conn"].connection_pool.connection_kwargs
            run.run_load(port, "/api/predictions?wait=30", single, 20, 1)  # warm-up
            monitor = Monitor(f"redis://{url['host']}:{url['port']}/{url.get('db', 0)}", args.no_monitor)
            time.sleep(0.3)
            conn = HTTPConnection(run.HOST, port, timeout=60)
            recorders = []
            if args.profile:
                from bench import profile

                recorders = [profile.Recorder("web", s["web"].pid, Path(args.profile), rate=1000),
                             profile.Recorder("worker", s["workers"][0].pid, Path(args.profile), rate=1000)]
            timelines, answers = [], []
            for i in range(args.count):
                body, content_type = single[i % len(single)]
                time.sleep(0.05)  # the worker is back in its blocking dequeue, as with one client
                start = len(monitor.lines)
                t0 = time.time()
                conn.request("POST", "/api/predictions?wait=30", body=body, headers={"Content-Type": content_type})
                response_body = [conn.getresponse().read()]
                t1 = time.time()
                answers.append(json.loads(response_body[0]) if response_body else None)
                time.sleep(0.01)
                cmds = [c for c in monitor.lines[start:] if c[0] <= t1 + 0.005]
                timelines.append((t0, t1, cmds))
            monitor.stop()
            for recorder in recorders:
                print(profile.report(profile.top(recorder.stop()), recorder.path), flush=True)
            records = _records(s["conn"], answers)
    _print_stamps(timelines, records)
    print("client: median %.2f ms" % statistics.median((t1 - t0) * 1000 for t0, t1, _ in timelines))
    steps = [s for s in (_steps(cmds, t0, t1) for t0, t1, cmds in timelines) if s]
    if not steps:
        return
    print(f"{len(steps)} requests; median ms since the request was sent:")
    for name in steps[0] if steps else ():
        values = [s[name] for s in steps if s[name] is not None]
        if values:
            print(f"  {statistics.median(values):7.2f}  {name}  (n {len(values)})")
    for t0, t1, cmds in timelines[-args.show:] if args.show else []:
        print(f"\none request, {(t1 - t0) * 1000:.2f} ms:")
        for t, client, cmd in cmds:
            print(f"  {(t - t0) * 1000:7.2f}  {client:>21}  {cmd[:110]}")


if __name__ == "__main__":
    main()
