"""Real servers on loopback for the tests that need them, each on a free port:
an S3 API (moto's server mode, from requirements-dev.txt) and PostgreSQL (Debian's
`postgresql` package, installed by .ci/run). A missing binary fails the test, never skips it."""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from mnistsite.embedded_redis import free_port
from mnistsite.processes import stop_all


def wait_for_port(port, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"exited early:\n{log.read_text() if log.exists() else ''}"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert time.monotonic() < deadline, f"nothing listens on {port}:\n{log.read_text()}"
        time.sleep(0.05)


class S3Server:
    """moto's S3 API as a separate process: the storage code talks real HTTP to it."""
    ACCESS_KEY = "testing-access-key"
    SECRET_KEY = "testing-secret-key"
    REGION = "us-east-1"

    def __init__(self, workdir):
        self.log = workdir / "moto.log"
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, self.log)

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.REGION,
                            aws_access_key_id=self.ACCESS_KEY, aws_secret_access_key=self.SECRET_KEY)

    def new_bucket(self):
        name = f"digits-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def environment(self, bucket):
        """The settings a process needs to keep its uploads in `bucket` (see mnistsite/settings.py)."""
        return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": self.endpoint, "S3_REGION": self.REGION,
                "S3_ACCESS_KEY_ID": self.ACCESS_KEY, "S3_SECRET_ACCESS_KEY": self.SECRET_KEY,
                "S3_ADDRESSING_STYLE": "path"}

    def storage_setting(self, bucket):
        from mnistsite.settings import s3_storage

        return s3_storage(bucket, endpoint_url=self.endpoint, region=self.REGION, access_key=self.ACCESS_KEY,
                          secret_key=self.SECRET_KEY, addressing_style="path")

    def stop(self):
        stop_all([self.process], timeout=10)


def postgres_binary(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if not found:
        pytest.fail(f"PostgreSQL's {name} is missing: install Debian's postgresql package (.ci/run does).")
    return found


class PostgresServer:
    """A throw-away PostgreSQL cluster in a temporary folder. PostgreSQL refuses to run as root,
    so under root (CI) it runs as the `postgres` user that Debian's package creates."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="digits-pg-")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.port = free_port()
        self.as_user = {}
        if os.geteuid() == 0:
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.as_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        self._run(postgres_binary("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(postgres_binary("pg_ctl"), "-D", self.data, "-o", options, "-l", self.log, "-w", "start")
        self.url_for = lambda name: f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *command):
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root, **self.as_user)
        assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"

    def new_database(self):
        """A fresh empty database; returns its URL."""
        import psycopg

        name = f"digits_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def stop(self):
        subprocess.run([postgres_binary("pg_ctl"), "-D", self.data, "-m", "immediate", "stop"],
                       capture_output=True, cwd=self.root, **self.as_user)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def postgres_server():
    server = PostgresServer()
    yield server
    server.stop()
