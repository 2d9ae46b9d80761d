"""State changes of purchase requests up to approval: draft, submit, quotes (货比三家), the head's,
the principal's (一支笔) and the school-affairs meeting's (校务会) decisions, cancel.

Each move is one transaction that locks the request first, checks the move is allowed for this user
and this state, writes an Approval row where someone decides, and leaves a history entry that reads
as a sentence."""
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from logistics.history import history_reason
from logistics.services import (
    MAX_AMOUNT,
    find_duplicate,
    format_money,
    insert_once,
    lock,
    parse_money,
    refuse,
    require,
    save_with_history,
)

from ..models import Approval, BudgetLine, FinanceSettings, PurchaseItem, PurchaseRequest, Quote

Status = PurchaseRequest.Status
Step = Approval.Step
Decision = Approval.Decision

# Sane bounds for what a primary school buys: a typo of a few extra zeros is refused, not approved.
MAX_QUANTITY = 100_000


# --- rules -----------------------------------------------------------------------------------

def route_for(total, profile=None):
    """The steps a request of this total goes through: the head; up to the principal's limit also
    the principal; above it also the school-affairs meeting. Fixed on the request when it is submitted."""
    profile = profile or FinanceSettings.get()
    if total <= profile.purchase_head_limit:
        return [Step.HEAD]
    if total <= profile.purchase_principal_limit:
        return [Step.HEAD, Step.PRINCIPAL]
    return [Step.HEAD, Step.PRINCIPAL, Step.MEETING]


def quotes_required(total, profile=None):
    """True when three quotes from three vendors are needed before the first approval (as
    PurchaseRequest.needs_quotes says of a request)."""
    profile = profile or FinanceSettings.get()
    return total > profile.quotes_required_above


def _clean_items(items):
    """Check every line before anything is written; returns (clean dicts, total)."""
    if not items:
        raise ValidationError(_("Add at least one item."), code="items")
    cleaned, total = [], Decimal("0")
    for n, item in enumerate(items, start=1):
        name = (item.get("name") or "").strip()
        if not name:
            raise ValidationError(_("Item %(n)s: give it a name.") % {"n": n}, code="items")
        try:
            quantity = int(item.get("quantity"))
        except (TypeError, ValueError):
            raise ValidationError(_("Item %(n)s: the quantity must be a whole number.") % {"n": n},
                                  code="items") from None
        if quantity < 1:
            raise ValidationError(_("Item %(n)s: the quantity must be at least 1.") % {"n": n}, code="items")
        if quantity > MAX_QUANTITY:
            raise ValidationError(_("Item %(n)s: the quantity is too large; check the number.") % {"n": n},
                                  code="items")
        try:
            price = parse_money(item.get("estimated_unit_price"), "estimated_unit_price")
        except ValidationError as e:
            raise ValidationError(_("Item %(n)s: %(error)s") % {"n": n, "error": " ".join(e.messages)},
                                  code="items") from None
        kind = item.get("kind") or PurchaseItem.Kind.ASSET
        if kind not in PurchaseItem.Kind.values:
            raise ValidationError(_("Item %(n)s: choose a kind.") % {"n": n}, code="items")
        total += price * quantity
        cleaned.append({"name": name[:120], "spec": (item.get("spec") or "").strip()[:120],
                        "quantity": quantity, "unit": (item.get("unit") or "").strip()[:10] or "个",
                        "estimated_unit_price": price, "kind": kind})
    if total > MAX_AMOUNT:
        raise ValidationError(_("The total is too large; check the quantities and prices."), code="items")
    return cleaned, total


def _check_line(budget_line, purpose):
    if budget_line is None:
        return
    if not budget_line.active:
        raise ValidationError({"budget_line": _("That budget line is no longer in use; choose another.")})
    if budget_line.is_earmarked and budget_line.purpose != purpose:
        raise ValidationError({"budget_line": _(
            "“%(line)s” is earmarked for %(purpose)s only (专款专用); this request is for %(other)s.")
            % {"line": budget_line.name, "purpose": budget_line.get_purpose_display(),
               "other": dict(PurchaseRequest._meta.get_field("purpose").flatchoices).get(purpose, purpose)}})


def _lock(request_id, expected_version=None, *, by=None):
    return lock(PurchaseRequest, request_id, expected_version, _("purchase request"), by=by)


def _require_requester(purchase, user):
    if not purchase.is_requester(user):
        raise PermissionDenied(_("Only the person who applied can do this."))


def _replace_items(purchase, items):
    purchase.items.all().delete()
    PurchaseItem.objects.bulk_create([PurchaseItem(request=purchase, **item) for item in items])


# --- drafts ------------------------------------------------------------------------------------

@transaction.atomic
def purchase_create(*, by, department, title, reason, items, purpose, budget_line=None, needed_by=None,
                    submit_token=None, now=None):
    """Save a new request as a draft; estimated_total is the sum of its items. A second submission of
    the same form returns the first request."""
    require(by, "finance.add_purchaserequest")
    if (existing := find_duplicate(PurchaseRequest, submit_token, by, "requested_by_id")) is not None:
        return existing
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what is to be bought.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the purchase.")})
    cleaned, total = _clean_items(items)
    _check_line(budget_line, purpose)
    now = now or timezone.now()
    purchase = PurchaseRequest(
        department=department, title=title.strip(), reason=reason.strip(), purpose=purpose,
        needed_by=needed_by, budget_line=budget_line, requested_by=by, created_at=now, estimated_total=total,
    )
    purchase._change_reason = history_reason(gettext_noop("drafted"))
    purchase._history_user = by
    purchase = insert_once(purchase, user=by, owner_field="requested_by_id", submit_token=submit_token,
                           number_prefix="CG", now=now)
    if not getattr(purchase, "was_duplicate", False):
        _replace_items(purchase, cleaned)
    return purchase


@transaction.atomic
def purchase_update(*, request_id, by, department, title, reason, items, purpose, budget_line=None,
                    needed_by=None, expected_version=None):
    """The requester changes a draft or a returned request."""
    purchase = _lock(request_id, expected_version, by=by)
    _require_requester(purchase, by)
    if not purchase.can_edit:
        refuse(purchase, _("changed"))
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what is to be bought.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the purchase.")})
    cleaned, total = _clean_items(items)
    _check_line(budget_line, purpose)
    purchase.department = department
    purchase.title = title.strip()
    purchase.reason = reason.strip()
    purchase.purpose = purpose
    purchase.budget_line = budget_line
    purchase.needed_by = needed_by
    purchase.estimated_total = total
    _replace_items(purchase, cleaned)
    return save_with_history(purchase, by, history_reason(gettext_noop("changed by the requester")))


@transaction.atomic
def purchase_submit(*, request_id, by, expected_version=None, now=None):
    """The requester sends a draft (or a returned request) to the head of logistics; its approval route
    is fixed now, from the limits of this moment. Refused, saying what is missing, when it lacks a budget
    line, items, or the three quotes its total needs (PurchaseRequest.submit_gaps)."""
    purchase = _lock(request_id, expected_version, by=by)
    _require_requester(purchase, by)
    if not purchase.can_submit:
        refuse(purchase, _("submitted"))
    if purchase.budget_line_id is None:
        raise ValidationError({"budget_line": _("Choose the budget line that pays for it before submitting.")})
    _check_line(purchase.budget_line, purchase.purpose)
    gaps = purchase.submit_gaps(FinanceSettings.get())
    if gaps:
        raise ValidationError(" ".join(gaps), code="missing")
    purchase.route = [str(step) for step in route_for(purchase.estimated_total)]
    purchase.status = purchase.STEP_STATUS[purchase.route[0]]
    purchase.submitted_at = now or timezone.now()
    reason = (gettext_noop("submitted again after changes") if purchase.approvals.exists()
              else gettext_noop("submitted for approval"))
    return save_with_history(purchase, by, history_reason(reason))


@transaction.atomic
def purchase_cancel(*, request_id, by, reason="", expected_version=None):
    """The requester withdraws a request that is not yet approved."""
    purchase = _lock(request_id, expected_version, by=by)
    _require_requester(purchase, by)
    if not purchase.can_cancel:
        refuse(purchase, _("cancelled"))
    purchase.status = Status.CANCELLED
    reason = (reason or "").strip()
    if reason:
        return save_with_history(purchase, by, history_reason(
            gettext_noop("cancelled by the requester: %(reason)s"), reason=reason[:200]))
    return save_with_history(purchase, by, history_reason(gettext_noop("cancelled by the requester")))


# --- quotes ----------------------------------------------------------------------------------

def _require_quote_keeper(purchase, user):
    if purchase.keeps_quotes(user):
        return
    raise PermissionDenied(_("Only the requester or logistics can add quotes."))


def _cheapest(purchase):
    return purchase.quotes.order_by("amount", "pk").first()


@transaction.atomic
def purchase_quote_add(*, request_id, by, vendor, amount, attachment=None, expected_version=None):
    """Attach a vendor's quote; unless someone chose otherwise with a reason, the cheapest is chosen."""
    purchase = _lock(request_id, expected_version, by=by)
    _require_quote_keeper(purchase, by)
    if not purchase.can_quote:
        refuse(purchase, _("given more quotes"))
    vendor = " ".join((vendor or "").split())
    if not vendor:
        raise ValidationError({"vendor": _("Name the vendor.")})
    amount = parse_money(amount, "amount")
    if any(v.casefold() == vendor.casefold() for v in purchase.quotes.values_list("vendor", flat=True)):
        raise ValidationError({"vendor": _("There is already a quote from %(vendor)s; three quotes must come "
                                           "from three different vendors.") % {"vendor": vendor}})
    quote = Quote(request=purchase, vendor=vendor[:120], amount=amount, added_by=by)
    if attachment:
        quote.attachment = attachment
    quote._change_reason = history_reason(gettext_noop("quote added"))
    quote._history_user = by
    quote.save()
    if not purchase.choice_reason:
        purchase.chosen_quote = _cheapest(purchase)
    save_with_history(purchase, by, history_reason(gettext_noop("quote from %(vendor)s: %(amount)s"),
                                                   vendor=quote.vendor, amount=format_money(amount)))
    return quote


@transaction.atomic
def purchase_choose_quote(*, request_id, by, quote_id, reason="", expected_version=None):
    """Choose the quote to buy from; any but the cheapest needs a reason."""
    purchase = _lock(request_id, expected_version, by=by)
    _require_quote_keeper(purchase, by)
    if not purchase.can_quote:
        refuse(purchase, _("given another quote"))
    quote = purchase.quotes.filter(pk=quote_id).first()
    if quote is None:
        raise ValidationError({"quote": _("Choose one of this request's quotes.")})
    reason = (reason or "").strip()
    cheapest = _cheapest(purchase)
    if quote.amount > cheapest.amount and not reason:
        raise ValidationError({"reason": _("%(vendor)s is not the cheapest quote; say why it is chosen.")
                               % {"vendor": quote.vendor}})
    purchase.chosen_quote = quote
    purchase.choice_reason = reason[:300] if quote.amount > cheapest.amount else ""
    if purchase.choice_reason:
        msg = history_reason(gettext_noop("chose the quote from %(vendor)s: %(reason)s"), vendor=quote.vendor,
                             reason=purchase.choice_reason[:200])
    else:
        msg = history_reason(gettext_noop("chose the quote from %(vendor)s"), vendor=quote.vendor)
    return save_with_history(purchase, by, msg)


# --- decisions -------------------------------------------------------------------------------

def _check_budget(purchase, profile):
    """Refuse (or, if the school allows it, warn about) approving beyond the line's remaining money.
    The line is locked so that two approvals at once cannot both spend the same money."""
    from ..selectors.purchases import budget_figures

    line = BudgetLine.objects.select_for_update().get(pk=purchase.budget_line_id)
    _check_line(line, purchase.purpose)
    figures = budget_figures([line])[line.pk]
    remaining = figures["remaining"]
    if purchase.status not in PurchaseRequest.COMMITTED and purchase.estimated_total > remaining:
        params = {"line": line.name, "remaining": format_money(remaining),
                  "total": format_money(purchase.estimated_total)}
        if not profile.allow_overspend:
            raise ValidationError(_("“%(line)s” has %(remaining)s left; this request needs %(total)s. "
                                    "Nothing was approved.") % params, code="overspend")
        purchase.overspend_warning = (
            _("Approved beyond the budget: “%(line)s” had %(remaining)s left for %(total)s.") % params)[:300]


def _decide_checks(purchase, by, step):
    if purchase.is_requester(by):
        raise PermissionDenied(_("You cannot decide on your own request."))
    require(by, PurchaseRequest.STEP_PERM[step], {
        Step.HEAD: _("Only the head of logistics decides this step."),
        Step.PRINCIPAL: _("Only the principal decides this step."),
        Step.MEETING: _("Only someone who records the school-affairs meeting can decide this step."),
    }[step])
    if step == Step.MEETING:
        return  # the meeting decides; whoever records it (often the principal who chaired it) only writes it down
    # One person, one signature: whoever approved an earlier step does not approve the next one too.
    if purchase.approved_earlier_by(by):
        raise PermissionDenied(_("You already approved an earlier step of this request; "
                                 "the next step is someone else's."))


def _advance(purchase, by, step, comment, now):
    """After an approval: the next step of the route fixed at submission, or approved."""
    if not purchase.route:
        # Only a request put at a step without being submitted (never through the pages) has no route.
        purchase.route = [str(s) for s in route_for(purchase.estimated_total)]
    purchase.status = purchase.status_after(step)
    Approval.objects.create(request=purchase, step=step, decision=Decision.APPROVED, by=by, at=now,
                            comment=comment[:300])


@transaction.atomic
def purchase_decide(*, request_id, by, decision, comment="", expected_version=None, now=None):
    """The head or the principal approves, rejects or returns the request at their step (a comment is
    required to reject or return). At the meeting step only rejecting or returning is done here."""
    purchase = _lock(request_id, expected_version, by=by)
    step = purchase.current_step
    if step is None:
        refuse(purchase, _("decided"))
    _decide_checks(purchase, by, step)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approve, return or reject.")})
    comment = (comment or "").strip()
    now = now or timezone.now()
    profile = FinanceSettings.get()
    # The row's who is the approver: the reason says the step, never the name again.
    step_label = Step(step).label
    if decision == Decision.APPROVED:
        if step == Step.MEETING:
            raise ValidationError(_("Record the meeting's resolution (date, minute reference and minutes) to "
                                    "approve it."), code="meeting")
        if step == Step.HEAD and (gaps := purchase.quote_gaps(profile)):
            raise ValidationError(gaps[0], code="quotes")
        # The budget is checked at every approval, so nobody signs a request the line cannot pay.
        _check_budget(purchase, profile)
        _advance(purchase, by, step, comment, now)
        reason = (history_reason(gettext_noop("approved (%(step)s): %(comment)s"),
                                 step=step_label, comment=comment[:200]) if comment else
                  history_reason(gettext_noop("approved (%(step)s)"), step=step_label))
        return save_with_history(purchase, by, reason)
    if not comment:
        raise ValidationError({"comment": _("Say why, so the requester knows what to do.")})
    Approval.objects.create(request=purchase, step=step, decision=decision, by=by, at=now, comment=comment[:300])
    if decision == Decision.REJECTED:
        purchase.status = Status.REJECTED
        msgid = gettext_noop("rejected (%(step)s): %(comment)s")
    else:
        purchase.status = Status.RETURNED
        msgid = gettext_noop("returned for changes (%(step)s): %(comment)s")
    return save_with_history(purchase, by, history_reason(msgid, step=step_label, comment=comment[:200]))


@transaction.atomic
def purchase_record_meeting(*, request_id, by, meeting_date, minute, attachment, comment="",
                            expected_version=None, now=None):
    """Record the school-affairs meeting's resolution (校务会决议) that approves a large purchase."""
    purchase = _lock(request_id, expected_version, by=by)
    if purchase.status != Status.AWAITING_MEETING:
        refuse(purchase, _("given a meeting resolution"))
    _decide_checks(purchase, by, Step.MEETING)
    now = now or timezone.now()
    if meeting_date is None:
        raise ValidationError({"meeting_date": _("Give the meeting's date.")})
    if meeting_date > timezone.localdate(now):
        raise ValidationError({"meeting_date": _("The meeting cannot be in the future.")})
    minute = (minute or "").strip()
    if not minute:
        raise ValidationError({"meeting_minute": _("Give the minute reference.")})
    if not attachment:
        raise ValidationError({"meeting_attachment": _("Attach the minutes.")})
    profile = FinanceSettings.get()
    _check_budget(purchase, profile)
    purchase.meeting_date = meeting_date
    purchase.meeting_minute = minute[:60]
    purchase.meeting_attachment = attachment
    purchase.status = Status.APPROVED
    Approval.objects.create(request=purchase, step=Step.MEETING, decision=Decision.APPROVED, by=by, at=now,
                            comment=((comment or "").strip() or minute)[:300])
    return save_with_history(purchase, by, history_reason(
        gettext_noop("recorded the approval of the school-affairs meeting of %(date)s (%(minute)s)"),
        date=meeting_date.isoformat(), minute=minute[:60]))
