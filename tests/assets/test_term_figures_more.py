"""Assets' term figures and charts as the summary and the home dashboards read them: the open items carried
into the outlook, money and home roles, the repairs-by-category chart, and a constant number of queries."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from assets.figures import YUAN, term_charts, term_figures
from assets.models import (
    Asset,
    AssetLoan,
    CheckSchedule,
    CheckTask,
    RepairCategory,
    RepairRequest,
    Stocktake,
    SupplyItem,
)
from logistics import modules, roles
from logistics.models import Term

from ._register import category

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
RS = RepairRequest.Status
CARRIED = {"repairs.open_overdue", "stocktakes.unfinished", "loans.overdue", "checks.missed", "supplies.low"}
MONEY = {"repairs.cost", "assets.added_value", "assets.written_off_value", "damage.paid"}
# Counted with PostgreSQL: 5 (repair_stats) + checks, issued supplies, printing, low supplies, added, written
# off, stocktakes, stocktake lines, loans, damage.
FIGURE_QUERIES = 15
CHART_QUERIES = 5  # repair_stats


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
    """Ten in the morning of a day, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def repair(users, school, reported_at, status=RS.REPORTED, due_at=None, category="lighting"):
    return RepairRequest.objects.create(
        number=f"WX-T-{uuid.uuid4().hex[:8]}", category=category, location=school["room"], title=category,
        status=status, reporter=users["teacher"], reported_at=reported_at, due_at=due_at or reported_at + 72 * H,
        assignee=None if status == RS.REPORTED else users["worker"],
        completed_at=reported_at + H if status in (RS.DONE, RS.CONFIRMED) else None)


def stocktake(users, opened_at, status=Stocktake.Status.OPEN):
    closed = status == Stocktake.Status.CLOSED
    return Stocktake.objects.create(name=f"盘点{uuid.uuid4().hex[:6]}", status=status, opened_by=users["head"],
                                    opened_at=opened_at, closed_by=users["head"] if closed else None,
                                    closed_at=opened_at + D if closed else None)


def asset(school):
    return Asset.objects.create(tag=f"ZC-T-{uuid.uuid4().hex[:8]}", name="投影仪", category=category(),
                                location=school["room"], unit_price=Decimal("3000.00"))


def loan(users, thing, lent_on, due_on, status=AssetLoan.Status.OUT):
    returned = status == AssetLoan.Status.RETURNED
    return AssetLoan.objects.create(asset=thing, borrower=users["teacher"], lent_by=users["worker"], lent_on=lent_on,
                                    due_on=due_on, status=status, returned_on=due_on if returned else None)


def schedule(title="教室照明检查"):
    return CheckSchedule.objects.create(title=title, category="lighting", frequency="weekly", weekdays=[1])


def supply(name, stock, warn, active=True):
    return SupplyItem.objects.create(name=name, stock=stock, low_stock_threshold=warn, active=active)


# --- the open items -------------------------------------------------------------------------

def test_repairs_still_overdue_are_the_terms_unfixed_requests_past_their_target(users, school, term, earlier):
    now = timezone.now()
    day = at(term.start + 5 * D)
    repair(users, school, day, RS.ASSIGNED, due_at=now - H)  # counted
    repair(users, school, day, RS.IN_PROGRESS, due_at=now - 30 * D)  # counted
    repair(users, school, day, RS.DONE, due_at=now - H)  # fixed, waiting for confirmation: not overdue
    repair(users, school, day, RS.CANCELLED, due_at=now - H)
    repair(users, school, now - H, RS.REPORTED, due_at=now + H)  # not yet due
    repair(users, school, at(earlier.start + D), RS.ASSIGNED, due_at=now - H)  # another term's
    figures = values(term)
    assert figures["repairs.open_overdue"] == 2
    assert figures["repairs.open_overdue"] == figures["repairs.overdue"]


def test_stocktakes_not_closed_count_only_open_ones_opened_in_the_term(users, term, earlier):
    stocktake(users, at(term.start + D))
    stocktake(users, at(term.start + 2 * D), Stocktake.Status.CLOSED)
    stocktake(users, at(earlier.start + D))  # left open last term: that term's item
    figures = values(term)
    assert figures["stocktakes.unfinished"] == 1
    assert figures["stocktakes.done"] == 2  # unchanged: every stocktake opened in the term
    assert values(earlier)["stocktakes.unfinished"] == 1


def test_loans_not_returned_on_time_are_out_past_their_due_day(users, school, term, earlier):
    thing, today = asset(school), timezone.localdate()
    loan(users, thing, term.start + D, today - D)  # counted
    loan(users, thing, term.start + D, today)  # due back today: not late yet
    loan(users, thing, term.start + D, today + 7 * D)
    loan(users, thing, term.start + D, today - 3 * D, AssetLoan.Status.RETURNED)
    loan(users, thing, earlier.start + D, earlier.end)  # still out, but lent last term
    figures = values(term)
    assert figures["loans.overdue"] == 1
    assert figures["loans.lent"] == 4


def test_checks_missed_are_the_terms_checks_still_to_do_after_their_day(term, earlier):
    lamps, drains = schedule(), schedule("下水道检查")
    today = timezone.localdate()
    CheckTask.objects.create(schedule=lamps, due_date=today - D)  # counted
    CheckTask.objects.create(schedule=drains, due_date=today - 2 * D)  # counted
    CheckTask.objects.create(schedule=lamps, due_date=today)  # today's: still time
    CheckTask.objects.create(schedule=lamps, due_date=today + D)
    CheckTask.objects.create(schedule=lamps, due_date=today - 3 * D, status=CheckTask.Status.DONE, all_ok=True)
    CheckTask.objects.create(schedule=lamps, due_date=today - 4 * D, status=CheckTask.Status.SKIPPED)
    CheckTask.objects.create(schedule=lamps, due_date=earlier.start + D)  # another term's
    figures = values(term)
    assert figures["checks.missed"] == 2
    assert figures["checks.due"] == 6 and figures["checks.done"] == 1


def test_supplies_low_are_active_items_below_their_warning_level_now(term, earlier):
    supply("A4复印纸", 3, 10)  # counted
    supply("粉笔", 0, 1)  # counted
    supply("红笔", 10, 10)  # at the level: the supplies page warns only below it
    supply("胶水", 0, 0)  # no warning level set
    supply("旧墨盒", 0, 5, active=False)  # no longer stocked
    assert values(term)["supplies.low"] == 2
    assert values(earlier)["supplies.low"] == 2  # stock as it stands now, whatever the term


def test_open_items_are_carried_into_the_outlook_and_nothing_else_is(term):
    figures = term_figures(term)
    assert {f.key for f in figures if f.carry} == CARRIED
    assert {f.chapter for f in figures if f.carry} == {"outlook"}
    assert {f.chapter for f in figures if not f.carry} == {"routine", "finance_assets"}


def test_money_figures_are_the_yuan_figures(term):
    figures = term_figures(term)
    assert {f.key for f in figures if f.money} == MONEY
    assert {f.key for f in figures if f.unit is YUAN} == MONEY


def test_home_dashboards_show_the_figures_of_their_role(term):
    home = {f.key: set(f.home) for f in term_figures(term) if f.home}
    assert {k for k, r in home.items() if roles.LOGISTICS_HEAD in r} == {
        "repairs.total", "repairs.done", "repairs.open_overdue", "repairs.within_target_percent",
        "stocktakes.unfinished", "supplies.low", "checks.done"}
    assert {k for k, r in home.items() if roles.PRINCIPAL in r} == {"repairs.open_overdue"}
    assert set().union(*home.values()) <= set(roles.ALL_ROLES)


@override("en")
def test_the_modules_declare_the_summarys_chapters_once_each():
    chapters = [(c.key, str(c.title), c.order) for c in modules.term_chapters()]
    assert chapters == [("routine", "Routine logistics", 10), ("finance_assets", "Finance and school property", 20),
                        ("canteen", "Canteen management", 30), ("safety", "Safety work", 40)]


# --- the chart ------------------------------------------------------------------------------

def test_repairs_by_category_has_a_bar_per_category_counting_the_terms_requests(users, school, term, earlier):
    day = at(term.start + D)
    for cat in ("lighting", "lighting", "plumbing", "doors"):
        repair(users, school, day, RS.CONFIRMED, category=cat)
    repair(users, school, at(earlier.start + D), category="it")  # another term's
    [chart] = term_charts(term)
    assert chart.key == "repairs.by_category" and chart.chapter == "routine"
    assert set(chart.home) == {roles.LOGISTICS_HEAD, roles.PRINCIPAL}
    assert len(chart.series) == 1 and not chart.money
    assert [(str(b.label), b.values) for b in chart.bars] == [
        (str(label), ({"lighting": 2, "plumbing": 1, "doors": 1}.get(value, 0),))
        for value, label in RepairCategory.choices]
    # the chart and the figures say the same
    figures = values(term)
    assert sum(b.values[0] for b in chart.bars) == figures["repairs.total"] == 4


# --- an empty term, unique keys -------------------------------------------------------------

def test_a_term_with_no_records_has_every_figure_zero_or_none_and_a_chart_of_zeros(school):
    empty = Term.objects.create(name="下学年", start=timezone.localdate() + 400 * D,
                                end=timezone.localdate() + 500 * D)
    figures = values(empty)
    undefined = {"repairs.median_hours", "repairs.within_target_percent"}  # nothing fixed: nothing to divide
    assert {k for k, v in figures.items() if v is None} == undefined
    assert all(v == 0 for k, v in figures.items() if k not in undefined)
    assert all(isinstance(figures[k], Decimal) for k in MONEY)
    [chart] = term_charts(empty)
    assert len(chart.bars) == len(RepairCategory.choices)
    assert all(b.values == (0,) for b in chart.bars)


def test_figure_and_chart_keys_are_unique_across_the_modules(term):
    keys = [f.key for f in modules.term_figures(term)]
    assert len(keys) == len(set(keys))
    assert {"repairs.open_overdue", "stocktakes.unfinished", "loans.overdue", "checks.missed",
            "supplies.low"} <= set(keys)
    charts = [c.key for c in modules.term_charts(term)]
    assert len(charts) == len(set(charts)) and "repairs.by_category" in charts
    assert not set(charts) & set(keys)


# --- queries --------------------------------------------------------------------------------

def build(n, users, school, term):
    """n of every record the figures read, in the term, half of each still open."""
    now, today = timezone.now(), timezone.localdate()
    day = at(term.start + D)
    cats = RepairCategory.values
    RepairRequest.objects.bulk_create([
        RepairRequest(number=f"WX-Q-{i:05d}", category=cats[i % len(cats)], location=school["room"], title="x",
                      status=RS.ASSIGNED if i % 2 else RS.CONFIRMED, reporter=users["teacher"], reported_at=day,
                      due_at=now - H, assignee=users["worker"], completed_at=None if i % 2 else day + H)
        for i in range(n)])
    for i in range(n):
        stocktake(users, day, Stocktake.Status.OPEN if i % 2 else Stocktake.Status.CLOSED)
    thing = asset(school)
    AssetLoan.objects.bulk_create([AssetLoan(asset=thing, borrower=users["teacher"], lent_by=users["worker"],
                                             lent_on=term.start + D, due_on=today - D) for _ in range(n)])
    schedules = [schedule(f"检查{i}") for i in range(n)]
    CheckTask.objects.bulk_create([CheckTask(schedule=s, due_date=today - D) for s in schedules])
    SupplyItem.objects.bulk_create([SupplyItem(name=f"耗材{i}", stock=i % 3, low_stock_threshold=2)
                                    for i in range(n)])


@pytest.mark.parametrize("n", [1, 40])
def test_the_figures_take_the_same_queries_whatever_the_records(n, users, school, term,
                                                                django_assert_max_num_queries):
    build(n, users, school, term)
    with django_assert_max_num_queries(FIGURE_QUERIES):
        figures = values(term)
    assert figures["repairs.open_overdue"] == n // 2
    assert figures["loans.overdue"] == n and figures["checks.missed"] == n


@pytest.mark.parametrize("n", [1, 40])
def test_the_chart_takes_the_same_queries_whatever_the_records(n, users, school, term,
                                                               django_assert_max_num_queries):
    build(n, users, school, term)
    with django_assert_max_num_queries(CHART_QUERIES):
        [chart] = term_charts(term)
    assert sum(b.values[0] for b in chart.bars) == n
