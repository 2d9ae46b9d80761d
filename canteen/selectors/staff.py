"""Reads of the kitchen's staff and their morning checks, shared by the staff pages, the canteen's today page,
the home sections and the term summary. Each runs a fixed number of queries, whatever the number of rows.

School days, here: Monday to Friday inside a term (the app keeps no list of public holidays). A check on a
weekend is kept and shown, but no day off is ever counted as missing.
"""
import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from logistics import roles
from logistics.modules import Figure

from ..models.settings import CanteenSettings
from ..models.staff import CanteenStaff, MorningCheck

HOME = (roles.PRINCIPAL, roles.LOGISTICS_HEAD)


def is_school_day(day):
    """Monday to Friday (the grid marks weekends; terms limit the figures)."""
    return day.weekday() < 5


def warning_days():
    return CanteenSettings.get().certificate_warning_days


# --- one day --------------------------------------------------------------------------------------

@dataclass
class StaffDay:
    """One person on one day: their check (or None), whether they are off kitchen duty and why."""

    staff: CanteenStaff
    check: MorningCheck | None
    certificate_reason: str = ""
    reasons: list = field(default_factory=list)

    @property
    def checked(self):
        return self.check is not None

    @property
    def off_duty(self):
        """Sent off duty by the check, or not allowed in the kitchen at all (no valid certificate)."""
        return bool(self.reasons)

    @property
    def reason_text(self):
        return pgettext("between list items", ", ").join(str(r) for r in self.reasons)


@dataclass
class DayStatus:
    date: datetime.date
    rows: list

    @property
    def to_check(self):
        return [r for r in self.rows if not r.checked]

    @property
    def checked(self):
        return [r for r in self.rows if r.checked]

    @property
    def off_duty(self):
        return [r for r in self.rows if r.off_duty]

    @property
    def all_checked(self):
        return bool(self.rows) and not self.to_check


def certificate_problem(staff, day):
    """Why staff may not work in the kitchen on day for want of a valid certificate ("" when it is valid)."""
    if staff.certificate_expires is None:
        return str(_("no health certificate on record"))
    if staff.certificate_expires < day:
        return str(_("health certificate expired on %(date)s") % {"date": staff.certificate_expires.isoformat()})
    return ""


def checks_status(date):
    """The day's morning check: every active staff member with their check of the day (or None), and who is
    off kitchen duty and why (sent off by the check, or without a valid certificate). Two queries."""
    staff = list(CanteenStaff.objects.filter(active=True).order_by("name", "pk"))
    checks = {c.staff_id: c for c in MorningCheck.objects.filter(date=date, staff__active=True)
              .select_related("checked_by")}
    rows = []
    for person in staff:
        check = checks.get(person.pk)
        if check is not None:
            check.staff = person
        certificate = certificate_problem(person, date)
        if check is not None and not check.fit:
            reasons = check.off_duty_reasons
        elif certificate:
            reasons = [certificate]
        else:
            reasons = []
        rows.append(StaffDay(person, check, certificate, reasons))
    return DayStatus(date, rows)


# --- certificates -----------------------------------------------------------------------------------

@dataclass
class CertificateWarning:
    staff: CanteenStaff
    expires: datetime.date | None
    days_left: int | None

    @property
    def expired(self):
        return self.days_left is None or self.days_left < 0

    @property
    def missing(self):
        return self.expires is None


def certificates_expiring(today, days=None):
    """Active staff whose health certificate has expired, is missing, or expires within `days` (default:
    the canteen's certificate_warning_days), with the days left (negative: expired); most urgent first."""
    days = warning_days() if days is None else days
    limit = today + datetime.timedelta(days=days)
    qs = (CanteenStaff.objects.filter(active=True)
          .filter(Q(certificate_expires__isnull=True) | Q(certificate_expires__lte=limit))
          .order_by("certificate_expires", "name"))
    found = [CertificateWarning(s, s.certificate_expires, s.certificate_days_left(today)) for s in qs]
    return sorted(found, key=lambda w: (w.expires is not None, w.expires or today, w.staff.name))


def certificate_state(staff, today, days):
    """"expired" (or missing), "expiring" (within days), "valid": the list's badge."""
    left = staff.certificate_days_left(today)
    if left is None or left < 0:
        return "expired"
    return "expiring" if left <= days else "valid"


# --- lists and one person -----------------------------------------------------------------------------

def staff_list(*, q="", show="active"):
    """The staff list: those working here first, then by name; show: "active", "left" or "all"."""
    qs = CanteenStaff.objects.select_related("user")
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "left":
        qs = qs.filter(active=False)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(certificate_number__icontains=q) | Q(phone__icontains=q))
    return qs.order_by("-active", "name", "pk")


def recent_checks(staff, today, days=30):
    """The person's checks of the last `days` days, latest first."""
    return list(MorningCheck.objects.filter(staff=staff, date__gt=today - datetime.timedelta(days=days),
                                            date__lte=today).select_related("checked_by").order_by("-date"))


def check_changes(staff, today, days=30):
    """The history rows of the person's checks of the last `days` days, oldest first (one query)."""
    return list(MorningCheck.history.filter(staff_id=staff.pk, date__gt=today - datetime.timedelta(days=days))
                .select_related("history_user").order_by("history_date", "history_id"))


# --- the month's grid ---------------------------------------------------------------------------------

@dataclass
class GridCell:
    date: datetime.date | None
    check: MorningCheck | None = None

    @property
    def code(self):
        """"0", "1,10", or "" for no check."""
        return self.check.codes if self.check else ""

    @property
    def off_duty(self):
        return self.check is not None and not self.check.fit

    @property
    def weekend(self):
        return self.date is not None and not is_school_day(self.date)


@dataclass
class GridRow:
    staff: CanteenStaff
    cells: list

    @property
    def checked_days(self):
        return sum(1 for c in self.cells if c.check)

    @property
    def off_duty_days(self):
        return sum(1 for c in self.cells if c.off_duty)


@dataclass
class MonthGrid:
    year: int
    month: int
    days: list  # 31 GridCells without checks: the heading (date None past the month's end)
    rows: list

    @property
    def first(self):
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self):
        day = self.first - datetime.timedelta(days=1)
        return day.year, day.month

    @property
    def next(self):
        day = self.first + datetime.timedelta(days=31)
        return day.year, day.month


def month_grid(year, month):
    """The month's grid as inspectors ask for it: rows of staff (those working here, and those who left but
    were checked that month), columns of days 1–31, the codes in the cells ("" for no check; off_duty marks
    someone sent off duty). Two queries."""
    length = calendar.monthrange(year, month)[1]
    first, last = datetime.date(year, month, 1), datetime.date(year, month, length)
    checks = list(MorningCheck.objects.filter(date__gte=first, date__lte=last).only(
        "staff_id", "date", "symptoms", "fit", "temperature_c", "off_duty_reason"))
    checked_staff = {c.staff_id for c in checks}
    staff = list(CanteenStaff.objects.filter(Q(active=True) | Q(pk__in=checked_staff))
                 .order_by("-active", "name", "pk"))
    by_cell = {(c.staff_id, c.date.day): c for c in checks}
    days = [GridCell(datetime.date(year, month, n) if n <= length else None) for n in range(1, 32)]
    rows = [GridRow(s, [GridCell(d.date, by_cell.get((s.pk, n))) for n, d in enumerate(days, start=1)])
            for s in staff]
    return MonthGrid(year, month, days, rows)


# --- the term -----------------------------------------------------------------------------------------

def _school_days(start, end):
    days, day = [], start
    while day <= end:
        if is_school_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def morning_check_figures(term, today=None):
    """{done, expected, percent, checks, off_duty, people_off}: the term's morning checks up to today.

    Expected: each active staff member on each school day of the term up to today, from the day they joined
    the kitchen (their record's first day) on; done: those days with a check. Four queries."""
    today = today or timezone.localdate()
    end = min(term.end, today)
    days = _school_days(term.start, end) if term.start <= end else []
    active = list(CanteenStaff.objects.filter(active=True).values_list("pk", flat=True))
    joined = {}
    for pk, when in (CanteenStaff.history.filter(id__in=active, history_type="+")
                     .values_list("id", "history_date")):
        joined[pk] = min(joined.get(pk, timezone.localdate(when)), timezone.localdate(when))
    checked = {}
    for staff_id, day in MorningCheck.objects.filter(staff_id__in=active, date__gte=term.start,
                                                     date__lte=end).values_list("staff_id", "date"):
        checked.setdefault(staff_id, set()).add(day)
    expected = done = 0
    for pk in active:
        since = joined.get(pk, term.start)
        mine = {d for d in days if d >= since}
        expected += len(mine)
        done += len(checked.get(pk, set()) & mine)
    counts = MorningCheck.objects.filter(date__gte=term.start, date__lte=term.end).aggregate(
        checks=Count("pk"), off_duty=Count("pk", filter=Q(fit=False)),
        people_off=Count("staff", filter=Q(fit=False), distinct=True))
    return {"done": done, "expected": expected, "percent": round(100 * done / expected) if expected else None,
            **counts}


def certificate_figures(today=None, days=None):
    """{valid, expiring, expired} of the active staff's health certificates on today (a missing one counts as
    expired; expiring: within the warning days). Two queries."""
    today = today or timezone.localdate()
    days = warning_days() if days is None else days
    limit = today + datetime.timedelta(days=days)
    return CanteenStaff.objects.filter(active=True).aggregate(
        valid=Count("pk", filter=Q(certificate_expires__gt=limit)),
        expiring=Count("pk", filter=Q(certificate_expires__gte=today, certificate_expires__lte=limit)),
        expired=Count("pk", filter=Q(certificate_expires__lt=today) | Q(certificate_expires__isnull=True)))


def term_figures(term):
    """[Figure] of the morning checks in the term and of the health certificates now (keys "morning.*",
    "certificates.*"; assets' recurring checks own "checks.*"). Six queries."""
    checks = morning_check_figures(term)
    certificates = certificate_figures()
    return [
        Figure("morning.done_percent", _("morning checks done"), checks["percent"], "%", chapter="canteen",
               order=40, home=HOME),
        Figure("morning.checks", _("morning checks recorded"), checks["checks"], chapter="canteen", order=41),
        Figure("morning.off_duty", _("times staff were sent off kitchen duty"), checks["off_duty"],
               chapter="canteen", order=42),
        Figure("morning.people_off", _("staff sent off kitchen duty at least once"), checks["people_off"],
               chapter="canteen", order=43),
        Figure("certificates.valid", _("health certificates valid"), certificates["valid"], chapter="canteen",
               order=44),
        Figure("certificates.expiring", _("health certificates expiring soon"), certificates["expiring"],
               chapter="canteen", order=45, home=(roles.CANTEEN,)),
        Figure("certificates.expired", _("health certificates expired or missing"), certificates["expired"],
               chapter="canteen", order=46, carry=True, home=(roles.CANTEEN,)),
    ]
