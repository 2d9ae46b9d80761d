"""Reads of a term's safety work: the counts behind the term's figures (one aggregate query each) and the rows
of the safety ledger (安全台账), each section in a constant number of queries whatever the number of records."""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from logistics.models import Finding

from ..models import Drill, DutyShift, Inspection, InspectionResult, Pledge, TripCheck, Vehicle

AREA = "safety"
Outcome = InspectionResult.Outcome
# A shift someone is on: people named on it (the roster's "nobody on it" is a shift with no people).
STAFFED = Q(people__isnull=False)


def school_year(term):
    """The year the term's school year starts in (2026 for 2026–2027): autumn terms start it, spring terms
    (January to July) belong to the year before."""
    return term.start.year if term.start.month >= 8 else term.start.year - 1


def term_days(term):
    return term.start, term.end


# --- counts (the term's figures) -----------------------------------------------------------------------------

def inspection_counts(term, today=None):
    """{held, missed, due, items_checked, items_failed} of the inspections of the term's days (one query).

    held: done (whenever); missed: still to do after their day; due: held + missed (today's, still to do, are
    not counted yet); items checked: results passed or failed (not applicable ones were not checked)."""
    today = today or timezone.localdate()
    row = Inspection.objects.filter(due_date__range=term_days(term)).aggregate(
        held=Count("pk", filter=Q(status=Inspection.Status.DONE), distinct=True),
        missed=Count("pk", filter=Q(status=Inspection.Status.OPEN, due_date__lt=today), distinct=True),
        items_checked=Count("results", filter=Q(results__outcome__in=(Outcome.PASS, Outcome.FAIL))),
        items_failed=Count("results", filter=Q(results__outcome=Outcome.FAIL)),
    )
    return {**row, "due": row["held"] + row["missed"]}


def drill_counts(term):
    """{held, people, evacuation_seconds} of the term's drills (one query); the evacuation time is the average
    of the drills that timed it, in whole seconds (None when none did)."""
    row = Drill.objects.filter(held_on__range=term_days(term)).aggregate(
        held=Count("pk"), people=Coalesce(Sum("headcount"), 0), seconds=Avg("evacuation_seconds"))
    seconds = row.pop("seconds")
    return {**row, "evacuation_seconds": None if seconds is None else round(seconds)}


def duty_counts(term):
    """{shifts, staffed, gaps, staffed_percent, handovers} of the term's duty shifts (one query): a shift with
    nobody on it is a gap."""
    row = DutyShift.objects.filter(day__range=term_days(term)).aggregate(
        shifts=Count("pk", distinct=True), staffed=Count("pk", filter=STAFFED, distinct=True),
        handovers=Count("handovers", distinct=True))
    shifts = row["shifts"]
    return {**row, "gaps": shifts - row["staffed"],
            "staffed_percent": round(100 * row["staffed"] / shifts) if shifts else None}


def trip_counts(term):
    """{checks, not_fit} of the term's pre-trip checks (one query)."""
    return TripCheck.objects.filter(day__range=term_days(term)).aggregate(
        checks=Count("pk"), not_fit=Count("pk", filter=Q(fit=False)))


def pledge_counts(year):
    """{total, signed} of the responsibility pledges of a school year (one query)."""
    return Pledge.objects.filter(year=year).aggregate(
        total=Count("pk"), signed=Count("pk", filter=Q(signed_on__isnull=False)))


# --- the ledger's rows ---------------------------------------------------------------------------------------

def held_inspections(term):
    """The term's inspections that were done, by date, each with its counts of items (one query): items,
    failed, passed, na."""
    return (Inspection.objects.filter(due_date__range=term_days(term), status=Inspection.Status.DONE)
            .select_related("plan", "done_by", "inspector")
            .annotate(items=Count("results"),
                      failed=Count("results", filter=Q(results__outcome=Outcome.FAIL)),
                      passed=Count("results", filter=Q(results__outcome=Outcome.PASS)),
                      na=Count("results", filter=Q(results__outcome=Outcome.NA)))
            .order_by("due_date", "plan__title", "pk"))


def last_held_inspections(term, n):
    """(how many inspections the term held, the last n of them as held_inspections gives them): the page shows
    the last ones of a term that may hold thousands. Their ids are chosen from the inspections alone, and their
    items counted for those only (three queries; counting every inspection's items to show a hundred took most of
    the page's time)."""
    held = Inspection.objects.filter(due_date__range=term_days(term), status=Inspection.Status.DONE)
    ids = list(held.order_by("-due_date", "-plan__title", "-pk").values_list("pk", flat=True)[:n])
    return held.count(), list(held_inspections(term).filter(pk__in=ids))


def held_inspection_rows(term):
    """The printed ledger's rows of the inspections held (held_inspections' rows and order, one query read in
    chunks, only the columns printed): (date, checklist, person, items, failed, passed, na) — the person who did
    it, else the one assigned, by full name, else username, "" for nobody."""
    rows = (held_inspections(term).select_related(None)
            .values_list("due_date", "plan__title", "done_by__first_name", "done_by__last_name", "done_by__username",
                         "inspector__first_name", "inspector__last_name", "inspector__username",
                         "items", "failed", "passed", "na"))
    for day, title, d_first, d_last, d_user, i_first, i_last, i_user, items, failed, passed, na in rows.iterator(
            chunk_size=2_000):
        if d_user:
            person = f"{d_first} {d_last}".strip() or d_user
        else:
            person = f"{i_first or ''} {i_last or ''}".strip() or i_user or ""
        yield day, title, person, items, failed, passed, na


def missed_inspections(term, today=None):
    """The term's inspections still to do after their day (one query)."""
    today = today or timezone.localdate()
    return (Inspection.objects.filter(due_date__range=(term.start, min(term.end, today - datetime.timedelta(days=1))),
                                      status=Inspection.Status.OPEN)
            .select_related("plan", "inspector").order_by("due_date", "plan__title", "pk"))


def term_hazards(term):
    """The hazards found in the term, in the order found (one query), each with fixed_on and days_to_fix (from the
    day found to the day of its last fix; None while it waits for a fix, also after a failed verification)."""
    start, end = term.datetime_range
    hazards = list(Finding.objects.filter(area=AREA, found_at__gte=start, found_at__lt=end)
                   .select_related("location__building", "responsible", "found_by", "fixed_by", "verified_by")
                   .order_by("found_at", "pk"))
    for h in hazards:
        fixed = h.fixed_at is not None and h.status in (Finding.Status.FIXED, Finding.Status.VERIFIED)
        h.fixed_on = timezone.localdate(h.fixed_at) if fixed else None
        h.days_to_fix = (h.fixed_on - timezone.localdate(h.found_at)).days if fixed else None
    return hazards


def earlier_open_hazards(term):
    """Hazards found before the term and still not closed (verified) today, the oldest first (one query)."""
    start, _end = term.datetime_range
    return list(Finding.objects.filter(area=AREA, found_at__lt=start).exclude(status=Finding.Status.VERIFIED)
                .select_related("location__building", "responsible").order_by("found_at", "pk"))


def term_drills(term):
    """The term's drills by date (two queries), each with its follow-up actions (the findings raised from it)
    as follow_ups."""
    drills = list(Drill.objects.filter(held_on__range=term_days(term)).select_related("plan", "recorded_by")
                  .order_by("held_on", "pk"))
    by_id = {d.pk: d for d in drills}
    for d in drills:
        d.follow_ups = []
    if drills:
        kind = ContentType.objects.get_for_model(Drill)
        for f in (Finding.objects.filter(source_type=kind, source_id__in=by_id).select_related("responsible")
                  .order_by("deadline", "pk")):
            by_id[f.source_id].follow_ups.append(f)
    return drills


def duty_by_kind(term):
    """[{kind, label, shifts, staffed, gaps, handovers}] of the term's duty shifts per kind of shift (one query)."""
    labels = dict(DutyShift.Kind.choices)
    rows = (DutyShift.objects.filter(day__range=term_days(term)).values("kind")
            .annotate(shifts=Count("pk", distinct=True), staffed=Count("pk", filter=STAFFED, distinct=True),
                      handovers=Count("handovers", distinct=True)).order_by("kind"))
    return [{**r, "label": labels.get(r["kind"], r["kind"]), "gaps": r["shifts"] - r["staffed"]} for r in rows]


def duty_gaps(term, limit=60):
    """The term's shifts with nobody on them, by day (one query, at most limit)."""
    return list(DutyShift.objects.filter(day__range=term_days(term), people__isnull=True)
                .order_by("day", "starts", "kind")[:limit])


def vehicle_checks(term):
    """The vehicles in use, or checked in the term, each with checks and not_fit in the term (one query)."""
    in_term = Q(trip_checks__day__range=term_days(term))
    return (Vehicle.objects.annotate(checks=Count("trip_checks", filter=in_term),
                                     not_fit=Count("trip_checks", filter=in_term & Q(trip_checks__fit=False)))
            .filter(Q(active=True) | Q(checks__gt=0)).order_by("plate"))


def year_pledges(year):
    """The responsibility pledges of a school year, with the person signing (one query)."""
    return Pledge.objects.filter(year=year).select_related("signer").order_by("party", "name")


def ledger_data(term, today=None, *, rows=False, last=None):
    """Every section of a term's safety ledger (about a dozen queries, whatever the number of records): the
    inspections held and missed, the hazards found, the drills with their follow-ups, duty coverage per kind of
    shift with the gaps, the pre-trip checks per vehicle and the pledges of the term's school year.

    rows: the inspections held as held_inspection_rows' plain tuples (what the PDF prints), not as records.
    last: only the last `last` inspections held (for the screen), with their number as "inspections_total"."""
    year = school_year(term)
    duty = duty_by_kind(term)
    pledges = list(year_pledges(year))
    if last is not None:
        total, inspections = last_held_inspections(term, last)
    else:
        inspections = list(held_inspection_rows(term) if rows else held_inspections(term))
        total = len(inspections)
    return {
        "term": term, "year": year, "year_label": f"{year}–{year + 1}",
        "inspections": inspections, "inspections_total": total,
        "missed": list(missed_inspections(term, today)),
        "hazards": term_hazards(term), "earlier_hazards": earlier_open_hazards(term), "drills": term_drills(term),
        "duty": duty,
        "duty_total": {key: sum(r[key] for r in duty) for key in ("shifts", "staffed", "gaps", "handovers")},
        "gaps": duty_gaps(term), "vehicles": list(vehicle_checks(term)),
        "pledges": pledges, "pledges_signed": sum(1 for p in pledges if p.is_signed),
    }
