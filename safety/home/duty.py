"""What the safety module's duty area puts on the home page: for the safety officer, the shifts within the
settings' look-ahead with nobody on them (before they happen); for everyone, their own next shifts."""
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from logistics.modules import Row, Section
from logistics.services import display_name

from ..selectors import duty as selectors


def _when(shift):
    return f"{date_format(shift.day, 'm-d l')} · {shift.get_kind_display()}"


def sections(user, now):
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = []
    if user.has_perm(selectors.ASSIGN):
        empty = selectors.empty_shifts_ahead(today)
        result.append(Section(
            "safety_duty_empty", _("Duty shifts with nobody on them"),
            [Row(url=reverse("safety:shift_detail", args=[s.pk]), title=_when(s),
                 meta=[f"{s.starts:%H:%M}–{s.ends:%H:%M}"],
                 badges=[(_("today") if s.day == today else ngettext(
                     "in %(n)s day", "in %(n)s days", (s.day - today).days) % {"n": (s.day - today).days},
                     "b-overdue" if (s.day - today).days <= 2 else "b-open")],
                 overdue=(s.day - today).days <= 2) for s in empty],
            decision=True, order=35, more_url=f"{reverse('safety:duty_roster')}?show=empty"))
    mine = selectors.next_shifts(user, today)
    if mine:
        rows = []
        for s in mine:
            others = [display_name(p) for p in s.people.all() if p.pk != user.pk]
            names = pgettext("between list items", ", ").join(others)
            detail = [_("With %(names)s") % {"names": names}] if others else []
            if s.leader_id and s.leader_id != user.pk:
                detail.append(_("Leader on duty: %(name)s") % {"name": display_name(s.leader)})
            rows.append(Row(url=reverse("safety:shift_detail", args=[s.pk]), title=_when(s),
                            meta=[f"{s.starts:%H:%M}–{s.ends:%H:%M}"], detail=detail,
                            badges=[(_("today"), "b-open")] if s.day == today else []))
        result.append(Section("safety_duty_mine", _("My next duty shifts"), rows, order=60,
                              more_url=f"{reverse('safety:duty_roster')}?show=mine"))
    return result
