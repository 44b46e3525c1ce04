"""Behind the nginx of compose.yaml (deploy/nginx/digits.conf.template, run here as Debian's
nginx on loopback), clients that send their headers slowly (slowloris) hold nginx connections,
not gunicorn threads: the site answers while more of them are open than gunicorn has threads,
nginx drops them after its header timeout, and an oversized body is refused before it is read."""
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from mnistsite.embedded_redis import free_port
from mnistsite.processes import stop_all

from .stack import Stack, request, wait_for

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "digits.conf.template"
SLOW_CLIENTS = 40  # gunicorn here has 2 processes x 8 threads


def nginx_config(workdir, port, upstream):
    site = (TEMPLATE.read_text().replace("${NGINX_PORT}", f"127.0.0.1:{port}")
            .replace("${NGINX_UPSTREAM}", upstream))
    (workdir / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {workdir / name};" for name in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = (f"{user}daemon off;\nworker_processes 1;\npid {workdir / 'nginx.pid'};\n"
            f"error_log {workdir / 'error.log'} info;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n    access_log off;\n{temp}\n    include {workdir / 'site.conf'};\n}}\n")
    (workdir / "nginx.conf").write_text(main)
    return workdir / "nginx.conf"


@pytest.fixture
def proxied(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(nginx), "nginx is not installed (.ci/run installs it)"
    stack = Stack(tmp_path, WORKERS=0, WEB_CONCURRENCY=2, WEB_THREADS=8).start()
    port = free_port()
    config = nginx_config(tmp_path, port, f"127.0.0.1:{stack.port}")
    process = subprocess.Popen([nginx, "-c", str(config), "-p", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: process.poll() is None and request(f"http://127.0.0.1:{port}/healthz", timeout=5)[0] == 200,
                 30, lambda: (tmp_path / "error.log").read_text())
        yield f"http://127.0.0.1:{port}", port, tmp_path
    finally:
        stop_all([process], timeout=10)
        stack.stop()


def slow_client(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
    return sock


def test_slow_header_clients_do_not_hold_the_site(proxied):
    url, port, workdir = proxied
    clients = [slow_client(port) for _ in range(SLOW_CLIENTS)]
    try:
        for sock in clients:
            sock.sendall(b"X-Slow: 1\r\n")
        assert request(url + "/healthz", timeout=30)[0] == 200
        assert request(url + "/", timeout=30)[0] == 200
        # nginx gives up on them itself (client_header_timeout): each sees its connection end.
        ended = 0
        for sock in clients:
            sock.settimeout(60)
            try:
                while sock.recv(4096):
                    pass
            except ConnectionResetError:
                pass
            ended += 1
        assert ended == SLOW_CLIENTS
    finally:
        for sock in clients:
            sock.close()


def test_an_oversized_body_is_refused_before_it_is_read(proxied):
    url, port, _ = proxied
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /api/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                     b"boundary=x\r\nContent-Length: 104857600\r\n\r\n")
        sock.settimeout(30)
        assert sock.recv(4096).split(b"\r\n")[0].endswith(b"413 Request Entity Too Large")


def test_compose_runs_this_config_in_front_of_the_web_and_restarts_everything():
    import yaml

    services = yaml.safe_load((Path(settings.BASE_DIR) / "compose.yaml").read_text())["services"]
    proxy = services["proxy"]
    assert any(v.startswith("./deploy/nginx/digits.conf.template:") for v in proxy["volumes"])
    assert proxy["environment"]["NGINX_UPSTREAM"] == "web:8000"
    assert "ports" not in services["web"]  # reachable only through the proxy
    assert {name: s.get("restart") for name, s in services.items()} == dict.fromkeys(services, "unless-stopped")
