"""Two approvers deciding at the same moment, and two approvals racing for the last money of a line:
exactly one decision wins, the other gets a clear message.

Two real transactions on two database connections (two threads). It runs on PostgreSQL, which CI uses;
SQLite locks the whole database for a writer, so there the race cannot happen in the first place."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection

from finance.models import Approval, BudgetLine, PurchaseRequest
from finance.services import purchases as services
from tests.concurrency import race

from ._purchases import line, submitted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


@pytest.mark.parametrize("attempt", range(3))
def test_two_heads_deciding_the_same_request_give_one_decision(users, school, attempt):
    second_head = User.objects.create_user("head2", first_name="钱主任")
    second_head.groups.add(Group.objects.get(name="logistics_head"))
    second_head = User.objects.get(pk=second_head.pk)
    p = submitted(users["teacher"], "1500")
    results = race(
        lambda: services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved",
                                         expected_version=p.version),
        lambda: services.purchase_decide(request_id=p.pk, by=second_head, decision="rejected", comment="不需要",
                                         expected_version=p.version),
    )
    wins = [r for r in results if isinstance(r, PurchaseRequest)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert refusals[0].code == "stale"  # "changed by someone else while you had it open", in the reader's language
    assert Approval.objects.filter(request=p).count() == 1
    assert PurchaseRequest.objects.get(pk=p.pk).status == wins[0].status


def test_two_approvals_cannot_both_spend_the_last_money(users, school):
    small = line("自筹 绿化", "2000", BudgetLine.Kind.SELF)
    a = submitted(users["teacher"], "1500", budget_line=small)
    b = submitted(users["teacher2"], "1500", budget_line=small)
    second_head = User.objects.create_user("head2", first_name="钱主任")
    second_head.groups.add(Group.objects.get(name="logistics_head"))
    second_head = User.objects.get(pk=second_head.pk)
    results = race(
        lambda: services.purchase_decide(request_id=a.pk, by=users["head"], decision="approved"),
        lambda: services.purchase_decide(request_id=b.pk, by=second_head, decision="approved"),
    )
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1 and refusals[0].code == "overspend" and "500.00" in str(refusals[0]), results
    assert sorted(PurchaseRequest.objects.values_list("status", flat=True)) == ["approved", "awaiting_head"]
    assert Decimal("1500") == PurchaseRequest.objects.get(status="approved").estimated_total
