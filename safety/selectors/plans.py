"""Reads of emergency plans and drills shared by their pages, the home page and the term's figures.

drills_in_term(term) is what the safety ledger and the term summary read: the drills held within the term's
days, how many people took part in all, and the average evacuation time of those that timed one."""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from logistics.models import Finding

from ..models import Drill, EmergencyPlan, SafetySettings

AREA = "safety"


def review_warning_days():
    return SafetySettings.get().plan_review_warning_days


def plan_list(data, today, days):
    """Plans with their drill count and last drill; data: the filter form's cleaned data (or None).

    state: "active" (default, in force), "inactive", "all"; review: "overdue" (past the review date),
    "due" (due within `days`, or past)."""
    data = data or {}
    qs = EmergencyPlan.objects.select_related("owner").annotate(
        drill_count=Count("drills"), last_drill=Max("drills__held_on"))
    state = data.get("state") or "active"
    if state == "active":
        qs = qs.filter(active=True)
    elif state == "inactive":
        qs = qs.filter(active=False)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("review") == "overdue":
        qs = qs.filter(active=True, next_review__lt=today)
    elif data.get("review") == "due":
        qs = qs.filter(active=True, next_review__lte=today + datetime.timedelta(days=days))
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(version_label__icontains=q))
    return qs.order_by("kind", "title", "pk")


def plans_to_review(today, days):
    """Plans in force past their review date or due for review within `days`, soonest first."""
    return (EmergencyPlan.objects.filter(active=True, next_review__lte=today + datetime.timedelta(days=days))
            .order_by("next_review", "pk"))


def plan_versions(plan):
    """The plan's versions, newest first: one historical record per version label (the last record of each),
    with the document it had."""
    versions, seen = [], set()
    for record in plan.history.select_related("history_user").order_by("-history_date", "-history_id"):
        if record.version_label in seen:
            continue
        seen.add(record.version_label)
        versions.append(record)
    return versions


def _follow_up_counts(qs):
    drill_type = ContentType.objects.get_for_model(Drill)
    findings = Finding.objects.filter(area=AREA, source_type=drill_type, source_id=OuterRef("pk"))
    open_ = (findings.exclude(status=Finding.Status.VERIFIED).order_by().values("source_id")
             .annotate(n=Count("pk")).values("n"))
    total = findings.order_by().values("source_id").annotate(n=Count("pk")).values("n")
    return qs.annotate(follow_ups=Coalesce(Subquery(total), 0), follow_ups_open=Coalesce(Subquery(open_), 0))


def drill_list(data=None):
    """Drills newest first with their plan, photo count and follow-up counts; data: the filter form's cleaned
    data (plan, term, date_from, date_to, q)."""
    data = data or {}
    qs = Drill.objects.select_related("plan", "recorded_by").annotate(photo_count=Count("photos"))
    if data.get("plan"):
        qs = qs.filter(plan=data["plan"])
    if term := data.get("term"):
        qs = qs.filter(held_on__gte=term.start, held_on__lte=term.end)
    if data.get("date_from"):
        qs = qs.filter(held_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(held_on__lte=data["date_to"])
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(classes__icontains=q) | Q(plan__title__icontains=q))
    return _follow_up_counts(qs).order_by("-held_on", "-pk")


def drill_follow_ups(drill):
    """The follow-up actions of a drill (hazards whose source is the drill), oldest first."""
    return (Finding.objects.filter(area=AREA, source_type=ContentType.objects.get_for_model(Drill),
                                   source_id=drill.pk)
            .select_related("responsible").order_by("found_at", "pk"))


def drills_in_term(term):
    """The term's drills in one query: {"count", "participants" (sum of headcounts), "average_evacuation_seconds"
    (over the drills that timed an evacuation, rounded; None when none did)}."""
    figures = Drill.objects.filter(held_on__gte=term.start, held_on__lte=term.end).aggregate(
        count=Count("pk"), participants=Coalesce(Sum("headcount"), 0), average=Avg("evacuation_seconds"))
    average = figures["average"]
    return {"count": figures["count"], "participants": figures["participants"],
            "average_evacuation_seconds": round(average) if average is not None else None}


def drill_follow_ups_in_term(term):
    """The follow-up actions raised from drills during the term: {"total", "open"} in one query."""
    start, end = term.datetime_range
    return Finding.objects.filter(
        area=AREA, source_type=ContentType.objects.get_for_model(Drill), found_at__gte=start,
        found_at__lt=end).aggregate(total=Count("pk"), open=Count("pk", filter=~Q(status=Finding.Status.VERIFIED)))
