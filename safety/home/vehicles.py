"""What the safety module's vehicles area puts on the home page: for the safety officer, every paper of a vehicle
or driver expired or expiring within the settings' warning days, and on a school day the vehicles on a route
with no pre-trip check yet; for a driver with a user account, today's check to do."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from logistics.modules import Row, Section

from ..models.vehicles import Driver, TripCheck
from ..selectors import vehicles as selectors


def _badge(paper):
    if paper.state == "expired":
        return (_("expired %(date)s") % {"date": f"{paper.until:%Y-%m-%d}"}, "b-overdue")
    if paper.state == "missing":
        return (_("not on record"), "b-overdue")
    return (ngettext("%(n)s day left", "%(n)s days left", paper.days_left) % {"n": paper.days_left}, "b-open")


def sections(user, now):
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = []
    if user.has_perm(selectors.CHECK) and user.has_perm(selectors.READ):
        rows = [Row(url=e.obj.get_absolute_url(), title=f"{e.obj} · {e.paper.label}", badges=[_badge(e.paper)],
                    meta=[f"{e.paper.until:%Y-%m-%d}"] if e.paper.until else [],
                    overdue=e.paper.state in ("expired", "missing"))
                for e in selectors.papers_expiring(today)]
        result.append(Section("safety_vehicle_papers", _("Vehicle and driver papers expiring"), rows, order=36,
                              more_url=reverse("safety:vehicle_list")))
        if selectors.is_school_day(today):
            unchecked = selectors.vehicles_unchecked(today)
            result.append(Section(
                "safety_trip_checks", _("Pre-trip checks still to do today"),
                [Row(url=f"{reverse('safety:trip_check')}?vehicle={v.pk}", title=v.plate,
                     badges=[(pgettext("pre-trip check", "not checked"), "b-open")]) for v in unchecked],
                decision=True, order=34,
                actions=[(reverse("safety:trip_check"), pgettext_lazy("home action", "Pre-trip check"))]))
    drivers = list(Driver.objects.filter(user=user, active=True)) if user.is_authenticated else []
    if drivers and not user.has_perm(selectors.CHECK):
        checked = set(TripCheck.objects.filter(day=today, driver__in=drivers).values_list("vehicle_id", flat=True))
        routes = [r for d in drivers for r in d.routes.filter(active=True).select_related("vehicle")
                  if r.vehicle_id not in checked and r.vehicle.active]
        seen = set()
        rows = []
        for r in routes:
            if r.vehicle_id in seen:
                continue
            seen.add(r.vehicle_id)
            rows.append(Row(url=f"{reverse('safety:trip_check')}?vehicle={r.vehicle_id}", title=r.vehicle.plate,
                            meta=[r.name], badges=[(pgettext("pre-trip check", "not checked"), "b-open")]))
        if selectors.is_school_day(today):
            result.append(Section("safety_my_trip_checks", _("My pre-trip checks today"), rows, decision=True,
                                  order=34))
    return result
