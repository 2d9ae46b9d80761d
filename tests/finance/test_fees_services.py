"""Fees collected on behalf: who enters them, the arithmetic of the settlement, and what is refused."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from finance.models import FeeClass, FeeItem, FeeSpending
from finance.selectors.fees import fee_settlement
from finance.services import fees as services
from logistics.models import Location

from ._fees import make_fee


@pytest.fixture(autouse=True)
def english():
    """History reasons are stored untranslated and read in the active language: read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def finance(users):
    return users["finance"]


def test_finance_enters_a_fee_with_classes_and_history(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    assert fee.public_token and len(fee.public_token) == 32 and int(fee.public_token, 16) >= 0
    assert not fee.published
    rows = {c.location.name: c for c in fee.classes.all()}
    assert rows["一(1)班"].pupils == 40 and rows["一(1)班"].exempt == 2
    assert rows["一(2)班"].collected == Decimal("660.00")
    assert fee.history.first().history_user == finance
    assert rows["一(1)班"].history.count() == 1


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor", "worker"])
def test_only_finance_enters_fees(users, school, who):
    with pytest.raises(PermissionDenied):
        services.fee_create(by=users[who], term=school["term"], name="作业本费", amount_per_pupil=Decimal("15"))
    assert not FeeItem.objects.exists()


def test_fee_refuses_zero_amount_and_a_duplicate_name(finance, school):
    with pytest.raises(ValidationError):
        services.fee_create(by=finance, term=school["term"], name="作业本费", amount_per_pupil=Decimal("0"))
    make_fee(finance, school["term"], school["rooms"])
    with pytest.raises(ValidationError):
        services.fee_create(by=finance, term=school["term"], name="作业本费", amount_per_pupil=Decimal("15"))
    assert FeeItem.objects.count() == 1


def test_more_exempt_than_pupils_or_a_non_classroom_is_refused(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    with pytest.raises(ValidationError):
        services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 10, 11, Decimal("0"))])
    office = Location.objects.create(building=school["building"], name="办公室", kind=Location.Kind.OFFICE)
    with pytest.raises(ValidationError):
        services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(office, 10, 0, Decimal("0"))])
    assert fee.classes.get(location=school["room"]).exempt == 2


def test_correcting_a_class_writes_history(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 41, 2, Decimal("585.00"))])
    row = fee.classes.get(location=school["room"])
    assert (row.pupils, row.collected) == (41, Decimal("585.00"))
    assert row.history.count() == 2
    assert "figures corrected" in row.history.first().history_change_reason


def test_expected_collected_and_difference_per_class(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    s = fee_settlement(fee)
    first, second = s.lines
    assert first.paying == 38 and first.expected == Decimal("570.00") and first.difference == 0
    assert second.paying == 44 and second.expected == Decimal("660.00") and second.difference == 0
    assert s.expected == s.collected == Decimal("1230.00")


def test_settlement_refund_per_pupil_is_floored_and_the_remainder_stated(finance, school):
    # 82 paying pupils; 1230 collected − 1000 spent = 230; 230 / 82 = 2.8048… → 2.80, 229.60 back, 0.40 left
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本采购",
                              amount=Decimal("1000.00"))
    s = fee_settlement(fee)
    assert s.spent == Decimal("1000.00") and s.balance == Decimal("230.00")
    assert s.refund_per_pupil == Decimal("2.80")
    assert s.refund_total == Decimal("229.60")
    assert s.remainder == Decimal("0.40")
    assert [line.refund for line in s.lines] == [Decimal("106.40"), Decimal("123.20")]


def test_settlement_with_odd_cents(finance, school):
    # 3 paying pupils, 10.00 balance → 3.33 each, 9.99 back, 0.01 left
    fee = make_fee(finance, school["term"], school["rooms"][:1], amount="5.00", rows=((3, 0, "15.00"),))
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="纸",
                              amount=Decimal("5.00"))
    s = fee_settlement(fee)
    assert (s.refund_per_pupil, s.refund_total, s.remainder) == (Decimal("3.33"), Decimal("9.99"), Decimal("0.01"))


def test_overspending_refunds_nothing_and_states_the_shortfall(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本采购",
                              amount=Decimal("1300.00"))
    s = fee_settlement(fee)
    assert s.refund_per_pupil == Decimal("0.00") and s.refund_total == 0
    assert s.shortfall == Decimal("70.00") and s.remainder == 0


def test_refund_never_negative_when_everyone_is_exempt(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"][:1], rows=((10, 10, "0"),))
    assert fee_settlement(fee).refund_per_pupil == Decimal("0.00")


def test_settling_is_recorded_and_final(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_settle(fee_id=fee.pk, by=finance)
    fee.refresh_from_db()
    assert fee.settled_at is not None and fee.settled_by == finance
    assert "settled" in fee.history.first().history_change_reason
    with pytest.raises(ValidationError, match="already settled"):
        services.fee_settle(fee_id=fee.pk, by=finance)
    with pytest.raises(ValidationError):
        services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 1, 0, Decimal("1"))])
    with pytest.raises(ValidationError):
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="x",
                                  amount=Decimal("1"))
    assert FeeSpending.objects.count() == 0
    assert FeeClass.objects.get(fee=fee, location=school["room"]).pupils == 40


@pytest.mark.parametrize("who", ["head", "principal", "auditor", "teacher"])
def test_only_finance_settles_publishes_and_spends(users, finance, school, who):
    fee = make_fee(finance, school["term"], school["rooms"])
    with pytest.raises(PermissionDenied):
        services.fee_settle(fee_id=fee.pk, by=users[who])
    with pytest.raises(PermissionDenied):
        services.fee_publish(fee_id=fee.pk, by=users[who])
    with pytest.raises(PermissionDenied):
        services.fee_spending_add(fee_id=fee.pk, by=users[who], date=school["term"].start, description="x",
                                  amount=Decimal("1"))
    fee.refresh_from_db()
    assert fee.settled_at is None and not fee.published


def test_spending_must_be_positive_and_described(finance, school):
    fee = make_fee(finance, school["term"], school["rooms"])
    for amount, text in ((Decimal("0"), "纸"), (Decimal("-3"), "纸"), (Decimal("3"), "  ")):
        with pytest.raises(ValidationError):
            services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description=text,
                                      amount=amount)
    assert not fee.spendings.exists()


def test_publishing_needs_classes_and_can_be_taken_down(finance, school):
    empty = services.fee_create(by=finance, term=school["term"], name="校服费", amount_per_pupil=Decimal("80"))
    with pytest.raises(ValidationError):
        services.fee_publish(fee_id=empty.pk, by=finance)
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_publish(fee_id=fee.pk, by=finance)
    with pytest.raises(ValidationError):
        services.fee_publish(fee_id=fee.pk, by=finance)
    services.fee_publish(fee_id=fee.pk, by=finance, publish=False)
    fee.refresh_from_db()
    assert not fee.published
    assert fee.history.count() == 3
