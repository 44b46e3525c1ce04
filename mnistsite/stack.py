"""`make run`: Redis (embedded unless REDIS_URL is set), one worker and the web server.

Runs as a plain script, before Django is configured, because it decides the environment
(REDIS_URL, SECRET_KEY) that the Django processes it starts will read. Ctrl-C stops them all.
"""
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from mnistsite.embedded_redis import EmbeddedRedis
from mnistsite.processes import stop_all

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


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
    return [PYTHON, "manage.py", "rqworker", "default", "-v", verbosity]


def web_command(host, port, env):
    # gthread workers: a request that waits for its answer (?wait=N) holds a thread, not a process.
    return [PYTHON, "-m", "gunicorn", "mnistsite.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", env.get("WEB_CONCURRENCY", "2"), "--threads", env.get("WEB_THREADS", "8"),
            "--timeout", "60", "--access-logfile", env.get("ACCESS_LOG", "-")]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def main():
    env, data_dir = prepare_environment()
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    redis_server = None
    if not env.get("REDIS_URL"):
        redis_server = EmbeddedRedis(data_dir / "redis", port=int(env.get("EMBEDDED_REDIS_PORT", 6379)))
        env["REDIS_URL"] = redis_server.start()
        print(f"Embedded Redis on {env['REDIS_URL']} (data in {data_dir / 'redis'})", flush=True)
    children = []

    def stop(*_):
        stop_all(list(reversed(children)), timeout=15)
        if redis_server:
            redis_server.stop()

    def interrupt(*_):
        raise KeyboardInterrupt

    # Set explicitly: a shell that starts us in the background would leave SIGINT ignored.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        for _ in range(int(env.get("WORKERS", "1"))):
            children.append(subprocess.Popen(worker_command(), cwd=BASE_DIR, env=env))
        children.append(subprocess.Popen(web_command(host, port, env), cwd=BASE_DIR, env=env))
        time.sleep(1)
        print(f"\n  Digit recognizer: http://{host}:{port}/\n"
              f"  Create an admin user: .venv/bin/python manage.py createsuperuser\n"
              f"  Stop everything with Ctrl-C.\n", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("A process stopped; shutting down the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
