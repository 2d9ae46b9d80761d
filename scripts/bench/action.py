"""One write that a service does in bulk, timed in its own process and rolled back: `python -m
scripts.bench.action NAME USER`. Prints one JSON line as scripts.bench.document does (status, seconds, rows,
peak_mb, baseline_mb). NAME is one of ACTIONS; an action whose data is missing prints status "skipped: why".

- ``stocktake open``: the head opens a stocktake of the rooms holding the most assets, about STOCKTAKE_LINES
  lines (the issue's "opening a stocktake of 2,000 lines ≤ 2 s"), rooms already in an open stocktake left out.
"""
import json
import os
import resource
import sys
import time

STOCKTAKE_LINES = 2000


class Skipped(Exception):
    pass


def stocktake_open(user):
    from django.db.models import Count, Q

    from assets.models import Asset, Stocktake, StocktakeLine
    from assets.services.stocktake import rooms_with_assets, stocktake_open
    from logistics.models import Location

    busy = Location.objects.filter(stocktake_rooms__stocktake__status=Stocktake.Status.OPEN)
    rooms = (rooms_with_assets().exclude(pk__in=busy)
             .annotate(n=Count("assets", filter=~Q(assets__status__in=Asset.INACTIVE_STATUSES)))
             .order_by("-n", "pk").values_list("pk", "n"))
    chosen, lines = [], 0
    for pk, n in rooms:
        if lines >= STOCKTAKE_LINES:
            break
        chosen.append(pk)
        lines += n
    if not chosen:
        raise Skipped("no room holds assets")
    locations = list(Location.objects.filter(pk__in=chosen))
    started = time.perf_counter()
    stocktake = stocktake_open(by=user, name="基准测试盘点", locations=locations)
    seconds = time.perf_counter() - started
    return seconds, StocktakeLine.objects.filter(room__stocktake=stocktake).count()


ACTIONS = {"stocktake open": stocktake_open}


def main(name, username):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    user = get_user_model().objects.get(username=username)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"status": 200}
    try:
        with transaction.atomic():
            seconds, rows = ACTIONS[name](user)
            transaction.set_rollback(True)  # measured, not kept
        out.update(seconds=round(seconds, 2), rows=f"{rows:,} lines")
    except Skipped as e:
        out["status"] = f"skipped: {e}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.update(peak_mb=round(peak / 1024), baseline_mb=round(baseline / 1024))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:3])
