"""With DATABASE_URL (or DATABASE_URL_FILE) set, users and sessions live in PostgreSQL, not in
the host's SQLite file: a real server started from Debian's postgresql package for the test."""
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

from .servers import postgres_server  # noqa: F401  (fixture)

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                            env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_it_keeps_users_in_postgresql_and_not_in_sqlite(postgres_server, tmp_path):  # noqa: F811
    url = postgres_server.new_database()
    env = {"DATABASE_URL": url, "DATA_DIR": str(tmp_path), "DJANGO_SUPERUSER_PASSWORD": "a long pass phrase"}
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createsuperuser", "--noinput", "--username", "operator", "--email", "op@example.com")

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT username, is_staff FROM auth_user").fetchall()
    assert rows == [("operator", True)]
    assert not (tmp_path / "db.sqlite3").exists()


def test_it_reads_the_url_from_a_file(postgres_server, tmp_path):  # noqa: F811
    url = postgres_server.new_database()
    secret = tmp_path / "database-url"
    secret.write_text(url + "\n")
    env = {"DATABASE_URL_FILE": str(secret), "DATA_DIR": str(tmp_path)}
    manage(env, "migrate", "--noinput", "-v", "0")
    out = manage(env, "shell", "-v", "0", "-c", "from django.db import connection; "
                 "connection.ensure_connection(); print(connection.vendor, connection.settings_dict['NAME'])")
    assert out.split() == ["postgresql", url.rsplit("/", 1)[1]]
