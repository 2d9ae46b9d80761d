"""`make bench`: the app served as in production, every main page timed, documents measured, a wrk load run.

Run from the project root: `DATABASE_URL=postgres://… .venv/bin/python -m scripts.bench`.
Settings (environment): BENCH_N (requests per page, 20), BENCH_SECONDS (wrk duration, 30),
BENCH_CONNECTIONS (16), BENCH_WORKERS (gunicorn workers, 3 as in the README), BENCH_PASSWORD (demo12345),
BENCH_OUT (directory for latest.json and latest.md, bench/), BENCH_DOCS=0 to skip documents,
BENCH_WRK=0 to skip the load run, BENCH_ONLY=text to measure only pages whose key contains the text.
"""
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import action, measure, report

ROOT = Path(__file__).resolve().parents[2]


def _served_env():
    """The production section of the README: DEBUG off, persistent connections, a real secret."""
    return {
        "DEBUG": "false", "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "logistics.settings", "LOG_LEVEL": "WARNING",
    }


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(port, workers):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(gunicorn), "logistics.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--log-level", "warning"], cwd=ROOT, env=os.environ.copy())
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("gunicorn exited before it served a page") from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz in 60 s")


def _wrk_available():
    if shutil.which("wrk"):
        return True, ""
    if os.geteuid() == 0:
        subprocess.run(["bash", str(ROOT / "scripts/apt-install.sh"), "wrk"], check=False)
        if shutil.which("wrk"):
            return True, ""
    return False, "wrk is not installed and cannot be installed without root (apt-get install wrk): no load run"


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)


def parse_wrk(output):
    """requests/s, average and p99 latency (ms), non-2xx/3xx responses and socket errors from wrk's output."""
    latency = re.search(r"Latency\s+(\S+)", output)
    p99 = re.search(r"99%\s+(\S+)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"requests_per_s": round(float(rps.group(1)), 1) if rps else None,
            "latency_avg": f"{_ms(latency.group(1))} ms" if latency else None,
            "latency_p99": f"{_ms(p99.group(1))} ms" if p99 else None,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0}


def _wrk(base_url, path, cookie, connections, seconds):
    threads = min(connections, os.cpu_count() or 2)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
               "--timeout", "10s", "-H", f"Cookie: {cookie}", base_url + path]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120).stdout
    return parse_wrk(out)


def main():
    n = int(os.environ.get("BENCH_N", "20"))
    seconds = int(os.environ.get("BENCH_SECONDS", "30"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    workers = int(os.environ.get("BENCH_WORKERS", "3"))
    password = os.environ.get("BENCH_PASSWORD", "demo12345")
    out_dir = ROOT / os.environ.get("BENCH_OUT", "bench")
    only = os.environ.get("BENCH_ONLY", "")
    notes = []
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        notes.append("DATABASE_URL is not PostgreSQL: these figures do not stand for production")
    os.environ.update(_served_env())

    print("collectstatic …", flush=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from .pages import build_pages, data_size

    users = {u.username: u for u in get_user_model().objects.all()}
    if not users:
        raise SystemExit("The database has no users: load the demo first (manage.py seed_demo, or --size large)")

    def client_for(username):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(users[username])
        return client

    data = data_size()
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in data.items()), flush=True)
    catalogue = build_pages(documents=os.environ.get("BENCH_DOCS", "1") != "0")
    skipped = list(catalogue.skipped)
    pages = []
    for page in catalogue.pages:
        if only and only not in page.key:
            continue
        if page.user not in users or (page.admin_url and "admin" not in users):
            skipped.append((page.key, f"no user {page.user!r} (load the demo: manage.py seed_demo)"))
            continue
        pages.append(page)

    print(f"Query counts of {len(pages)} pages (in-process) …", flush=True)
    queries = measure.count_queries(client_for, pages)
    from django.db import connections as db_connections

    db_connections.close_all()

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    print(f"gunicorn on {base_url} with {workers} workers …", flush=True)
    server = _start_gunicorn(port, workers)
    load = []
    try:
        # the load run is as the head, whichever pages BENCH_ONLY leaves
        cookies = {u: measure.login(base_url, u, password) for u in {p.user for p in pages} | {"admin", "head"}}
        print(f"Timing {len(pages)} pages × {n} requests …", flush=True)
        timings = measure.time_pages(base_url, cookies, pages, n)
        if os.environ.get("BENCH_WRK", "1") != "0":
            ok, why = _wrk_available()
            if ok:
                register = next((p for p in catalogue.pages if p.key == "assets:asset_list"), None)
                targets = ([("register (head)", register.url, "head")] if register else []) + [
                    ("home (head)", "/", "head")]
                for key, path, user in targets:
                    print(f"wrk {key}: {connections} connections, {seconds} s …", flush=True)
                    row = {"key": key, "url": path, "connections": connections, "seconds": seconds}
                    row.update(_wrk(base_url, path, cookies[user], connections, seconds))
                    load.append(row)
            else:
                notes.append(why)
    finally:
        server.terminate()
        server.wait(timeout=30)

    documents = []
    for doc in catalogue.documents:
        if only and only not in doc.key:
            continue
        print(f"Document: {doc.key} …", flush=True)
        row = {"key": doc.key, "user": doc.user, "url": doc.url[:200], "rows": doc.rows}
        row.update(measure.measure_document(doc.url, doc.user))
        documents.append(row)
    for name in action.ACTIONS:
        if only and only not in name:
            continue
        print(f"Action: {name} …", flush=True)
        row = {"key": name, "user": "head", "url": ""}
        row.update(measure.measure_document(name, "head", module="scripts.bench.action"))
        if str(row.get("status", "")).startswith("skipped"):
            skipped.append((name, row["status"]))
            continue
        documents.append(row)

    res = report.result(data=data, pages=pages, queries=queries, timings=timings, documents=documents, load=load,
                        skipped=skipped, notes=notes, settings={
                            "requests_per_page": n, "gunicorn_workers": workers, "conn_max_age":
                            os.environ["CONN_MAX_AGE"], "debug": False})
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    table = report.markdown(res)
    (out_dir / "latest.md").write_text(table)
    print(table)
    print(f"Written: {out_dir / 'latest.json'}, {out_dir / 'latest.md'}")


if __name__ == "__main__":
    main()
