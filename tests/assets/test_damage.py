"""Damage and compensation (公物损坏赔偿): recorded, then paid with a receipt or waived with a reason."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, DamageRecord
from assets.services import movements as services

from .test_loans import english, make_asset, reasons  # noqa: F401  (english: autouse)


@pytest.fixture
def window(school):
    return make_asset(school["room"], name="教室窗户玻璃", unit_price="260.00")


def record(users, asset, **kwargs):
    data = {"asset_id": asset.pk, "by": users["worker"], "description": "课间踢球打碎了玻璃",
            "responsible": "三(2)班 张某某", "assessed_amount": Decimal("120.00"), **kwargs}
    return services.damage_record(**data)


def test_recording_damage_marks_the_asset_damaged(users, window):
    damage = record(users, window)
    window.refresh_from_db()
    assert damage.status == DamageRecord.Status.ASSESSED and damage.recorded_by == users["worker"]
    assert window.status == Asset.Status.DAMAGED
    assert reasons(damage) == ["recorded: 三(2)班 张某某 responsible, ¥120.00 assessed"]
    assert reasons(window)[-1] == "damaged: 课间踢球打碎了玻璃"


def test_damage_to_a_batch_can_leave_it_in_use(users, school):
    desks = make_asset(school["room"], name="课桌椅", quantity=45, unit_price="300.00")
    record(users, desks, mark_damaged=False)
    desks.refresh_from_db()
    assert desks.status == Asset.Status.IN_USE


@pytest.mark.parametrize("kwargs, field", [
    ({"assessed_amount": Decimal("-1")}, "assessed_amount"),
    ({"assessed_amount": None}, "assessed_amount"),
    ({"description": "  "}, "description"),
    ({"responsible": ""}, "responsible"),
    ({"occurred_on": timezone.localdate() + datetime.timedelta(days=1)}, "occurred_on"),
])
def test_bad_damage_records_are_refused(users, window, kwargs, field):
    with pytest.raises(ValidationError) as e:
        record(users, window, **kwargs)
    assert field in e.value.message_dict
    assert not DamageRecord.objects.exists()
    window.refresh_from_db()
    assert window.status == Asset.Status.IN_USE


def test_no_damage_on_an_asset_that_left_the_register(users, school):
    gone = make_asset(school["room"], status=Asset.Status.WRITTEN_OFF)
    with pytest.raises(ValidationError):
        record(users, gone)


@pytest.mark.parametrize("username", ["teacher", "auditor", "principal"])
def test_only_logistics_records_damage(users, window, username):
    with pytest.raises(PermissionDenied):
        record(users, window, by=users[username])


def test_paid_with_a_receipt_and_back_in_use(users, window):
    damage = record(users, window)
    services.damage_pay(record_id=damage.pk, by=users["head"], receipt_number="SJ-0315", back_in_use=True,
                        expected_version=1)
    damage.refresh_from_db()
    window.refresh_from_db()
    assert (damage.status, damage.receipt_number, damage.settled_by) == (
        DamageRecord.Status.PAID, "SJ-0315", users["head"])
    assert window.status == Asset.Status.IN_USE
    assert reasons(damage)[-1] == "paid ¥120.00, receipt SJ-0315"
    assert reasons(window)[-1] == "repaired, back in use"


def test_paid_without_repair_keeps_the_asset_damaged(users, window):
    damage = record(users, window)
    services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-0316")
    window.refresh_from_db()
    assert window.status == Asset.Status.DAMAGED


def test_payment_needs_a_receipt_number(users, window):
    damage = record(users, window)
    with pytest.raises(ValidationError) as e:
        services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number=" ")
    assert "receipt_number" in e.value.message_dict


def test_nothing_assessed_cannot_be_paid_only_waived(users, window):
    damage = record(users, window, assessed_amount=Decimal("0"))
    with pytest.raises(ValidationError) as e:
        services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1")
    assert e.value.code == "nothing_to_pay"
    services.damage_waive(record_id=damage.pk, by=users["worker"], reason="无责任人")
    damage.refresh_from_db()
    assert damage.status == DamageRecord.Status.WAIVED


def test_waived_needs_a_reason(users, window):
    damage = record(users, window)
    with pytest.raises(ValidationError) as e:
        services.damage_waive(record_id=damage.pk, by=users["worker"], reason="")
    assert "waive_reason" in e.value.message_dict
    services.damage_waive(record_id=damage.pk, by=users["worker"], reason="家庭困难，经校务会同意免赔")
    damage.refresh_from_db()
    assert damage.waive_reason == "家庭困难，经校务会同意免赔"
    assert reasons(damage)[-1] == "waived: 家庭困难，经校务会同意免赔"


def test_a_settled_case_cannot_be_settled_again(users, window):
    damage = record(users, window)
    services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1")
    with pytest.raises(ValidationError) as e:
        services.damage_waive(record_id=damage.pk, by=users["worker"], reason="x")
    assert "already settled" in e.value.messages[0]
    with pytest.raises(ValidationError):
        services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-2")


def test_settling_on_a_stale_page_is_refused(users, window):
    damage = record(users, window)
    services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1", expected_version=1)
    with pytest.raises(ValidationError) as e:
        services.damage_waive(record_id=damage.pk, by=users["head"], reason="x", expected_version=1)
    assert e.value.code == "stale"


def test_repaired_before_payment(users, window):
    damage = record(users, window)
    services.damage_repaired(record_id=damage.pk, by=users["worker"], expected_version=1)
    window.refresh_from_db()
    damage.refresh_from_db()
    assert window.status == Asset.Status.IN_USE and damage.status == DamageRecord.Status.ASSESSED
    with pytest.raises(ValidationError):
        services.damage_repaired(record_id=damage.pk, by=users["worker"])


@pytest.mark.parametrize("username", ["teacher", "auditor"])
def test_staff_and_auditor_cannot_settle(users, window, username):
    damage = record(users, window)
    with pytest.raises(PermissionDenied):
        services.damage_pay(record_id=damage.pk, by=users[username], receipt_number="SJ-1")


# --- pages -----------------------------------------------------------------------------------

def test_record_and_settle_through_the_pages(users, window, login):
    client = login(users["worker"])
    response = client.post(reverse("assets:damage_create"), {
        "asset": window.tag, "occurred_on": timezone.localdate().isoformat(), "description": "玻璃碎了",
        "responsible": "三(2)班 张某某", "assessed_amount": "120", "mark_damaged": "on"})
    damage = DamageRecord.objects.get()
    assert response.url == reverse("assets:damage_detail", args=[damage.pk])
    page = client.get(response.url).content.decode()
    assert "三(2)班 张某某" in page and "¥120.00" in page
    response = client.post(reverse("assets:damage_settle", args=[damage.pk]), {
        "version": "1", "outcome": "paid", "receipt_number": "", "back_in_use": "on"})
    damage.refresh_from_db()
    assert damage.status == DamageRecord.Status.ASSESSED
    assert "Enter the receipt number." in client.get(response.url).content.decode()
    client.post(reverse("assets:damage_settle", args=[damage.pk]), {
        "version": "1", "outcome": "paid", "receipt_number": "SJ-0315", "back_in_use": "on"})
    damage.refresh_from_db()
    window.refresh_from_db()
    assert damage.status == DamageRecord.Status.PAID and window.status == Asset.Status.IN_USE


def test_negative_amount_on_the_page_is_refused(users, window, login):
    response = login(users["worker"]).post(reverse("assets:damage_create"), {
        "asset": window.tag, "occurred_on": timezone.localdate().isoformat(), "description": "玻璃碎了",
        "responsible": "x", "assessed_amount": "-5"})
    assert response.status_code == 200
    assert not DamageRecord.objects.exists()
    assert "has-error" in response.content.decode()


@pytest.mark.parametrize("username, code", [("teacher", 403), ("worker", 200), ("auditor", 200)])
def test_who_sees_damage(users, window, username, code, login):
    damage = record(users, window)
    client = login(users[username])
    assert client.get(reverse("assets:damage_list")).status_code == code
    assert client.get(reverse("assets:damage_detail", args=[damage.pk])).status_code == code


def test_damage_list_filters_by_status_and_query_count_is_flat(users, school, login,
                                                              django_assert_max_num_queries):
    client = login(users["head"])

    def add(n, start):
        for i in range(start, start + n):
            asset = make_asset(school["room"], tag=f"ZC-2026-{i + 10:05d}", name=f"窗户{i}")
            d = record(users, asset)
            if i % 2:
                services.damage_pay(record_id=d.pk, by=users["worker"], receipt_number=f"SJ-{i}")

    add(2, 0)
    with django_assert_max_num_queries(8):
        client.get(reverse("assets:damage_list"))
    add(20, 2)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assets:damage_list") + "?status=paid").content.decode()
    assert page.count('class="row-link"') == 11
