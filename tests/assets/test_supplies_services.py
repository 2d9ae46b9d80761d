"""Supplies services: every allowed move, every refusal, the stock and ledger after it, and the history."""
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from assets import services
from assets.models import AssetSettings, Distribution, PrintRequest, Requisition, StockMovement, SupplyItem
from logistics.history import history_timeline
from logistics.models import Department

RS = Requisition.Status
PS = PrintRequest.Status


@pytest.fixture(autouse=True)
def english():
    """Messages are checked against their English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def dept(db):
    return Department.objects.create(name="语文组")


@pytest.fixture
def chalk(users):
    item = services.supply_item_save(by=users["head"], name="粉笔", spec="无尘", kind="office", unit="盒",
                                     low_stock_threshold=5)
    services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=10, supplier="晨光文具",
                             unit_price="3.50")
    return SupplyItem.objects.get(pk=item.pk)


@pytest.fixture
def books(users):
    item = services.supply_item_save(by=users["head"], name="语文作业本", kind="textbook", unit="本",
                                     low_stock_threshold=50)
    services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=200, supplier="新华书店")
    return SupplyItem.objects.get(pk=item.pk)


def reasons(obj):
    return [e["reason"] for e in history_timeline(obj)]


# --- items and stock in ----------------------------------------------------------------------

def test_stock_in_adds_to_stock_and_writes_the_ledger_with_the_balance(users, chalk):
    movement = services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=5, supplier="晨光文具",
                                        unit_price="3.20")
    chalk.refresh_from_db()
    assert chalk.stock == 15
    assert (movement.kind, movement.change, movement.balance, movement.unit_price) == ("in", 5, 15, Decimal("3.20"))
    assert list(chalk.movements.order_by("pk").values_list("balance", flat=True)) == [10, 15]
    assert "5 received from 晨光文具" in reasons(chalk)


@pytest.mark.parametrize("quantity, message", [
    (0, "more than zero"), (-3, "more than zero"), (10**9, "at most"), ("abc", "whole number")])
def test_stock_in_refuses_bad_quantities(users, chalk, quantity, message):
    with pytest.raises(ValidationError) as e:
        services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=quantity, supplier="晨光")
    assert message in str(e.value)
    chalk.refresh_from_db()
    assert chalk.stock == 10 and chalk.movements.count() == 1


@pytest.mark.parametrize("price, message", [("-1", "negative"), ("1e9", "too large"), ("x", "price in yuan")])
def test_stock_in_refuses_bad_prices(users, chalk, price, message):
    with pytest.raises(ValidationError) as e:
        services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=1, supplier="晨光", unit_price=price)
    assert message in str(e.value)


def test_stock_in_needs_a_supplier(users, chalk):
    with pytest.raises(ValidationError, match="supplied"):
        services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=1, supplier="  ")


@pytest.mark.parametrize("who", ["teacher", "auditor"])
def test_only_logistics_stocks_in(users, chalk, who):
    with pytest.raises(PermissionDenied):
        services.supply_stock_in(item_id=chalk.pk, by=users[who], quantity=1, supplier="晨光")


def test_low_stock_is_below_the_threshold(users, chalk):
    assert not chalk.is_low
    chalk.low_stock_threshold = 11
    assert chalk.is_low


def test_item_names_are_unique_with_their_spec(users, chalk):
    with pytest.raises(ValidationError, match="already an item"):
        services.supply_item_save(by=users["head"], name="粉笔", spec="无尘", unit="盒")
    services.supply_item_save(by=users["head"], name="粉笔", spec="彩色", unit="盒")


def test_database_refuses_negative_stock(users, chalk):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplyItem.objects.filter(pk=chalk.pk).update(stock=-1)


# --- requisitions ----------------------------------------------------------------------------

def submit(users, items, who="teacher", dept=None, location=None, **kw):
    return services.requisition_submit(by=users[who], department=dept, location=location,
                                       reason=kw.pop("reason", "班级日常用"), lines=items, **kw)


def test_requisition_is_numbered_and_sent(users, school, chalk, books, dept):
    r = submit(users, [(chalk, 2), (books, 40)], dept=dept, location=school["room"])
    assert r.number.startswith("LY-") and r.number.endswith("-00001")
    assert r.status == RS.SUBMITTED
    assert list(r.lines.values_list("item__name", "quantity_requested")) == [("粉笔", 2), ("语文作业本", 40)]
    assert reasons(r) == ["sent to logistics"]
    assert submit(users, [(chalk, 1)], dept=dept).number.endswith("-00002")


@pytest.mark.parametrize("case, field", [
    ("no place", "department"), ("no reason", "reason"), ("no lines", "lines"), ("duplicate", "lines"),
    ("zero", "lines"), ("negative", "lines"), ("huge", "lines")])
def test_requisition_refuses_bad_input(users, school, chalk, dept, case, field):
    kwargs = {"dept": dept, "lines": [(chalk, 2)], "reason": "日常用"}
    if case == "no place":
        kwargs["dept"] = None
    elif case == "no reason":
        kwargs["reason"] = "  "
    elif case == "no lines":
        kwargs["lines"] = []
    elif case == "duplicate":
        kwargs["lines"] = [(chalk, 2), (chalk, 3)]
    elif case == "zero":
        kwargs["lines"] = [(chalk, 0)]
    elif case == "negative":
        kwargs["lines"] = [(chalk, -2)]
    elif case == "huge":
        kwargs["lines"] = [(chalk, 10**12)]
    lines = kwargs.pop("lines")
    with pytest.raises(ValidationError) as e:
        submit(users, lines, **kwargs)
    assert field in e.value.message_dict
    assert Requisition.objects.count() == 0


def test_the_same_requisition_form_sent_twice_makes_one(users, chalk, dept):
    token = uuid.uuid4()
    first = submit(users, [(chalk, 2)], dept=dept, submit_token=token)
    second = submit(users, [(chalk, 2)], dept=dept, submit_token=token)
    assert second.pk == first.pk and second.was_duplicate
    assert Requisition.objects.count() == 1
    with pytest.raises(ValidationError, match="already used"):
        submit(users, [(chalk, 2)], who="teacher2", dept=dept, submit_token=token)


def test_logistics_issues_what_was_asked(users, chalk, books, dept):
    r = submit(users, [(chalk, 2), (books, 40)], dept=dept)
    services.requisition_issue(requisition_id=r.pk, by=users["worker"], expected_version=r.version)
    r.refresh_from_db()
    chalk.refresh_from_db()
    books.refresh_from_db()
    assert r.status == RS.ISSUED and r.decided_by == users["worker"]
    assert (chalk.stock, books.stock) == (8, 160)
    assert list(r.lines.values_list("quantity_issued", flat=True)) == [2, 40]
    mv = StockMovement.objects.get(item=chalk, kind="issue")
    assert (mv.change, mv.balance, mv.reference, mv.department) == (-2, 8, r.number, dept)
    assert reasons(r)[-1] == "issued"
    assert f"issued on {r.number}" in reasons(chalk)


def test_logistics_may_issue_less_than_asked_or_none_of_a_line(users, chalk, books, dept):
    r = submit(users, [(chalk, 5), (books, 40)], dept=dept)
    lines = {line.item_id: line for line in r.lines.all()}
    services.requisition_issue(requisition_id=r.pk, by=users["worker"], note="先领3盒",
                               quantities={lines[chalk.pk].pk: 3, lines[books.pk].pk: 0})
    chalk.refresh_from_db()
    books.refresh_from_db()
    assert (chalk.stock, books.stock) == (7, 200)
    assert not StockMovement.objects.filter(item=books, kind="issue").exists()
    r.refresh_from_db()
    assert r.decision_note == "先领3盒"
    assert reasons(r)[-1] == "issued in part: 先领3盒"


def test_issuing_more_than_asked_is_refused(users, chalk, dept):
    r = submit(users, [(chalk, 2)], dept=dept)
    line = r.lines.get()
    with pytest.raises(ValidationError, match="more than the 2 asked for"):
        services.requisition_issue(requisition_id=r.pk, by=users["worker"], quantities={line.pk: 3})


def test_issuing_nothing_at_all_is_refused(users, chalk, dept):
    r = submit(users, [(chalk, 2)], dept=dept)
    with pytest.raises(ValidationError, match="reject it"):
        services.requisition_issue(requisition_id=r.pk, by=users["worker"], quantities={r.lines.get().pk: 0})


def test_short_stock_refuses_the_whole_issue_and_names_the_item(users, chalk, books, dept):
    r = submit(users, [(books, 40), (chalk, 12)], dept=dept)
    with pytest.raises(ValidationError) as e:
        services.requisition_issue(requisition_id=r.pk, by=users["worker"])
    message = str(e.value)
    assert "粉笔 无尘" in message and "only 10 left" in message and "12 盒" in message
    r.refresh_from_db()
    books.refresh_from_db()
    assert r.status == RS.SUBMITTED and books.stock == 200  # nothing half-issued
    assert not StockMovement.objects.filter(kind="issue").exists()


def test_issue_exactly_the_last_units(users, chalk, dept):
    r = submit(users, [(chalk, 10)], dept=dept)
    services.requisition_issue(requisition_id=r.pk, by=users["worker"])
    chalk.refresh_from_db()
    assert chalk.stock == 0


@pytest.mark.parametrize("who", ["teacher", "auditor", "head"])
def test_who_may_issue(users, chalk, dept, who):
    r = submit(users, [(chalk, 1)], who="teacher2", dept=dept)
    if who == "head":
        services.requisition_issue(requisition_id=r.pk, by=users[who])
    else:
        with pytest.raises(PermissionDenied):
            services.requisition_issue(requisition_id=r.pk, by=users[who])


def test_stale_issue_is_refused(users, chalk, dept):
    r = submit(users, [(chalk, 1)], dept=dept)
    services.requisition_issue(requisition_id=r.pk, by=users["worker"], expected_version=r.version)
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.requisition_issue(requisition_id=r.pk, by=users["worker2"], expected_version=r.version)
    chalk.refresh_from_db()
    assert chalk.stock == 9


def test_reject_needs_a_note_and_is_final(users, chalk, dept):
    r = submit(users, [(chalk, 1)], dept=dept)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.requisition_reject(requisition_id=r.pk, by=users["worker"], note=" ")
    services.requisition_reject(requisition_id=r.pk, by=users["worker"], note="库里已无，下周到货")
    r.refresh_from_db()
    assert r.status == RS.REJECTED and r.decision_note == "库里已无，下周到货"
    assert reasons(r)[-1] == "rejected: 库里已无，下周到货"
    with pytest.raises(ValidationError, match="cannot be issued"):
        services.requisition_issue(requisition_id=r.pk, by=users["worker"])
    with pytest.raises(PermissionDenied):
        services.requisition_reject(requisition_id=r.pk, by=users["teacher"], note="x")


def test_requester_cancels_while_submitted_only(users, chalk, dept):
    r = submit(users, [(chalk, 1)], dept=dept)
    with pytest.raises(PermissionDenied):
        services.requisition_cancel(requisition_id=r.pk, by=users["teacher2"])
    services.requisition_cancel(requisition_id=r.pk, by=users["teacher"])
    r.refresh_from_db()
    assert r.status == RS.CANCELLED
    assert reasons(r)[-1] == "cancelled by the requester"
    issued = submit(users, [(chalk, 1)], dept=dept)
    services.requisition_issue(requisition_id=issued.pk, by=users["worker"])
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.requisition_cancel(requisition_id=issued.pk, by=users["teacher"])


# --- distribution ----------------------------------------------------------------------------

def test_distribution_issues_every_class_at_once(users, school, chalk, books):
    r1, r2 = school["rooms"]
    d = services.distribution_create(by=users["worker"], title="开学作业本发放",
                                     lines=[(r1, books, 90), (r2, books, 88), (r1, chalk, 2), (r2, chalk, 0)])
    assert d.status == Distribution.Status.DRAFT and d.term == school["term"]
    assert d.lines.count() == 3  # the zero line is left out
    services.distribution_issue(distribution_id=d.pk, by=users["worker"], expected_version=d.version)
    d.refresh_from_db()
    books.refresh_from_db()
    chalk.refresh_from_db()
    assert d.status == Distribution.Status.ISSUED and d.issued_by == users["worker"]
    assert (books.stock, chalk.stock) == (22, 8)
    ledger = list(StockMovement.objects.filter(item=books, kind="distribution").order_by("pk")
                  .values_list("location__name", "change", "balance"))
    assert ledger == [("一(1)班", -90, 110), ("一(2)班", -88, 22)]
    assert reasons(d) == ["drafted", "issued to 2 classes"]
    with pytest.raises(ValidationError, match="cannot be issued"):
        services.distribution_issue(distribution_id=d.pk, by=users["worker"])


def test_distribution_short_of_one_item_issues_nothing(users, school, chalk, books):
    r1, r2 = school["rooms"]
    d = services.distribution_create(by=users["worker"], title="开学发放",
                                     lines=[(r1, books, 100), (r2, books, 100), (r1, chalk, 6), (r2, chalk, 6)])
    with pytest.raises(ValidationError) as e:
        services.distribution_issue(distribution_id=d.pk, by=users["worker"])
    assert "粉笔 无尘: 12 盒 to issue, only 10 left" in str(e.value)
    books.refresh_from_db()
    d.refresh_from_db()
    assert books.stock == 200 and d.status == Distribution.Status.DRAFT
    assert not StockMovement.objects.filter(kind="distribution").exists()


def test_distribution_refuses_bad_lines(users, school, chalk):
    r1 = school["room"]
    with pytest.raises(ValidationError, match="at least one class"):
        services.distribution_create(by=users["worker"], title="x", lines=[(r1, chalk, 0)])
    with pytest.raises(ValidationError, match="on two lines"):
        services.distribution_create(by=users["worker"], title="x", lines=[(r1, chalk, 1), (r1, chalk, 2)])
    with pytest.raises(ValidationError, match="more than zero"):
        services.distribution_create(by=users["worker"], title="x", lines=[(r1, chalk, -1)])
    with pytest.raises(ValidationError, match="title"):
        services.distribution_create(by=users["worker"], title="", lines=[(r1, chalk, 1)])
    with pytest.raises(PermissionDenied):
        services.distribution_create(by=users["teacher"], title="x", lines=[(r1, chalk, 1)])


def test_a_draft_can_be_changed_until_issued(users, school, chalk, books):
    r1, r2 = school["rooms"]
    d = services.distribution_create(by=users["worker"], title="开学", lines=[(r1, books, 10), (r2, books, 10)])
    services.distribution_update(distribution_id=d.pk, by=users["worker"], title="开学发放",
                                 lines=[(r1, books, 12), (r1, chalk, 1)], expected_version=d.version)
    d.refresh_from_db()
    assert d.title == "开学发放"
    assert sorted(d.lines.values_list("location__name", "item__name", "quantity")) == [
        ("一(1)班", "粉笔", 1), ("一(1)班", "语文作业本", 12)]
    services.distribution_issue(distribution_id=d.pk, by=users["worker"])
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.distribution_update(distribution_id=d.pk, by=users["worker"], title="x", lines=[(r1, books, 1)])


# --- print requests --------------------------------------------------------------------------

def test_small_print_job_goes_straight_to_printing(users, dept, school):
    AssetSettings.objects.update(print_approval_pages=500)
    job = services.print_submit(by=users["teacher"], department=dept, title="单元测试卷", pages=2, copies=250)
    assert job.total_pages == 500 and job.status == PS.APPROVED and job.approved_by is None
    assert reasons(job) == ["requested: 500 pages, no approval needed"]
    services.print_done(request_id=job.pk, by=users["worker"])
    job.refresh_from_db()
    assert job.status == PS.DONE and job.done_by == users["worker"]
    assert reasons(job)[-1] == "printed: 250 sheets"


def test_large_print_job_waits_for_the_head(users, dept, school):
    job = services.print_submit(by=users["teacher"], department=dept, title="复习资料", pages=10, copies=51,
                                double_sided=False)
    assert job.status == PS.SUBMITTED
    with pytest.raises(ValidationError, match="cannot be marked printed"):
        services.print_done(request_id=job.pk, by=users["worker"])
    with pytest.raises(PermissionDenied):
        services.print_approve(request_id=job.pk, by=users["worker"])
    services.print_approve(request_id=job.pk, by=users["head"], expected_version=job.version)
    job.refresh_from_db()
    assert job.status == PS.APPROVED and job.approved_by == users["head"]
    assert reasons(job)[-1] == "approved"  # the row's who is 陈主任
    with pytest.raises(PermissionDenied):
        services.print_done(request_id=job.pk, by=users["teacher"])
    services.print_done(request_id=job.pk, by=users["worker"])
    job.refresh_from_db()
    assert job.status == PS.DONE and job.sheets == 510


def test_head_rejects_with_a_note(users, dept, school):
    job = services.print_submit(by=users["teacher"], department=dept, title="秩序册", pages=30, copies=60)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.print_reject(request_id=job.pk, by=users["head"], note="")
    services.print_reject(request_id=job.pk, by=users["head"], note="请双面打印")
    job.refresh_from_db()
    assert job.status == PS.REJECTED and reasons(job)[-1] == "rejected: 请双面打印"
    with pytest.raises(ValidationError):
        services.print_approve(request_id=job.pk, by=users["head"])


def test_requester_cancels_an_unprinted_job(users, dept, school):
    job = services.print_submit(by=users["teacher"], department=dept, title="通知", pages=1, copies=40)
    with pytest.raises(PermissionDenied):
        services.print_cancel(request_id=job.pk, by=users["teacher2"])
    services.print_cancel(request_id=job.pk, by=users["teacher"])
    job.refresh_from_db()
    assert job.status == PS.CANCELLED
    with pytest.raises(ValidationError):
        services.print_done(request_id=job.pk, by=users["worker"])


@pytest.mark.parametrize("field, kwargs", [
    ("pages", {"pages": 0}), ("copies", {"copies": -1}), ("pages", {"pages": 10**7}), ("title", {"title": " "}),
    ("department", {"department": None}), ("copies", {"copies": "many"})])
def test_print_request_refuses_bad_input(users, dept, school, field, kwargs):
    data = {"department": dept, "title": "卷子", "pages": 2, "copies": 40} | kwargs
    with pytest.raises(ValidationError) as e:
        services.print_submit(by=users["teacher"], **data)
    assert field in e.value.message_dict
    assert PrintRequest.objects.count() == 0


def test_the_same_print_form_sent_twice_makes_one(users, dept, school):
    token = uuid.uuid4()
    a = services.print_submit(by=users["teacher"], department=dept, title="卷子", pages=2, copies=40,
                              submit_token=token)
    b = services.print_submit(by=users["teacher"], department=dept, title="卷子", pages=2, copies=40,
                              submit_token=token)
    assert a.pk == b.pk and PrintRequest.objects.count() == 1


def test_auditor_cannot_request_anything(users, chalk, dept, school):
    with pytest.raises(PermissionDenied):
        submit(users, [(chalk, 1)], who="auditor", dept=dept)
    with pytest.raises(PermissionDenied):
        services.print_submit(by=users["auditor"], department=dept, title="x", pages=1, copies=1)
