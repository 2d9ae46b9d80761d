"""Fees collected on behalf (代收费): entering, publishing the notice, settling at term end; student aid."""
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics.history import history_reason
from logistics.models import Location
from logistics.services import format_money, lock, refuse, require, save_with_history

from ..models import AidApplication, AidPublication, FeeClass, FeeItem, FeeSpending, FinanceSettings, LedgerEntry
from ..module_settings import AID_PUBLICATION_MIN_DAYS, AidDecider
from ..selectors.fees import aid_publication, fee_settlement, school_days_from
from .procurement import ledger_entry_post

Cat, Dir = LedgerEntry.Category, LedgerEntry.Direction

# --- fees ----------------------------------------------------------------------------------

def _refuse_settled(fee):
    if not fee.can_change:
        raise ValidationError(_("This fee has been settled; its figures can no longer be changed."),
                              code="settled")


def _lock_fee(fee_id):
    return lock(FeeItem, fee_id)


@transaction.atomic
def fee_create(*, by, term, name, amount_per_pupil, description="", policy=""):
    """Enter a fee collected on behalf for a term (e.g. 作业本费, 15 yuan per pupil)."""
    require(by, "finance.add_feeitem", _("Only finance enters fees collected on behalf."))
    if amount_per_pupil is None or amount_per_pupil <= 0:
        raise ValidationError(_("The amount per pupil must be more than zero."), code="amount")
    if FeeItem.objects.filter(term=term, name=name.strip()).exists():
        raise ValidationError(_("This term already has a fee of that name."), code="duplicate")
    fee = FeeItem(term=term, name=name.strip(), amount_per_pupil=amount_per_pupil, description=description,
                  policy=policy)
    return save_with_history(fee, by, history_reason(gettext_noop("entered")), bump=False)


@transaction.atomic
def fee_update(*, fee_id, by, name, amount_per_pupil, description="", policy="", term=None):
    """Correct a fee's name, amount or texts; refused once it is settled."""
    require(by, "finance.change_feeitem", _("Only finance changes fees collected on behalf."))
    fee = _lock_fee(fee_id)
    _refuse_settled(fee)
    if amount_per_pupil is None or amount_per_pupil <= 0:
        raise ValidationError(_("The amount per pupil must be more than zero."), code="amount")
    term = term or fee.term
    if FeeItem.objects.filter(term=term, name=name.strip()).exclude(pk=fee.pk).exists():
        raise ValidationError(_("This term already has a fee of that name."), code="duplicate")
    fee.term, fee.name, fee.amount_per_pupil = term, name.strip(), amount_per_pupil
    fee.description, fee.policy = description, policy
    return save_with_history(fee, by, history_reason(gettext_noop("fee corrected")), bump=False)


@transaction.atomic
def fee_classes_save(*, fee_id, by, rows):
    """Set each class's pupils, exempt pupils and collected money; rows: [(location, pupils, exempt, collected)].

    What a class's collected money grew (or shrank) by enters the ledger as fees collected, in the same
    transaction, so the books always hold what the classes paid."""
    require(by, "finance.change_feeclass", _("Only finance records what the classes paid."))
    fee = _lock_fee(fee_id)
    _refuse_settled(fee)
    existing = {c.location_id: c for c in FeeClass.objects.select_for_update().filter(fee=fee)}
    changed = 0
    for location, pupils, exempt, collected in rows:
        if location.kind != Location.Kind.CLASSROOM:
            raise ValidationError(_("%(room)s is not a classroom.") % {"room": location.name}, code="not_class")
        if pupils < 0 or exempt < 0 or collected < 0:
            raise ValidationError(_("Numbers cannot be negative."), code="negative")
        if exempt > pupils:
            raise ValidationError(_("%(room)s: more exempt pupils than pupils.") % {"room": location.name},
                                  code="exempt")
        row = existing.get(location.pk)
        if row is None:
            if not pupils and not collected:
                continue  # a class the fee does not concern
            row = FeeClass(fee=fee, location=location, pupils=pupils, exempt=exempt, collected=collected)
            save_with_history(row, by, history_reason(gettext_noop("class added")), bump=False)
            _post_collected(fee, row, Decimal(collected), by)
            changed += 1
        elif (row.pupils, row.exempt, row.collected) != (pupils, exempt, Decimal(collected)):
            grown = Decimal(collected) - row.collected
            row.pupils, row.exempt, row.collected = pupils, exempt, collected
            save_with_history(row, by, history_reason(gettext_noop("figures corrected")), bump=False)
            _post_collected(fee, row, grown, by)
            changed += 1
    return changed


def _post_collected(fee, row, amount, by):
    # A correction downwards is posted as a negative income (红字冲销), so the line stays what was collected.
    ledger_entry_post(direction=Dir.INCOME, category=Cat.FEES, amount=amount, date=timezone.localdate(),
                      description=f"{fee.name} · {row.location.name}", by=by, source=row)


@transaction.atomic
def fee_spending_add(*, fee_id, by, date, description, amount):
    """Record what part of a fee's money was spent on."""
    require(by, "finance.add_feespending", _("Only finance records what a fee was spent on."))
    fee = _lock_fee(fee_id)
    _refuse_settled(fee)
    if amount is None or amount <= 0:
        raise ValidationError(_("The amount spent must be more than zero."), code="amount")
    if not (description or "").strip():
        raise ValidationError(_("Say what the money was spent on."), code="description")
    spending = FeeSpending(fee=fee, date=date, description=description.strip(), amount=amount, recorded_by=by)
    save_with_history(spending, by, history_reason(gettext_noop("spending recorded")), bump=False)
    ledger_entry_post(direction=Dir.EXPENSE, category=Cat.FEE_SPENT, amount=amount, date=date,
                      description=f"{fee.name} · {spending.description}", by=by, source=spending)
    return spending


@transaction.atomic
def fee_publish(*, fee_id, by, publish=True):
    """Show (or take down) the fee's notice on its public link."""
    require(by, "finance.change_feeitem", _("Only finance publishes fee notices."))
    fee = _lock_fee(fee_id)
    if fee.published == publish:
        raise ValidationError(_("The notice is already published.") if publish
                              else _("The notice is not published."), code="unchanged")
    if publish and not fee.classes.exists():
        raise ValidationError(_("Enter the classes' figures before publishing the notice."), code="empty")
    fee.published = publish
    reason = gettext_noop("notice published") if publish else gettext_noop("notice taken down")
    return save_with_history(fee, by, history_reason(reason), bump=False)


@transaction.atomic
def fee_settle(*, fee_id, by):
    """Settle the fee at term end (清退): final; the refund per pupil follows from collected − spent."""
    require(by, "finance.change_feeitem", _("Only finance settles fees."))
    fee = _lock_fee(fee_id)
    if not fee.can_settle:
        raise ValidationError(_("This fee was already settled; a settlement is final."), code="settled")
    if not fee.classes.exists():
        raise ValidationError(_("A fee without classes cannot be settled."), code="empty")
    result = fee_settlement(fee)
    fee.settled_at = timezone.now()
    fee.settled_by = by
    save_with_history(fee, by, history_reason(
        gettext_noop("settled: %(refund)s back per pupil"), refund=format_money(result.refund_per_pupil)), bump=False)
    # The refunds paid back to the pupils who paid: one entry for the settlement (none when nothing is left).
    ledger_entry_post(direction=Dir.EXPENSE, category=Cat.REFUND, amount=result.refund_total,
                      date=timezone.localdate(fee.settled_at),
                      description=f"{fee.name} · {result.paid} × {format_money(result.refund_per_pupil)}", by=by,
                      source=fee)
    return fee


# --- student aid ---------------------------------------------------------------------------

@transaction.atomic
def aid_submit(*, by, term, pupil_name, location, category, amount, reason=""):
    """A class teacher applies for aid for a pupil of a class; the decider the school has chosen today
    (FinanceSettings.aid_decider) is fixed on the application."""
    require(by, "finance.add_aidapplication", _("Class teachers apply for aid; your role cannot."))
    pupil_name = (pupil_name or "").strip()
    if not pupil_name:
        raise ValidationError(_("Enter the pupil's name."), code="name")
    if location.kind != Location.Kind.CLASSROOM:
        raise ValidationError(_("Choose the pupil's class."), code="not_class")
    if category not in AidApplication.Category.values:
        raise ValidationError(_("Choose a category."), code="category")
    if amount is None or amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount")
    decider = FinanceSettings.get().aid_decider
    application = AidApplication(term=term, pupil_name=pupil_name, location=location, category=category,
                                 amount=amount, reason=reason, submitted_by=by, decider=decider)
    reason = (gettext_noop("applied for; the head of logistics decides") if decider == AidDecider.HEAD
              else gettext_noop("applied for; the principal decides"))
    return save_with_history(application, by, history_reason(reason), bump=False)


@transaction.atomic
def aid_decide(*, application_id, by, approve, note="", expected_version=None):
    """The head or the principal (whichever the application was sent to) approves or rejects it; never the
    person who applied."""
    application = lock(AidApplication, application_id, expected_version, _("application"), by=by)
    if not application.role_decides(by):
        raise PermissionDenied(_("Student aid at this school is decided by: %(decider)s.")
                               % {"decider": application.get_decider_display()})
    if not application.can_decide:
        refuse(application, _("approved or rejected"))
    if application.entered_by(by):
        raise ValidationError(_("You applied for this aid; someone else must decide it."), code="own")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(_("Say why the application is rejected."), code="note")
    application.status = AidApplication.Status.APPROVED if approve else AidApplication.Status.REJECTED
    application.decided_by = by
    application.decided_at = timezone.now()
    if approve:
        reason = history_reason(gettext_noop("approved: %(note)s"), note=note) if note else \
            history_reason(gettext_noop("approved"))
    else:
        reason = history_reason(gettext_noop("rejected: %(note)s"), note=note)
    return save_with_history(application, by, reason)


@transaction.atomic
def aid_pay(*, application_id, by, expected_version=None):
    """Finance records that an approved aid was paid out; not the person who applied or decided."""
    require(by, "finance.pay_aid", _("Only finance pays aid."))
    application = lock(AidApplication, application_id, expected_version, _("application"), by=by)
    if not application.can_pay:
        refuse(application, _("paid"))
    if application.entered_by(by) or application.decided_by_id == by.pk:
        raise ValidationError(_("You applied for or decided this aid; someone else in finance pays it."),
                              code="own")
    application.status = AidApplication.Status.PAID
    application.paid_by = by
    application.paid_at = timezone.now()
    save_with_history(application, by, history_reason(gettext_noop("paid")))
    ledger_entry_post(direction=Dir.EXPENSE, category=Cat.AID, amount=application.amount,
                      date=timezone.localdate(application.paid_at),
                      description=f"{application.location.name} {application.pupil_name} · "
                                  f"{application.get_category_display()}", by=by, source=application)
    return application


@transaction.atomic
def aid_publish(*, term, by, today=None):
    """Put the term's decided aid online (公示) by an unguessable link, masked names only, for the school
    days the school sets (at least five, counted on the school calendar); it closes by itself after."""
    require(by, "finance.add_aidpublication", _("Only finance puts the aid list online."))
    today = today or timezone.localdate()
    lock(type(term), term.pk)  # two clicks at once open one publication
    current = AidPublication.objects.filter(term=term, closes_on__gte=today).order_by("-closes_on").first()
    if current is not None:
        raise ValidationError(_("The list is already online until %(date)s.")
                              % {"date": current.closes_on.isoformat()}, code="open")
    if not aid_publication(term).exists():
        raise ValidationError(_("No aid of this term has been approved yet: there is nothing to publish."),
                              code="empty")
    days = max(FinanceSettings.get().aid_publication_days, AID_PUBLICATION_MIN_DAYS)
    closes_on = school_days_from(today, days)
    if closes_on is None:
        raise ValidationError(_("The school calendar has fewer than %(days)s school days from today; enter the "
                                "next term first.") % {"days": days}, code="calendar")
    publication = AidPublication(term=term, opens_on=today, closes_on=closes_on, school_days=days, published_by=by)
    return save_with_history(publication, by, history_reason(
        gettext_noop("aid list put online until %(date)s (%(days)s school days)"),
        date=closes_on.isoformat(), days=str(days)), bump=False)
