"""What the safety hub puts on the home page: for the principal and the head, a short "Safety" section — how many
hazards are still open, the ones past their deadline listed, and the emergency plans past their review date.

The rows of hazards link to the kernel's finding page and plans to their own page, the same links the hazards' and
plans' sections use: a record another section already shows is shown once (logistics.modules.home_sections)."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics import roles
from logistics.modules import Row, Section
from logistics.roles import has_role
from logistics.services import display_name

from ..selectors import today as selectors
from ..selectors.today import hazards_url, url_or_none


def _hazard_row(f):
    place = f"{f.location.building.name} {f.location.name}" if f.location else ""
    return Row(url=reverse("findings:detail", args=[f.pk]), title=f.title, meta=[f.number, *([place] if place else [])],
               badges=[(_("overdue since %(date)s") % {"date": f"{f.deadline:%m-%d}"}, "b-overdue")],
               detail=[_("Responsible: %(name)s") % {"name": display_name(f.responsible)}], overdue=True)


def _plan_row(plan):
    url = url_or_none("safety:emergencyplan_detail", args=[plan.pk]) or url_or_none("safety:today")
    return Row(url=url, title=plan.title, overdue=True,
               badges=[(_("review was due %(date)s") % {"date": f"{plan.next_review:%Y-%m-%d}"}, "b-overdue")])


def sections(user, now):
    if not (user.has_perm("safety.view_inspection") and has_role(user, roles.PRINCIPAL, roles.LOGISTICS_HEAD)):
        return []
    day = timezone.localdate(now or timezone.now())
    counts = selectors.hazard_counts(day)
    rows = []
    if counts["open"]:
        summary = ngettext("%(n)s hazard not yet closed", "%(n)s hazards not yet closed", counts["open"]) % {
            "n": counts["open"]}
        badges = [(ngettext("%(n)s past its deadline", "%(n)s past their deadline", counts["overdue"])
                   % {"n": counts["overdue"]}, "b-overdue")] if counts["overdue"] else []
        if counts["to_verify"]:
            badges.append((ngettext("%(n)s fix to verify", "%(n)s fixes to verify", counts["to_verify"])
                           % {"n": counts["to_verify"]}, "b-open"))
        rows.append(Row(url=hazards_url(), title=summary, badges=badges))
    if counts["overdue"]:
        rows += [_hazard_row(f) for f in selectors.hazards_overdue(day)]
    rows += [_plan_row(p) for p in selectors.plans_past_review(day)]
    return [Section("safety_overview", _("Safety"), rows, order=14, more_url=reverse("safety:today"),
                    actions=[(reverse("safety:today"), _("Safety today"))])]
