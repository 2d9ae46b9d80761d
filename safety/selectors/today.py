"""Reads of the safety hub (/safety/) and the leaders' home section: what is due and open across the areas today,
each read in one or two queries whatever the number of records (the lists are cut at a few rows, their counts
are aggregates)."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from logistics.models import Finding

from ..models import Driver, DutyShift, EmergencyPlan, Inspection, SafetySettings, Vehicle
from .ledger import AREA, pledge_counts

Status = Finding.Status
ROW_RELATED = ("location__building", "responsible")
# Rows a hub list shows before its "show all" link.
HUB_ROWS = 10


def school_year_of(day):
    """The year the school year containing day starts in (September to August)."""
    return day.year if day.month >= 8 else day.year - 1


def inspections_due(day, limit=HUB_ROWS):
    """Inspections still to do whose day has come (today's and overdue), the oldest first, at most limit + 1
    (one query: the page says "more" when there are more)."""
    return list(Inspection.objects.filter(status=Inspection.Status.OPEN, due_date__lte=day)
                .select_related("plan", "inspector").order_by("due_date", "plan__title", "pk")[:limit + 1])


def hazard_counts(day):
    """{open, unfixed, overdue, to_verify} of every safety hazard as it stands (one query): open: not yet
    verified; unfixed: waiting for a fix; overdue: waiting for a fix after the deadline; to_verify: fixed,
    waiting for verification."""
    unfixed = Q(status__in=Finding.UNFIXED_STATUSES)
    return Finding.objects.filter(area=AREA).aggregate(
        open=Count("pk", filter=~Q(status=Status.VERIFIED)), unfixed=Count("pk", filter=unfixed),
        overdue=Count("pk", filter=unfixed & Q(deadline__lt=day)), to_verify=Count("pk", filter=Q(status=Status.FIXED)))


def hazards_unfixed(limit=HUB_ROWS):
    """Hazards waiting for a fix, the earliest deadline (so the longest overdue) first (one query)."""
    return list(Finding.objects.filter(area=AREA, status__in=Finding.UNFIXED_STATUSES).select_related(*ROW_RELATED)
                .order_by("deadline", "pk")[:limit])


def hazards_overdue(day, limit=HUB_ROWS):
    """Hazards waiting for a fix after their deadline, the longest overdue first (one query)."""
    return list(Finding.objects.filter(area=AREA, status__in=Finding.UNFIXED_STATUSES, deadline__lt=day)
                .select_related(*ROW_RELATED).order_by("deadline", "pk")[:limit])


def fixes_to_verify(limit=HUB_ROWS):
    """Fixed hazards waiting for their verification (复查), the earliest fix first (one query)."""
    return list(Finding.objects.filter(area=AREA, status=Status.FIXED).select_related(*ROW_RELATED, "fixed_by")
                .order_by("fixed_at", "pk")[:limit])


def shifts_ahead(day, days, limit=60):
    """The duty shifts from day to `days` ahead, each with its people (two queries) and n_people."""
    return list(DutyShift.objects.filter(day__range=(day, day + datetime.timedelta(days=days)))
                .select_related("leader").prefetch_related("people").annotate(n_people=Count("people"))
                .order_by("day", "starts", "kind")[:limit])


def vehicles_unchecked(day):
    """Vehicles in use on a running route with no pre-trip check on day (one query)."""
    return list(Vehicle.objects.filter(active=True, routes__active=True).exclude(trip_checks__day=day)
                .distinct().order_by("plate"))


@dataclass
class Paper:
    """A vehicle's or driver's paper expired, missing or expiring soon."""

    record: object
    what: str
    until: datetime.date | None
    day: datetime.date

    @property
    def expired(self):
        return self.until is None or self.until < self.day

    @property
    def days_left(self):
        return None if self.until is None else (self.until - self.day).days


def papers_expiring(day, warn_days):
    """[Paper] of vehicles and drivers in use whose papers have expired, are missing (a driver's agreements) or
    expire within warn_days, the soonest first (two queries)."""
    limit = day + datetime.timedelta(days=warn_days)
    found = []
    for v in Vehicle.objects.filter(active=True).filter(Q(inspection_expires__lte=limit)
                                                        | Q(insurance_expires__lte=limit)):
        found += [Paper(v, what, until, day) for what, until in (
            (_("annual inspection"), v.inspection_expires), (_("insurance"), v.insurance_expires)) if until <= limit]
    for d in Driver.objects.filter(active=True).filter(
            Q(licence_expires__lte=limit) | Q(school_agreement_until__lte=limit) | Q(parent_agreement_until__lte=limit)
            | Q(school_agreement_until__isnull=True) | Q(parent_agreement_until__isnull=True)):
        found += [Paper(d, what, until, day) for what, until in (
            (_("driving licence"), d.licence_expires), (_("agreement with the school"), d.school_agreement_until),
            (_("agreement with the parents"), d.parent_agreement_until)) if until is None or until <= limit]
    return sorted(found, key=lambda p: (p.until or datetime.date.min, str(p.record)))


def plans_past_review(day, limit=HUB_ROWS):
    """Emergency plans in force past their review date, the longest past first (one query)."""
    return list(EmergencyPlan.objects.filter(active=True, next_review__lt=day).order_by("next_review", "pk")[:limit])


def hub(day):
    """Everything the hub shows for day (twelve queries)."""
    settings = SafetySettings.get()
    shifts = shifts_ahead(day, settings.duty_lookahead_days)
    year = school_year_of(day)
    return {
        "settings": settings,
        "inspections": inspections_due(day),
        "hazards": hazard_counts(day),
        "unfixed": hazards_unfixed(),
        "to_verify": fixes_to_verify(),
        "next_shifts": shifts[:6],
        "empty_shifts": [s for s in shifts if not s.n_people],
        "unchecked": vehicles_unchecked(day) if day.weekday() < 5 else [],
        "papers": papers_expiring(day, settings.expiry_warning_days),
        "plans": plans_past_review(day),
        "year": year, "year_label": f"{year}–{year + 1}",
        "pledges": pledge_counts(year),
    }


# --- links to the other areas' pages -----------------------------------------------------------------------

# The safety pages the hub links to, each by its URL name (first of the names that exists): the other areas'
# pages. A page not (yet) there is left out; tests/safety/test_today_pages.py checks that every one resolves.
PAGES = [
    (("safety:inspection_list",), _("Inspections")),
    (("safety:plan_list",), _("Checklists")),
    (("safety:hazard_list",), _("Hazards")),
    (("safety:hazard_report",), _("Report a hazard")),
    (("safety:emergencyplan_list",), _("Emergency plans")),
    (("safety:drill_list",), _("Drills")),
    (("safety:duty_roster",), _("Duty roster")),
    (("safety:vehicle_list",), _("School vehicles")),
    (("safety:pledge_list",), _("Responsibility pledges")),
    (("safety:ledger",), _("Safety ledger")),
]


def url_or_none(*names, args=None):
    """The URL of the first of these names that exists, else None."""
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def page_links():
    """[(url, label)] of the safety pages that exist."""
    return [(url, label) for names, label in PAGES if (url := url_or_none(*names))]


def hazards_url():
    """The hazards' list (safety's own page, else the kernel's findings of the safety area)."""
    return url_or_none("safety:hazard_list") or f"{reverse('findings:list')}?area={AREA}"


