"""Opening a stocktake writes its sheets and lines in bulk: the same number of queries for 12 assets as for 2,400,
each line and sheet with its "created" history row signed by the head."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Asset, StocktakeLine, StocktakeRoom
from assets.services import stocktake as services
from logistics.models import Location

from ._register import bulk_assets

# The permission check (the roles with the permissions, logistics.auth), the rooms locked, the rooms already in
# an open stocktake, the stocktake and its history row, the assets, the sheets and their history rows, the lines
# and their history rows (as many rows a query as the database takes: about 4,000 lines).
QUERIES = 12


def _open(head, school):
    with CaptureQueriesContext(connection) as ctx:
        stocktake = services.stocktake_open(by=head, name="期末清查", locations=school["rooms"])
    return stocktake, len(ctx.captured_queries)


@pytest.mark.parametrize("n", [16, 3200])
def test_opening_a_stocktake_runs_the_same_queries_however_many_assets(users, school, n):
    bulk_assets(n, school)  # a quarter written off: not on the sheets
    third = Location.objects.create(building=school["building"], name="空教室", floor=2)  # no asset: no sheet
    head = users["head"]
    stocktake, queries = _open(head, school)
    assert queries == QUERIES
    active = Asset.objects.exclude(status__in=Asset.INACTIVE_STATUSES)
    lines = StocktakeLine.objects.filter(room__stocktake=stocktake)
    assert lines.count() == active.count() == n * 3 // 4
    assert set(lines.values_list("asset_id", "expected_quantity")) == set(active.values_list("pk", "quantity"))
    rooms = StocktakeRoom.objects.filter(stocktake=stocktake)
    assert {r.location_id for r in rooms} == {r.pk for r in school["rooms"]} and third.pk not in {
        r.location_id for r in rooms}
    # Every sheet and line has its one "created" row, by the head, with the reason the timeline reads.
    line_history = StocktakeLine.history.filter(id__in=lines.values("pk"))
    assert line_history.count() == lines.count()
    assert set(line_history.values_list("history_type", "history_user_id")) == {("+", head.pk)}
    assert {r.history_change_reason for r in line_history} == {'{"m": "put on the sheet", "p": {}}'}
    room_history = StocktakeRoom.history.filter(id__in=rooms.values("pk"))
    assert room_history.count() == 2
    assert {r.history_change_reason for r in room_history} == {'{"m": "sheet made", "p": {}}'}
