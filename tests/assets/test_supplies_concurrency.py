"""Two people issuing the last box at the same moment: exactly one succeeds, and the stock ends at 0.

Two real transactions on two database connections (two threads). It runs on PostgreSQL, which CI
uses; SQLite locks the whole database for a writer, so there the race cannot happen in the first place.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets import services
from assets.models import Requisition, StockMovement, SupplyItem
from logistics.models import Department
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


@pytest.mark.parametrize("attempt", range(3))
def test_two_people_issuing_the_last_box_cannot_both_succeed(users, attempt):
    dept = Department.objects.create(name="数学组")
    paper = services.supply_item_save(by=users["head"], name="A4 复印纸", unit="箱")
    services.supply_stock_in(item_id=paper.pk, by=users["worker"], quantity=1, supplier="青山办公")
    a = services.requisition_submit(by=users["teacher"], department=dept, reason="出试卷", lines=[(paper, 1)])
    b = services.requisition_submit(by=users["teacher2"], department=dept, reason="出试卷", lines=[(paper, 1)])
    results = race(
        lambda: services.requisition_issue(requisition_id=a.pk, by=users["worker"]),
        lambda: services.requisition_issue(requisition_id=b.pk, by=users["worker2"]),
    )
    wins = [r for r in results if isinstance(r, Requisition)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert "A4 复印纸" in str(refusals[0])  # the message names the item that ran out
    assert SupplyItem.objects.get(pk=paper.pk).stock == 0
    assert StockMovement.objects.filter(item=paper, kind="issue").count() == 1
    assert sorted(Requisition.objects.values_list("status", flat=True)) == ["issued", "submitted"]


def test_a_distribution_and_a_requisition_racing_for_the_same_stock(users, school):
    """Different moves lock the same rows in the same order: one waits for the other, no deadlock."""
    dept = Department.objects.create(name="语文组")
    books = services.supply_item_save(by=users["head"], name="语文作业本", unit="本")
    chalk = services.supply_item_save(by=users["head"], name="粉笔", unit="盒")
    for item in (books, chalk):
        services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=100, supplier="新华书店")
    r1, r2 = school["rooms"]
    d = services.distribution_create(by=users["worker"], title="开学发放",
                                     lines=[(r1, books, 50), (r2, books, 30), (r1, chalk, 60)])
    req = services.requisition_submit(by=users["teacher"], department=dept, reason="班级用",
                                      lines=[(chalk, 50), (books, 30)])
    results = race(
        lambda: services.distribution_issue(distribution_id=d.pk, by=users["worker"]),
        lambda: services.requisition_issue(requisition_id=req.pk, by=users["worker2"]),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    books.refresh_from_db()
    chalk.refresh_from_db()
    assert (books.stock, chalk.stock) in [(20, 40), (70, 50)]
