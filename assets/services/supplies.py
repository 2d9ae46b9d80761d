"""State changes of consumable supplies (物品领用): stock in, requisitions, term-start distribution,
and print/copy requests (文印).

Stock never goes below zero: every move that takes stock locks the items' rows (in primary-key
order, so two issues cannot deadlock), checks what is there, and writes one StockMovement per change
with the balance after it. A shortage refuses the whole issue: nothing is half-issued. The
database's CheckConstraint (stock >= 0) stands behind this as a last guard.
"""
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop, pgettext

from logistics.history import history_reason
from logistics.models import Term
from logistics.services import (
    CENT,
    find_duplicate,
    insert_once,
    lock,
    parse_money,
    refuse,
    require,
    save_with_history,
)

from ..models import (
    AssetSettings,
    Distribution,
    DistributionLine,
    PrintRequest,
    Requisition,
    RequisitionLine,
    StockMovement,
    SupplyItem,
)

# A sanity bound on any one quantity: a school never moves a million boxes at once, and a typo
# (an extra zero or a pasted phone number) should be caught rather than stored.
MAX_QUANTITY = 100_000
MAX_PRICE = Decimal("1000000")
MAX_PRINT_PAGES = 10_000
MAX_PRINT_COPIES = 5_000

RStatus = Requisition.Status
DStatus = Distribution.Status
PStatus = PrintRequest.Status


# --- helpers ---------------------------------------------------------------------------------

def _clean_quantity(value, *, field="quantity", allow_zero=False):
    """An int in range, or a ValidationError that says what is wrong with it."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: _("The quantity must be more than zero.")})
    if number > MAX_QUANTITY:
        raise ValidationError({field: _("%(n)s is more than any one issue can be (at most %(max)s).")
                               % {"n": number, "max": MAX_QUANTITY}})
    return number


PRICE_ERRORS = {
    "invalid": _lazy("Enter a price in yuan, e.g. 12.50."),
    "min_value": _lazy("The price cannot be negative."),
    "max_value": _lazy("That price is too large to be right."),
}


def _clean_price(value):
    """A unit price in yuan (below MAX_PRICE, two places at most), or a ValidationError on unit_price."""
    try:
        return parse_money(value, allow_zero=True, maximum=MAX_PRICE - CENT)
    except ValidationError as e:
        raise ValidationError({"unit_price": PRICE_ERRORS.get(e.code, e.messages[0])}) from None


def _lock_items(item_ids):
    """The items, locked for this transaction, by pk: every stock-taking move locks in the same order."""
    locked = SupplyItem.objects.select_for_update().filter(pk__in=set(item_ids)).order_by("pk")
    return {item.pk: item for item in locked}


def _shortage_message(shortages):
    parts = [
        _("%(item)s: %(wanted)s %(unit)s to issue, only %(left)s left")
        % {"item": str(item), "wanted": wanted, "unit": item.unit, "left": item.stock}
        for item, wanted in shortages
    ]
    return _("Not enough in stock, so nothing was issued. %(list)s.") % {"list": "; ".join(parts)}


def _take_stock(*, wants, by, kind, reference, reason_msgid, now, department=None, per_line=None):
    """Take stock for several items at once, all or nothing.

    wants: {item_id: total quantity}; per_line: optional [(item_id, quantity, location)] to write one
    movement per line (the distribution sheet's classes) instead of one per item.
    """
    items = _lock_items(wants)
    shortages = [(items[pk], qty) for pk, qty in sorted(wants.items()) if qty > items[pk].stock]
    if shortages:
        raise ValidationError(_shortage_message(shortages), code="short")
    lines = per_line or [(pk, qty, None) for pk, qty in sorted(wants.items())]
    movements = []
    for pk, qty, location in lines:
        if qty <= 0:
            continue
        item = items[pk]
        item.stock -= qty
        movements.append(StockMovement(
            item=item, kind=kind, change=-qty, balance=item.stock, department=department, location=location,
            reference=reference, by=by, at=now,
        ))
    for mv in movements:
        mv._change_reason = history_reason(reason_msgid, reference=reference)
        mv._history_user = by
        mv.save()
    for pk in wants:
        item = items[pk]
        item._change_reason = history_reason(reason_msgid, reference=reference)
        item._history_user = by
        item.save(update_fields=["stock"])
    return movements


# --- items and stock in ----------------------------------------------------------------------

@transaction.atomic
def supply_item_save(*, by, item=None, name, spec="", kind=SupplyItem.Kind.OFFICE, unit, low_stock_threshold=0,
                     active=True):
    """Create a supply item or change its description; its stock changes only through movements."""
    require(by, "assets.change_supplyitem" if item and item.pk else "assets.add_supplyitem")
    name, spec, unit = (name or "").strip(), (spec or "").strip(), (unit or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the item a name.")})
    if not unit:
        raise ValidationError({"unit": _("Say what it is counted in (本, 盒, 箱 …).")})
    if low_stock_threshold is None or int(low_stock_threshold) < 0 or int(low_stock_threshold) > MAX_QUANTITY:
        raise ValidationError({"low_stock_threshold": _("Enter a number from 0 to %(max)s.") % {"max": MAX_QUANTITY}})
    clash = SupplyItem.objects.filter(name=name, spec=spec)
    if item and item.pk:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already an item “%(name)s” with this specification.")
                               % {"name": name}})
    creating = not (item and item.pk)
    if creating:
        item = SupplyItem()
    else:
        item = lock(SupplyItem, item.pk)
    item.name, item.spec, item.kind, item.unit = name, spec, kind, unit
    item.low_stock_threshold = int(low_stock_threshold)
    item.active = active
    item._change_reason = history_reason(
        gettext_noop("item added") if creating else gettext_noop("item details changed"))
    item._history_user = by
    if creating:
        item.save()
    else:
        item.save(update_fields=["name", "spec", "kind", "unit", "low_stock_threshold", "active"])
    return item


@transaction.atomic
def supply_stock_in(*, item_id, by, quantity, supplier="", unit_price=None, note="", now=None):
    """Goods received into stock: a movement with the supplier and price, and the new balance."""
    require(by, "assets.add_stockmovement")
    quantity = _clean_quantity(quantity)
    supplier = (supplier or "").strip()
    if not supplier:
        raise ValidationError({"supplier": _("Say who supplied it.")})
    unit_price = _clean_price(unit_price) if unit_price not in (None, "") else None
    item = lock(SupplyItem, item_id)
    if item.stock + quantity > 2_000_000_000:
        raise ValidationError({"quantity": _("That would be more stock than can be counted.")})
    item.stock += quantity
    reason = history_reason(gettext_noop("%(n)s received from %(supplier)s"), n=quantity, supplier=supplier[:100])
    movement = StockMovement(
        item=item, kind=StockMovement.Kind.IN, change=quantity, balance=item.stock, unit_price=unit_price,
        supplier=supplier[:100], note=(note or "").strip()[:200], by=by, at=now or timezone.now(),
    )
    movement._change_reason = reason
    movement._history_user = by
    movement.save()
    item._change_reason = reason
    item._history_user = by
    item.save(update_fields=["stock"])
    return movement


# --- requisitions ----------------------------------------------------------------------------

@transaction.atomic
def requisition_submit(*, by, reason, lines, department=None, location=None, submit_token=None, now=None):
    """A class or office asks for supplies. lines: [(item, quantity)], one per item."""
    require(by, "assets.add_requisition")
    if (existing := find_duplicate(Requisition, submit_token, by, "requested_by_id")) is not None:
        return existing
    errors = {}
    if department is None and location is None:
        errors["department"] = _("Say which office or class it is for.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say what it is needed for.")
    if not lines:
        errors["lines"] = _("Add at least one item.")
    seen, cleaned = set(), []
    for item, quantity in lines or ():
        if item.pk in seen:
            errors["lines"] = _("%(item)s is on two lines; put it on one line with the total.") % {"item": item}
            break
        seen.add(item.pk)
        if not item.active:
            errors["lines"] = _("%(item)s is no longer stocked.") % {"item": item}
            break
        try:
            cleaned.append((item, _clean_quantity(quantity, field="lines")))
        except ValidationError as e:
            errors["lines"] = e.message_dict["lines"][0]
            break
    if location is not None and not location.active:
        errors["location"] = _("That place is no longer in use; choose another.")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    requisition = Requisition(department=department, location=location, reason=reason[:300], requested_by=by,
                              requested_at=now, submit_token=submit_token or None)
    requisition._change_reason = history_reason(gettext_noop("sent to logistics"))
    requisition._history_user = by
    saved = insert_once(requisition, user=by, owner_field="requested_by_id", submit_token=submit_token,
                        number_prefix="LY", now=now)
    if saved is not requisition:
        return saved
    for item, quantity in cleaned:
        line = RequisitionLine(requisition=requisition, item=item, quantity_requested=quantity)
        line._history_user = by
        line.save()
    return requisition


@transaction.atomic
def requisition_issue(*, requisition_id, by, quantities=None, note="", expected_version=None, now=None):
    """Logistics issues what is needed: per line up to the quantity asked for (less, or none, is fine).

    quantities: {line_id: quantity}; a line left out gets what was asked for.
    """
    require(by, "assets.issue_requisition")
    requisition = lock(Requisition, requisition_id, expected_version, _("requisition"), by=by)
    if not requisition.can_issue:
        refuse(requisition, pgettext("action", "issued"))
    quantities = quantities or {}
    lines = list(requisition.lines.select_related("item"))
    unknown = set(map(int, quantities)) - {line.pk for line in lines}
    if unknown:
        raise ValidationError(_("The lines sent do not belong to this requisition."), code="lines")
    wants, issued = {}, []
    for line in lines:
        qty = _clean_quantity(quantities.get(line.pk, quantities.get(str(line.pk), line.quantity_requested)),
                              allow_zero=True)
        if qty > line.quantity_requested:
            raise ValidationError(
                _("%(item)s: %(n)s is more than the %(asked)s asked for.")
                % {"item": line.item, "n": qty, "asked": line.quantity_requested}, code="too_many")
        issued.append((line, qty))
        if qty:
            wants[line.item_id] = wants.get(line.item_id, 0) + qty
    if not wants:
        raise ValidationError(_("Nothing would be issued. To turn the request down, reject it with a note."),
                              code="nothing")
    now = now or timezone.now()
    _take_stock(wants=wants, by=by, kind=StockMovement.Kind.ISSUE, reference=requisition.number,
                reason_msgid=gettext_noop("issued on %(reference)s"), now=now,
                department=requisition.department,
                per_line=[(line.item_id, qty, requisition.location) for line, qty in issued])
    for line, qty in issued:
        line.quantity_issued = qty
        line._history_user = by
        line._change_reason = history_reason(gettext_noop("issued"))
        line.save(update_fields=["quantity_issued"])
    requisition.status = RStatus.ISSUED
    requisition.decided_by = by
    requisition.decided_at = now
    requisition.decision_note = (note or "").strip()[:200]
    partly = any(qty < line.quantity_requested for line, qty in issued)
    reason = (history_reason(gettext_noop("issued in part: %(note)s"), note=requisition.decision_note)
              if partly and requisition.decision_note else
              history_reason(gettext_noop("issued in part")) if partly else history_reason(gettext_noop("issued")))
    return save_with_history(requisition, by, reason)


@transaction.atomic
def requisition_reject(*, requisition_id, by, note, expected_version=None):
    """Logistics turns a requisition down, saying why."""
    require(by, "assets.issue_requisition")
    requisition = lock(Requisition, requisition_id, expected_version, _("requisition"), by=by)
    if not requisition.can_reject:
        refuse(requisition, _("rejected"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give a reason, so the requester knows why.")})
    requisition.status = RStatus.REJECTED
    requisition.decided_by = by
    requisition.decided_at = timezone.now()
    requisition.decision_note = note[:200]
    return save_with_history(requisition, by, history_reason(gettext_noop("rejected: %(note)s"), note=note[:200]))


@transaction.atomic
def requisition_cancel(*, requisition_id, by, expected_version=None):
    """The requester withdraws a requisition that has not been issued yet."""
    requisition = lock(Requisition, requisition_id, expected_version, _("requisition"), by=by)
    if requisition.requested_by_id != by.pk:
        raise PermissionDenied(_("Only the person who asked can cancel it."))
    if not requisition.can_cancel:
        refuse(requisition, _("cancelled"))
    requisition.status = RStatus.CANCELLED
    requisition.decided_at = timezone.now()
    return save_with_history(requisition, by, history_reason(gettext_noop("cancelled by the requester")))


# --- term-start distribution -----------------------------------------------------------------

def _clean_distribution_lines(lines):
    """[(location, item, quantity)] with zero lines dropped; a repeated class and item is refused."""
    cleaned, seen = [], set()
    for location, item, quantity in lines:
        if quantity in (None, "", 0, "0"):
            continue
        qty = _clean_quantity(quantity, field="lines")
        key = (location.pk, item.pk)
        if key in seen:
            raise ValidationError({"lines": _("%(item)s for %(place)s is on two lines.")
                                   % {"item": item, "place": location.name}})
        seen.add(key)
        cleaned.append((location, item, qty))
    if not cleaned:
        raise ValidationError({"lines": _("Enter a quantity for at least one class.")})
    return cleaned


@transaction.atomic
def distribution_create(*, by, title, lines, term=None, submit_token=None, now=None):
    """A draft term-start distribution: lines of (class, item, quantity)."""
    require(by, "assets.add_distribution")
    if (existing := find_duplicate(Distribution, submit_token, by, "created_by_id")) is not None:
        return existing
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the distribution a title.")})
    cleaned = _clean_distribution_lines(lines)
    distribution = Distribution(title=title[:100], term=term or Term.objects.current(), created_by=by,
                                created_at=now or timezone.now(), submit_token=submit_token or None)
    distribution._change_reason = history_reason(gettext_noop("drafted"))
    distribution._history_user = by
    saved = insert_once(distribution, user=by, owner_field="created_by_id", submit_token=submit_token)
    if saved is not distribution:
        return saved
    for location, item, qty in cleaned:
        line = DistributionLine(distribution=distribution, location=location, item=item, quantity=qty)
        line._history_user = by
        line.save()
    return distribution


@transaction.atomic
def distribution_update(*, distribution_id, by, title, lines, expected_version=None):
    """Change a draft's title and lines (the whole grid is sent again)."""
    require(by, "assets.change_distribution")
    distribution = lock(Distribution, distribution_id, expected_version, _("distribution"), by=by)
    if not distribution.can_change:
        refuse(distribution, _("changed"))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the distribution a title.")})
    cleaned = _clean_distribution_lines(lines)
    current = {(line.location_id, line.item_id): line for line in distribution.lines.all()}
    wanted = {(loc.pk, item.pk): (loc, item, qty) for loc, item, qty in cleaned}
    for key, line in current.items():
        if key not in wanted:
            line._history_user = by
            line.delete()
        elif line.quantity != wanted[key][2]:
            line.quantity = wanted[key][2]
            line._history_user = by
            line.save(update_fields=["quantity"])
    for key, (loc, item, qty) in wanted.items():
        if key not in current:
            line = DistributionLine(distribution=distribution, location=loc, item=item, quantity=qty)
            line._history_user = by
            line.save()
    distribution.title = title[:100]
    return save_with_history(distribution, by, history_reason(gettext_noop("draft changed")))


@transaction.atomic
def distribution_issue(*, distribution_id, by, expected_version=None, now=None):
    """Issue a whole distribution at once: every class gets its lines, or (if any item is short) none does."""
    require(by, "assets.change_distribution")
    distribution = lock(Distribution, distribution_id, expected_version, _("distribution"), by=by)
    if not distribution.can_issue:
        refuse(distribution, pgettext("action", "issued"))
    lines = list(distribution.lines.select_related("location", "item"))
    if not lines:
        raise ValidationError(_("The distribution has no lines."), code="empty")
    wants = {}
    for line in lines:
        wants[line.item_id] = wants.get(line.item_id, 0) + line.quantity
    now = now or timezone.now()
    _take_stock(wants=wants, by=by, kind=StockMovement.Kind.DISTRIBUTION, reference=distribution.title[:100],
                reason_msgid=gettext_noop("distributed: %(reference)s"), now=now,
                per_line=[(line.item_id, line.quantity, line.location) for line in lines])
    distribution.status = DStatus.ISSUED
    distribution.issued_by = by
    distribution.issued_at = now
    classes = len({line.location_id for line in lines})
    return save_with_history(distribution, by, history_reason(gettext_noop("issued to %(n)s classes"), n=classes))


# --- print and copy requests -----------------------------------------------------------------

def print_needs_approval(total_pages, profile=None):
    """Jobs above the school's page limit wait for the head's approval."""
    profile = profile or AssetSettings.get()
    return total_pages > profile.print_approval_pages


@transaction.atomic
def print_submit(*, by, department, title, pages, copies, double_sided=True, needed_by=None, submit_token=None,
                 now=None):
    """A print or copy job; small ones go straight to “to print”, large ones wait for the head."""
    require(by, "assets.add_printrequest")
    if (existing := find_duplicate(PrintRequest, submit_token, by, "requested_by_id")) is not None:
        return existing
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Say what is to be printed.")
    if department is None:
        errors["department"] = _("Say which department it is for.")
    for field, value, top in (("pages", pages, MAX_PRINT_PAGES), ("copies", copies, MAX_PRINT_COPIES)):
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[field] = _("Enter a whole number.")
            continue
        if number < 1:
            errors[field] = _("It must be at least 1.")
        elif number > top:
            errors[field] = _("At most %(max)s.") % {"max": top}
    now = now or timezone.now()
    if needed_by and needed_by < timezone.localdate(now):
        errors["needed_by"] = _("That day has passed.")
    if errors:
        raise ValidationError(errors)
    job = PrintRequest(department=department, title=title[:120], pages=int(pages), copies=int(copies),
                       double_sided=bool(double_sided), needed_by=needed_by, requested_by=by, requested_at=now,
                       submit_token=submit_token or None)
    limit = AssetSettings.get().print_approval_pages
    if job.total_pages > limit:
        job.status = PStatus.SUBMITTED
        job._change_reason = history_reason(
            gettext_noop("requested: %(n)s pages, above the %(limit)s that need the head's approval"),
            n=job.total_pages, limit=limit)
    else:
        job.status = PStatus.APPROVED
        job._change_reason = history_reason(gettext_noop("requested: %(n)s pages, no approval needed"),
                                            n=job.total_pages)
    job._history_user = by
    return insert_once(job, user=by, owner_field="requested_by_id", submit_token=submit_token)


@transaction.atomic
def print_approve(*, request_id, by, expected_version=None):
    """The head approves a large job; it goes to logistics to print."""
    require(by, "assets.approve_printrequest")
    job = lock(PrintRequest, request_id, expected_version, _("print request"), by=by)
    if not job.can_approve:
        refuse(job, _("approved"))
    job.status = PStatus.APPROVED
    job.approved_by = by
    job.approved_at = timezone.now()
    return save_with_history(job, by, history_reason(gettext_noop("approved")))


@transaction.atomic
def print_reject(*, request_id, by, note, expected_version=None):
    """The head turns a large job down, saying why (e.g. print double-sided, fewer copies)."""
    require(by, "assets.approve_printrequest")
    job = lock(PrintRequest, request_id, expected_version, _("print request"), by=by)
    if not job.can_reject:
        refuse(job, _("rejected"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give a reason, so the requester knows why.")})
    job.status = PStatus.REJECTED
    job.decision_note = note[:200]
    return save_with_history(job, by, history_reason(gettext_noop("rejected: %(note)s"), note=note[:200]))


@transaction.atomic
def print_done(*, request_id, by, expected_version=None, now=None):
    """Logistics has printed the job."""
    require(by, "assets.do_printrequest")
    job = lock(PrintRequest, request_id, expected_version, _("print request"), by=by)
    if not job.can_print:
        refuse(job, _("marked printed"))
    job.status = PStatus.DONE
    job.done_by = by
    job.done_at = now or timezone.now()
    return save_with_history(job, by, history_reason(gettext_noop("printed: %(sheets)s sheets"), sheets=job.sheets))


@transaction.atomic
def print_cancel(*, request_id, by, expected_version=None):
    """The requester withdraws a job that has not been printed."""
    job = lock(PrintRequest, request_id, expected_version, _("print request"), by=by)
    if job.requested_by_id != by.pk:
        raise PermissionDenied(_("Only the person who asked can cancel it."))
    if not job.can_cancel:
        refuse(job, _("cancelled"))
    job.status = PStatus.CANCELLED
    return save_with_history(job, by, history_reason(gettext_noop("cancelled by the requester")))
