"""The measurements themselves, kept apart from starting servers so the test suite can run them in-process.

- `count_queries(client_for, pages)`: each page (after one warm-up request) through Django's test client under
  `CaptureQueriesContext` (it works with DEBUG off): the status and the exact query count.
  Query counts are taken in-process, apart from the timing, so timing needs no change to the app.
- `time_pages(base_url, cookies, pages, n)`: each page n times over HTTP against the served app
  (a fresh connection each time, as gunicorn's sync workers close it): p50 / p95 in ms.
- `measure_document(url, user)`: one printed document or export in a fresh Python process
  (`python -m scripts.bench.document`): seconds and the process's peak memory (ru_maxrss).
"""
import http.client
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def percentile(values, p):
    """The p-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def count_queries(client_for, pages, *, warm=True):
    """{page key: {"status", "queries"}}; client_for(username) returns a logged-in django.test.Client.
    warm=False counts the first request (quicker, for the test suite)."""
    results = {}
    clients = {}
    for page in pages:
        client = clients.get(page.user) or clients.setdefault(page.user, client_for(page.user))
        status, queries = _counted(client, page.url, warm)
        results[page.key] = {"status": status, "queries": queries}
        if page.admin_url:
            admin = clients.get("admin") or clients.setdefault("admin", client_for("admin"))
            status, queries = _counted(admin, page.admin_url, warm)
            results[page.key].update(admin_status=status, admin_queries=queries)
    return results


def _counted(client, url, warm):
    """(status, queries) of the second request: the first fills caches a served app keeps warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2 if warm else 1):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
    return response.status_code, len(ctx.captured_queries)


def _get(base_url, path, cookie):
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": parts.netloc})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def login(base_url, username, password):
    """Sign in through the login form like a browser; returns the Cookie header value of the session."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    conn.close()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    from urllib.parse import urlencode

    conn.request("POST", "/accounts/login/", body=urlencode({
        "username": username, "password": password, "csrfmiddlewaretoken": token}),
        headers={"Cookie": f"csrftoken={csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded",
                 "Referer": f"{base_url}/accounts/login/"})
    response = conn.getresponse()
    response.read()
    conn.close()
    session = re.search(r"sessionid=([^;]+)", ", ".join(v for k, v in response.getheaders() if k == "Set-Cookie"))
    if response.status != 302 or not session:
        raise RuntimeError(f"could not sign in as {username} (HTTP {response.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def time_pages(base_url, cookies, pages, n, *, warmup=1):
    """{page key: {"p50_ms", "p95_ms", "status"}, plus admin_p50_ms / admin_p95_ms for lists}."""
    results = {}
    for page in pages:
        row = results[page.key] = _timed(base_url, page.url, cookies[page.user], n, warmup)
        if page.admin_url:
            admin = _timed(base_url, page.admin_url, cookies["admin"], n, warmup)
            row.update({f"admin_{k}": v for k, v in admin.items()})
    return results


def _timed(base_url, path, cookie, n, warmup):
    statuses, times = set(), []
    for i in range(warmup + n):
        status, ms = _get(base_url, path, cookie)
        statuses.add(status)
        if i >= warmup:
            times.append(ms)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
            "status": sorted(statuses)[-1]}


def measure_document(url, user, *, env=None, timeout=1800, module="scripts.bench.document"):
    """Seconds and peak memory (MB) of one document, rendered in a fresh process (or of one of
    scripts.bench.action's writes: module="scripts.bench.action", url its name)."""
    proc = subprocess.run([sys.executable, "-m", module, url, user], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])
