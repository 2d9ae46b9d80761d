"""The soak: the app served as in production (gunicorn, DEBUG off, persistent connections, SOAK_WORKERS workers) on
$DATABASE_URL, driven by wrk with scripts/soak/soak.lua for SOAK_SECONDS, as several signed-in roles at once:

- a teacher reads their home page and their repair requests and reports new faults (a real POST of the form);
- a maintenance worker reads the queue of reported repairs, opens one, takes it and starts the work;
- the head of logistics reads the register and their home page; the principal the purchase inbox and home;
- the canteen reads its day and its morning checks and records a check (today, "normal") for kitchen staff
  who have none yet; the safety officer reads the safety hub.

Run from the project root: `DATABASE_URL=postgres://… .venv/bin/python -m scripts.soak` (or `make soak`) on a
database holding the demo (`manage.py seed_demo`; users teacher, logistics, head, principal, canteen, safety).
It listens on 127.0.0.1 only and stops after SOAK_WARMUP + SOAK_SECONDS.

While it runs, every gunicorn worker's resident memory (RSS, /proc) is sampled every SOAK_SAMPLE seconds.
At the end it checks the database: each report the app accepted is a new repair request, each take and start
moved a repair (assignee, times), the morning checks are there. It prints and writes SOAK_OUT/latest.json and
latest.md: requests/s, latency p50/p90/p99, answers by status, errors, the writes, each worker's memory at the
start (after the warm-up), middle and end; and exits 1 when any answer was not 2xx/3xx, a socket error or a
5xx happened, a write was refused or is missing from the database, a worker restarted, or a worker's memory grew
by more than SOAK_MAX_GROWTH_MB from start to end.

Settings (environment): SOAK_SECONDS (600), SOAK_WARMUP (30: seconds of the same mix first, counted for the
writes but not for speed or memory), SOAK_CONNECTIONS (8; wrk gets one thread per connection), SOAK_WORKERS (3, as
in the README), SOAK_PORT (8621), SOAK_SAMPLE (10), SOAK_MAX_GROWTH_MB (40), SOAK_PASSWORD (demo12345),
SOAK_OUT (soak/), SOAK_COLLECTSTATIC (1; 0 when the static files are collected already or TESTING is set).
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from scripts.bench.__main__ import _served_env, _wrk_available
from scripts.bench.measure import login

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("soak.lua")
ROLES = {"teacher": "teacher", "worker": "logistics", "head": "head", "principal": "principal",
         "canteen": "canteen", "safety": "safety"}
# action, weight: about one request in six is a write
WEIGHTS = [
    ("teacher_home", 8), ("teacher_mine", 10), ("teacher_report", 6),
    ("worker_queue", 10),  # each queue read may lead to the repair's page, a take, its page again and a start
    ("head_register", 12), ("head_home", 8),
    ("principal_inbox", 8), ("principal_home", 5),
    ("canteen_day", 6), ("canteen_checks", 5), ("canteen_check", 3),
    ("safety_today", 5),
]


POSTS = {"teacher_report", "worker_take", "worker_start", "canteen_check"}


def _int(name, default):
    return int(os.environ.get(name, default))


def settings_from_env():
    return {
        "seconds": _int("SOAK_SECONDS", 600), "warmup": _int("SOAK_WARMUP", 30),
        "connections": _int("SOAK_CONNECTIONS", 8), "workers": _int("SOAK_WORKERS", 3),
        "port": _int("SOAK_PORT", 8621), "sample": _int("SOAK_SAMPLE", 10),
        "max_growth_mb": float(os.environ.get("SOAK_MAX_GROWTH_MB", "40")),
        "password": os.environ.get("SOAK_PASSWORD", "demo12345"),
        "out": ROOT / os.environ.get("SOAK_OUT", "soak"),
        "collectstatic": os.environ.get("SOAK_COLLECTSTATIC", "1") != "0",
    }


# --- gunicorn and its workers ------------------------------------------------------------------------------

def start_gunicorn(port, workers, log_path):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = open(log_path, "w")  # noqa: SIM115 (closed with the server)
    proc = subprocess.Popen([str(gunicorn), "logistics.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--log-level", "warning", "--access-logfile", "-"],
                            cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                if len(worker_pids(proc.pid)) >= workers:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            log.close()
            raise SystemExit(f"gunicorn exited before it served a page: see {log_path}")
        time.sleep(0.5)
    stop_gunicorn(proc)
    raise SystemExit("gunicorn did not answer /healthz in 120 s")


def stop_gunicorn(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def worker_pids(master):
    """The pids of gunicorn's workers: the master's children (from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """Every `every` seconds: {worker pid: RSS MB}, with the seconds since the sampler started."""

    def __init__(self, master, every):
        super().__init__(daemon=True)
        self.master, self.every, self.samples = master, every, []
        self.stopping = threading.Event()
        self.started_at = time.monotonic()

    def sample(self, label=""):
        at = round(time.monotonic() - self.started_at, 1)
        row = {"t": at, "label": label, "rss": {str(p): rss_mb(p) for p in worker_pids(self.master)}}
        self.samples.append(row)
        return row

    def run(self):
        while not self.stopping.wait(self.every):
            self.sample()

    def stop(self):
        self.stopping.set()
        self.join()


# --- wrk -----------------------------------------------------------------------------------------------------

def lua_value(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_value(k)}] = {lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=True)  # a JSON string is a Lua string (\uXXXX aside: none here)


def run_wrk(base_url, config_path, connections, seconds):
    command = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(LUA), base_url]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 180,
                          env={**os.environ, "SOAK_CONFIG": str(config_path)})
    line = next((x for x in proc.stdout.splitlines() if x.startswith("SOAK_RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return json.loads(line.split(" ", 1)[1])


def add_counts(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


# --- the database before and after -------------------------------------------------------------------------

def world():
    """What the mix needs from the database: users, places, repair categories, kitchen staff to check today."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assets.models import RepairCategory
    from canteen.models import CanteenStaff, MorningCheck
    from canteen.models.staff import NORMAL
    from canteen.services.staff import check_outcome
    from logistics.models import Location

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES.values())}
    missing = sorted(set(ROLES.values()) - set(users))
    if missing:
        raise SystemExit(f"The database lacks the users {', '.join(missing)}: load the demo (manage.py seed_demo)")
    today = timezone.localdate()
    locations = list(Location.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)[:40])
    checked = set(MorningCheck.objects.filter(date=today).values_list("staff_id", flat=True))
    staff = [s.pk for s in CanteenStaff.objects.filter(active=True).order_by("pk")
             if s.pk not in checked and not check_outcome(s, today, [NORMAL])[1]]
    return {"users": users, "today": today, "locations": locations, "staff": staff,
            "categories": [c.value for c in RepairCategory]}


def counts(w, since):
    from assets.models import RepairRequest
    from canteen.models import MorningCheck

    worker, canteen = w["users"]["logistics"], w["users"]["canteen"]
    return {
        "repairs": RepairRequest.objects.count(),
        "repairs_by_teacher": RepairRequest.objects.filter(reporter=w["users"]["teacher"]).count(),
        "taken": RepairRequest.objects.filter(assignee=worker, assigned_at__gte=since).count(),
        "started": RepairRequest.objects.filter(assignee=worker, started_at__gte=since).count(),
        "checks": MorningCheck.objects.filter(date=w["today"], staff_id__in=w["staff"], checked_by=canteen).count(),
    }


def check_writes(before, after, accepted, rejected, pool, unanswered=None):
    """[(what, expected, found, ok)]: every write the app accepted is in the database, and nothing else — but for
    the POSTs still waiting for their answer when wrk stopped (at most one per connection), which the app may
    have done or not."""
    unanswered = unanswered or {}

    def row(what, name, found):
        n, extra = accepted.get(name, 0), unanswered.get(name, 0)
        return (what, f"{n}" + (f" (+{extra} unanswered)" if extra else ""), found, n <= found <= n + extra)

    result = [
        row("repair requests reported", "teacher_report", after["repairs"] - before["repairs"]),
        row("… of them by the teacher", "teacher_report", after["repairs_by_teacher"] - before["repairs_by_teacher"]),
        row("repairs taken by the worker", "worker_take", after["taken"] - before["taken"]),
        row("repairs started by the worker", "worker_start", after["started"] - before["started"]),
    ]
    # a morning check posted twice for the same person is a duplicate (nothing changes): each accepted post made
    # a new check or repeated one made in this run; with any accepted, at least one is there
    new_checks = after["checks"] - before["checks"]
    posted = accepted.get("canteen_check", 0)
    most = min(posted + unanswered.get("canteen_check", 0), len(pool))
    result.append((f"morning checks recorded (new, of {posted} posts, {len(pool)} people)",
                   f"1–{most}" if posted else f"0–{most}", new_checks,
                   (1 if posted else 0) <= new_checks <= most))
    for name, n in sorted(rejected.items()):
        result.append((f"{name}: refused (not a redirect)", 0, n, n == 0))
    return result


def unanswered_posts(run):
    """{action: POSTs sent without an answer} (wrk stops at its deadline with requests in flight)."""
    answered = {}
    for key, n in run["by_status"].items():
        name = key.rsplit(" ", 1)[0]
        answered[name] = answered.get(name, 0) + n
    return {name: n - answered.get(name, 0) for name, n in run["sent"].items()
            if name in POSTS and n > answered.get(name, 0)}


# --- the gunicorn log ----------------------------------------------------------------------------------------

ACCESS = re.compile(r'"(?:GET|POST|HEAD|PUT|DELETE|PATCH|OPTIONS) [^"]*" (\d{3}) ')


def read_log(path):
    statuses, tracebacks = {}, 0
    for line in Path(path).read_text(errors="replace").splitlines():
        m = ACCESS.search(line)
        if m:
            statuses[m.group(1)] = statuses.get(m.group(1), 0) + 1
        elif "Traceback (most recent call last)" in line or "WORKER TIMEOUT" in line:
            tracebacks += 1
    return statuses, tracebacks


# --- the soak ------------------------------------------------------------------------------------------------

def memory_table(samples, warm_index, max_growth):
    """Per worker: RSS at the start (after the warm-up), the middle and the end; growth = end - start."""
    measured = samples[warm_index:]
    middle = measured[len(measured) // 2]
    start, end = measured[0], measured[-1]
    rows = []
    for pid in sorted(set(start["rss"]) | set(end["rss"]), key=int):
        a, m, b = start["rss"].get(pid), middle["rss"].get(pid), end["rss"].get(pid)
        growth = None if a is None or b is None else round(b - a, 1)
        rows.append({"pid": int(pid), "start_mb": a, "middle_mb": m, "end_mb": b, "growth_mb": growth,
                     "flat": growth is not None and growth <= max_growth,
                     "note": "" if growth is not None else "restarted or new: not the same worker throughout"})
    return rows


def machine():
    return {"cores": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform(terse=True)}


def soak(cfg):
    notes = []
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        notes.append("DATABASE_URL is not PostgreSQL: these figures do not stand for production")
    os.environ.update(_served_env())
    if cfg["collectstatic"]:
        print("collectstatic …", flush=True)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    ok, why = _wrk_available()
    if not ok:
        raise SystemExit(why)

    import django

    django.setup()
    from django.db import connections

    w = world()
    since = datetime.datetime.now(datetime.UTC)
    before = counts(w, since)
    connections.close_all()
    cfg["out"].mkdir(parents=True, exist_ok=True)
    log_path = cfg["out"] / "gunicorn.log"
    base_url = f"http://127.0.0.1:{cfg['port']}"
    load_before = machine()
    print(f"gunicorn on {base_url} with {cfg['workers']} workers (DEBUG off, CONN_MAX_AGE "
          f"{os.environ['CONN_MAX_AGE']}) …", flush=True)
    server = start_gunicorn(cfg["port"], cfg["workers"], log_path)
    try:
        sessions = {}
        for role, username in ROLES.items():
            cookie = login(base_url, username, cfg["password"])
            sessions[role] = {"cookie": cookie, "csrf": re.search(r"csrftoken=([^;]+)", cookie).group(1)}
        weights = [[name, weight if (name != "canteen_check" or w["staff"]) else 0] for name, weight in WEIGHTS]
        if not w["staff"]:
            notes.append("no kitchen staff without today's morning check: the mix records none")
        config = {"roles": sessions, "threads": cfg["connections"], "today": w["today"].isoformat(),
                  "locations": w["locations"], "staff": w["staff"] or [0], "categories": w["categories"],
                  "weights": weights}
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            config_path = Path(tmp) / "config.lua"
            config_path.write_text("return " + lua_value(config) + "\n")
            config_path.chmod(0o600)  # sessions
            sampler = Sampler(server.pid, cfg["sample"])
            sampler.sample("gunicorn up")
            sampler.start()
            warm = None
            if cfg["warmup"] > 0:
                print(f"Warm-up: {cfg['warmup']} s …", flush=True)
                warm = run_wrk(base_url, config_path, cfg["connections"], cfg["warmup"])
            warm_index = len(sampler.samples)
            sampler.sample("start")
            print(f"Soak: {cfg['connections']} connections for {cfg['seconds']} s …", flush=True)
            main = run_wrk(base_url, config_path, cfg["connections"], cfg["seconds"])
            sampler.stop()
            sampler.sample("end")
    finally:
        stop_gunicorn(server)
    load_after = machine()

    connections.close_all()
    after = counts(w, since)
    accepted = add_counts(warm["accepted"] if warm else {}, main["accepted"])
    rejected = add_counts(warm["rejected"] if warm else {}, main["rejected"])
    unanswered = add_counts(unanswered_posts(warm) if warm else {}, unanswered_posts(main))
    writes = check_writes(before, after, accepted, rejected, w["staff"], unanswered)
    log_statuses, tracebacks = read_log(log_path)
    memory = memory_table(sampler.samples, warm_index, cfg["max_growth_mb"])

    seconds = main["duration_us"] / 1e6
    errors = {
        "non_2xx_3xx": main["errors"]["status"] + (warm["errors"]["status"] if warm else 0),
        "socket": sum(v for k, v in main["errors"].items() if k != "status")
        + (sum(v for k, v in warm["errors"].items() if k != "status") if warm else 0),
        "http_5xx_in_log": sum(n for s, n in log_statuses.items() if s.startswith("5")),
        "tracebacks_in_log": tracebacks,
    }
    failures = [f"{k}: {v}" for k, v in errors.items() if v]
    failures += [f"write check: {what}: expected {exp}, found {found}" for what, exp, found, good in writes if not good]
    failures += [f"worker {m['pid']}: memory grew {m['growth_mb']} MB (limit {cfg['max_growth_mb']})"
                 for m in memory if m["growth_mb"] is not None and not m["flat"]]
    failures += [f"worker {m['pid']}: {m['note']}" for m in memory if m["growth_mb"] is None]
    if sum(main["sent"].values()) == 0:
        failures.append("no request was made")
    lat = main["latency_us"]
    return {
        "when": since.isoformat(timespec="seconds"),
        "machine": {**load_after, "load_average_before": load_before["load_average"],
                    "note": "a shared machine: other work ran beside the soak"},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in cfg.items() if k != "password"}
        | {"conn_max_age": os.environ["CONN_MAX_AGE"], "debug": False, "weights": dict(WEIGHTS)},
        "requests": main["requests"], "seconds": round(seconds, 1),
        "requests_per_s": round(main["requests"] / seconds, 1) if seconds else None,
        "latency_ms": {k: round(v / 1000, 1) for k, v in lat.items()},
        "status": main["status"], "log_status": log_statuses,
        "actions": {name: {"sent": n, **{c: main["by_status"].get(f"{name} {c}", 0)
                                         for c in ("2xx", "3xx", "4xx", "5xx")}}
                    for name, n in sorted(main["sent"].items())},
        "warmup": {"seconds": cfg["warmup"], "requests": warm["requests"] if warm else 0},
        "errors": errors,
        "writes": [{"what": what, "expected": exp, "found": found, "ok": good} for what, exp, found, good in writes],
        "memory": memory, "samples": sampler.samples,
        "notes": notes, "failures": failures, "ok": not failures,
    }


def markdown(res):
    m, lat = res["machine"], res["latency_ms"]
    lines = [
        f"Soak of {res['when']}: {res['seconds']} s (after a {res['warmup']['seconds']} s warm-up), "
        f"{res['settings']['connections']} connections, {res['settings']['workers']} gunicorn workers, "
        f"DEBUG off, CONN_MAX_AGE {res['settings']['conn_max_age']}; machine: {m['cores']} cores, load average "
        f"{' / '.join(map(str, m['load_average_before']))} before and {' / '.join(map(str, m['load_average']))} "
        f"after ({m['note']}).",
        "",
        "| requests | requests/s | p50 | p90 | p99 | max | non-2xx/3xx | socket errors | 5xx (log) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {res['requests']:,} | {res['requests_per_s']} | {lat['p50']} ms | {lat['p90']} ms | {lat['p99']} ms | "
        f"{lat['max']} ms | {res['errors']['non_2xx_3xx']} | {res['errors']['socket']} | "
        f"{res['errors']['http_5xx_in_log']} |",
        "",
        "| action | sent | 2xx | 3xx | 4xx | 5xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in res["actions"].items():
        lines.append(f"| {name} | {row['sent']:,} | {row['2xx']:,} | {row['3xx']:,} | {row['4xx']} | {row['5xx']} |")
    lines += ["", "| write (warm-up included) | accepted by the app | in the database | |", "|---|---:|---:|---|"]
    for row in res["writes"]:
        lines.append(f"| {row['what']} | {row['expected']} | {row['found']} | {'✓' if row['ok'] else '✗'} |")
    lines += ["", "| worker | RSS start | middle | end | growth | |", "|---:|---:|---:|---:|---:|---|"]
    for row in res["memory"]:
        flat = "flat ✓" if row["flat"] else ("✗ " + row["note"] if row["note"] else "✗ grew")
        lines.append(f"| {row['pid']} | {row['start_mb']} MB | {row['middle_mb']} MB | {row['end_mb']} MB | "
                     f"{row['growth_mb']} MB | {flat} |")
    lines += [""] + [f"- {n}" for n in res["notes"]]
    lines.append("Result: " + ("OK — no errors, every write in the database, memory flat" if res["ok"] else
                               "FAILED — " + "; ".join(res["failures"])))
    return "\n".join(lines) + "\n"


def main():
    cfg = settings_from_env()
    res = soak(cfg)
    out = cfg["out"]
    (out / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    table = markdown(res)
    (out / "latest.md").write_text(table)
    print(table)
    print(f"Written: {out / 'latest.json'}, {out / 'latest.md'}")
    return 0 if res["ok"] else 1

