"""The benchmark's result as one dict (written as JSON) and as a Markdown table."""
import datetime
import os
import platform

from . import targets


def machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"cores": os.cpu_count(), "load_average": [round(x, 2) for x in load],
            "python": platform.python_version(), "when": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds")}


def result(*, data, pages, queries, timings=None, documents=None, load=None, skipped=(), notes=(), settings=None):
    """Everything measured, keyed by page; pages without timings (the in-process run) have none."""
    rows = []
    for page in pages:
        row = {"key": page.key, "kind": page.kind, "user": page.user, "url": page.url, "admin_url": page.admin_url}
        row.update(queries.get(page.key, {}))
        row.update((timings or {}).get(page.key, {}))
        if row.get("admin_p50_ms") and row.get("p50_ms"):
            row["admin_ratio"] = round(row["p50_ms"] / row["admin_p50_ms"], 2)
        rows.append(row)
    res = {"machine": machine(), "settings": settings or {}, "data": data, "pages": rows,
           "documents": documents or [], "load": load or [], "skipped": [list(s) for s in skipped],
           "notes": list(notes)}
    targets.check(res)
    return res


def _cell(value, fmt="{}"):
    return "–" if value is None or value == "" else fmt.format(value)


def markdown(res):
    m = res["machine"]
    lines = [
        f"Machine: {m['cores']} cores, load average {' / '.join(str(x) for x in m['load_average'])} "
        f"(1 / 5 / 15 min), {m['when']}.",
        "Data: " + ", ".join(f"{k} {v:,}" for k, v in res["data"].items()) + ".",
        "",
        f"Targets of issue 12 missed: {res.get('misses', 0)} (✓ met, ✗ missed, – none set or nothing measured).",
        "",
        "| page | user | status | queries | p50 ms | p95 ms | admin p50 ms | ÷ admin | admin queries | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in res["pages"]:
        lines.append(f"| {r['key']} | {r['user']} | {_cell(r.get('status'))} | {_cell(r.get('queries'))} | "
                     f"{_cell(r.get('p50_ms'))} | {_cell(r.get('p95_ms'))} | {_cell(r.get('admin_p50_ms'))} | "
                     f"{_cell(r.get('admin_ratio'))} | {_cell(r.get('admin_queries'))} | {targets.mark(r)} |")
    if res["documents"]:
        lines += ["", "| document | rows | status | seconds | peak MB (process) | MB above baseline | target |",
                  "|---|---|---|---|---|---|---|"]
        for d in res["documents"]:
            above = d["peak_mb"] - d["baseline_mb"] if "peak_mb" in d else None
            lines.append(f"| {d['key']} | {_cell(d.get('rows'))} | {_cell(d.get('status'))} | "
                         f"{_cell(d.get('seconds'))} | {_cell(d.get('peak_mb'))} | {_cell(above)} | {targets.mark(d)} |"
                         + (f" {d['error']}" if d.get("error") else ""))
    if res["load"]:
        lines += ["", "| load run (wrk) | connections | seconds | requests/s | latency avg | latency p99 | "
                  "non-2xx | errors | target |", "|---|---|---|---|---|---|---|---|---|"]
        for w in res["load"]:
            lines.append(f"| {w['key']} | {w['connections']} | {w['seconds']} | {_cell(w.get('requests_per_s'))} | "
                         f"{_cell(w.get('latency_avg'))} | {_cell(w.get('latency_p99'))} | "
                         f"{_cell(w.get('non_2xx'))} | {_cell(w.get('socket_errors'))} | {targets.mark(w)} |")
    for note in res["notes"]:
        lines += ["", f"Note: {note}"]
    if res["skipped"]:
        lines += ["", "Not measured: " + "; ".join(f"{k} ({why})" for k, why in res["skipped"]) + "."]
    return "\n".join(lines) + "\n"
