"""`make run`: Redis (embedded unless REDIS_URL or REDIS_SENTINELS is set), the workers and the
web server, each kept running.

Runs as a plain script, before Django is configured, because it decides the environment
(REDIS_URL, SECRET_KEY) that the Django processes it starts will read. A child that dies is
started again with back-off (processes.Supervised); one death never stops the others. Ctrl-C
stops them all: the web and the workers first, Redis last.
"""
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.processes import Supervised, spawn

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Longer than gunicorn's graceful timeout below, so the web gets to finish its requests.
STOP_SECONDS = 15

log = logging.getLogger("mnistsite.stack")


def prepare_environment():
    env = dict(os.environ)
    data_dir = Path(env.get("DATA_DIR") or BASE_DIR / ".data")
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not env.get("SECRET_KEY") and not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env["DATA_DIR"] = str(data_dir)
    return env, data_dir


def worker_command(verbosity="1"):
    # Uploads first; heat maps (settings.EXPLAIN_QUEUE) only while no upload waits.
    return [PYTHON, "manage.py", "rqworker", "default", os.environ.get("EXPLAIN_QUEUE") or "explain",
            "-v", verbosity]


def web_command(host, port, env):
    # gthread workers: a request that waits for its answer (?wait=N) holds a thread, not a
    # process, and waits are capped per process (recognizer/waiting.py).
    return [PYTHON, "-m", "gunicorn", "mnistsite.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", env.get("WEB_CONCURRENCY", "2"), "--threads", env.get("WEB_THREADS", "8"),
            "--timeout", "60", "--graceful-timeout", "10", "--access-logfile", env.get("ACCESS_LOG", "-")]


def wants_embedded_redis(env):
    """No Redis setting at all: start one here. With REDIS_SENTINELS the master is found
    through Sentinel, even without REDIS_URL, so an embedded one would serve nobody."""
    return not env.get("REDIS_URL") and not env.get("REDIS_SENTINELS")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def children(env, host, port, redis_server):
    """The supervised children, in the order they start (they stop in reverse)."""
    found = []
    if redis_server is not None:
        def start_redis():
            redis_server.start()
            return redis_server.process
        found.append(Supervised("redis-server", start_redis))
    for number in range(int(env.get("WORKERS", "1"))):
        found.append(Supervised(f"worker {number + 1}",
                                lambda: spawn(worker_command(), cwd=BASE_DIR, env=env)))
    found.append(Supervised("web", lambda: spawn(web_command(host, port, env), cwd=BASE_DIR, env=env)))
    return found


def main():
    logging.basicConfig(level=logging.INFO, format="stack: %(message)s")
    env, data_dir = prepare_environment()
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    redis_server = None
    if wants_embedded_redis(env):
        redis_server = EmbeddedRedis(data_dir / "redis", port=int(env.get("EMBEDDED_REDIS_PORT", 6379)))
        env["REDIS_URL"] = redis_server.url

    def interrupt(*_):
        raise KeyboardInterrupt

    # Set explicitly: a shell that starts us in the background would leave SIGINT ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    supervised = children(env, host, port, redis_server)
    try:
        if redis_server is not None:
            supervised[0].start()
            print(f"Embedded Redis on {env['REDIS_URL']} (data in {data_dir / 'redis'})", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        for child in supervised:
            if child.process is None:
                child.start()
        print(f"\n  Digit recognizer: http://{host}:{port}/\n"
              f"  Create an admin user: .venv/bin/python manage.py createsuperuser\n"
              f"  Stop everything with Ctrl-C.\n", flush=True)
        while True:
            for child in supervised:
                child.check()
            time.sleep(0.25)
    except KeyboardInterrupt:
        return 0
    finally:
        # Ctrl-C again while stopping must not leave the rest running.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        for child in reversed(supervised):
            child.stop(STOP_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
