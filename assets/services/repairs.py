"""State changes of repairs and checks. Each is one transaction that locks its row first,
checks the move is allowed for this user and this state, and leaves a history entry that reads
as a sentence (the history's change reason, stored untranslated and shown in the reader's language)."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics import images
from logistics.history import history_reason
from logistics.schedules import generate_due
from logistics.services import display_name, find_duplicate, insert_once, lock, require, save_with_history

from ..models import AssetSettings, CheckSchedule, CheckTask, RepairPhoto, RepairRequest, Urgency

Status = RepairRequest.Status


# --- helpers ---------------------------------------------------------------------------------

def target_hours(urgency, profile=None):
    """The school's target time for an urgency, in hours."""
    profile = profile or AssetSettings.get()
    return {
        Urgency.URGENT: profile.repair_target_urgent_hours,
        Urgency.NORMAL: profile.repair_target_normal_hours,
        Urgency.LOW: profile.repair_target_low_hours,
    }[urgency]


def _lock(request_id, expected_version=None, *, by=None):
    return lock(RepairRequest.objects.select_related("location__building"), request_id, expected_version,
                pgettext("record", "repair request"), by=by)


def _refuse(repair, action):
    # Said of a request, not of a record: the reporter reads this on the request's page.
    raise ValidationError(
        _("A request that is “%(status)s” cannot be %(action)s.")
        % {"status": repair.get_status_display(), "action": action},
        code="not_allowed",
    )


def can_work(user):
    return user.is_active and user.has_perm("assets.work_repairrequest")


# --- repairs ---------------------------------------------------------------------------------

@transaction.atomic
def repair_report(*, reporter, category, location, title, description="", urgency=Urgency.NORMAL,
                  photos=(), submit_token=None, check_task=None, asset=None, finding=None, now=None):
    """Record a new fault (optionally of a registered asset). A second submission of the same form returns
    the first request.

    finding: the kernel's finding (a hazard) the repair is opened for; the caller (the finding's module) decides
    who may open one and writes the finding's side of the history."""
    require(reporter, "assets.add_repairrequest")
    if (existing := find_duplicate(RepairRequest, submit_token, reporter, "reporter_id")) is not None:
        return existing
    if not location.active:
        raise ValidationError(_("That place is no longer in use; choose another."), code="location")
    if asset is not None and not asset.is_active:
        raise ValidationError(_("%(tag)s has left the register; report the fault without it.") % {"tag": asset.tag},
                              code="asset")
    if len(photos) > settings.REPAIR_MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos per request.") % {"n": settings.REPAIR_MAX_PHOTOS})
    # Check and re-encode every photo before anything is written: all or nothing.
    cleaned = [f if isinstance(f, images.CleanPhoto) else images.clean_photo(f) for f in photos]
    now = now or timezone.now()
    repair = RepairRequest(
        category=category, location=location, title=title.strip(), description=description.strip(),
        urgency=urgency, reporter=reporter, reported_at=now,
        due_at=now + datetime.timedelta(hours=target_hours(urgency)), check_task=check_task, asset=asset,
        finding=finding,
    )
    repair._change_reason = (history_reason(gettext_noop("reported for finding %(number)s"), number=finding.number)
                             if finding is not None else history_reason(gettext_noop("reported")))
    repair._history_user = reporter
    saved = insert_once(repair, user=reporter, owner_field="reporter_id", submit_token=submit_token,
                        number_prefix="WX", now=now)
    if saved is not repair:
        return saved
    for content in cleaned:
        RepairPhoto.objects.create(request=repair, image=content, uploaded_by=reporter, uploaded_at=now)
    return repair


@transaction.atomic
def repair_assign(*, request_id, by, assignee, expected_version=None):
    """The head gives the work to a worker (or moves it to another before it has started)."""
    require(by, "assets.assign_repairrequest")
    repair = _lock(request_id, expected_version, by=by)
    if not repair.can_assign:
        _refuse(repair, _("assigned"))
    if not can_work(assignee):
        raise ValidationError(_("%(name)s is not a logistics worker.") % {"name": display_name(assignee)},
                              code="assignee")
    if repair.assignee_id == assignee.pk and repair.status == Status.ASSIGNED:
        raise ValidationError(_("It is already assigned to %(name)s.") % {"name": display_name(assignee)})
    reason = history_reason(
        gettext_noop("reassigned to %(name)s") if repair.assignee_id else gettext_noop("assigned to %(name)s"),
        name=display_name(assignee))
    repair.assignee = assignee
    repair.assigned_at = timezone.now()
    repair.status = Status.ASSIGNED
    return save_with_history(repair, by, reason)


@transaction.atomic
def repair_take(*, request_id, worker, expected_version=None):
    """A worker takes an unassigned request for themself."""
    require(worker, "assets.work_repairrequest")
    repair = _lock(request_id, expected_version, by=worker)
    if not repair.can_take:
        _refuse(repair, _("taken"))
    repair.assignee = worker
    repair.assigned_at = timezone.now()
    repair.status = Status.ASSIGNED
    return save_with_history(repair, worker, history_reason(gettext_noop("took it on")))


def _require_assignee(repair, worker):
    if repair.assignee_id != worker.pk or not can_work(worker):
        raise PermissionDenied(_("Only the worker it is assigned to can do this."))


@transaction.atomic
def repair_start(*, request_id, worker, expected_version=None):
    """The assigned worker starts the work."""
    repair = _lock(request_id, expected_version, by=worker)
    _require_assignee(repair, worker)
    if not repair.can_start:
        _refuse(repair, _("started"))
    repair.status = Status.IN_PROGRESS
    repair.started_at = timezone.now()
    return save_with_history(repair, worker, history_reason(gettext_noop("work started")))


@transaction.atomic
def repair_complete(*, request_id, worker, work_done, parts_used="", cost=None, minutes_spent=None,
                    expected_version=None):
    """The assigned worker records what was done and marks the request done."""
    repair = _lock(request_id, expected_version, by=worker)
    _require_assignee(repair, worker)
    if not repair.can_complete:
        _refuse(repair, _("marked done"))
    if not (work_done or "").strip():
        raise ValidationError({"work_done": _("Say what was done.")})
    if cost is not None and Decimal(cost) < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    now = timezone.now()
    repair.status = Status.DONE
    repair.started_at = repair.started_at or now
    repair.completed_at = now
    repair.work_done = work_done.strip()
    repair.parts_used = (parts_used or "").strip()
    repair.cost = cost
    repair.minutes_spent = minutes_spent
    return save_with_history(repair, worker,
                             history_reason(gettext_noop("marked done: %(work)s"), work=repair.work_done[:200]))


def _require_reporter(repair, user):
    if repair.reporter_id != user.pk:
        raise PermissionDenied(_("Only the person who reported it can do this."))


@transaction.atomic
def repair_confirm(*, request_id, by, expected_version=None):
    """The reporter confirms the fault is fixed; the request closes."""
    repair = _lock(request_id, expected_version, by=by)
    _require_reporter(repair, by)
    if not repair.can_confirm:
        _refuse(repair, _("confirmed"))
    repair.status = Status.CONFIRMED
    repair.closed_at = timezone.now()
    return save_with_history(repair, by, history_reason(gettext_noop("confirmed fixed by the reporter")))


@transaction.atomic
def repair_reopen(*, request_id, by, reason, expected_version=None):
    """The reporter says it is not fixed; it goes back to the same worker."""
    repair = _lock(request_id, expected_version, by=by)
    _require_reporter(repair, by)
    if not repair.can_reopen:
        _refuse(repair, _("reopened"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still wrong.")})
    repair.status = Status.ASSIGNED
    repair.reason = reason
    repair.reopen_count += 1
    repair.completed_at = None
    repair.started_at = None
    return save_with_history(repair, by, history_reason(gettext_noop("reopened: %(reason)s"), reason=reason[:200]))


@transaction.atomic
def repair_reject(*, request_id, by, reason, expected_version=None):
    """The head turns a request down (a duplicate, not the school's to fix) with a reason."""
    require(by, "assets.assign_repairrequest")
    repair = _lock(request_id, expected_version, by=by)
    if not repair.can_reject:
        _refuse(repair, _("rejected"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason, so the reporter knows why.")})
    repair.status = Status.REJECTED
    repair.reason = reason
    repair.closed_at = timezone.now()
    return save_with_history(repair, by, history_reason(gettext_noop("rejected: %(reason)s"), reason=reason[:200]))


@transaction.atomic
def repair_cancel(*, request_id, by, reason="", expected_version=None):
    """The reporter withdraws a request nobody has taken yet."""
    repair = _lock(request_id, expected_version, by=by)
    _require_reporter(repair, by)
    if not repair.can_cancel:
        _refuse(repair, _("cancelled"))
    repair.status = Status.CANCELLED
    repair.reason = (reason or "").strip()
    repair.closed_at = timezone.now()
    return save_with_history(repair, by, history_reason(gettext_noop("cancelled by the reporter")))


# --- recurring checks ------------------------------------------------------------------------

def generate_due_checks(*, day=None):
    """Create the check tasks due on a day. Safe to run any number of times: returns the new ones."""
    return generate_due(day=day, models_=[CheckSchedule])


@transaction.atomic
def check_complete(*, task_id, by, all_ok, findings="", fault=None, expected_version=None):
    """Record a check's findings; a fault found opens a repair request linked to the check.

    fault: None, or a dict with location, category, title, description, urgency.
    """
    require(by, "assets.change_checktask")
    task = lock(CheckTask.objects.select_related("schedule"), task_id, expected_version, pgettext("record", "check"),
                by=by)
    if not task.can_complete:
        raise ValidationError(_("This check is already recorded."), code="not_allowed")
    if fault:
        all_ok = False  # a fault found is a problem found, whichever result was ticked
    if not all_ok and not (findings or "").strip():
        raise ValidationError({"findings": _("Describe what was found.")})
    if fault and fault["location"].pk not in set(task.schedule.locations.values_list("pk", flat=True)):
        raise ValidationError({"fault_location": _("Choose one of the places this check covers.")})
    now = timezone.now()
    task.status = CheckTask.Status.DONE
    task.all_ok = all_ok
    task.findings = (findings or "").strip()
    task.completed_by = by
    task.completed_at = now
    save_with_history(task, by, history_reason(
        gettext_noop("checked, all in order") if all_ok else gettext_noop("checked, problems found")))
    repair = None
    if fault:
        repair = repair_report(reporter=by, check_task=task, now=now, **fault)
    return task, repair

