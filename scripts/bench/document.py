"""One printed document or export, timed in its own process: `python -m scripts.bench.document URL USER`.

Prints one JSON line: status, seconds, bytes, peak_mb (this process's ru_maxrss, Django included) and
baseline_mb (ru_maxrss before the request, so peak_mb - baseline_mb is what the document itself took).
"""
import json
import os
import resource
import sys
import time


def main(url, username):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": response.status_code, "seconds": round(seconds, 2), "bytes": len(body),
                      "peak_mb": round(peak / 1024), "baseline_mb": round(baseline / 1024)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
