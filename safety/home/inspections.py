"""What the safety module's inspections area puts on the home page: each person's inspections due today or
overdue (whoever they are: an inspection assigned to a teacher is theirs to do); for the safety officer also the
overdue inspections of others. One query."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics.modules import Row, Section
from logistics.services import display_name

from ..selectors.inspections import MANAGE, inspections_waiting


def _row(inspection, day, *, who=False):
    late = (day - inspection.due_date).days
    badges = [(ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}, "b-overdue")] if late > 0 \
        else [(_("Due today"), "b-open")]
    detail = [display_name(inspection.inspector) or _("nobody named")] if who else []
    return Row(url=reverse("safety:inspection_detail", args=[inspection.pk]), title=inspection.plan.title,
               meta=[f"{inspection.due_date:%m-%d}"], badges=badges, detail=detail, overdue=late > 0)


def sections(user, now):
    if not user.is_active:
        return []
    day = timezone.localdate(now)
    waiting = inspections_waiting(user, day, others=user.has_perm(MANAGE))
    result = []
    if waiting["mine"]:
        result.append(Section(
            "safety_inspections", _("Safety inspections to do"), [_row(i, day) for i in waiting["mine"]],
            decision=True, order=12, more_url=reverse("safety:inspection_list") + "?status=open"))
    if waiting["others"]:
        result.append(Section(
            "safety_inspections_overdue", _("Safety inspections overdue"),
            [_row(i, day, who=True) for i in waiting["others"]], order=32,
            more_url=reverse("safety:inspection_list") + "?status=overdue"))
    return result
