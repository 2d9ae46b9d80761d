"""The home page gathers what waits for each role from every area, and hides empty extra sections."""
import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import Asset, AssetCategory


def _asset(school, price="19800.00"):
    category = AssetCategory.objects.create(name="交互式一体机", code="A02")
    return Asset.objects.create(tag="ZC-2026-00001", name="班班通一体机", category=category,
                                location=school["room"], unit_price=Decimal(price))


def test_head_sees_a_write_off_waiting_and_the_principal_after_the_head(users, school, client):
    asset = _asset(school)
    writeoff = services.writeoff_request(asset_id=asset.pk, by=users["worker"], reason="屏幕碎裂，无法修复")
    client.force_login(users["head"])
    page = client.get(reverse("home")).content.decode()
    assert "班班通一体机" in page and reverse("assets:writeoff_detail", args=[writeoff.pk]) in page
    client.force_login(users["principal"])
    assert "班班通一体机" not in client.get(reverse("home")).content.decode()
    services.writeoff_decide(writeoff_id=writeoff.pk, by=users["head"], approve=True)
    page = client.get(reverse("home")).content.decode()
    assert "班班通一体机" in page
    # A decision someone waits for comes before the overdue repairs list.
    assert page.index("section-writeoffs") < page.index("section-overdue")


def test_worker_sees_overdue_loans_and_requisitions_to_issue(users, school, client):
    from assets.models import SupplyItem

    asset = _asset(school, price="300.00")
    loan = services.loan_lend(asset_id=asset.pk, by=users["worker"], borrower=users["teacher"],
                              due_on=timezone.localdate())
    type(loan).objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    item = services.supply_item_save(by=users["worker"], name="粉笔", unit="盒")
    services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=10, supplier="文具店")
    requisition = services.requisition_submit(by=users["teacher"], reason="开学用",
                                              lines=[(SupplyItem.objects.get(), 2)], location=school["room"])
    client.force_login(users["worker"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("assets:loan_detail", args=[loan.pk]) in page
    assert reverse("assets:requisition_detail", args=[requisition.pk]) in page and "开学用" in page


def test_teacher_home_has_no_empty_sections_of_other_areas(users, school, client):
    client.force_login(users["teacher"])
    page = client.get(reverse("home")).content.decode()
    assert "section-low_stock" not in page
    assert "section-overdue_loans" not in page
    assert "section-my_open" in page
