"""What the hazards area puts on the home page (each row is the hazard's kernel page, /findings/<id>/, so a hazard
another section already shows, e.g. the inspections', is shown once: Row.key).

- anyone: the hazards they must fix (overdue marked), and the hazards they reported, with their status;
- those who re-check fixes (the safety officer, the head, the principal): the safety fixes waiting for it, never
  their own fix;
- the safety officer, the head and the principal: the hazards past their deadline.
The canteen's home shows the canteen's findings only, and the kernel none, so no hazard is counted twice."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import roles
from logistics.modules import Row, Section
from logistics.roles import has_role
from logistics.services import display_name

from ..selectors import hazards as selectors

LIMIT = 20


def _place(f):
    return f"{f.location.building.name} · {f.location.name}" if f.location_id else ""


def _deadline_badge(f, day):
    late = f.deadline < day and f.can_fix
    return (_("by %(date)s") % {"date": f"{f.deadline:%m-%d}"}, "b-overdue" if late else "b-open"), late


def _fix_row(f, day, done):
    badge, late = _deadline_badge(f, day)
    badges = [badge]
    if f.severity == f.Severity.SERIOUS:
        badges.append((f.get_severity_display(), "b-urgent"))
    if f.status == f.Status.REOPENED:
        badges.append((_("fix again"), "b-urgent"))
    detail = [f.number]
    if (repair := done.get(f.pk)) is not None:
        detail.append(_("repair %(number)s done on %(date)s: record the fix")
                      % {"number": repair.number, "date": f"{timezone.localdate(repair.completed_at):%m-%d}"})
    return Row(url=reverse("findings:detail", args=[f.pk]), title=f.title, badges=badges,
               meta=[m for m in [_place(f)] if m], detail=detail, overdue=late)


def _repair_detail(f):
    return [_("repair %(number)s") % {"number": f.last_repair}] if f.last_repair else []


def sections(user, now):
    now = now or timezone.now()
    day = timezone.localdate(now)
    result = []
    mine = selectors.hazards_for(user)
    to_fix = list(mine["fix"][:LIMIT])
    if to_fix:
        done = selectors.repair_done(f.pk for f in to_fix)
        result.append(Section(
            "safety_hazards_fix", _("Hazards for me to fix"), [_fix_row(f, day, done) for f in to_fix],
            decision=True, order=18))
    to_verify = list(mine["verify"][:LIMIT])
    if to_verify:
        result.append(Section(
            "safety_hazards_verify", _("Hazard fixes to re-check"),
            [Row(url=reverse("findings:detail", args=[f.pk]), title=f.title, meta=[m for m in [_place(f)] if m],
                 detail=[f.number, _("fixed by %(name)s") % {"name": display_name(f.fixed_by)}],
                 when=f.fixed_at) for f in to_verify],
            decision=True, order=19))
    if has_role(user, roles.SAFETY, roles.PRINCIPAL, roles.LOGISTICS_HEAD):
        late = list(selectors.overdue_hazards(day)[:LIMIT])
        result.append(Section(
            "safety_hazards_overdue", _("Hazards past their deadline"),
            [Row(url=reverse("findings:detail", args=[f.pk]), title=f.title,
                 badges=[(_("%(n)s days late") % {"n": (day - f.deadline).days}, "b-overdue")],
                 meta=[m for m in [_place(f)] if m],
                 detail=[f.number, _("Responsible: %(name)s") % {"name": display_name(f.responsible)}],
                 overdue=True) for f in late],
            order=30, more_url=f"{reverse('safety:hazard_list')}?overdue=on"
            if user.has_perm("safety.view_inspection") else ""))
    if user.has_perm("safety.report_hazard"):
        reports = list(selectors.reports_of(user, now))
        if reports:
            result.append(Section(
                "safety_hazards_mine", _("My hazard reports"),
                [Row(url=reverse("findings:detail", args=[f.pk]), title=f.title,
                     badges=[(f.get_status_display(), f.badge)], meta=[m for m in [_place(f)] if m],
                     detail=[f.number, *_repair_detail(f)],
                     when=f.found_at) for f in reports],
                order=70, actions=[(reverse("safety:hazard_report"), _("Report a hazard"))]))
    return result
