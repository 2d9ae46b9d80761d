"""Two finance clerks settling the same fee, or deciding the same application, at the same moment:
exactly one succeeds. Two real transactions on two connections; PostgreSQL only (SQLite serialises writers)."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finance.models import AidApplication, FeeItem
from finance.services import fees as services

from ..assets.test_supplies_concurrency import race
from ..conftest import make_user
from ._fees import make_fee

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


@pytest.mark.parametrize("attempt", range(2))
def test_two_clerks_settling_at_once_settle_once(users, school, attempt):
    finance2 = make_user("finance2", "finance", "钱出纳")
    fee = make_fee(users["finance"], school["term"], school["rooms"])
    results = race(lambda: services.fee_settle(fee_id=fee.pk, by=users["finance"]),
                   lambda: services.fee_settle(fee_id=fee.pk, by=finance2))
    assert len([r for r in results if isinstance(r, FeeItem)]) == 1, results
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    fee.refresh_from_db()
    assert fee.settled_at is not None
    assert fee.history.filter(history_change_reason__contains="settled").count() == 1


def test_approve_and_reject_at_once_give_one_decision(users, school):
    deciders = [users["principal"], make_user("principal2", "principal")]
    application = services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                      location=school["room"], category="hardship", amount=Decimal("500"))
    results = race(
        lambda: services.aid_decide(application_id=application.pk, by=deciders[0], approve=True,
                                    expected_version=1),
        lambda: services.aid_decide(application_id=application.pk, by=deciders[1], approve=False, note="不符合",
                                    expected_version=1),
    )
    assert len([r for r in results if isinstance(r, AidApplication)]) == 1, results
    refusal = next(r for r in results if isinstance(r, ValidationError))
    assert refusal.code == "stale"
    application.refresh_from_db()
    assert application.version == 2 and application.history.count() == 2
