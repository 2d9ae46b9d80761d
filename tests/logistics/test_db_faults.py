"""A database that stops answering: the app answers its error page and /healthz 503 within seconds (not after the
30 s gunicorn kills a worker at), and recovers by itself when the database is back (logistics/settings.py,
DB_CONNECT_TIMEOUT …, CONN_HEALTH_CHECKS).

The app runs as in production — gunicorn, one sync worker, persistent connections (CONN_MAX_AGE=600), the default
timeouts — in a subprocess whose DATABASE_URL points at a port of the test's: (a) a server that accepts the TCP
connection and never says a word; (b) a TCP proxy in front of the real PostgreSQL that the test stops (closing every
socket) and starts again. gunicorn's own timeout is set far above the bounds asserted, so only the app's timeouts
can pass these tests."""
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                                 reason="needs PostgreSQL (CI runs on it)"),
              pytest.mark.django_db]  # so pytest-django makes the test database the app servers use

FAKE_DB_PORT, PROXY_PORT = 55431, 55432
APP_ON_FAKE, APP_ON_PROXY = 8613, 8614
# A page that needs the database: a session cookie makes the session middleware read its session (not found
# when the database answers: the start page for a visitor who is not signed in).
PAGE_HEADERS = {"Cookie": f"{settings.SESSION_COOKIE_NAME}=abcdefghijklmnopqrstuvwxyz012345"}


class _Listener:
    """A loopback TCP server in a thread: each accepted connection is handed to `serve` (in its own thread)."""

    def __init__(self, port):
        self.port = port
        self.sockets = []
        self.running = False

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                client, _addr = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.sockets.append(client)
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client):
        pass

    def stop(self):
        """Stop listening (new connections are refused) and close every connection it holds."""
        self.running = False
        self.thread.join()
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.sockets = []


class SilentServer(_Listener):
    """Accepts every connection and never answers (a database host that hangs)."""

    def serve(self, client):
        try:
            while self.running and client.recv(65536):
                pass
        except OSError:
            pass


class Proxy(_Listener):
    """Forwards each connection to the real PostgreSQL; stop() cuts them all, start() listens again."""

    def __init__(self, port, target):
        super().__init__(port)
        self.target = target

    def serve(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self.sockets.append(upstream)
        threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()
        self._pump(client, upstream)

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def start_app(port, db_port, db_name):
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{db_port}/{db_name}",
           "CONN_MAX_AGE": "600", "DEBUG": "false", "TESTING": "true",
           "DB_TIMEOUTS_IN_TESTS": "true", "SECRET_KEY": "test-db-faults"}
    for name in ("DB_CONNECT_TIMEOUT", "DB_TCP_USER_TIMEOUT", "DB_STATEMENT_TIMEOUT", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)  # the defaults are what is tested
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "logistics.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "120", "--graceful-timeout", "1", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def get(port, path, headers=None, timeout=60):
    """(status, seconds) of a GET."""
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback only)
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, time.monotonic() - started


def wait_until_serving(port, proc):
    """Until the worker answers: a request the app refuses before asking the database anything (a body over
    MAX_REQUEST_BYTES: 413 from logistics.middleware), so the wait does not depend on the database."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 413"):
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the app server did not start")


@pytest.fixture(scope="module")
def apps(django_db_setup, django_db_blocker):
    """Both app servers, started together (their start-up overlaps): one on the silent server, one on the proxy."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")  # the test database, made by pytest-django
        db_name = cursor.fetchone()[0]
    silent = SilentServer(FAKE_DB_PORT)
    silent.start()
    proxy = Proxy(PROXY_PORT, (settings.DATABASES["default"]["HOST"] or "127.0.0.1",
                               int(settings.DATABASES["default"]["PORT"] or 5432)))
    proxy.start()
    procs = {"silent": start_app(APP_ON_FAKE, FAKE_DB_PORT, db_name),
             "proxy": start_app(APP_ON_PROXY, PROXY_PORT, db_name)}
    try:
        wait_until_serving(APP_ON_FAKE, procs["silent"])
        wait_until_serving(APP_ON_PROXY, procs["proxy"])
        yield {"silent": silent, "proxy": proxy, "procs": procs}
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=10)
        silent.stop()
        if proxy.running:
            proxy.stop()


def test_a_database_that_never_answers_gives_503_and_the_error_page_within_seconds(apps):
    status, seconds = get(APP_ON_FAKE, "/healthz")
    assert status == 503 and seconds < 8, (status, seconds)
    status, seconds = get(APP_ON_FAKE, "/", headers=PAGE_HEADERS)
    assert status in (500, 503) and seconds < 12, (status, seconds)
    assert apps["procs"]["silent"].poll() is None  # answered by the worker itself, not by killing it
    assert apps["silent"].sockets  # the app did reach the silent server


def test_a_database_that_goes_away_and_comes_back_needs_no_restart(apps):
    proxy, proc = apps["proxy"], apps["procs"]["proxy"]
    assert get(APP_ON_PROXY, "/healthz")[0] == 200
    assert get(APP_ON_PROXY, "/", headers=PAGE_HEADERS)[0] in (200, 302)  # no such session: a visitor's answer
    assert proxy.sockets  # a persistent connection through the proxy

    proxy.stop()  # the database goes away: the persistent connection is cut, new ones are refused
    status, seconds = get(APP_ON_PROXY, "/healthz")
    assert status == 503 and seconds < 5, (status, seconds)
    status, seconds = get(APP_ON_PROXY, "/", headers=PAGE_HEADERS)
    assert status in (500, 503) and seconds < 5, (status, seconds)

    proxy.start()  # back: the very next requests succeed, same worker, no restart
    assert get(APP_ON_PROXY, "/healthz")[0] == 200
    assert get(APP_ON_PROXY, "/", headers=PAGE_HEADERS)[0] in (200, 302)
    assert proc.poll() is None
