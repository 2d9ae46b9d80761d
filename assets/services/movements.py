"""State changes of loans (借还), damage and compensation (公物损坏赔偿) and write-offs (报损/报废).

Each is one transaction that locks its rows first (the asset, then the record), checks the move is
allowed for this user and this state, and leaves history entries that read as sentences.

Part of a batch leaving the register (3 of 45 desks written off, 2 of 30 basketballs lost): the
batch record keeps the rest, and the part that left becomes its own Asset record, tagged
"X-<batch tag>-<n>", with the same category, price and acquisition date, status WRITTEN_OFF or LOST,
disposed_on and disposed_value. The register thus keeps every unit it ever held, and the year's
report reads additions and disposals from Asset records alone (see assets/reports.py).
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics import images
from logistics.history import history_reason
from logistics.modules import post_money
from logistics.services import display_name, format_money, lock, parse_money, require, save_with_history

from ..models import Asset, AssetLoan, AssetSettings, DamageRecord, WriteOff, WriteOffPhoto

AssetStatus = Asset.Status
WRITE_OFF_MAX_PHOTOS = getattr(settings, "WRITE_OFF_MAX_PHOTOS", 3)
# An asset can be lent, written off or charged for damage only while it is in the active register.
LENDABLE_STATUSES = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.ON_LOAN)


# --- helpers ---------------------------------------------------------------------------------

def _lock_asset(asset_id):
    # Every move here locks the asset first, then its record: one order, so two moves cannot deadlock.
    return lock(Asset, asset_id)


def _require_active(asset):
    if not asset.is_active:
        raise ValidationError(
            _("%(tag)s is no longer in the register (%(status)s).")
            % {"tag": asset.tag, "status": asset.get_status_display()}, code="inactive")


def quantity_on_loan(asset):
    """Units of the asset out on loan now."""
    return asset.loans.filter(status=AssetLoan.Status.OUT).aggregate(n=Sum("quantity"))["n"] or 0


def quantity_pending_write_off(asset, exclude_id=None):
    """Units of the asset in write-off requests not yet decided."""
    qs = asset.write_offs.filter(status__in=(WriteOff.Status.SUBMITTED, WriteOff.Status.HEAD_APPROVED))
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.aggregate(n=Sum("quantity"))["n"] or 0


def quantity_available(asset):
    """Units in the school's hands: neither out on loan nor already asked to be written off."""
    if not asset.is_active:
        return 0
    return max(asset.quantity - quantity_on_loan(asset) - quantity_pending_write_off(asset), 0)


def _status_before_loan(asset):
    """The status the asset had before it all went out on loan (in use or idle)."""
    previous = (asset.history.exclude(status=AssetStatus.ON_LOAN).order_by("-history_date", "-history_id")
                .values_list("status", flat=True).first())
    return previous if previous in (AssetStatus.IN_USE, AssetStatus.IDLE) else AssetStatus.IN_USE


def _next_part_tag(asset):
    """X-ZC-2026-00005-1, -2 … for parts of a batch that leave the register.

    Not "ZC-2026-00005/1": a tag that starts with the register's prefix would be read by the
    register's numbering as the year's highest tag. Not logistics.services.next_number either: these
    count per batch, not per year; the callers hold the batch's row lock, so two parts of one batch
    are never numbered at once.
    """
    base = asset.tag if len(asset.tag) <= 15 else str(asset.pk)
    prefix = f"X-{base}-"
    taken = Asset.objects.filter(tag__startswith=prefix).values_list("tag", flat=True)
    numbers = [int(t[len(prefix):]) for t in taken if t[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _dispose(asset, *, quantity, status, by, on, reason_whole, reason_part, params):
    """Take `quantity` units of a locked asset out of the register as written off or lost.

    The whole record when it is all of it; otherwise the part becomes its own record (see the
    module docstring). Returns the record that left the register.
    """
    value = (asset.unit_price * quantity).quantize(Decimal("0.01"))
    if quantity > asset.quantity:
        raise ValidationError(
            _("%(tag)s has only %(n)s left; %(q)s cannot leave the register.")
            % {"tag": asset.tag, "n": asset.quantity, "q": quantity}, code="quantity")
    if quantity == asset.quantity:
        asset.status = status
        asset.disposed_on = on
        asset.disposed_value = value
        save_with_history(asset, by, history_reason(reason_whole, **params), bump=False)
        return asset
    part = Asset(
        tag=_next_part_tag(asset), name=asset.name, spec=asset.spec, brand=asset.brand,
        category_id=asset.category_id, location_id=asset.location_id, custodian_id=asset.custodian_id,
        department_id=asset.department_id, funding_source=asset.funding_source, acquired_on=asset.acquired_on,
        unit_price=asset.unit_price, quantity=quantity, unit=asset.unit, status=status,
        serial_number="", invoice_number=asset.invoice_number, notes=asset.notes,
        disposed_on=on, disposed_value=value,
    )
    save_with_history(part, by, history_reason(gettext_noop("split from %(tag)s: %(q)s left the register (%(why)s)"),
                                               tag=asset.tag, q=quantity, why=params.get("why", "")), bump=False)
    asset.quantity -= quantity
    save_with_history(asset, by, history_reason(reason_part, part=part.tag, left=asset.quantity, **params), bump=False)
    return part


# --- loans -----------------------------------------------------------------------------------

@transaction.atomic
def loan_lend(*, asset_id, by, due_on, quantity=1, borrower=None, borrower_name="", purpose="", lent_on=None):
    """Lend units of an asset to a colleague (or a named outsider) until a due date."""
    require(by, "assets.add_assetloan")
    asset = _lock_asset(asset_id)
    _require_active(asset)
    today = timezone.localdate()
    lent_on = lent_on or today
    borrower_name = (borrower_name or "").strip()
    errors = {}
    if borrower is None and not borrower_name:
        errors["borrower_name"] = _("Say who borrows it: choose a colleague or type a name.")
    if borrower is not None and borrower_name:
        borrower_name = ""  # a chosen colleague wins over a typed name
    if due_on is None or due_on < today or due_on < lent_on:
        errors["due_on"] = _("The due date cannot be in the past.")
    quantity = int(quantity or 0)
    if quantity < 1:
        errors["quantity"] = _("Lend at least one.")
    if errors:
        raise ValidationError(errors)
    if asset.status not in LENDABLE_STATUSES:
        raise ValidationError(
            _("%(tag)s is “%(status)s” and cannot be lent.") % {"tag": asset.tag,
                                                                "status": asset.get_status_display()},
            code="not_lendable")
    available = quantity_available(asset)
    if quantity > available:
        raise ValidationError({"quantity": _("Only %(n)s of %(tag)s can be lent now.")
                               % {"n": available, "tag": asset.tag}})
    loan = AssetLoan(asset=asset, quantity=quantity, borrower=borrower, borrower_name=borrower_name,
                     purpose=(purpose or "").strip(), lent_by=by, lent_on=lent_on, due_on=due_on)
    who = display_name(borrower) if borrower else borrower_name
    save_with_history(loan, by, history_reason(gettext_noop("lent to %(who)s until %(due)s"), who=who,
                                               due=str(due_on)), bump=False)
    if quantity_on_loan(asset) >= asset.quantity:
        asset.status = AssetStatus.ON_LOAN
        save_with_history(asset, by, history_reason(gettext_noop("all on loan to %(who)s"), who=who), bump=False)
    return loan


@transaction.atomic
def loan_return(*, loan_id, by, condition, note="", expected_version=None):
    """Take a loan back with its condition: good, damaged (a damage record may follow) or lost."""
    require(by, "assets.change_assetloan")
    asset_id = AssetLoan.objects.values_list("asset_id", flat=True).get(pk=loan_id)
    asset = _lock_asset(asset_id)
    loan = lock(AssetLoan, loan_id, expected_version, _("loan"), by=by)
    if not loan.can_return:
        raise ValidationError(_("This loan was already returned."), code="not_allowed")
    if condition not in AssetLoan.Condition.values:
        raise ValidationError({"condition": _("Say in what condition it came back.")})
    note = (note or "").strip()
    if condition != AssetLoan.Condition.GOOD and not note:
        raise ValidationError({"note": _("Say what is damaged or how it was lost.")})
    today = timezone.localdate()
    loan.status = AssetLoan.Status.RETURNED
    loan.returned_on = today
    loan.returned_to = by
    loan.return_condition = condition
    loan.return_note = note
    reasons = {
        AssetLoan.Condition.GOOD: gettext_noop("returned in good condition"),
        AssetLoan.Condition.DAMAGED: gettext_noop("returned damaged: %(note)s"),
        AssetLoan.Condition.LOST: gettext_noop("reported lost: %(note)s"),
    }
    save_with_history(loan, by, history_reason(reasons[condition], note=note[:200]))
    if asset.status == AssetStatus.ON_LOAN:
        asset.status = _status_before_loan(asset)
        save_with_history(asset, by, history_reason(gettext_noop("back from loan")), bump=False)
    if condition == AssetLoan.Condition.LOST:
        _dispose(asset, quantity=loan.quantity, status=AssetStatus.LOST, by=by, on=today,
                 reason_whole=gettext_noop("lost on loan: %(why)s"),
                 reason_part=gettext_noop("%(q)s lost on loan (now %(part)s); %(left)s left"),
                 params={"why": note[:200], "q": loan.quantity})
    return loan


# --- damage and compensation -----------------------------------------------------------------

@transaction.atomic
def damage_record(*, asset_id, by, description, responsible, assessed_amount, occurred_on=None,
                  mark_damaged=True):
    """Record damage to an asset, who is responsible and the compensation assessed."""
    require(by, "assets.add_damagerecord")
    asset = _lock_asset(asset_id)
    _require_active(asset)
    errors = {}
    description = (description or "").strip()
    responsible = (responsible or "").strip()
    if not description:
        errors["description"] = _("Say what happened.")
    if not responsible:
        errors["responsible"] = _("Say who is responsible (or “unknown”).")
    amount = None
    if assessed_amount in (None, ""):
        errors["assessed_amount"] = _("Enter the amount assessed (0 if none).")
    else:
        try:
            amount = parse_money(assessed_amount, allow_zero=True)
        except ValidationError as e:
            errors["assessed_amount"] = {
                "invalid": _("Enter the amount assessed (0 if none)."),
                "min_value": _("The amount cannot be negative."),
            }.get(e.code, e.messages[0])
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    record = DamageRecord(asset=asset, occurred_on=occurred_on, description=description,
                          responsible=responsible, assessed_amount=amount,
                          recorded_by=by)
    save_with_history(record, by, history_reason(
        gettext_noop("recorded: %(who)s responsible, %(amount)s assessed"),
        who=responsible, amount=format_money(record.assessed_amount)), bump=False)
    if mark_damaged and asset.status in (AssetStatus.IN_USE, AssetStatus.IDLE):
        asset.status = AssetStatus.DAMAGED
        save_with_history(asset, by, history_reason(gettext_noop("damaged: %(what)s"), what=description[:200]),
                          bump=False)
    return record


def _lock_damage(record_id, expected_version, *, by=None):
    asset_id = DamageRecord.objects.values_list("asset_id", flat=True).get(pk=record_id)
    asset = _lock_asset(asset_id)
    record = lock(DamageRecord, record_id, expected_version, _("damage record"), by=by)
    return asset, record


def _back_in_use(asset, by):
    if asset.status == AssetStatus.DAMAGED:
        asset.status = AssetStatus.IN_USE
        save_with_history(asset, by, history_reason(gettext_noop("repaired, back in use")), bump=False)


@transaction.atomic
def damage_pay(*, record_id, by, receipt_number, back_in_use=False, expected_version=None):
    """The compensation was paid: record the receipt number."""
    require(by, "assets.change_damagerecord")
    asset, record = _lock_damage(record_id, expected_version, by=by)
    if not record.can_settle:
        raise ValidationError(_("This damage is already settled (%(status)s).")
                              % {"status": record.get_status_display()}, code="not_allowed")
    if record.assessed_amount <= 0:
        raise ValidationError(_("Nothing was assessed, so nothing can be paid; waive it instead."),
                              code="nothing_to_pay")
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise ValidationError({"receipt_number": _("Enter the receipt number.")})
    record.status = DamageRecord.Status.PAID
    record.receipt_number = receipt_number
    record.settled_by = by
    record.settled_at = timezone.now()
    save_with_history(record, by, history_reason(gettext_noop("paid %(amount)s, receipt %(receipt)s"),
                                                 amount=format_money(record.assessed_amount), receipt=receipt_number))
    # The money received enters the school's books (finance, when installed) in this transaction.
    post_money(direction="income", category="damages", amount=record.assessed_amount,
               description=f"{asset.tag} {asset.name} · {record.responsible} · {receipt_number}",
               date=timezone.localdate(record.settled_at), by=by, source=record)
    if back_in_use:
        _back_in_use(asset, by)
    return record


@transaction.atomic
def damage_waive(*, record_id, by, reason, back_in_use=False, expected_version=None):
    """The compensation is waived, with the reason."""
    require(by, "assets.change_damagerecord")
    asset, record = _lock_damage(record_id, expected_version, by=by)
    if not record.can_settle:
        raise ValidationError(_("This damage is already settled (%(status)s).")
                              % {"status": record.get_status_display()}, code="not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"waive_reason": _("Say why the compensation is waived.")})
    record.status = DamageRecord.Status.WAIVED
    record.waive_reason = reason
    record.settled_by = by
    record.settled_at = timezone.now()
    save_with_history(record, by, history_reason(gettext_noop("waived: %(reason)s"), reason=reason[:200]))
    if back_in_use:
        _back_in_use(asset, by)
    return record


@transaction.atomic
def damage_repaired(*, record_id, by, expected_version=None):
    """The damaged asset is repaired and back in use (whether or not the compensation is settled)."""
    require(by, "assets.change_damagerecord")
    asset, record = _lock_damage(record_id, expected_version, by=by)
    if asset.status != AssetStatus.DAMAGED:
        raise ValidationError(_("%(tag)s is not marked damaged (it is “%(status)s”).")
                              % {"tag": asset.tag, "status": asset.get_status_display()}, code="not_allowed")
    _back_in_use(asset, by)
    return save_with_history(record, by, history_reason(gettext_noop("asset repaired, back in use")))


# --- write-offs ------------------------------------------------------------------------------

@transaction.atomic
def writeoff_request(*, asset_id, by, reason, quantity=1, photos=()):
    """Ask to write off units of an asset, with the reason and up to three photos."""
    require(by, "assets.add_writeoff")
    asset = _lock_asset(asset_id)
    _require_active(asset)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it should be written off.")})
    quantity = int(quantity or 0)
    if quantity < 1:
        raise ValidationError({"quantity": _("Write off at least one.")})
    available = quantity_available(asset)
    if quantity > available:
        raise ValidationError({"quantity": _(
            "Only %(n)s of %(tag)s can be written off (the rest is on loan or already in a request).")
            % {"n": available, "tag": asset.tag}})
    if len(photos) > WRITE_OFF_MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": WRITE_OFF_MAX_PHOTOS}})
    cleaned = [f if isinstance(f, images.CleanPhoto) else images.clean_photo(f) for f in photos]
    value = (asset.unit_price * quantity).quantize(Decimal("0.01"))
    limit = AssetSettings.get().write_off_principal_limit
    writeoff = WriteOff(asset=asset, quantity=quantity, reason=reason, value=value,
                        needs_principal=value > limit, requested_by=by)
    save_with_history(writeoff, by, history_reason(gettext_noop("requested: %(q)s × %(tag)s, %(value)s"),
                                                   q=quantity, tag=asset.tag, value=format_money(value)), bump=False)
    for content in cleaned:
        photo = WriteOffPhoto(write_off=writeoff, image=content, uploaded_by=by)
        photo._history_user = by
        photo.save()
    return writeoff


def writeoff_step_permission(writeoff):
    """The permission the next decision on this write-off needs, or None when it is decided."""
    return {
        WriteOff.Status.SUBMITTED: "assets.decide_writeoff",
        WriteOff.Status.HEAD_APPROVED: "assets.decide_writeoff_principal",
    }.get(writeoff.status)


def can_decide_writeoff(user, writeoff):
    """Whether this user takes the next decision (the requester never decides their own)."""
    perm = writeoff_step_permission(writeoff)
    return bool(perm) and user.is_active and user.has_perm(perm) and writeoff.requested_by_id != user.pk


@transaction.atomic
def writeoff_decide(*, writeoff_id, by, approve, note="", expected_version=None):
    """The head's decision, then (above the limit) the principal's; approved units leave the register."""
    asset_id = WriteOff.objects.values_list("asset_id", flat=True).get(pk=writeoff_id)
    asset = _lock_asset(asset_id)
    writeoff = lock(WriteOff, writeoff_id, expected_version, _("write-off"), by=by)
    perm = writeoff_step_permission(writeoff)
    if perm is None:
        raise ValidationError(_("This write-off is already decided (%(status)s).")
                              % {"status": writeoff.get_status_display()}, code="not_allowed")
    if not (by.is_active and by.has_perm(perm)):
        if writeoff.status == WriteOff.Status.HEAD_APPROVED:
            raise PermissionDenied(_("Above the limit, the principal decides this write-off."))
        raise PermissionDenied(_("The head of logistics decides this write-off first."))
    if writeoff.requested_by_id == by.pk:
        raise PermissionDenied(_("You cannot decide your own write-off request."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why it is rejected, so the requester knows.")})
    now = timezone.now()
    principal_step = writeoff.is_principal_step
    if principal_step:
        writeoff.principal_decided_by = by
        writeoff.principal_decided_at = now
    else:
        writeoff.head_decided_by = by
        writeoff.head_decided_at = now
    writeoff.decision_note = note
    if not approve:
        writeoff.status = WriteOff.Status.REJECTED
        msg = (gettext_noop("rejected by the principal: %(note)s") if principal_step
               else gettext_noop("rejected by the head of logistics: %(note)s"))
        return save_with_history(writeoff, by, history_reason(msg, note=note[:200]))
    if not principal_step and writeoff.needs_principal:
        writeoff.status = WriteOff.Status.HEAD_APPROVED
        return save_with_history(writeoff, by, history_reason(
            gettext_noop("approved by the head of logistics; above the limit, it goes to the principal")))
    _require_active(asset)
    here = asset.quantity - quantity_on_loan(asset)
    if writeoff.quantity > here:
        raise ValidationError(
            _("Only %(n)s of %(tag)s are here now (the rest is on loan); nothing was written off.")
            % {"n": here, "tag": asset.tag}, code="quantity")
    writeoff.status = WriteOff.Status.APPROVED
    msg = (gettext_noop("approved by the principal; written off") if principal_step
           else gettext_noop("approved by the head of logistics; written off"))
    save_with_history(writeoff, by, history_reason(msg))
    _dispose(asset, quantity=writeoff.quantity, status=AssetStatus.WRITTEN_OFF, by=by,
             on=timezone.localdate(), reason_whole=gettext_noop("written off: %(why)s"),
             reason_part=gettext_noop("%(q)s written off (now %(part)s); %(left)s left"),
             params={"why": writeoff.reason[:200], "q": writeoff.quantity})
    return writeoff
