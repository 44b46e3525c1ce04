"""Several hosts, all on loopback: two web hosts (two gunicorn processes from this project, each
with its own DATA_DIR), one worker process, one Redis, one S3 API (moto's server mode) and one
PostgreSQL. Every page and picture is served by either web host, a login on one is valid on the
other, and a delete on one removes the record and its picture everywhere."""
import os
import subprocess
import sys

import pytest
import requests
from django.conf import settings

from mnistsite.embedded_redis import free_port
from mnistsite.processes import stop_all
from mnistsite.stack import web_command

from .servers import postgres_server, s3_server, wait_for_port  # noqa: F401  (fixtures)

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

PASSWORD = "a long pass phrase for the operator"


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def shared_env(s3_server, postgres_server, tmp_path):  # noqa: F811
    """What every host shares: Redis (this test run's), the bucket, the database, the key."""
    env = {**os.environ, **s3_server.environment(s3_server.new_bucket()),
           "DATABASE_URL": postgres_server.new_database(), "SECRET_KEY": "one key shared by every web host",
           "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "1", "WEB_THREADS": "4", "API_TOKEN": "",
           "DATA_DIR": str(tmp_path / "admin-host")}
    manage(env, "migrate", "--noinput", "-v", "0")
    manage({**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, "createsuperuser", "--noinput",
           "--username", "operator", "--email", "operator@example.com")
    return env


@pytest.fixture
def web_hosts(shared_env, tmp_path):
    """Two web hosts: (base URL, DATA_DIR) each."""
    processes, hosts = [], []
    for name in ("host-a", "host-b"):
        data_dir = tmp_path / name
        data_dir.mkdir()
        port = free_port()
        env = {**shared_env, "DATA_DIR": str(data_dir), "STATIC_ROOT": str(tmp_path / "static")}
        log = tmp_path / f"{name}.log"
        with open(log, "w") as out:
            # Each host its own control socket, as on separate machines (the default is in $HOME).
            command = [*web_command("127.0.0.1", port, env), "--control-socket", str(data_dir / "gunicorn.ctl")]
            processes.append(subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=out,
                                              stderr=subprocess.STDOUT))
        wait_for_port(port, processes[-1], log)
        hosts.append((f"http://127.0.0.1:{port}", data_dir))
    yield hosts
    stop_all(processes, timeout=15)


def log_in(session, base):
    session.get(f"{base}/admin/login/")
    response = session.post(f"{base}/admin/login/?next=/admin/", allow_redirects=False, data={
        "username": "operator", "password": PASSWORD, "next": "/admin/",
        "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/", response.text


def upload(session, base, name, data):
    # As the site's own pages call the API: the session cookie with its CSRF token.
    response = session.post(f"{base}/api/predictions?wait=60", files={"image": (name, data, "image/png")},
                            headers={"X-CSRFToken": session.cookies["csrftoken"]})
    assert response.status_code == 200, response.text
    [record] = response.json()["predictions"]
    assert record["status"] == "finished", record
    return record


def pages(prediction_id):
    return ["/", f"/p/{prediction_id}/", f"/results/?ids={prediction_id}", "/history/", "/dashboard/",
            "/api/predictions", f"/api/predictions/{prediction_id}", f"/media/{prediction_id}/thumb.png",
            f"/media/{prediction_id}/input.png", "/healthz/ready", "/healthz/live", "/metrics"]


def test_two_web_hosts_serve_the_same_site(web_hosts, shared_env, start_worker, s3_server, digit_images, tmp_path):  # noqa: F811
    start_worker(env={**shared_env, "DATA_DIR": str(tmp_path / "worker-host")})
    (a, a_dir), (b, b_dir) = web_hosts
    session = requests.Session()

    # A login on one host is valid on the other: sessions live in the shared database.
    log_in(session, a)
    assert session.get(f"{b}/admin/", allow_redirects=False).status_code == 200

    first = upload(session, a, "seven.png", digit_images[7])
    second = upload(session, b, "two.png", digit_images[2])
    assert (first["digit"], second["digit"]) == (7, 2)
    bucket = shared_env["S3_BUCKET"]
    assert len(s3_server.keys(bucket)) == 2

    for base in (a, b):
        for record, data in ((first, digit_images[7]), (second, digit_images[2])):
            for path in pages(record["id"]):
                response = session.get(base + path, allow_redirects=False)
                assert response.status_code == 200, (base, path, response.status_code)
            picture = session.get(f"{base}/media/{record['id']}/upload")
            assert picture.status_code == 200 and picture.content == data, (base, record["id"])

    # A delete on host B removes the record and its picture for host A too.
    confirm = session.get(f"{b}/p/{first['id']}/delete")
    assert confirm.status_code == 200
    deleted = session.post(f"{b}/p/{first['id']}/delete", allow_redirects=False,
                           data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
                           headers={"Referer": f"{b}/p/{first['id']}/delete"})
    assert deleted.status_code == 302, deleted.text
    for base in (a, b):
        for path in (f"/p/{first['id']}/", f"/media/{first['id']}/upload", f"/api/predictions/{first['id']}"):
            assert session.get(base + path).status_code == 404, (base, path)
        assert session.get(f"{base}/media/{second['id']}/upload").content == digit_images[2]
    assert s3_server.keys(bucket) == [f"uploads/{second['id']}.png"]

    # Nothing of the shared state was kept on either web host's own disk.
    for data_dir in (a_dir, b_dir):
        assert not (data_dir / "db.sqlite3").exists()
        assert not (data_dir / "media" / "uploads").exists()
