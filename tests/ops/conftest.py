"""Scratch PostgreSQL databases for the backup drill and the soak: real databases that other processes (pg_dump,
gunicorn) read, so not pytest-django's test database inside a transaction.

`demo_database` (once per session) copies the migrated test database as a template into sec_e_src — no second
`migrate` — and loads a demo into it in its own process (tests/ops/small_demo.py: the demo school's people and
places and the assets and canteen demo areas, made through the services as `seed_demo` does; the whole demo
takes 50–100 s on a busy 2-core machine). Every scratch database is dropped at the end, also when a test fails.
"""
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "sec_e_src"


def run(args, env, timeout=300):
    """A command of the project in its own process, with env on top of ours (no DATABASE_URL, MEDIA_ROOT or FORCE
    leaking from the caller)."""
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "FORCE")}
    full.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=timeout)


def pg(dbname="postgres"):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(dbname=dbname, host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                           password=s["PASSWORD"] or None, autocommit=True)


def url(dbname):
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def drop(name):
    with pg() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clone(template, name):
    """CREATE DATABASE name TEMPLATE template (the template must have no other connection: ours are closed)."""
    connections.close_all()
    with pg() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for attempt in range(10):
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except Exception as e:  # "source database is being accessed by other users": a closing connection
                if "being accessed" not in str(e) or attempt == 9:
                    raise
                if attempt >= 2:
                    # Still there: a connection the suite's earlier tests left open (a thread's, a served app's),
                    # not one of ours (closed above). It is ended; its owner reconnects when it needs to.
                    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = %s AND pid <> pg_backend_pid()", [template])
                time.sleep(1)


@contextmanager
def scratch(*names):
    """Drop the named databases on the way out, whatever happened."""
    try:
        yield
    finally:
        for name in names:
            drop(name)


@pytest.fixture(scope="session")
def demo_database(request, tmp_path_factory):
    """(name, MEDIA_ROOT, seconds the demo took): sec_e_src with the small demo, dropped after the session."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs on it)")
    request.getfixturevalue("django_db_setup")  # the migrated test database, the template
    media = tmp_path_factory.mktemp("media_src")
    with scratch(SOURCE):
        clone(connection.settings_dict["NAME"], SOURCE)
        started = time.monotonic()
        done = run(["-m", "tests.ops.small_demo"], {"DATABASE_URL": url(SOURCE), "MEDIA_ROOT": str(media),
                                                     "DEBUG": "true"})
        seconds = time.monotonic() - started
        assert done.returncode == 0, done.stdout + done.stderr
        print(done.stdout)
        yield SOURCE, media, seconds
