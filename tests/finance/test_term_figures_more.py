"""Finance's term figures and charts as the summary and the home dashboards read them: the open items carried
into the outlook, money and home roles, spending against budget, and a constant number of queries."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.figures import YUAN, budget_year, term_charts, term_figures
from finance.models import AidApplication, BudgetLine, FeeItem, Invoice, PurchaseRequest
from logistics import modules, roles
from logistics.models import Department, Term

D = datetime.timedelta(days=1)
S = PurchaseRequest.Status
CARRIED = {"purchases.waiting", "invoices.unpaid", "fees.unsettled", "aid.undecided", "budget.lines_low"}
MONEY = {"purchases.approved_total", "spending.total", "spending.earmarked", "fees.collected", "aid.paid_total"}
# Counted with PostgreSQL: purchases, expenses, fee classes, fee items, aid, invoices, the year's budget lines
# and their figures (budget_figures; not run when the year has no lines).
FIGURE_QUERIES = 8
CHART_QUERIES = 2  # the year's lines and their figures


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def term(school):
    return school["term"]


@pytest.fixture
def earlier(school):
    """The term before: its records never count in this term's figures."""
    today = timezone.localdate()
    return Term.objects.create(name="上学期", start=today - 250 * D, end=today - 100 * D)


def values(term):
    return {f.key: f.value for f in term_figures(term)}


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def line(year, name, amount):
    return BudgetLine.objects.create(year=year, name=name, amount=Decimal(amount))


def purchase(users, status, submitted_at=None, total="1000", budget_line=None, **extra):
    """A request as it would stand after the services had moved it (the figures only read stored fields)."""
    return PurchaseRequest.objects.create(
        number=f"CG-T-{uuid.uuid4().hex[:8]}", department=Department.objects.get_or_create(name="语文组")[0],
        title="饮水机", reason="老化漏水", status=status, requested_by=users["teacher"], submitted_at=submitted_at,
        estimated_total=Decimal(total), budget_line=budget_line, **extra)


def invoice(users, request, recorded_at, status=Invoice.Status.AWAITING_SIGNATURES):
    return Invoice.objects.create(request=request, number=f"FP-{uuid.uuid4().hex[:8]}", issued_on=recorded_at.date(),
                                  amount=request.estimated_total, status=status, recorded_by=users["worker"],
                                  recorded_at=recorded_at)


def aid(users, school, term, status=AidApplication.Status.SUBMITTED):
    return AidApplication.objects.create(term=term, pupil_name="张三明", location=school["room"],
                                         category=AidApplication.Category.HARDSHIP, amount=Decimal("500.00"),
                                         status=status, submitted_by=users["teacher"])


# --- the open items -------------------------------------------------------------------------

def test_purchases_waiting_are_the_terms_requests_awaiting_a_step(users, term, earlier):
    day = at(term.start + D)
    purchase(users, S.AWAITING_HEAD, day)  # counted
    purchase(users, S.AWAITING_PRINCIPAL, day)  # counted
    purchase(users, S.AWAITING_MEETING, day)  # counted
    purchase(users, S.RETURNED, day)  # back with the requester: no decision is waiting
    purchase(users, S.APPROVED, day)
    purchase(users, S.REJECTED, day)
    purchase(users, S.DRAFT)  # never sent
    purchase(users, S.AWAITING_HEAD, at(earlier.start + D))  # sent last term
    figures = values(term)
    assert figures["purchases.waiting"] == 3
    assert figures["purchases.submitted"] == 6


def test_invoices_unpaid_are_those_recorded_in_the_term_not_paid(users, term, earlier):
    day = at(term.start + D)
    bought = purchase(users, S.ACCEPTED, day)
    invoice(users, bought, day)  # counted: awaiting signatures
    invoice(users, bought, day, Invoice.Status.SIGNED)  # counted: signed, to pay
    invoice(users, bought, day, Invoice.Status.PAID)
    invoice(users, bought, at(earlier.end))  # recorded last term
    assert values(term)["invoices.unpaid"] == 2
    assert values(earlier)["invoices.unpaid"] == 1


def test_fees_unsettled_are_the_terms_fees_not_settled(users, term, earlier):
    FeeItem.objects.create(term=term, name="作业本费", amount_per_pupil=Decimal("15.00"))  # counted
    FeeItem.objects.create(term=term, name="校服费", amount_per_pupil=Decimal("120.00"), settled_at=timezone.now(),
                           settled_by=users["finance"])
    FeeItem.objects.create(term=earlier, name="保险费", amount_per_pupil=Decimal("50.00"))  # another term's
    figures = values(term)
    assert figures["fees.unsettled"] == 1
    assert figures["fees.items"] == 2 and figures["fees.settled"] == 1


def test_aid_undecided_are_the_terms_applications_still_submitted(users, school, term, earlier):
    aid(users, school, term)  # counted
    aid(users, school, term, AidApplication.Status.APPROVED)  # decided, to pay
    aid(users, school, term, AidApplication.Status.REJECTED)
    aid(users, school, term, AidApplication.Status.PAID)
    aid(users, school, earlier)  # another term's
    figures = values(term)
    assert figures["aid.undecided"] == 1
    assert figures["aid.paid"] == 1


def test_budget_lines_low_are_the_years_lines_with_less_than_a_tenth_left(users, term):
    year, day = budget_year(term), at(term.start + D)
    nearly_spent = line(year, "办公经费", "1000")
    purchase(users, S.PAID, day, "950", nearly_spent)  # 50 left: low
    committed = line(year, "维修经费", "1000")
    purchase(users, S.APPROVED, day, "850", committed)  # 150 left: not low
    at_the_tenth = line(year, "图书经费", "1000")
    purchase(users, S.ORDERED, day, "900", at_the_tenth, order_total=Decimal("900.00"))  # 100 left: not less
    overspent = line(year, "专项经费", "500")
    purchase(users, S.PAID, day, "600", overspent)  # overspent: low
    line(year, "未用经费", "2000")  # nothing used
    line(year, "零预算", "0")  # nothing budgeted, nothing used: nothing is missing
    old = line(year - 1, "办公经费", "1000")
    purchase(users, S.PAID, day, "1000", old)  # last year's line: not this term's year
    assert values(term)["budget.lines_low"] == 2


def test_budget_year_is_the_year_of_the_terms_first_day():
    autumn = Term(name="秋季", start=datetime.date(2025, 9, 1), end=datetime.date(2026, 1, 20))
    assert budget_year(autumn) == 2025


def test_open_items_are_carried_into_the_outlook_and_nothing_else_is(term):
    figures = term_figures(term)
    assert {f.key for f in figures if f.carry} == CARRIED
    assert {f.chapter for f in figures if f.carry} == {"outlook"}
    assert {f.chapter for f in figures if not f.carry} == {"finance_assets"}


def test_money_figures_are_the_yuan_figures(term):
    figures = term_figures(term)
    assert {f.key for f in figures if f.money} == MONEY
    assert {f.key for f in figures if f.unit is YUAN} == MONEY


def test_home_dashboards_show_the_figures_of_their_role(term):
    home = {f.key: set(f.home) for f in term_figures(term) if f.home}
    assert {k for k, r in home.items() if roles.PRINCIPAL in r} == {
        "purchases.waiting", "spending.total", "purchases.approved_total"}
    assert {k for k, r in home.items() if roles.FINANCE in r} == {
        "invoices.unpaid", "fees.unsettled", "fees.collected", "spending.total", "budget.lines_low"}
    assert set().union(*home.values()) <= set(roles.ALL_ROLES)


def test_the_principals_home_gets_decisions_overdue_repairs_and_spending_from_both_modules(term):
    principal = {f.key for f in modules.term_figures(term) if roles.PRINCIPAL in f.home}
    assert {"purchases.waiting", "repairs.open_overdue", "spending.total", "purchases.approved_total"} <= principal
    assert "repairs.overdue" not in principal  # the same count as repairs.open_overdue: shown once
    charts = {c.key: set(c.home) for c in modules.term_charts(term)}
    assert charts["budget.spending"] == {roles.PRINCIPAL, roles.FINANCE}


# --- the chart ------------------------------------------------------------------------------

def test_spending_against_budget_has_a_bar_per_line_of_the_year(users, term):
    year, day = budget_year(term), at(term.start + D)
    office, repairs = line(year, "办公经费", "10000"), line(year, "维修经费", "5000")
    purchase(users, S.PAID, day, "3000", office, accepted_total=Decimal("2950.00"))  # spent at the accepted total
    purchase(users, S.PAID, day, "1000", office)
    purchase(users, S.APPROVED, day, "4000", office)  # committed, not spent
    purchase(users, S.PAID, day, "900", line(year - 1, "旧经费", "1000"))  # last year's line
    [chart] = term_charts(term)
    assert chart.key == "budget.spending" and chart.chapter == "finance_assets" and chart.money
    assert len(chart.series) == 2
    assert [(b.label, b.values) for b in chart.bars] == [
        (office.name, (Decimal("3950.00"), Decimal("10000.00"))),
        (repairs.name, (Decimal("0.00"), Decimal("5000.00"))),
    ]


# --- an empty term, unique keys -------------------------------------------------------------

def test_a_term_with_no_records_has_every_figure_zero_and_a_chart_with_no_bars(school):
    empty = Term.objects.create(name="远期学期", start=datetime.date(2090, 2, 20), end=datetime.date(2090, 7, 10))
    figures = values(empty)
    assert all(v == 0 for v in figures.values())
    assert all(isinstance(figures[k], Decimal) for k in MONEY)
    [chart] = term_charts(empty)
    assert chart.bars == []


def test_figure_and_chart_keys_are_unique_across_the_modules(term):
    keys = [f.key for f in modules.term_figures(term)]
    assert len(keys) == len(set(keys))
    assert CARRIED <= set(keys)
    charts = [c.key for c in modules.term_charts(term)]
    assert len(charts) == len(set(charts)) and "budget.spending" in charts


# --- queries --------------------------------------------------------------------------------

def build(n, users, school, term):
    """n budget lines of the term's year with a paid request each, and n of every other record read."""
    day = at(term.start + D)
    year = budget_year(term)
    lines = BudgetLine.objects.bulk_create([BudgetLine(year=year, name=f"经费{i}", amount=Decimal("1000"))
                                            for i in range(n)])
    dept = Department.objects.get_or_create(name="语文组")[0]
    requests = PurchaseRequest.objects.bulk_create([
        PurchaseRequest(number=f"CG-Q-{i:05d}", department=dept, title="x", reason="x",
                        status=S.PAID if i % 2 else S.AWAITING_HEAD, requested_by=users["teacher"], submitted_at=day,
                        estimated_total=Decimal("950"), budget_line=lines[i]) for i in range(n)])
    Invoice.objects.bulk_create([Invoice(request=r, number=f"FP-Q-{i:05d}", issued_on=day.date(), amount=Decimal("1"),
                                         recorded_by=users["worker"], recorded_at=day)
                                 for i, r in enumerate(requests)])
    FeeItem.objects.bulk_create([FeeItem(term=term, name=f"费{i}", amount_per_pupil=Decimal("1"),
                                         public_token=uuid.uuid4().hex) for i in range(n)])
    AidApplication.objects.bulk_create([
        AidApplication(term=term, pupil_name="李四", location=school["room"], category="hardship",
                       amount=Decimal("1"), submitted_by=users["teacher"]) for _ in range(n)])


@pytest.mark.parametrize("n", [1, 40])
def test_the_figures_take_the_same_queries_whatever_the_records(n, users, school, term,
                                                                django_assert_max_num_queries):
    build(n, users, school, term)
    with django_assert_max_num_queries(FIGURE_QUERIES):
        figures = values(term)
    assert figures["invoices.unpaid"] == n and figures["fees.unsettled"] == n and figures["aid.undecided"] == n
    assert figures["budget.lines_low"] == n // 2


@pytest.mark.parametrize("n", [1, 40])
def test_the_chart_takes_the_same_queries_whatever_the_records(n, users, school, term,
                                                               django_assert_max_num_queries):
    build(n, users, school, term)
    with django_assert_max_num_queries(CHART_QUERIES):
        [chart] = term_charts(term)
    assert len(chart.bars) == n
