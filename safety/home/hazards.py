"""What the hazards area puts on the home page (each row is the hazard's kernel page, /findings/<id>/, so a hazard
another section already shows, e.g. the inspections', is shown once: Row.key).

- anyone: the hazards they must fix (overdue marked), and the hazards they reported, with their status;
- those who re-check fixes (the safety officer, the head, the principal): the safety fixes waiting for it, never
  their own fix;
- the safety officer, the head and the principal: the hazards past their deadline.
The canteen's home shows the canteen's findings only, and the kernel none, so no hazard is counted twice. All of it
is one query (safety.selectors.hazards.home_hazards)."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import roles
from logistics.modules import Row, Section
from logistics.roles import has_role
from logistics.services import display_name

from ..selectors import hazards as selectors

LIMIT = 20


def _url(f):
    return reverse("findings:detail", args=[f.pk])


def _place(f):
    return [f"{f.location.building.name} · {f.location.name}"] if f.location_id else []


def _fix_row(f, day):
    late = f.deadline < day
    badges = [(_("by %(date)s") % {"date": f"{f.deadline:%m-%d}"}, "b-overdue" if late else "b-open")]
    if f.severity == f.Severity.SERIOUS:
        badges.append((f.get_severity_display(), "b-urgent"))
    if f.status == f.Status.REOPENED:
        badges.append((_("fix again"), "b-urgent"))
    detail = [f.number]
    if f.done_repair:
        detail.append(_("repair %(number)s done on %(date)s: record the fix")
                      % {"number": f.done_repair, "date": f"{timezone.localdate(f.done_at):%m-%d}"})
    return Row(url=_url(f), title=f.title, badges=badges, meta=_place(f), detail=detail, overdue=late)


def _verify_row(f):
    return Row(url=_url(f), title=f.title, meta=_place(f),
               detail=[f.number, _("fixed by %(name)s") % {"name": display_name(f.fixed_by)}], when=f.fixed_at)


def _overdue_row(f, day):
    return Row(url=_url(f), title=f.title, overdue=True, meta=_place(f),
               badges=[(_("%(n)s days late") % {"n": (day - f.deadline).days}, "b-overdue")],
               detail=[f.number, _("Responsible: %(name)s") % {"name": display_name(f.responsible)}])


def _mine_row(f):
    detail = [f.number]
    if f.last_repair:
        detail.append(_("repair %(number)s") % {"number": f.last_repair})
    return Row(url=_url(f), title=f.title, badges=[(f.get_status_display(), f.badge)], meta=_place(f),
               detail=detail, when=f.found_at)


def sections(user, now):
    now = now or timezone.now()
    day = timezone.localdate(now)
    oversees = has_role(user, roles.SAFETY, roles.PRINCIPAL, roles.LOGISTICS_HEAD)
    reports = user.has_perm("safety.report_hazard")
    found = selectors.home_hazards(user, now, verifies=user.has_perm("logistics.verify_finding"),
                                   oversees=oversees, reports=reports)
    result = []
    if found["fix"]:
        result.append(Section("safety_hazards_fix", _("Hazards for me to fix"),
                              [_fix_row(f, day) for f in found["fix"][:LIMIT]], decision=True, order=18))
    if found["verify"]:
        result.append(Section("safety_hazards_verify", _("Hazard fixes to re-check"),
                              [_verify_row(f) for f in found["verify"][:LIMIT]], decision=True, order=19))
    if found["overdue"]:
        ledger = f"{reverse('safety:hazard_list')}?overdue=on" if user.has_perm("safety.view_inspection") else ""
        result.append(Section("safety_hazards_overdue", _("Hazards past their deadline"),
                              [_overdue_row(f, day) for f in found["overdue"][:LIMIT]], order=30, more_url=ledger))
    if found["mine"]:
        result.append(Section("safety_hazards_mine", _("My hazard reports"),
                              [_mine_row(f) for f in found["mine"][:LIMIT]], order=70,
                              actions=[(reverse("safety:hazard_report"), _("Report a hazard"))]))
    return result
