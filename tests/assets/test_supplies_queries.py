"""The supplies list pages run the same number of queries with few rows as with many."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import (
    Distribution,
    DistributionLine,
    PrintRequest,
    Requisition,
    RequisitionLine,
    StockMovement,
    SupplyItem,
)
from logistics.models import Department

# Measured on PostgreSQL with 5 and with 120 rows of everything: the stock list 9 queries, an item's
# page 10, the requisition queue 11, my requisitions 8, distributions 8, print jobs 10 (head) / 9
# (teacher), paper used 9, a requisition 9, the same at both sizes. The bounds leave room for two more
# queries, not for one per row.
BOUNDS = {
    "supply_list": 11, "supply_detail": 12, "requisition_queue": 13, "requisition_mine": 10,
    "distribution_list": 10, "print_list": 12, "print_usage": 11, "requisition_detail": 11,
}


def build(n, users, school):
    """n items with movements, n requisitions (three lines each), n distributions, n print jobs."""
    now = timezone.now()
    dept = Department.objects.create(name="语文组")
    items = SupplyItem.objects.bulk_create([
        SupplyItem(name=f"物品{i}", unit="个", stock=i, low_stock_threshold=10, kind="office") for i in range(n)])
    StockMovement.objects.bulk_create([
        StockMovement(item=items[0], kind="in", change=1, balance=i + 1, supplier="晨光", by=users["worker"],
                      at=now - datetime.timedelta(minutes=i)) for i in range(n)])
    reqs = Requisition.objects.bulk_create([
        Requisition(number=f"LY-2026-{i + 1:05d}", department=dept, location=school["rooms"][i % 2], reason="用",
                    requested_by=users["teacher"] if i % 2 else users["teacher2"],
                    status=list(Requisition.Status.values)[i % 4]) for i in range(n)])
    RequisitionLine.objects.bulk_create([
        RequisitionLine(requisition=r, item=items[j], quantity_requested=j + 1) for r in reqs for j in range(3)])
    dists = Distribution.objects.bulk_create([
        Distribution(title=f"发放{i}", term=school["term"], created_by=users["worker"]) for i in range(n)])
    DistributionLine.objects.bulk_create([
        DistributionLine(distribution=d, location=school["rooms"][j], item=items[j], quantity=5)
        for d in dists for j in range(2)])
    PrintRequest.objects.bulk_create([
        PrintRequest(department=dept, title=f"卷{i}", pages=2, copies=40, requested_by=users["teacher"],
                     status=list(PrintRequest.Status.values)[i % 5], done_at=now if i % 5 == 2 else None)
        for i in range(n)])
    return {"item": items[0], "requisition": reqs[1]}


PAGES = [
    ("supply_list", "worker", {}), ("supply_list", "head", {"low": "on", "q": "物品"}),
    ("supply_detail", "worker", {}), ("requisition_queue", "worker", {}),
    ("requisition_queue", "head", {"status": "", "q": "物品"}), ("requisition_mine", "teacher", {}),
    ("distribution_list", "worker", {}), ("print_list", "head", {}), ("print_list", "teacher", {}),
    ("print_usage", "head", {}), ("requisition_detail", "worker", {}),
]


@pytest.mark.parametrize("n", [5, 120])
@pytest.mark.parametrize("name, who, query", PAGES)
def test_page_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n, name, who, query):
    made = build(n, users, school)
    args = {"supply_detail": [made["item"].pk], "requisition_detail": [made["requisition"].pk]}.get(name, [])
    client.force_login(users[who])
    with django_assert_max_num_queries(BOUNDS[name]):
        response = client.get(reverse(f"assets:{name}", args=args), query)
    assert response.status_code == 200
    if "page" in response.context:
        assert len(response.context["page"].object_list) <= 25
