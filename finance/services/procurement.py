"""After approval: the order (双人采购), acceptance (验收) into the register and stock, invoices with three
sign-offs (经手人 / 验收人 / 审核人), payment into the ledger, and entries finance keeps by hand."""
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assets.models import FundingSource
from assets.services.register import asset_register
from assets.services.supplies import supply_stock_in
from logistics.history import history_reason
from logistics.services import display_name, format_money, lock, parse_money, refuse, require, save_with_history

from ..models import BudgetLine, FinanceSettings, Invoice, LedgerEntry, PurchaseItem, PurchaseRequest

RStatus = PurchaseRequest.Status
IStatus = Invoice.Status
SIGN_ROLES = Invoice.SIGN_ROLES
# Categories whose direction is fixed; "other" may be either.
CATEGORY_DIRECTION = {
    LedgerEntry.Category.FUNDS: LedgerEntry.Direction.INCOME,
    LedgerEntry.Category.FEES: LedgerEntry.Direction.INCOME,
    LedgerEntry.Category.OFFICE: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.SERVICE: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.PURCHASE: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.REFUND: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.FEE_SPENT: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.AID: LedgerEntry.Direction.EXPENSE,
    LedgerEntry.Category.DAMAGES: LedgerEntry.Direction.INCOME,
}


def _lock_request(request_id, expected_version=None, *, by=None):
    return lock(PurchaseRequest.objects.select_related("budget_line"), request_id, expected_version,
                _("purchase request"), by=by)


def _lock_invoice(invoice_id, expected_version=None, *, by=None):
    return lock(Invoice, invoice_id, expected_version, _("invoice"), by=by)


def funding_source_for(budget_line):
    """The register's funding source for money from this budget line."""
    if budget_line is None:
        return FundingSource.OTHER
    if budget_line.kind in (BudgetLine.Kind.PUBLIC, BudgetLine.Kind.EARMARKED):
        return FundingSource.FISCAL
    if budget_line.kind == BudgetLine.Kind.SELF:
        return FundingSource.SELF
    return FundingSource.OTHER


def two_purchasers_needed(total, profile=None):
    """True above the school's limit for buying alone (双人采购)."""
    profile = profile or FinanceSettings.get()
    return total > profile.dual_purchase_above


# --- ordering ------------------------------------------------------------------------------------

@transaction.atomic
def purchase_order(*, request_id, by, vendor, ordered_on, prices, purchaser=None, second_purchaser=None,
                   expected_version=None):
    """Record the order of an approved request: vendor, date, actual unit prices, one or two purchasers."""
    require(by, "finance.order_purchase", _("Only logistics records orders."))
    pr = _lock_request(request_id, expected_version, by=by)
    if not pr.can_order:
        refuse(pr, _("ordered"))
    errors = {}
    vendor = (vendor or "").strip()
    if not vendor:
        errors["vendor"] = _("Say which vendor the order went to.")
    if ordered_on is None:
        errors["ordered_on"] = _("Give the date of the order.")
    elif ordered_on > timezone.localdate():
        errors["ordered_on"] = _("The order date cannot be in the future.")
    items = list(pr.items.all())
    total = Decimal("0.00")
    for item in items:
        raw = prices.get(item.pk)
        if raw in (None, ""):
            errors[f"price_{item.pk}"] = _("Give the actual unit price of %(item)s.") % {"item": item.name}
            continue
        try:
            item.actual_unit_price = parse_money(raw, f"price_{item.pk}")
        except ValidationError as e:
            errors.update(e.message_dict)
            continue
        total += item.actual_unit_price * item.quantity
    if errors:
        raise ValidationError(errors)
    if not items:
        raise ValidationError(_("This request has no items to order."))
    purchaser = purchaser or by
    if not purchaser.is_active:
        raise ValidationError({"purchaser": _("%(name)s no longer works here.") % {"name": display_name(purchaser)}})
    if two_purchasers_needed(total):
        if second_purchaser is None:
            raise ValidationError({"second_purchaser": _(
                "Above %(limit)s two people buy together (双人采购): name the second purchaser.")
                % {"limit": format_money(FinanceSettings.get().dual_purchase_above)}})
    if second_purchaser is not None:
        if second_purchaser.pk == purchaser.pk:
            raise ValidationError({"second_purchaser": _("The second purchaser must be a different person.")})
        if not second_purchaser.is_active:
            raise ValidationError({"second_purchaser": _("%(name)s no longer works here.")
                                   % {"name": display_name(second_purchaser)}})
    reason = history_reason(gettext_noop("ordered from %(vendor)s for %(total)s"), vendor=vendor[:120],
                            total=format_money(total))
    for item in items:
        save_with_history(item, by, reason, bump=False)
    pr.vendor = vendor[:120]
    pr.ordered_on = ordered_on
    pr.purchaser = purchaser
    pr.second_purchaser = second_purchaser
    pr.order_total = total
    pr.status = RStatus.ORDERED
    return save_with_history(pr, by, reason)


# --- acceptance ----------------------------------------------------------------------------------

@transaction.atomic
def purchase_accept(*, request_id, by, quantities, categories=None, locations=None, supply_items=None,
                    expected_version=None, now=None):
    """Accept the goods (验收): assets into the register, supplies into stock, the accepted total recorded.

    quantities: {item_pk: accepted quantity}; categories / locations: {item_pk: AssetCategory / Location}
    for asset items (the receiver says where they are going); supply_items: {item_pk: SupplyItem} for
    supplies. The receiver must not be one of the purchasers.
    """
    require(by, "finance.order_purchase", _("Only logistics accepts goods."))
    now = now or timezone.now()
    categories = categories or {}
    locations = locations or {}
    supply_items = supply_items or {}
    pr = _lock_request(request_id, expected_version, by=by)
    if not pr.can_accept:
        refuse(pr, _("accepted"))
    if pr.bought_by(by):
        raise ValidationError(_("Someone who bought the goods cannot accept them: another person accepts "
                                "(验收)."), code="purchaser")
    items = list(pr.items.select_related("asset_category", "location", "supply_item"))
    errors = {}
    accepted = {}
    for item in items:
        field = f"qty_{item.pk}"
        raw = quantities.get(item.pk)
        try:
            qty = int(raw)
        except (TypeError, ValueError):
            errors[field] = _("Enter the quantity received as a whole number.")
            continue
        if qty < 0:
            errors[field] = _("The quantity cannot be negative.")
        elif qty > item.quantity:
            errors[field] = _("%(n)s is more than the %(ordered)s ordered.") % {"n": qty, "ordered": item.quantity}
        accepted[item.pk] = qty
        if qty == 0:
            continue
        if item.kind == PurchaseItem.Kind.ASSET:
            if categories.get(item.pk) is not None:
                item.asset_category = categories[item.pk]
            if locations.get(item.pk) is not None:
                item.location = locations[item.pk]
            if item.asset_category is None:
                errors[f"category_{item.pk}"] = _("Choose the asset category of %(item)s for the register.") % {
                    "item": item.name}
            if item.location is None:
                errors[f"location_{item.pk}"] = _("Choose where %(item)s will be, for the register.") % {
                    "item": item.name}
        elif item.kind == PurchaseItem.Kind.SUPPLY:
            if supply_items.get(item.pk) is not None:
                item.supply_item = supply_items[item.pk]
            if item.supply_item is None:
                errors[f"supply_{item.pk}"] = _("Choose the stock item %(item)s goes into.") % {
                    "item": item.name}
    if errors:
        raise ValidationError(errors)
    if not any(accepted.values()):
        raise ValidationError(_("Nothing was accepted. If the goods did not come, leave the order as it is."))
    reason = history_reason(gettext_noop("accepted the goods"))
    total = Decimal("0.00")
    funding = funding_source_for(pr.budget_line)
    for item in items:
        qty = accepted[item.pk]
        item.accepted_quantity = qty
        total += qty * item.actual_unit_price
        if qty and item.kind == PurchaseItem.Kind.ASSET:
            asset_register(by=by, name=item.name, spec=item.spec, category=item.asset_category,
                           location=item.location, unit_price=item.actual_unit_price, quantity=qty,
                           unit=item.unit, department=pr.department, funding_source=funding,
                           acquired_on=timezone.localdate(now), notes=pr.number, now=now)
        elif qty and item.kind == PurchaseItem.Kind.SUPPLY:
            supply_stock_in(item_id=item.supply_item_id, by=by, quantity=qty, supplier=pr.vendor,
                            unit_price=item.actual_unit_price, note=pr.number, now=now)
        save_with_history(item, by, reason, bump=False)
    pr.received_by = by
    pr.received_at = now
    pr.accepted_total = total
    pr.status = RStatus.ACCEPTED
    return save_with_history(pr, by, reason)


# --- invoices ------------------------------------------------------------------------------------

@transaction.atomic
def invoice_add(*, request_id, by, number, issued_on, amount, attachment=None, now=None):
    """Record an invoice for an ordered or accepted request; it then waits for three signatures."""
    require(by, "finance.add_invoice", _("Your role cannot record invoices."))
    pr = _lock_request(request_id)
    if not pr.can_invoice:
        refuse(pr, _("invoiced"))
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Give the invoice number.")
    elif Invoice.objects.filter(number=number).exists():
        errors["number"] = _("Invoice %(number)s is already recorded.") % {"number": number}
    if issued_on is None:
        errors["issued_on"] = _("Give the invoice date.")
    elif issued_on > timezone.localdate():
        errors["issued_on"] = _("The invoice date cannot be in the future.")
    try:
        amount = parse_money(amount, "amount")
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    invoice = Invoice(request=pr, number=number[:40], issued_on=issued_on, amount=amount, recorded_by=by,
                      recorded_at=now or timezone.now())
    if attachment:
        invoice.attachment = attachment
    try:
        with transaction.atomic():
            save_with_history(invoice, by, history_reason(gettext_noop("invoice recorded")), bump=False)
    except IntegrityError:
        raise ValidationError({"number": _("Invoice %(number)s is already recorded.") % {"number": number}}) \
            from None
    return invoice


@transaction.atomic
def invoice_sign(*, invoice_id, by, role, expected_version=None, now=None):
    """Sign an invoice as handler (经手人), receiver (验收人) or auditor (审核人): three different people."""
    if role not in SIGN_ROLES:
        raise ValidationError(_("Sign as handler, receiver or auditor."))
    invoice = _lock_invoice(invoice_id, expected_version, by=by)
    if not Invoice.role_may_sign(by, role):
        raise PermissionDenied(_("Your role cannot sign invoices as %(role)s.")
                               % {"role": Invoice._meta.get_field(role).verbose_name})
    if not invoice.can_sign:
        refuse(invoice, _("signed"))
    if getattr(invoice, f"{role}_id") is not None:
        raise ValidationError(_("%(role)s has already signed.") % {
            "role": Invoice._meta.get_field(role).verbose_name}, code="signed")
    if invoice.signed_by(by):
        raise ValidationError(_("You have already signed this invoice: three different people sign."),
                              code="same_person")
    now = now or timezone.now()
    setattr(invoice, role, by)
    setattr(invoice, f"{role}_signed_at", now)
    if invoice.handler_id and invoice.receiver_id and invoice.auditor_id:
        invoice.status = IStatus.SIGNED
    labels = {"handler": gettext_noop("signed as handler (经手人)"),
              "receiver": gettext_noop("signed as receiver (验收人)"),
              "auditor": gettext_noop("signed as auditor (审核人)")}
    return save_with_history(invoice, by, history_reason(labels[role]))


@transaction.atomic
def invoice_pay(*, invoice_id, by, voucher_number, expected_version=None, now=None):
    """Mark a signed invoice paid with its voucher: an expense in the ledger, the request paid."""
    require(by, "finance.pay_invoice", _("Only finance pays invoices."))
    invoice = _lock_invoice(invoice_id, expected_version, by=by)
    if invoice.can_sign:
        raise ValidationError(_("An invoice is paid only after the handler, the receiver and the auditor have "
                                "signed."), code="unsigned")
    if not invoice.can_pay:
        refuse(invoice, _("paid"))
    voucher_number = (voucher_number or "").strip()
    if not voucher_number:
        raise ValidationError({"voucher_number": _("Give the voucher number of the payment.")})
    pr = _lock_request(invoice.request_id)
    if not pr.goods_accepted:
        raise ValidationError(_("The goods of %(number)s have not been accepted yet; pay after acceptance (验收).")
                              % {"number": pr.number}, code="not_accepted")
    now = now or timezone.now()
    invoice.status = IStatus.PAID
    invoice.paid_by = by
    invoice.paid_at = now
    invoice.voucher_number = voucher_number[:40]
    reason = history_reason(gettext_noop("paid, voucher %(voucher)s"), voucher=voucher_number[:40])
    save_with_history(invoice, by, reason)
    entry = LedgerEntry(date=timezone.localdate(now), direction=LedgerEntry.Direction.EXPENSE,
                        category=LedgerEntry.Category.PURCHASE, amount=invoice.amount,
                        description=f"{pr.number} {pr.title} · {invoice.number}"[:200], budget_line=pr.budget_line,
                        invoice=invoice, voucher_number=invoice.voucher_number, created_by=by, created_at=now)
    save_with_history(entry, by, reason, bump=False)
    if pr.status != RStatus.PAID:
        pr.status = RStatus.PAID
        save_with_history(pr, by, reason)
    return invoice


# --- ledger --------------------------------------------------------------------------------------

@transaction.atomic
def ledger_entry_add(*, by, date, direction, category, amount, description, budget_line=None,
                     voucher_number="", now=None):
    """Enter income or an expense by hand (funds received, office expenses, fees, service charges)."""
    require(by, "finance.add_ledgerentry", _("Only finance keeps the ledger."))
    errors = {}
    if category == LedgerEntry.Category.PURCHASE:
        errors["category"] = _("Purchase payments enter the ledger when their invoice is paid.")
    elif category in LedgerEntry.POSTED:
        errors["category"] = _("“%(category)s” enters the ledger by itself when the money is recorded on its "
                               "page.") % {"category": LedgerEntry.Category(category).label}
    elif category not in LedgerEntry.Category.values:
        errors["category"] = _("Choose a category.")
    if direction not in LedgerEntry.Direction.values:
        errors["direction"] = _("Choose income or expense.")
    elif CATEGORY_DIRECTION.get(category, direction) != direction:
        errors["direction"] = _("“%(category)s” is always %(direction)s.") % {
            "category": LedgerEntry.Category(category).label,
            "direction": LedgerEntry.Direction(CATEGORY_DIRECTION[category]).label}
    if date is None:
        errors["date"] = _("Give the date.")
    elif date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Say what it was.")
    try:
        amount = parse_money(amount, "amount")
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    entry = LedgerEntry(date=date, direction=direction, category=category, amount=amount,
                        description=description[:200], budget_line=budget_line,
                        voucher_number=(voucher_number or "").strip()[:40], created_by=by,
                        created_at=now or timezone.now())
    return save_with_history(entry, by, history_reason(gettext_noop("entered")), bump=False)


@transaction.atomic
def ledger_entry_post(*, direction, category, amount, description, date, by, source=None, now=None):
    """Post money moved by another service (a fee collected, spent or refunded, aid paid, compensation received).

    Runs inside the caller's transaction, so the movement and its entry are saved or rolled back together;
    the caller has checked who may move the money. Nothing is posted for a zero amount; a negative amount
    corrects an earlier entry of the same line (红字冲销). source: the record the money belongs to."""
    amount = Decimal(amount)
    if not amount:
        return None
    if category not in LedgerEntry.Category.values or CATEGORY_DIRECTION.get(category, direction) != direction:
        raise ValueError(f"cannot post {direction} to the ledger's {category!r} line")
    entry = LedgerEntry(date=date or timezone.localdate(now), direction=direction, category=category, amount=amount,
                        description=(description or "").strip()[:200], created_by=by,
                        created_at=now or timezone.now())
    reason = history_reason(gettext_noop("posted from %(source)s"), source=str(source)[:200]) if source else \
        history_reason(gettext_noop("posted"))
    return save_with_history(entry, by, reason, bump=False)
