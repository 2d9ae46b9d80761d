"""The home page gathers what waits for each role from every area, and hides empty extra sections."""
import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import Asset, AssetCategory
from finance.models import FinanceSettings


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


def test_principal_sees_a_purchase_after_the_head_approved_it(users, school, client):
    from finance.models import BudgetLine
    from finance.services import purchases as purchase_services
    from logistics.models import Department

    FinanceSettings.objects.update(purchase_head_limit=2000, purchase_principal_limit=20000,
                                 quotes_required_above=50000)
    line = BudgetLine.objects.create(year=timezone.localdate().year, name="公用经费", amount=Decimal("100000"))
    department = Department.objects.create(name="微机组")
    request = purchase_services.purchase_create(
        by=users["teacher"], department=department, title="微机室新电脑", reason="旧机无法运行课件",
        purpose="it", budget_line=line,
        items=[{"name": "台式计算机", "quantity": 2, "unit": "台", "estimated_unit_price": "4300.00",
                "kind": "asset"}])
    purchase_services.purchase_submit(request_id=request.pk, by=users["teacher"])
    client.force_login(users["principal"])
    assert "微机室新电脑" not in client.get(reverse("home")).content.decode()
    purchase_services.purchase_decide(request_id=request.pk, by=users["head"], decision="approved")
    page = client.get(reverse("home")).content.decode()
    assert "微机室新电脑" in page
    assert page.index("section-purchases_to_approve") < page.index("section-overdue")
