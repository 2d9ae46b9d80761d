"""Finance's share of `manage.py seed_demo --size large`: budgets and five years of purchases, at a tiny scale."""
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from finance.models import (
    AidApplication,
    AidPublication,
    Approval,
    BudgetLine,
    FeeClass,
    FeeItem,
    FeeSpending,
    FinanceSettings,
    Invoice,
    LedgerEntry,
    PurchaseItem,
    PurchaseRequest,
    Quote,
)
from finance.selectors.fees import fee_settlement
from finance.selectors.purchases import budget_figures
from finance.services.purchases import purchase_create, route_for
from logistics import roles
from logistics.models import Department

SCALE = 0.002
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Status = PurchaseRequest.Status


def seed_large(scale=SCALE):
    out = io.StringIO()
    with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", "--size", "large", "--scale", str(scale), stdout=out)
    return out.getvalue()


@pytest.fixture
def large(db):
    return seed_large()


def in_role(role):
    return set(User.objects.filter(groups__name=role).values_list("pk", flat=True))


@pytest.mark.parametrize("scale", [0.002, 0.004])
def test_every_state_of_the_route_at_any_scale(db, scale):
    output = seed_large(scale)
    n = round(10_000 * scale)
    assert PurchaseRequest.objects.count() == n
    assert set(PurchaseRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert f"Purchases: {n} requests" in output
    # older requests are closed: paid is the commonest state (at this scale a few stand for each other state)
    statuses = list(PurchaseRequest.objects.values_list("status", flat=True))
    assert max(set(statuses), key=statuses.count) == Status.PAID
    # each calendar year of the five has its budget lines, funded in the ledger
    years = set(BudgetLine.objects.values_list("year", flat=True))
    assert len(years) >= 5
    assert LedgerEntry.objects.filter(category=LedgerEntry.Category.FUNDS).count() >= 4 * (len(years) - 1)


def test_amounts_add_up(large):
    profile = FinanceSettings.get()
    for pr in PurchaseRequest.objects.prefetch_related("items", "quotes", "invoices"):
        items = list(pr.items.all())
        assert items, pr.number
        assert pr.estimated_total == sum(i.estimated_unit_price * i.quantity for i in items), pr.number
        if pr.order_total is not None:
            assert pr.order_total == sum(i.actual_unit_price * i.quantity for i in items)
            assert pr.order_total <= pr.estimated_total
        if pr.accepted_total is not None:
            assert pr.accepted_total == sum(i.actual_unit_price * i.accepted_quantity for i in items)
            assert all(i.accepted_quantity <= i.quantity for i in items)
        for invoice in pr.invoices.all():
            assert invoice.amount == pr.expected_amount
            assert invoice.amount <= pr.estimated_total
        if pr.status == Status.PAID:
            [invoice] = pr.invoices.all()
            assert invoice.status == Invoice.Status.PAID
            assert invoice.ledger_entry.amount == invoice.amount
            assert invoice.ledger_entry.budget_line_id == pr.budget_line_id
        else:
            assert not any(i.status == Invoice.Status.PAID for i in pr.invoices.all())
        # quotes where the route asks for them, the chosen one the cheapest
        if pr.submitted_at is not None:
            assert pr.route == [str(s) for s in route_for(pr.estimated_total, profile)]
            if pr.needs_quotes(profile):
                quotes = list(pr.quotes.all())
                assert len(quotes) == 3 and len({q.vendor for q in quotes}) == 3
                assert pr.chosen_quote == min(quotes, key=lambda q: q.amount)
        # an earmarked line pays only for its purpose
        assert not pr.budget_line.is_earmarked or pr.budget_line.purpose == pr.purpose
    # the ledger's purchase payments are the paid invoices, one entry each
    paid = Invoice.objects.filter(status=Invoice.Status.PAID)
    purchases = LedgerEntry.objects.filter(category=LedgerEntry.Category.PURCHASE)
    assert purchases.count() == paid.count() > 0
    assert purchases.aggregate(s=Sum("amount"))["s"] == paid.aggregate(s=Sum("amount"))["s"]
    # no line is overspent: every approval fitted its line
    assert all(f["remaining"] >= 0 for f in budget_figures(BudgetLine.objects.all()).values())


def test_approvals_and_signatures_by_the_right_roles(large):
    heads, principals = in_role(roles.LOGISTICS_HEAD), in_role(roles.PRINCIPAL)
    workers, finance = in_role(roles.LOGISTICS), in_role(roles.FINANCE)
    for approval in Approval.objects.select_related("request"):
        assert approval.by_id in (heads if approval.step == "head" else principals)
        assert approval.by_id != approval.request.requested_by_id
        if approval.decision != Approval.Decision.APPROVED:
            assert approval.comment
    for pr in PurchaseRequest.objects.prefetch_related("approvals"):
        approved = [a.step for a in pr.approvals.all() if a.decision == Approval.Decision.APPROVED]
        if pr.status in (Status.APPROVED, Status.ORDERED, Status.ACCEPTED, Status.PAID):
            assert approved[-len(pr.route):] == pr.route, pr.number
            assert pr.route[-1] != "meeting" or (pr.meeting_date and pr.meeting_minute)
        if pr.purchaser_id:
            assert pr.purchaser_id in workers
            assert (pr.second_purchaser_id is not None) == (pr.order_total > FinanceSettings.get().dual_purchase_above)
        if pr.received_by_id:
            assert pr.received_by_id in workers | heads
            assert pr.received_by_id not in (pr.purchaser_id, pr.second_purchaser_id)
    for invoice in Invoice.objects.all():
        signers = [s for s in (invoice.handler_id, invoice.receiver_id, invoice.auditor_id) if s]
        assert len(signers) == len(set(signers))
        assert invoice.auditor_id is None or invoice.auditor_id in finance
        assert (invoice.status != Invoice.Status.AWAITING_SIGNATURES) == (len(signers) == 3)
        assert invoice.paid_by_id is None or invoice.paid_by_id in finance


def test_history_carries_the_business_dates_and_people(large):
    now = timezone.now()
    for pr in PurchaseRequest.objects.all():
        rows = list(pr.history.order_by("history_date", "history_id"))
        assert rows[0].history_type == "+" and rows[0].status == Status.DRAFT
        assert rows[0].history_date == pr.created_at
        assert rows[0].history_user_id == pr.requested_by_id
        assert '"m": "drafted"' in rows[0].history_change_reason
        assert rows[-1].status == pr.status
        assert len(rows) == pr.version
        assert all(row.history_user_id and row.history_date <= now for row in rows)
        moments = [m for m in (pr.created_at, pr.submitted_at, pr.received_at) if m]
        assert moments == sorted(moments)
        if pr.submitted_at:
            assert any(row.history_date == pr.submitted_at and row.route == pr.route for row in rows)
        if pr.status == Status.PAID:
            assert '"m": "paid, voucher %(voucher)s"' in rows[-1].history_change_reason
            assert rows[-1].history_user.groups.filter(name=roles.FINANCE).exists()
    for invoice in Invoice.objects.all():
        rows = list(invoice.history.order_by("history_date", "history_id"))
        assert rows[0].history_type == "+" and rows[0].history_date == invoice.recorded_at
        assert len(rows) == invoice.version and rows[-1].status == invoice.status
    # every record has its history, signed by someone, on the business date
    for model, date_field in ((PurchaseItem, None), (Quote, "added_at"), (Approval, "at"),
                              (LedgerEntry, "created_at"), (BudgetLine, None), (FeeItem, None), (FeeClass, None),
                              (FeeSpending, None), (AidApplication, "submitted_at"),
                              (AidPublication, "published_at")):
        for obj in model.objects.all():
            rows = list(obj.history.order_by("history_date", "history_id"))
            assert rows and rows[0].history_type == "+", (model, obj.pk)
            assert all(row.history_user_id for row in rows)
            if date_field:
                assert rows[0].history_date == getattr(obj, date_field)
    # the approval rows are the decisions written on the request, at the same moment, by the same person
    for approval in Approval.objects.select_related("request"):
        assert approval.request.history.filter(history_date=approval.at, history_user_id=approval.by_id).exists()


def test_fees_and_aid_of_every_term_add_up_in_the_ledger(large):
    Cat = LedgerEntry.Category

    def ledger(category):
        return LedgerEntry.objects.filter(category=category).aggregate(s=Sum("amount"))["s"]

    fees = list(FeeItem.objects.select_related("term"))
    assert len(fees) >= 9  # one a term (the current one once it has begun), every class of the school
    assert FeeClass.objects.count() == 10 * FeeClass.objects.filter(fee=fees[0]).count() > 100
    assert ledger(Cat.FEES) == FeeClass.objects.aggregate(s=Sum("collected"))["s"]
    assert ledger(Cat.FEE_SPENT) == FeeSpending.objects.aggregate(s=Sum("amount"))["s"]
    today = timezone.localdate()
    for fee in fees:
        assert fee.published
        assert fee.is_settled == (fee.term.end < today)
        if fee.is_settled:
            refund = fee_settlement(fee).refund_total
            assert fee.history.order_by("-history_date").first().settled_at == fee.settled_at
            assert LedgerEntry.objects.filter(category=Cat.REFUND, amount=refund,
                                              date=timezone.localdate(fee.settled_at)).exists()
    # aid: the principal decides (the school's setting), finance pays, every payment in the ledger
    principals, finance = in_role(roles.PRINCIPAL), in_role(roles.FINANCE)
    staff = in_role(roles.STAFF)
    applications = list(AidApplication.objects.all())
    assert "paid" in {a.status for a in applications}
    for a in applications:
        assert a.submitted_by_id in staff
        assert a.decided_by_id is None or a.decided_by_id in principals
        assert (a.paid_by_id is not None) == (a.status == "paid")
        assert a.paid_by_id is None or a.paid_by_id in finance
        rows = list(a.history.order_by("history_date", "history_id"))
        assert len(rows) == a.version and rows[-1].status == a.status
        assert a.decided_at is None or a.submitted_at <= a.decided_at <= (a.paid_at or a.decided_at)
    paid = [a for a in applications if a.status == "paid"]
    assert LedgerEntry.objects.filter(category=Cat.AID).count() == len(paid)
    assert ledger(Cat.AID) == sum(a.amount for a in paid)
    assert AidPublication.objects.exists()


def test_numbers_continue_after_the_seeded_ones(large):
    year = timezone.localdate().year
    numbers = list(PurchaseRequest.objects.order_by("created_at", "pk").values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for y in {n.split("-")[1] for n in numbers}:
        of_year = [n for n in numbers if n.split("-")[1] == y]
        assert of_year == sorted(of_year) and of_year[0].endswith("-00001")
    this_year = [n for n in numbers if n.startswith(f"CG-{year}-")]
    last = int(max(this_year).rsplit("-", 1)[1]) if this_year else 0
    pr = purchase_create(by=User.objects.get(username="teacher"), department=Department.objects.first(),
                         title="粉笔", reason="教室用", purpose="office", items=[
                             {"name": "粉笔", "quantity": 10, "unit": "盒", "estimated_unit_price": Decimal("3.50")}])
    assert pr.number == f"CG-{year}-{last + 1:05d}"


PAGES = [
    ("finance:purchase_inbox", "principal", 16),
    ("finance:purchase_inbox", "head", 16),
    ("finance:purchase_list", "finance", 14),
    ("finance:ledger", "finance", 14),
]


@pytest.mark.parametrize("scale", [0.002, 0.004])
@pytest.mark.parametrize(("name", "username", "queries"), PAGES)
def test_finance_pages_render_the_large_data(db, client, django_assert_max_num_queries, scale, name, username,
                                             queries):
    seed_large(scale)
    client.force_login(User.objects.get(username=username))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    if name == "finance:purchase_inbox":
        waiting = Status.AWAITING_HEAD if username == "head" else Status.AWAITING_PRINCIPAL
        for number in PurchaseRequest.objects.filter(status=waiting).values_list("number", flat=True):
            assert number in page
    elif name == "finance:purchase_list":
        assert PurchaseRequest.objects.order_by("-created_at", "-pk").first().number in page
    else:
        newest = LedgerEntry.objects.order_by("-date", "-pk").first()
        assert newest.description[:20] in page
