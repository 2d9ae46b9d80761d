"""Reads of the school vehicles (校车与接送): vehicles and drivers with the state of each paper, routes, pre-trip
checks, what the safety officer's home shows, and the term's checks for the safety ledger. Each runs a fixed
number of queries, whatever the number of rows."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models.settings import SafetySettings
from ..models.vehicles import Driver, Route, TripCheck, Vehicle
from . import duty

# Who records any pre-trip check (the safety officer); a driver records their own without it.
CHECK = "safety.add_tripcheck"
KEEP = "safety.change_vehicle"
READ = "safety.view_vehicle"

# The pre-trip check's items (出车前检查), in the order they are checked; the key is what TripCheck.items keeps.
ITEMS = [
    ("brakes", _("Brakes")),
    ("lights", _("Lights and indicators")),
    ("tyres", _("Tyres")),
    ("doors", _("Doors and emergency exits")),
    ("extinguisher", _("Fire extinguisher")),
    ("first_aid", _("First-aid kit")),
    ("seat_belts", _("Seat belts")),
    ("driver_well", _("Driver sober and well")),
    ("not_overloaded", _("Seats not overloaded")),
]
ITEM_LABELS = dict(ITEMS)


def warning_days():
    return SafetySettings.get().expiry_warning_days


@dataclass
class Paper:
    """One paper of a vehicle or driver (its inspection, insurance, licence, agreements) and its state on a day."""

    key: str
    label: str
    until: datetime.date | None
    state: str  # "valid", "expiring", "expired", "missing"
    days_left: int | None

    @property
    def warn(self):
        return self.state != "valid"


def paper(key, label, until, today, warn_days):
    if until is None:
        return Paper(key, label, None, "missing", None)
    left = (until - today).days
    state = "expired" if left < 0 else ("expiring" if left <= warn_days else "valid")
    return Paper(key, label, until, state, left)


def vehicle_papers(vehicle, today, warn_days):
    return [paper("inspection", _("annual inspection"), vehicle.inspection_expires, today, warn_days),
            paper("insurance", _("insurance"), vehicle.insurance_expires, today, warn_days)]


def driver_papers(driver, today, warn_days):
    return [paper("licence", _("driving licence"), driver.licence_expires, today, warn_days),
            paper("school_agreement", _("agreement with the school"), driver.school_agreement_until, today, warn_days),
            paper("parent_agreement", _("agreement with the parents"), driver.parent_agreement_until, today,
                  warn_days)]


def with_papers(objects, today, warn_days, papers):
    for obj in objects:
        obj.papers = papers(obj, today, warn_days)
        obj.worst = next((s for s in ("expired", "missing", "expiring") if any(p.state == s for p in obj.papers)),
                         "valid")
    return objects


def _kept(qs, show, q, fields, order):
    """A list of vehicles, drivers or routes: in use, out of use or all, searched in the fields given."""
    if show in ("active", "stopped"):
        qs = qs.filter(active=show == "active")
    if q:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(match)
    return qs.order_by("-active", order)


def vehicle_list(show="active", q=""):
    return _kept(Vehicle.objects.annotate(route_count=Count("routes", filter=Q(routes__active=True))), show, q,
                 ("plate", "description", "operator"), "plate")


def driver_list(show="active", q=""):
    return _kept(Driver.objects.select_related("user"), show, q, ("name", "phone", "licence_number"), "name")


def route_list(show="active", q=""):
    return _kept(Route.objects.select_related("vehicle", "driver", "escort"), show, q, ("name", "classes", "stops"),
                 "name")


def check_list(vehicle=None, fit=None, first=None, last=None):
    qs = TripCheck.objects.select_related("vehicle", "driver", "checked_by")
    if vehicle is not None:
        qs = qs.filter(vehicle=vehicle)
    if fit is not None:
        qs = qs.filter(fit=fit)
    if first:
        qs = qs.filter(day__gte=first)
    if last:
        qs = qs.filter(day__lte=last)
    return qs.order_by("-day", "vehicle__plate")


def items_of(check):
    """[(label, ok)] of a check's items in the checklist's order (an item it does not hold reads as None)."""
    return [(label, check.items.get(key)) for key, label in ITEMS]


def is_school_day(day):
    """Monday to Friday inside a term (see safety.selectors.duty: the kernel keeps no list of public holidays)."""
    return day.weekday() < 5 and duty.is_school_day(day, duty.terms_around(day, day))


@dataclass
class Expiry:
    obj: object
    kind: str  # "vehicle" or "driver"
    paper: Paper


def papers_expiring(today, warn_days=None):
    """Every paper of an active vehicle or driver expired, missing (a driver's agreement) or expiring within the
    settings' warning days, the soonest first (2 queries)."""
    warn_days = warning_days() if warn_days is None else warn_days
    limit = today + datetime.timedelta(days=warn_days)
    vehicles = Vehicle.objects.filter(active=True).filter(Q(inspection_expires__lte=limit) |
                                                          Q(insurance_expires__lte=limit))
    drivers = Driver.objects.filter(active=True).filter(
        Q(licence_expires__lte=limit) | Q(school_agreement_until__lte=limit) | Q(parent_agreement_until__lte=limit)
        | Q(school_agreement_until__isnull=True) | Q(parent_agreement_until__isnull=True))
    found = []
    for v in vehicles:
        found += [Expiry(v, "vehicle", p) for p in vehicle_papers(v, today, warn_days) if p.warn]
    for d in drivers:
        found += [Expiry(d, "driver", p) for p in driver_papers(d, today, warn_days) if p.warn]
    return sorted(found, key=lambda e: (e.paper.until or datetime.date.min, str(e.obj)))


def vehicles_unchecked(day):
    """Active vehicles on a running route with no pre-trip check on day (1 query)."""
    return list(Vehicle.objects.filter(active=True, routes__active=True).exclude(trip_checks__day=day)
                .distinct().order_by("plate"))


@dataclass
class TripChecks:
    """The term's pre-trip checks for the safety ledger: checks recorded, fit, not fit."""

    checks: int
    fit: int
    not_fit: int


def trip_checks(term):
    """The term's pre-trip checks, how many were fit and how many not (1 query)."""
    figures = TripCheck.objects.filter(day__range=(term.start, term.end)).aggregate(
        n_checks=Count("pk"), n_fit=Count("pk", filter=Q(fit=True)), n_not_fit=Count("pk", filter=Q(fit=False)))
    return TripChecks(checks=figures["n_checks"], fit=figures["n_fit"], not_fit=figures["n_not_fit"])
