"""Separation of duties holds in the admin too: records that services move show their state, signatures,
approvals, amounts decided and who/when read-only, and are never added there; the school's limits and
settings are the principal's to change (with history), never the head's alone."""
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from assets.models import Asset, AssetSettings
from finance.models import BudgetLine, FinanceSettings, Invoice, LedgerEntry
from logistics.models import SchoolProfile

from ..assets._register import register
from ._procurement import accepted_request, entry, invoice_for

OUR_APPS = ("logistics", "assets", "finance")
ROLES = ["head", "principal", "finance", "worker", "auditor", "root"]

# The names of what only a service may set: state, signatures, approvals, decisions, payment, who and when.
STATE_NAMES = {"status", "version", "decision", "decider", "outcome", "published", "handler", "receiver", "auditor",
               "by", "at", "borrower", "voucher_number"}
STATE_PREFIXES = ("decided", "decision", "approved", "signed", "paid", "settled", "handler_", "receiver_",
                  "auditor_", "opened_", "closed_")
STATE_SUFFIXES = ("_by", "_at")
NOT_STATE = {"needed_by"}  # a date the requester gives ("needed by"), not who did something
# Amounts decided by a move: the money of an invoice, an entry, an aid, a fee, an assessment, a write-off.
DECIDED_AMOUNTS = {
    "finance.Invoice": {"amount", "request"},
    "finance.LedgerEntry": {"amount", "date", "direction", "category", "budget_line", "invoice"},
    "finance.AidApplication": {"amount", "category", "term"},
    "finance.FeeItem": {"amount_per_pupil", "term"},
    "finance.FeeClass": {"pupils", "exempt", "collected"},
    "finance.FeeSpending": {"amount", "date"},
    "finance.PurchaseRequest": {"estimated_total", "order_total", "accepted_total", "chosen_quote", "route"},
    "assets.DamageRecord": {"assessed_amount", "responsible", "waive_reason", "receipt_number"},
    "assets.WriteOff": {"value", "quantity", "needs_principal", "asset"},
    "assets.AssetLoan": {"quantity", "asset", "due_on", "lent_on"},
    "assets.RepairRequest": {"urgency", "cost", "assignee", "due_at"},
    "assets.StocktakeLine": {"counted_quantity", "expected_quantity", "moved_to", "damage_action"},
    "assets.StocktakeRoom": {"keeper_name"},
    "assets.PrintRequest": {"pages", "copies"},
    "assets.Asset": {"disposed_value", "disposed_on"},
    "assets.StockMovement": {"change", "balance"},
}
# Records a service must create (numbered, checked, posted to the ledger): never added in the admin.
CREATED_BY_SERVICES = {"finance.Invoice", "finance.LedgerEntry", "finance.AidApplication", "finance.FeeItem",
                       "finance.FeeClass", "finance.FeeSpending", "finance.PurchaseRequest", "assets.WriteOff",
                       "assets.WriteOffPhoto", "assets.Asset", "assets.AssetLoan", "assets.DamageRecord",
                       "assets.RepairRequest", "assets.RepairPhoto", "assets.Requisition", "assets.PrintRequest",
                       "assets.StockMovement", "assets.Stocktake", "assets.StocktakeRoom", "assets.StocktakeLine",
                       "assets.CheckTask", "assets.Distribution"}
# Plain reference data the back office keeps adding.
REFERENCE = {"assets.AssetCategory", "finance.BudgetLine", "assets.SupplyItem", "logistics.Location",
             "logistics.Building", "logistics.Term", "logistics.Department", "assets.CheckSchedule"}
SETTINGS = {"assets.AssetSettings", "finance.FinanceSettings", "logistics.SchoolProfile"}


def is_state(label, name):
    return name not in NOT_STATE and (name in STATE_NAMES or name.startswith(STATE_PREFIXES)
                                      or name.endswith(STATE_SUFFIXES) or name in DECIDED_AMOUNTS.get(label, ()))


def business_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS and model._meta.label not in REFERENCE | SETTINGS]


@pytest.fixture
def staff(users):
    """Every role as a member of the back office (the worst case: the school made them all staff), and the
    system administrator."""
    people = {name: users[name] for name in ROLES if name != "root"}
    for user in people.values():
        user.is_staff = True
        user.save()
    people["root"] = User.objects.create_superuser("root", password="x", first_name="系统管理员")
    return {name: User.objects.get(pk=user.pk) for name, user in people.items()}


def editable_fields(model_admin, request, obj=None):
    """The fields the admin's form lets this person type into, its inlines' included."""
    readonly = set(model_admin.get_readonly_fields(request, obj))
    form = model_admin.get_form(request, obj)
    names = {name for name in form.base_fields if name not in readonly}
    for inline in model_admin.get_inline_instances(request, obj):
        if inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj):
            inline_ro = set(inline.get_readonly_fields(request, obj))
            names |= {f"{inline.model._meta.label}.{name}" for name in inline.get_formset(request, obj).form.base_fields
                      if name not in inline_ro and name not in ("id", "DELETE")
                      and is_state(inline.model._meta.label, name)}
    return names


@pytest.mark.parametrize("role", ROLES)
def test_no_form_of_the_admin_lets_a_role_set_what_only_services_set(staff, school, role):
    request = RequestFactory().get("/admin/")
    request.user = staff[role]
    leaks = {}
    for model, model_admin in business_admins():
        label = model._meta.label
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue
        names = editable_fields(model_admin, request)
        bad = sorted(n for n in names if "." in n or is_state(label, n))
        if bad:
            leaks[label] = bad
    assert leaks == {}


@pytest.mark.parametrize("role", ROLES)
def test_records_made_by_services_cannot_be_added_in_the_admin(staff, school, role):
    request = RequestFactory().get("/admin/")
    request.user = staff[role]
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in CREATED_BY_SERVICES:
            assert not model_admin.has_add_permission(request), model._meta.label


def test_reference_data_is_still_added_in_the_admin(staff, school):
    request = RequestFactory().get("/admin/")
    request.user = staff["head"]
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in {"assets.AssetCategory", "assets.SupplyItem", "logistics.Location"}:
            assert model_admin.has_add_permission(request), model._meta.label
    request.user = staff["finance"]
    assert admin.site._registry[BudgetLine].has_add_permission(request)


# --- the page as a browser would send it ------------------------------------------------------------

class _FormFields(HTMLParser):
    """The values a browser would post from the admin's change form (its first form with a csrf token)."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and "_form" in (a.get("id") or ""):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] = [self.data[self._textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def post_change(client, url, **changes):
    """Open the change page, change what the person typed or slipped in, and save."""
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data = {k: v for k, v in parser.data.items()}
    data.update({k: [str(v)] for k, v in changes.items()})
    data["_save"] = ["保存"]
    return client.post(url, data)


@pytest.fixture
def paid_scene(staff, school):
    """An invoice (recorded, not signed), an entry in the ledger, and an asset worth 19,800 yuan."""
    users = staff
    pr = accepted_request(users["worker"], room=school["room"], purchaser=users["worker"], receiver=users["head"])
    invoice = invoice_for(pr, users["worker"])
    asset = register(users["worker"], school, name="交互式一体机", unit_price=Decimal("19800"))
    ledger = entry(users["finance"], category=LedgerEntry.Category.OFFICE, amount="120.00",
                   date=school["term"].start)
    return {"invoice": invoice, "asset": asset, "ledger": ledger}


def test_the_head_cannot_add_an_invoice_already_paid_and_signed(staff, school, client, paid_scene):
    client.force_login(staff["head"])
    pr = paid_scene["invoice"].request
    response = client.post(reverse("admin:finance_invoice_add"), {
        "request": pr.pk, "number": "FP99999999", "issued_on": "2026-11-01", "amount": "15000.00",
        "status": "paid", "handler": staff["worker"].pk, "receiver": staff["principal"].pk,
        "auditor": staff["finance"].pk, "paid_by": staff["finance"].pk, "voucher_number": "记-999",
        "version": 1})
    assert response.status_code == 403
    assert not Invoice.objects.filter(number="FP99999999").exists()


@pytest.mark.parametrize("role", ["head", "root"])
def test_signatures_and_payment_of_an_invoice_are_not_changed_in_the_admin(staff, client, paid_scene, role):
    invoice = paid_scene["invoice"]
    client.force_login(staff[role])
    post_change(client, reverse("admin:finance_invoice_change", args=[invoice.pk]),
                status="paid", handler=staff["worker"].pk, receiver=staff["principal"].pk,
                auditor=staff["finance"].pk, paid_by=staff["finance"].pk, amount="1.00", voucher_number="记-999")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.AWAITING_SIGNATURES
    assert (invoice.handler, invoice.receiver, invoice.auditor, invoice.paid_by) == (None, None, None, None)
    assert invoice.voucher_number == "" and invoice.amount != Decimal("1.00")
    assert not LedgerEntry.objects.filter(invoice=invoice).exists()


def test_a_ledger_entry_keeps_its_amount_and_a_new_one_is_refused(staff, client, paid_scene):
    ledger = paid_scene["ledger"]
    client.force_login(staff["root"])
    response = post_change(client, reverse("admin:finance_ledgerentry_change", args=[ledger.pk]),
                           amount="99999.00", description="办公用纸（更正）")
    assert response.status_code == 302
    ledger.refresh_from_db()
    assert ledger.amount == Decimal("120.00") and ledger.description == "办公用纸（更正）"
    assert ledger.history.first().history_user == staff["root"]
    assert client.get(reverse("admin:finance_ledgerentry_add")).status_code == 403


def test_the_head_cannot_write_off_an_asset_in_the_admin(staff, client, paid_scene):
    asset = paid_scene["asset"]
    client.force_login(staff["head"])
    response = post_change(client, reverse("admin:assets_asset_change", args=[asset.pk]),
                           status=Asset.Status.WRITTEN_OFF, disposed_value="0", notes="报废")
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status != Asset.Status.WRITTEN_OFF and asset.notes == "报废"
    assert not asset.write_offs.exists()


# --- the school's settings ------------------------------------------------------------------------------

SETTINGS_PAGES = [("finance_financesettings", FinanceSettings, "purchase_head_limit", "1000000.00"),
                  ("assets_assetsettings", AssetSettings, "write_off_principal_limit", "1000000.00"),
                  ("logistics_schoolprofile", SchoolProfile, "principal_name", "陈主任")]


@pytest.mark.parametrize(("page", "model", "field", "value"), SETTINGS_PAGES)
def test_the_head_cannot_change_the_schools_limits_or_settings(staff, school, client, page, model, field, value):
    record = model.objects.get() if model is SchoolProfile else model.get()
    before = getattr(record, field)
    client.force_login(staff["head"])
    url = reverse(f"admin:{page}_change", args=[record.pk])
    response = client.get(url)
    assert response.status_code == 200  # he reads them
    assert f'name="{field}"' not in response.content.decode()
    response = post_change(client, url, **{field: value})
    assert response.status_code == 403
    record.refresh_from_db()
    assert getattr(record, field) == before


@pytest.mark.parametrize("role", ["finance", "worker", "auditor"])
def test_no_other_role_changes_the_finance_limits(staff, school, client, role):
    record = FinanceSettings.get()
    client.force_login(staff[role])
    url = reverse("admin:finance_financesettings_change", args=[record.pk])
    assert 'name="purchase_head_limit"' not in client.get(url).content.decode()
    response = client.post(url, {"purchase_head_limit": "1000000.00"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.purchase_head_limit != Decimal("1000000.00")


@pytest.mark.parametrize(("page", "model", "field", "value"), SETTINGS_PAGES)
def test_the_principal_changes_the_schools_settings_and_the_history_keeps_it(staff, school, client, page, model,
                                                                             field, value):
    record = model.objects.get() if model is SchoolProfile else model.get()
    client.force_login(staff["principal"])
    response = post_change(client, reverse(f"admin:{page}_change", args=[record.pk]), **{field: value})
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert str(getattr(record, field)) == value
    latest = record.history.first()
    assert latest.history_user == staff["principal"] and str(getattr(latest, field)) == value
