"""Every money movement writes its ledger entry in the same transaction (fees collected, spent and
refunded, aid paid, compensation received), and the monthly report shows them; the refund goes to
the pupils who paid."""
import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from assets.models import DamageRecord
from assets.services import movements as asset_services
from finance.models import AidApplication, FeeClass, FeeSpending, LedgerEntry
from finance.selectors.fees import fee_settlement
from finance.selectors.procurement import monthly_report
from finance.services import fees as services
from logistics.models import Location

from ..assets.test_loans import make_asset
from ._fees import make_fee

pytestmark = pytest.mark.django_db
C = LedgerEntry.Category


def entries(category):
    return list(LedgerEntry.objects.filter(category=category).order_by("pk"))


def explode(**kwargs):
    raise RuntimeError("the books are closed")


def test_collecting_a_class_writes_one_income_entry_and_a_correction_posts_the_difference(users, school):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"])  # 570.00 and 660.00 collected
    posted = entries(C.FEES)
    assert [(e.direction, e.amount) for e in posted] == [("income", Decimal("570.00")), ("income", Decimal("660.00"))]
    assert posted[0].description == "作业本费 · 一(1)班" and posted[0].created_by == finance
    assert posted[0].date == timezone.localdate()
    # 15 yuan more from one class: one entry of 15; the same figures again: nothing
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 40, 2, Decimal("585.00"))])
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 40, 2, Decimal("585.00"))])
    assert [e.amount for e in entries(C.FEES)] == [Decimal("570.00"), Decimal("660.00"), Decimal("15.00")]
    # a typing mistake corrected downwards is a red entry: the line still says what was collected
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 40, 2, Decimal("575.00"))])
    assert entries(C.FEES)[-1].amount == Decimal("-10.00")
    assert monthly_report(timezone.localdate())["figures"]["fees"] == Decimal("1235.00")


def test_spending_and_settling_write_one_entry_each(users, school):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"])
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本采购",
                              amount=Decimal("1000.00"))
    spent = entries(C.FEE_SPENT)
    assert len(spent) == 1 and spent[0].direction == "expense" and spent[0].amount == Decimal("1000.00")
    assert spent[0].date == school["term"].start and spent[0].description == "作业本费 · 作业本采购"
    services.fee_settle(fee_id=fee.pk, by=finance)
    refunds = entries(C.REFUND)
    assert len(refunds) == 1 and refunds[0].direction == "expense"
    assert refunds[0].amount == fee_settlement(fee).refund_total == Decimal("229.60")
    assert refunds[0].description == "作业本费 · 82 × ¥2.80"


def test_paying_aid_writes_one_expense_entry(users, school):
    application = services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                      location=school["room"], category="hardship", amount=Decimal("500.00"))
    services.aid_decide(application_id=application.pk, by=users["principal"], approve=True)
    assert not LedgerEntry.objects.exists()  # approving moves no money
    services.aid_pay(application_id=application.pk, by=users["finance"])
    (entry,) = LedgerEntry.objects.all()
    assert (entry.category, entry.direction, entry.amount) == (C.AID, "expense", Decimal("500.00"))
    assert "张小明" in entry.description and entry.created_by == users["finance"]


def test_a_damage_payment_writes_one_income_entry_through_the_kernel_port(users, school):
    window = make_asset(school["room"], name="教室窗户玻璃", unit_price="260.00")
    damage = asset_services.damage_record(asset_id=window.pk, by=users["worker"], description="打碎了玻璃",
                                          responsible="三(2)班 张某某", assessed_amount=Decimal("120.00"))
    assert not LedgerEntry.objects.exists()
    asset_services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-0315")
    (entry,) = LedgerEntry.objects.all()
    assert (entry.category, entry.direction, entry.amount) == (C.DAMAGES, "income", Decimal("120.00"))
    assert entry.description == "ZC-2026-00001 教室窗户玻璃 · 三(2)班 张某某 · SJ-0315"
    assert monthly_report(timezone.localdate())["figures"]["damages"] == Decimal("120.00")


def test_a_failing_ledger_rolls_the_movement_back(users, school, monkeypatch):
    window = make_asset(school["room"], name="教室窗户玻璃", unit_price="260.00")
    damage = asset_services.damage_record(asset_id=window.pk, by=users["worker"], description="打碎了玻璃",
                                          responsible="张某某", assessed_amount=Decimal("120.00"))
    monkeypatch.setattr(apps.get_app_config("finance"), "ledger", explode)
    with pytest.raises(RuntimeError):
        asset_services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1")
    damage.refresh_from_db()
    assert damage.status == DamageRecord.Status.ASSESSED and damage.receipt_number == ""

    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"])
    monkeypatch.setattr(services, "ledger_entry_post", explode)
    with pytest.raises(RuntimeError):
        services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="纸",
                                  amount=Decimal("10.00"))
    with pytest.raises(RuntimeError):
        services.fee_classes_save(fee_id=fee.pk, by=finance, rows=[(school["room"], 40, 2, Decimal("600.00"))])
    with pytest.raises(RuntimeError):
        services.fee_settle(fee_id=fee.pk, by=finance)
    fee.refresh_from_db()
    assert not FeeSpending.objects.exists() and fee.settled_at is None
    assert FeeClass.objects.get(fee=fee, location=school["room"]).collected == Decimal("570.00")
    assert LedgerEntry.objects.count() == 2  # the two classes collected by make_fee, nothing since


def test_without_a_module_keeping_books_the_damage_is_paid_and_nothing_posted(users, school, monkeypatch):
    monkeypatch.setattr(apps.get_app_config("finance"), "ledger", None)
    window = make_asset(school["room"], name="教室窗户玻璃", unit_price="260.00")
    damage = asset_services.damage_record(asset_id=window.pk, by=users["worker"], description="打碎了玻璃",
                                          responsible="张某某", assessed_amount=Decimal("120.00"))
    asset_services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1")
    assert DamageRecord.objects.get().status == DamageRecord.Status.PAID
    assert not LedgerEntry.objects.exists()


def test_posted_lines_cannot_be_entered_by_hand(users):
    from django.core.exceptions import ValidationError

    from finance.services.procurement import ledger_entry_add
    for category in (C.FEES, C.FEE_SPENT, C.AID, C.DAMAGES):
        with pytest.raises(ValidationError) as e:
            ledger_entry_add(by=users["finance"], date=timezone.localdate(), direction="income", category=category,
                             amount="10", description="x")
        assert "category" in e.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_the_monthly_report_shows_every_movement(users, school, login):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"])
    today = timezone.localdate()
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=today, description="作业本采购",
                              amount=Decimal("1000.00"))
    services.fee_settle(fee_id=fee.pk, by=finance)
    application = services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                      location=school["room"], category="hardship", amount=Decimal("500.00"))
    services.aid_decide(application_id=application.pk, by=users["principal"], approve=True)
    services.aid_pay(application_id=application.pk, by=finance)
    window = make_asset(school["room"], name="窗户玻璃", unit_price="260.00")
    damage = asset_services.damage_record(asset_id=window.pk, by=users["worker"], description="打碎",
                                          responsible="张某某", assessed_amount=Decimal("120.00"))
    asset_services.damage_pay(record_id=damage.pk, by=users["worker"], receipt_number="SJ-1")

    figures = monthly_report(today)["figures"]
    assert figures["fees"] == Decimal("1230.00") and figures["damages"] == Decimal("120.00")
    assert figures["fee_spent"] == Decimal("1000.00") and figures["refunds"] == Decimal("229.60")
    assert figures["aid"] == Decimal("500.00")
    page = login(finance).get(reverse("finance:monthly_report") + f"?month={today:%Y-%m}").content.decode()
    for key, text in (("fees", "代收费收入"), ("fee_spent", "代收费支出"), ("refunds", "清退"),
                      ("aid", "学生资助支出"), ("damages", "赔偿收入")):
        assert f'data-line="{key}"' in page and text in page
    assert "¥1,230.00" in page and "¥229.60" in page and "¥500.00" in page and "¥120.00" in page


# --- the refund goes to the pupils who paid -------------------------------------------------------

DEMO = {"一(1)班": (42, 2, 0), "二(1)班": (45, 1, 0), "三(1)班": (44, 3, 1), "四(1)班": (46, 2, 0),
        "五(1)班": (43, 1, 0), "六(1)班": (47, 2, 1)}


def test_the_refund_is_shared_among_the_pupils_who_paid(users, school):
    # The demo's workbook fee: 256 pupils should pay 15 yuan, 254 did (3,810 yuan); 3,402.50 spent.
    # 407.50 / 254 = 1.604 → 1.60 each; 三(1)班 collected 600 yuan from 40 pupils and gets 40 × 1.60,
    # not 41 × 1.59 as when the balance was spread over everyone expected to pay.
    finance = users["finance"]
    fee = services.fee_create(by=finance, term=school["term"], name="作业本费", amount_per_pupil=Decimal("15.00"))
    rows = []
    for floor, (name, (pupils, exempt, unpaid)) in enumerate(DEMO.items(), start=1):
        room = Location.objects.get_or_create(building=school["building"], name=name,
                                              defaults={"floor": floor, "kind": Location.Kind.CLASSROOM})[0]
        rows.append((room, pupils, exempt, Decimal("15.00") * (pupils - exempt - unpaid)))
    services.fee_classes_save(fee_id=fee.pk, by=finance, rows=rows)
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本",
                              amount=Decimal("3402.50"))
    s = fee_settlement(fee)
    assert (s.paying, s.paid, s.collected) == (256, 254, Decimal("3810.00"))
    assert s.refund_per_pupil == Decimal("1.60") and s.refund_total == Decimal("406.40")
    line = next(ln for ln in s.lines if ln.row.location.name == "三(1)班")
    assert (line.paying, line.paid, line.refund) == (41, 40, Decimal("64.00"))
    services.fee_settle(fee_id=fee.pk, by=finance)
    assert entries(C.REFUND)[0].amount == Decimal("406.40")


def test_the_notice_counts_the_pupils_who_paid(users, school, login):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"][:1], rows=((44, 3, "600.00"),))
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=school["term"].start, description="作业本",
                              amount=Decimal("536.40"))
    services.fee_settle(fee_id=fee.pk, by=finance)
    page = login(finance).get(reverse("finance:fee_detail", args=[fee.pk])).content.decode()
    # 63.60 left for the 40 who paid: 1.59 each
    assert "每名缴费学生退还 ¥1.59（共 40 人，合计 ¥63.60）" in page


def test_a_date_in_the_past_is_kept(users, school):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"])
    day = school["term"].start + datetime.timedelta(days=3)
    services.fee_spending_add(fee_id=fee.pk, by=finance, date=day, description="作业本", amount=Decimal("1"))
    assert entries(C.FEE_SPENT)[0].date == day
    assert AidApplication.objects.count() == 0
