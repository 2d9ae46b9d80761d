"""Ordering (双人采购), acceptance (验收) into the register and stock, invoices with three sign-offs, payment."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assets.models import Asset, StockMovement, SupplyItem
from finance.models import BudgetLine, FinanceSettings, Invoice, LedgerEntry, PurchaseRequest
from finance.services import procurement as services
from logistics.history import history_timeline

from ._procurement import accepted_request, approved_request, invoice_for, ordered_request, prices_of, signed


@pytest.fixture(autouse=True)
def english():
    """History reasons are stored untranslated and read in the active language: read them in English."""
    with translation.override("en"):
        yield

S = PurchaseRequest.Status
pytestmark = pytest.mark.django_db


def _order(pr, by, *, prices=("750", "35"), purchaser=None, second=None, **kw):
    return services.purchase_order(request_id=pr.pk, by=by, vendor="青山电器城", ordered_on=timezone.localdate(),
                                   prices=prices_of(pr, *prices), purchaser=purchaser or by,
                                   second_purchaser=second, **kw)


# --- ordering ---

def test_logistics_orders_an_approved_request_with_actual_prices(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    pr = _order(pr, users["worker"], second=users["worker2"])
    assert pr.status == S.ORDERED
    assert pr.order_total == Decimal("3350.00")  # 4 × 750 + 10 × 35
    assert pr.vendor == "青山电器城" and pr.purchaser == users["worker"]
    assert [i.actual_unit_price for i in pr.items.all()] == [Decimal("750.00"), Decimal("35.00")]
    assert "ordered from 青山电器城" in history_timeline(pr)[-1]["reason"]


def test_one_purchaser_is_enough_below_the_limit(users, school):
    FinanceSettings.objects.update(dual_purchase_above=5000)
    pr = _order(approved_request(users["teacher"], room=school["room"]), users["worker"])
    assert pr.status == S.ORDERED and pr.second_purchaser is None


def test_above_the_limit_two_different_purchasers_are_needed(users, school):
    FinanceSettings.objects.update(dual_purchase_above=1000)
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(ValidationError) as e:
        _order(pr, users["worker"])
    assert "second_purchaser" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _order(pr, users["worker"], second=users["worker"])
    assert "different person" in str(e.value)
    pr.refresh_from_db()
    assert pr.status == S.APPROVED and pr.order_total is None
    assert _order(pr, users["worker"], second=users["head"]).second_purchaser == users["head"]


@pytest.mark.parametrize("price", ["0", "-5", "abc", "1e12", "NaN"])
def test_bad_prices_are_refused(users, school, price):
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(ValidationError):
        _order(pr, users["worker"], prices=(price, "35"))
    pr.refresh_from_db()
    assert pr.status == S.APPROVED


def test_staff_cannot_order(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(PermissionDenied):
        _order(pr, users["teacher"])


def test_only_an_approved_request_is_ordered(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    PurchaseRequest.objects.filter(pk=pr.pk).update(status=S.AWAITING_PRINCIPAL)
    with pytest.raises(ValidationError):
        _order(pr, users["worker"])


def test_ordering_from_a_stale_page_is_refused(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(ValidationError) as e:
        _order(pr, users["worker"], expected_version=pr.version - 1 if pr.version > 1 else pr.version + 5)
    assert e.value.code == "stale"


# --- acceptance ---

def test_acceptance_puts_assets_into_the_register_and_supplies_into_stock(users, school):
    FinanceSettings.objects.update(dual_purchase_above=10000)
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"])
    pr = services.purchase_accept(request_id=pr.pk, by=users["worker2"],
                                  quantities={i.pk: i.quantity for i in pr.items.all()})
    assert pr.status == S.ACCEPTED and pr.received_by == users["worker2"]
    assert pr.accepted_total == Decimal("3350.00")
    asset = Asset.objects.get()
    assert (asset.name, asset.quantity, asset.unit_price, asset.location) == (
        "饮水机", 4, Decimal("750.00"), school["room"])
    assert asset.funding_source == "fiscal" and asset.category.name == "饮水机" and asset.notes == pr.number
    assert asset.history.count() == 1 and asset.history.first().history_user == users["worker2"]
    chalk = SupplyItem.objects.get(name="粉笔")
    assert chalk.stock == 10
    move = StockMovement.objects.get(item=chalk)
    assert move.supplier == "青山电器城" and move.unit_price == Decimal("35.00")
    assert chalk.history.count() >= 1
    assert "accepted the goods" in history_timeline(pr)[-1]["reason"]


def test_partial_acceptance_counts_only_what_came(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    asset_item, supply_item = pr.items.all()
    pr = services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities={asset_item.pk: 3,
                                                                                    supply_item.pk: 0})
    assert pr.accepted_total == Decimal("2250.00")
    assert Asset.objects.get().quantity == 3
    assert SupplyItem.objects.get(name="粉笔").stock == 0


@pytest.mark.parametrize(("kind", "source"), [("public", "fiscal"), ("earmarked", "fiscal"), ("self", "self"),
                                              ("other", "other")])
def test_funding_source_follows_the_budget_line(kind, source):
    assert services.funding_source_for(BudgetLine(kind=kind)) == source


def test_a_purchaser_cannot_accept(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    for buyer in (users["worker"], users["head"]):
        with pytest.raises(ValidationError) as e:
            services.purchase_accept(request_id=pr.pk, by=buyer, quantities={i.pk: 1 for i in pr.items.all()})
        assert e.value.code == "purchaser"
    assert not Asset.objects.exists()


def test_more_than_ordered_is_refused_and_nothing_is_registered(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    asset_item, supply_item = pr.items.all()
    with pytest.raises(ValidationError) as e:
        services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities={asset_item.pk: 5,
                                                                                  supply_item.pk: 10})
    assert f"qty_{asset_item.pk}" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities={asset_item.pk: -1,
                                                                                  supply_item.pk: 10})
    pr.refresh_from_db()
    assert pr.status == S.ORDERED and not Asset.objects.exists()
    assert SupplyItem.objects.get(name="粉笔").stock == 0


def test_nothing_accepted_is_refused(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    with pytest.raises(ValidationError):
        services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities={i.pk: 0 for i in pr.items.all()})


def test_an_asset_item_needs_a_category_at_acceptance(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    asset_item = pr.items.first()
    category = asset_item.asset_category
    asset_item.asset_category = None
    asset_item.save()
    quantities = {i.pk: i.quantity for i in pr.items.all()}
    with pytest.raises(ValidationError) as e:
        services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities=quantities)
    assert "asset category" in " ".join(e.value.message_dict[f"category_{asset_item.pk}"])
    pr = services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities=quantities,
                                  categories={asset_item.pk: category})
    assert Asset.objects.get().category == category


def test_only_an_ordered_request_is_accepted(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(ValidationError) as e:
        services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities={i.pk: 1 for i in pr.items.all()})
    assert e.value.code == "not_allowed"


# --- invoices ---

@pytest.fixture
def accepted(users, school):
    return accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"],
                            second=users["head"], receiver=users["worker2"])


def test_an_invoice_is_paid_after_three_different_signatures(users, accepted):
    invoice = invoice_for(accepted, users["worker"], number="FP0001")
    invoice = signed(invoice, users["worker"], users["worker2"], users["finance"])
    assert invoice.status == Invoice.Status.SIGNED
    invoice = services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="记-11-007")
    assert invoice.status == Invoice.Status.PAID and invoice.voucher_number == "记-11-007"
    entry = LedgerEntry.objects.get()
    assert (entry.direction, entry.category, entry.amount, entry.budget_line, entry.invoice) == (
        "expense", "purchase", Decimal("3350.00"), accepted.budget_line, invoice)
    accepted.refresh_from_db()
    assert accepted.status == S.PAID
    reasons = [e["reason"] for e in history_timeline(invoice)]
    assert any("handler" in r for r in reasons) and any("auditor" in r for r in reasons)
    assert "voucher 记-11-007" in reasons[-1]


def test_the_same_person_cannot_sign_twice(users, accepted):
    invoice = invoice_for(accepted, users["head"])
    services.invoice_sign(invoice_id=invoice.pk, by=users["head"], role="handler")
    with pytest.raises(ValidationError) as e:
        services.invoice_sign(invoice_id=invoice.pk, by=users["head"], role="receiver")
    assert e.value.code == "same_person"
    invoice.refresh_from_db()
    assert invoice.receiver is None


def test_a_slot_is_signed_once(users, accepted):
    invoice = invoice_for(accepted, users["worker"])
    services.invoice_sign(invoice_id=invoice.pk, by=users["worker"], role="handler")
    with pytest.raises(ValidationError):
        services.invoice_sign(invoice_id=invoice.pk, by=users["worker2"], role="handler")


def test_staff_and_auditor_role_cannot_sign(users, accepted):
    invoice = invoice_for(accepted, users["worker"])
    for user in (users["teacher"], users["auditor"]):
        with pytest.raises(PermissionDenied):
            services.invoice_sign(invoice_id=invoice.pk, by=user, role="handler")
    with pytest.raises(PermissionDenied):  # logistics does not audit
        services.invoice_sign(invoice_id=invoice.pk, by=users["worker"], role="auditor")


def test_paying_before_three_signatures_is_refused(users, accepted):
    invoice = invoice_for(accepted, users["worker"])
    services.invoice_sign(invoice_id=invoice.pk, by=users["worker"], role="handler")
    services.invoice_sign(invoice_id=invoice.pk, by=users["worker2"], role="receiver")
    with pytest.raises(ValidationError) as e:
        services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V1")
    assert e.value.code == "unsigned"
    assert not LedgerEntry.objects.exists()


def test_paying_twice_is_refused(users, accepted):
    invoice = signed(invoice_for(accepted, users["worker"]), users["worker"], users["worker2"], users["finance"])
    services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V1")
    with pytest.raises(ValidationError) as e:
        services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V2")
    assert e.value.code == "not_allowed"
    assert LedgerEntry.objects.count() == 1


def test_only_finance_pays_and_needs_a_voucher(users, accepted):
    invoice = signed(invoice_for(accepted, users["worker"]), users["worker"], users["worker2"], users["finance"])
    with pytest.raises(PermissionDenied):
        services.invoice_pay(invoice_id=invoice.pk, by=users["head"], voucher_number="V1")
    with pytest.raises(ValidationError):
        services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="  ")


def test_paying_from_a_stale_page_is_refused(users, accepted):
    invoice = invoice_for(accepted, users["worker"])
    seen = invoice.version
    invoice = signed(invoice, users["worker"], users["worker2"], users["finance"])
    with pytest.raises(ValidationError) as e:
        services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V1", expected_version=seen)
    assert e.value.code == "stale"


def test_an_invoice_before_acceptance_waits_for_acceptance_to_be_paid(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    invoice = signed(invoice_for(pr, users["worker"], amount=Decimal("3350")), users["worker"], users["worker2"],
                     users["finance"])
    with pytest.raises(ValidationError) as e:
        services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V1")
    assert e.value.code == "not_accepted"


def test_invoice_numbers_are_unique_and_amounts_positive(users, accepted):
    invoice_for(accepted, users["worker"], number="FP1")
    with pytest.raises(ValidationError) as e:
        invoice_for(accepted, users["worker"], number="FP1")
    assert "number" in e.value.message_dict
    for bad in ("0", "-1", "1e20"):
        with pytest.raises(ValidationError):
            invoice_for(accepted, users["worker"], number="FP2", amount=bad)


def test_an_approved_request_cannot_be_invoiced(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    with pytest.raises(ValidationError):
        invoice_for(pr, users["worker"], amount="100")


def test_a_differing_amount_is_flagged_not_blocked(users, accepted):
    invoice = invoice_for(accepted, users["worker"], amount=Decimal("3400.00"))
    assert invoice.amount_differs
    assert not invoice_for(accepted, users["worker"]).amount_differs
    invoice = signed(invoice, users["worker"], users["worker2"], users["finance"])
    services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V9")
    assert LedgerEntry.objects.get().amount == Decimal("3400.00")


# --- ledger ---

def test_finance_enters_income_and_expenses(users):
    today = timezone.localdate()
    e = services.ledger_entry_add(by=users["finance"], date=today, direction="income", category="funds",
                                  amount="50000", description="公用经费拨款")
    assert e.amount == Decimal("50000.00") and e.history.first().history_user == users["finance"]


@pytest.mark.parametrize(("direction", "category", "amount"), [
    ("income", "purchase", "10"),   # purchases come from invoices only
    ("expense", "funds", "10"),     # funds received are income
    ("income", "office", "10"),
    ("expense", "office", "0"),
    ("expense", "office", "-3"),
])
def test_bad_ledger_entries_are_refused(users, direction, category, amount):
    with pytest.raises(ValidationError):
        services.ledger_entry_add(by=users["finance"], date=timezone.localdate(), direction=direction,
                                  category=category, amount=amount, description="x")
    assert not LedgerEntry.objects.exists()


def test_only_finance_keeps_the_ledger(users):
    with pytest.raises(PermissionDenied):
        services.ledger_entry_add(by=users["head"], date=timezone.localdate(), direction="expense",
                                  category="office", amount="10", description="x")
