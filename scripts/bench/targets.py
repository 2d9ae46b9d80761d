"""Issue 12's targets (2 cores), checked against what the benchmark measured: each row gets "target" (what it
must meet) and "ok" (True / False; None when nothing was measured to judge it)."""

QUERIES = 15
REGISTER = "assets:asset_list"
LIST_P95_MS = 150
HOME_P50_MS = 200
LOAD_RPS = 300
MB = 1024

# document key (as scripts.bench.pages names it, matched at its start) → (seconds, peak MB or None)
DOCUMENTS = {
    "term summary": (3, None),
    "register PDF": (15, MB),
    "register xlsx": (5, None),
    "stocktake open": (2, None),
}


def _page_targets(row):
    key, kind = row["key"], row["kind"]
    checks = [("queries", "≤", QUERIES, row.get("queries"))]
    if key == REGISTER:
        checks.append(("p50 ms", "≤", 30, row.get("p50_ms")))
    elif key.startswith(REGISTER + " search"):
        checks.append(("p50 ms", "≤", 60, row.get("p50_ms")))
    elif key.startswith(REGISTER + " page"):
        checks.append(("p50 ms", "≤", 100, row.get("p50_ms")))
    if kind == "home":
        checks.append(("p50 ms", "≤", HOME_P50_MS, row.get("p50_ms")))
    elif kind in ("list", "detail"):
        checks.append(("p95 ms", "≤", LIST_P95_MS, row.get("p95_ms")))
    if row.get("admin_ratio") is not None:
        checks.append(("÷ admin", "≤", 1, row.get("admin_ratio")))
    return checks


def _judge(checks, row=None):
    """(the target as text, met: True / False / None); row["missed"]: the checks it missed, as text."""
    text = ", ".join(f"{name} {op} {limit}" for name, op, limit, _v in checks)
    measured = [(name, op, limit, v) for name, op, limit, v in checks if v is not None]
    missed = [f"{name} {v} > {limit}" for name, _op, limit, v in measured if v > limit]
    if row is not None:
        row["missed"] = missed
    if not measured:
        return text, None
    return text, not missed


def check(res):
    """Annotate res (scripts.bench.report.result) in place; returns the number of misses."""
    misses = 0
    for row in res["pages"]:
        row["target"], row["ok"] = _judge(_page_targets(row), row)
        misses += row["ok"] is False
    for doc in res["documents"]:
        for prefix, (seconds, mb) in DOCUMENTS.items():
            if doc["key"].startswith(prefix):
                checks = [("seconds", "≤", seconds, doc.get("seconds"))]
                if mb:
                    checks.append(("peak MB", "≤", mb, doc.get("peak_mb")))
                doc["target"], doc["ok"] = _judge(checks, doc)
                misses += doc["ok"] is False
                break
    for run in res["load"]:
        if run["key"].startswith("register"):  # the logged-in list page (the home page has no load target)
            rps, bad = run.get("requests_per_s"), (run.get("non_2xx") or 0) + (run.get("socket_errors") or 0)
            run["target"] = f"≥ {LOAD_RPS} requests/s, 0 errors"
            run["ok"] = None if rps is None else (rps >= LOAD_RPS and not bad)
            run["missed"] = [] if run["ok"] is not False else [f"{rps} requests/s, {bad} errors"]
            misses += run["ok"] is False
    res["misses"] = misses
    return misses


def mark(row):
    """The cell that says whether a row meets its target."""
    ok = row.get("ok")
    return "–" if ok is None else ("✓" if ok else "✗ " + "; ".join(row.get("missed") or [row.get("target", "")]))
