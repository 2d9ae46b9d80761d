"""Hazards (隐患) reported by anyone, and the repair a hazard may need. A hazard is the kernel's finding in the
safety area (logistics.findings): its fix, re-check (复查), reassignment and deadline are the kernel's moves on
its page /findings/<id>/; here are the two moves that are safety's own.

Reporting: every employee holds safety.report_hazard, not logistics.add_finding. The kernel's finding_raise is
called with permission=safety.report_hazard (its `permission` keyword, for a module's own move that decides the
responsible person and the deadline itself): the hazard goes to the school's receiver (hazard_receiver: the
settings' person, else the safety officer) with the settings' deadline, and the reporter names neither. Giving
teachers add_finding instead would let them raise findings for anyone with any deadline on the kernel's page."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from assets.models import RepairCategory, RepairRequest, Urgency
from assets.services.repairs import repair_report
from logistics.history import history_reason
from logistics.models import Finding
from logistics.services import find_duplicate, lock, require, save_with_history

from .common import AREA, fix_deadline, hazard_receiver, raise_hazard

REPORT = "safety.report_hazard"
# Who manages hazards besides the person responsible: the safety officer, the head and the principal (the
# roles safety grants verify_finding: they re-check fixes, reassign and give more time).
MANAGE = "logistics.verify_finding"
# A repair rejected or cancelled no longer stands for the hazard: another may be opened.
REPAIR_GONE = (RepairRequest.Status.REJECTED, RepairRequest.Status.CANCELLED)


@transaction.atomic
def report_hazard(*, by, title, description="", location=None, severity=Finding.Severity.GENERAL, photos=(),
                  submit_token=None, now=None):
    """Anyone reports a hazard (like a repair): it goes to the school's receiver, to be fixed by the deadline its
    severity gives. A second click of the same form returns the first report (marked was_duplicate)."""
    require(by, REPORT, _("Your role cannot report hazards."))
    if (existing := find_duplicate(Finding, submit_token, by, "found_by_id")) is not None:
        return existing
    receiver = hazard_receiver()
    if receiver is None:
        raise ValidationError(_("Nobody receives hazard reports yet: the school has no safety officer. Nothing was "
                                "saved; please tell the head of logistics."), code="no_receiver")
    if severity not in Finding.Severity.values:
        raise ValidationError({"severity": _("Choose how serious it is.")})
    now = now or timezone.now()
    return raise_hazard(title=title, description=description, location=location, severity=severity,
                        responsible=receiver, deadline=fix_deadline(severity, timezone.localdate(now)), by=by,
                        photos=photos, submit_token=submit_token, now=now, permission=REPORT)


def may_open_repair(user, hazard):
    """The safety officer (and the head and the principal, who manage hazards too) or the hazard's responsible
    person, who must also be allowed to report repairs."""
    return (user.is_active and user.has_perm("assets.add_repairrequest")
            and (user.has_perm(MANAGE) or hazard.responsible_id == user.pk))


def standing_repair(hazard):
    """The repair opened for this hazard that still stands (not rejected nor cancelled), or None."""
    return RepairRequest.objects.filter(finding=hazard).exclude(status__in=REPAIR_GONE).order_by("-pk").first()


@transaction.atomic
def open_repair_for_hazard(*, finding_id, by, category, urgency, location=None, description="",
                           expected_version=None, submit_token=None, now=None):
    """A hazard that needs a repair opens one in the repair queue, linked both ways (the repair's finding), with
    a sentence in each history. Once per hazard, unless the repair opened before was rejected or cancelled.

    The hazard stays open: when the repair is done, its responsible person still records the fix."""
    if (existing := find_duplicate(RepairRequest, submit_token, by, "reporter_id")) is not None:
        return existing
    hazard = lock(Finding, finding_id, expected_version, pgettext("record", "hazard"), by=by)
    if hazard.area != AREA:
        raise ValidationError(_("Only a safety hazard can open a repair here."), code="not_hazard")
    if not may_open_repair(by, hazard):
        raise PermissionDenied(_("Only the safety officer or the person responsible for this hazard can open a "
                                 "repair for it."))
    if not hazard.can_fix:
        raise ValidationError(_("A hazard that is “%(status)s” needs no repair.")
                              % {"status": hazard.get_status_display()}, code="not_allowed")
    if (repair := standing_repair(hazard)) is not None:
        raise ValidationError(_("Repair %(number)s is already open for this hazard (%(status)s).")
                              % {"number": repair.number, "status": repair.get_status_display()}, code="twice")
    errors = {}
    if category not in RepairCategory.values:
        errors["category"] = _("Choose what kind of repair it is.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    location = location or hazard.location
    if location is None:
        errors["location"] = _("Say where the repair is needed.")
    if errors:
        raise ValidationError(errors)
    details = (description or "").strip() or hazard.description
    repair = repair_report(reporter=by, category=category, location=location, title=hazard.title,
                           description=details, urgency=urgency, submit_token=submit_token, finding=hazard, now=now)
    save_with_history(hazard, by, history_reason(gettext_noop("opened repair %(number)s for it"),
                                                 number=repair.number))
    return repair
