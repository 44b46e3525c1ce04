"""What the queue costs apart from the recognition: CPU per upload of each process, and Redis
commands, for the web's accepting of uploads and then the worker's jobs (uploads and heat maps).

  .venv/bin/python -m bench.overhead [--count 300] [--clients 1] [--replay] [--profile DIR]

The web (gunicorn, as `make run` starts it) takes `count` uploads with no worker running (no
`?wait`: the answer is 202); then one burst worker in a child process works both queues
(uploads, then heat maps), as `make run` starts it. CPU
times come from /proc, per process, so they hold up on a busy machine far better than rates.
With `--replay` the worker's recognition answers from results computed before the clock
starts, so what is left is the queue's own cost: RQ's bookkeeping, the records, thumbnails and
metrics. `--profile DIR` samples the web (while it takes the uploads) and then the worker with
py-spy (bench/profile.py).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import run

# The worker, in a child process with the stack's environment. Prints one JSON line.
WORKER = r'''
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mnistsite.settings")
django.setup()
import django_rq
from django.conf import settings
from ml.predict import load_serving_model
from recognizer import tasks
from recognizer.worker import ModelWorker

load_serving_model(settings.MODEL_PATH, threads=settings.WORKER_MODEL_THREADS,
                   second_path=settings.SECOND_MODEL_PATH)
from recognizer import history

conn = django_rq.get_connection("default")
queue = django_rq.get_queue("default")
queues = [queue, django_rq.get_queue(settings.EXPLAIN_QUEUE)]  # as `make run` starts workers
if sys.argv[1] == "replay":
    from rq.job import Job
    from recognizer.jobs import contents
    recognise = tasks.recognise_many
    answers = {}
    for job_id in queue.get_job_ids():
        # One upload's job or several uploads' (batching.py): contents() reads both.
        for data in contents(Job.fetch(job_id, connection=conn).args)[1]:
            if data not in answers:
                answers[data] = recognise([data])[0]
    tasks.recognise_many = lambda images, crops=None: [answers[d] for d in images]
uploads = history.counts()["status"]["queued"]
worker = ModelWorker(queues, connection=conn)
conn.config_resetstat()
print("ready", flush=True)
sys.stdin.readline()
started = time.process_time()
worker.work(burst=True, with_scheduler=False, logging_level="WARNING")
cpu = time.process_time() - started
stats = conn.info("commandstats")
jobs = {q.name: len(q.finished_job_registry) + len(q.failed_job_registry) for q in queues}
print(json.dumps({"uploads": uploads, "jobs": jobs, "cpu_s": cpu,
                  "redis_commands": {k[8:]: v["calls"] for k, v in stats.items()}}))
'''


def per(total, n):
    return round(total * 1000 / max(n, 1), 2)


def commands(stats, n):
    return {"total": round(sum(stats.values()) / max(n, 1), 1),
            **{k: round(v / max(n, 1), 1) for k, v in sorted(stats.items(), key=lambda kv: -kv[1])[:12]}}


def measure(args):
    images = run.digit_pngs()
    single = [run.multipart([img]) for img in images]
    with tempfile.TemporaryDirectory(prefix="digits-overhead-") as tmp:
        with run.our_stack(0, Path(tmp), 2, args.clients) as s:
            port, conn = s["port"], s["conn"]
            run.run_load(port, "/api/predictions", single, 20, 1)  # warm-up: imports, connections
            processes = {"web": [s["web"]], "redis": [s["redis"]]}
            web_recorder = None
            if args.profile:
                from bench import profile

                web_recorder = profile.Recorder("web", s["web"].pid, args.profile)
                time.sleep(0.5)
            before = run.cpu_split(processes)
            conn.config_resetstat()
            _, answers, errors, _ = run.drive(port, "/api/predictions", single, args.count, args.clients)
            after = run.cpu_split(processes)
            if web_recorder:
                print(profile.report(profile.top(web_recorder.stop(), 20), "web"), flush=True)
            web_stats = {k[8:]: v["calls"] for k, v in conn.info("commandstats").items()}
            # Without ?wait an accepted upload is answered 202, which drive() files under errors.
            accepted = len(answers) + sum(1 for e in errors if e.startswith("202 "))
            if accepted < args.count:
                raise RuntimeError(f"only {accepted} of {args.count} uploads were accepted: {errors[:1]}")
            web = {"uploads": accepted, "cpu_ms_per_upload": {k: per(after[k] - before[k], accepted) for k in after},
                   "redis_commands_per_upload": commands(web_stats, accepted)}

            env = dict(os.environ, DATA_DIR=tmp, SECRET_KEY="overhead-" + os.urandom(8).hex(), DEBUG="0",
                       LOG_LEVEL="WARNING",
                       REDIS_URL="redis://127.0.0.1:%d/0" % conn.connection_pool.connection_kwargs["port"])
            child = subprocess.Popen([sys.executable, "-c", WORKER, "replay" if args.replay else "recognise"],
                                     cwd=run.BASE_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("the worker did not start")
            recorder = None
            if args.profile:
                from bench import profile

                recorder = profile.Recorder("worker", child.pid, args.profile)
                time.sleep(0.5)
            redis_before = run.cpu_seconds(s["redis"].pid)
            child.stdin.write("go\n")
            child.stdin.flush()
            out = json.loads(child.stdout.readline())
            child.wait()
            redis_cpu = run.cpu_seconds(s["redis"].pid) - redis_before
            n = out["uploads"]
            worker = {"uploads": n, "jobs": out["jobs"], "replay": args.replay,
                      "cpu_ms_per_upload": {"worker": per(out["cpu_s"], n), "redis": per(redis_cpu, n)},
                      "redis_commands_per_upload": commands(out["redis_commands"], n)}
            if recorder:
                from bench import profile

                print(profile.report(profile.top(recorder.stop(), 20), "worker"), flush=True)
    return {"web": web, "worker": worker, "load_average": round(os.getloadavg()[0], 2)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="uploads (one picture each)")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients for the uploads")
    parser.add_argument("--replay", action="store_true", help="the worker replays answers computed beforehand")
    parser.add_argument("--profile", metavar="DIR", help="py-spy the web and the worker")
    parser.add_argument("--output", help="also write the figures here (JSON)")
    args = parser.parse_args(argv)
    result = measure(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
