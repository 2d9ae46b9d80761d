"""The register list runs the same number of queries with 30 assets as with 50,000, whatever the filter."""
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetLoan, DamageRecord, RepairRequest

from ._register import bulk_assets

# Measured: 12 or 13 queries (session, user, permissions, roles, school, the filter's four lists, the totals
# with the count, the page of rows); the bound leaves room for two more, not for one per row.
LIST_MAX = 15
DETAIL_MAX = 15  # measured 13 with 1 and with 20 of each record


@pytest.mark.parametrize("n", [30, 50_000])
def test_register_list_query_count_does_not_grow_with_assets(users, school, login, django_assert_max_num_queries, n):
    bulk_assets(n, school)
    client = login(users["head"])
    for params in ({}, {"status": "all", "page": "2"}, {"q": "资产1", "location": school["room"].pk},
                   {"category": "", "status": "damaged", "funding_source": "fiscal"}):
        with django_assert_max_num_queries(LIST_MAX):
            response = client.get(reverse("assets:asset_list"), params)
        assert response.status_code == 200
    # The totals are those of the whole filtered set, not of the page.
    response = client.get(reverse("assets:asset_list"), {"status": "all"})
    assert response.context["totals"]["records"] == n
    assert len(response.context["page"].object_list) == 25


@pytest.mark.parametrize("n", [1, 20])
def test_asset_page_query_count_does_not_grow_with_its_records(users, school, login, django_assert_max_num_queries,
                                                               n):
    asset = bulk_assets(3, school)[1]
    now = timezone.now()
    RepairRequest.objects.bulk_create([RepairRequest(
        number=f"WX-2026-{i:05d}", submit_token=uuid.uuid4(), category="it", location=school["room"], title=f"故障{i}",
        reporter=users["teacher"], assignee=users["worker"], due_at=now, asset=asset, cost=Decimal("10"))
        for i in range(n)])
    AssetLoan.objects.bulk_create([AssetLoan(asset=asset, borrower=users["teacher2"], lent_by=users["worker"],
                                             due_on=now.date()) for _ in range(n)])
    DamageRecord.objects.bulk_create([DamageRecord(asset=asset, description="坏", responsible="某", assessed_amount=1,
                                                   recorded_by=users["worker"]) for _ in range(n)])
    client = login(users["head"])
    with django_assert_max_num_queries(DETAIL_MAX):
        response = client.get(reverse("assets:asset_detail", args=[asset.pk]))
    assert response.status_code == 200
    assert response.context["repair_cost"] == Decimal("10") * n
