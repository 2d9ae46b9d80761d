"""One printed document or export, timed in its own process: `python -m scripts.bench.document URL USER`.

URL is a page of the app (requested through the test client), or ``job:<kind>?<parameters>`` for a document made
in the background (logistics.jobs): the kind's function is run directly, as the worker runs it, with the
parameters of the query string (``limit``, ``ids`` and ``term`` as they are, anything else a filter of the list), in
Chinese.

Prints one JSON line: status (200, or "failed: why" for a job), seconds, cpu_seconds (this process's CPU time: what
the document costs on a machine that is not busy with other work), bytes, peak_mb (this process's ru_maxrss,
Django included) and baseline_mb (ru_maxrss before the document, so peak_mb - baseline_mb is what it took).
"""
import json
import os
import resource
import sys
import time
from urllib.parse import parse_qs, urlsplit

JOB_PREFIX = "job:"


def job_url(kind, **parameters):
    """The URL this script reads for a background job's document: job:<kind>?<parameters>."""
    from urllib.parse import urlencode

    return f"{JOB_PREFIX}{kind}?{urlencode(parameters, doseq=True)}"


# Parameters a job reads as they are (an id), not as a filter of a list: the safety ledger's term.
TOP_LEVEL = ("term",)


def job_parameters(query):
    params = parse_qs(query, keep_blank_values=False)
    parameters = {"filters": {k: v for k, v in params.items() if k not in ("limit", "ids", *TOP_LEVEL)},
                  "base_url": "http://127.0.0.1:8000/"}
    for key in ("limit", *TOP_LEVEL):
        if key in params:
            parameters[key] = int(params[key][0])
    if "ids" in params:
        parameters["ids"] = [int(i) for i in params["ids"]]
    return parameters


def run_job(url, user):
    """(status, body) of a background job's document, its kind's function run directly (nothing saved)."""
    from django.utils import translation
    from django.utils.module_loading import import_string

    from logistics.jobs.models import Job
    from logistics.jobs.services import JobFailed
    from logistics.modules import job_kinds

    parts = urlsplit(url[len(JOB_PREFIX):])
    job = Job(kind=parts.path, owner=user, parameters=job_parameters(parts.query), language="zh-hans")
    with translation.override("zh-hans"):
        try:
            _name, body = import_string(job_kinds()[job.kind].run)(job, lambda done, total=None: None)
        except JobFailed as e:
            return f"failed: {e}", b""
    return 200, body


def main(url, username):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=username)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    if url.startswith(JOB_PREFIX):
        status, body = run_job(url, user)
    else:
        response = client.get(url)
        status = response.status_code
        body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": status, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "bytes": len(body),
                      "peak_mb": round(peak / 1024), "baseline_mb": round(baseline / 1024)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
