"""Reads of the duty roster (值班护校), shared by the roster page, its print, the shift page, the home sections
and the safety ledger. Each runs a fixed number of queries, whatever the number of shifts.

School days, here: Monday to Friday inside a term (logistics.models.Term). The kernel keeps no list of public
holidays: when the roster is laid out, the safety officer names the days off that fall on weekdays (国庆, 元旦…);
every other day (weekends, the holidays between terms) is a holiday for the roster.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from logistics.models import Term

from ..models.duty import DutyShift, HandoverEntry
from ..models.settings import SafetySettings

# Who lays out the roster and puts people on it (the safety officer); who reads every shift.
ARRANGE = "safety.add_dutyshift"
ASSIGN = "safety.change_dutyshift"
READ = "safety.view_dutyshift"
# Who writes a handover on any shift (besides the people on it and its leader).
WRITE_ANY = "safety.add_handoverentry"


def is_school_day(day, terms, holidays=()):
    """Monday to Friday inside one of the terms, and not one of the holidays named."""
    return day.weekday() < 5 and day not in holidays and any(t.start <= day <= t.end for t in terms)


def terms_around(first, last):
    """The terms that overlap first–last (one query)."""
    return list(Term.objects.filter(start__lte=last, end__gte=first))


def shift_bounds(shift):
    """(start, end) of a shift as aware datetimes; an end earlier than (or equal to) the start is the next day."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(shift.day, shift.starts, tzinfo=tz)
    end_day = shift.day + datetime.timedelta(days=1) if shift.ends <= shift.starts else shift.day
    return start, datetime.datetime.combine(end_day, shift.ends, tzinfo=tz)


def _with_people(qs):
    return qs.select_related("leader").prefetch_related("people")


def roster(first, last):
    """The shifts from first to last (dates), with their people, leader and number of handovers: 2 queries."""
    return list(_with_people(DutyShift.objects.filter(day__range=(first, last)))
                .annotate(handover_count=Count("handovers")).order_by("day", "starts", "kind"))


@dataclass
class RosterDay:
    day: datetime.date
    shifts: list
    school_day: bool

    @property
    def empty(self):
        return not self.shifts


def roster_days(first, last, shifts, terms):
    """Every day from first to last with its shifts (a day with none is listed too, to be seen)."""
    by_day = {}
    for shift in shifts:
        by_day.setdefault(shift.day, []).append(shift)
    days, day = [], first
    while day <= last:
        days.append(RosterDay(day, by_day.get(day, []), is_school_day(day, terms)))
        day += datetime.timedelta(days=1)
    return days


def month_bounds(year, month):
    first = datetime.date(year, month, 1)
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def shift_with_people(pk):
    return _with_people(DutyShift.objects.all()).get(pk=pk)


def handovers(shift):
    """A shift's handover log, oldest first, with who wrote each."""
    return list(HandoverEntry.objects.filter(shift=shift).select_related("written_by").order_by("written_at", "pk"))


def lookahead_days():
    return SafetySettings.get().duty_lookahead_days


def empty_shifts_ahead(today, days=None):
    """Shifts from today to `days` ahead (the settings' duty_lookahead_days) with nobody on them: 2 queries."""
    days = lookahead_days() if days is None else days
    return list(DutyShift.objects.filter(day__range=(today, today + datetime.timedelta(days=days)))
                .annotate(n=Count("people")).filter(n=0).order_by("day", "starts"))


def next_shifts(user, today, limit=3):
    """The user's next shifts (as one of the people or as the leader), today's first: 2 queries."""
    return list(_with_people(DutyShift.objects.filter(Q(people=user) | Q(leader=user), day__gte=today))
                .distinct().order_by("day", "starts")[:limit])


def shifts_of(user, first, last, exclude=None):
    """The user's shifts from first to last (to find one that overlaps another)."""
    qs = DutyShift.objects.filter(people=user, day__range=(first, last))
    return list(qs.exclude(pk=exclude) if exclude else qs)


@dataclass
class DutyCoverage:
    """The term's duty roster for the safety ledger: shifts laid out, shifts with someone on them, handover
    entries written, and shifts (already begun) with at least one handover."""

    shifts: int
    staffed: int
    handovers: int
    shifts_with_handover: int

    @property
    def empty(self):
        return self.shifts - self.staffed


def duty_coverage(term):
    """The term's shifts, staffed shifts and handovers written (2 queries)."""
    shifts = DutyShift.objects.filter(day__range=(term.start, term.end))
    figures = shifts.aggregate(
        shifts=Count("pk", distinct=True),
        staffed=Count("pk", filter=Q(people__isnull=False), distinct=True),
        with_handover=Count("pk", filter=Q(handovers__isnull=False), distinct=True))
    written = HandoverEntry.objects.filter(shift__day__range=(term.start, term.end)).count()
    return DutyCoverage(shifts=figures["shifts"], staffed=figures["staffed"], handovers=written,
                        shifts_with_handover=figures["with_handover"])
