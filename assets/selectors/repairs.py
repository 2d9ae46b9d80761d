"""Reads that several pages (and the term summary) share, with their joins decided in one place."""
import statistics
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.utils import timezone

from logistics import roles

from ..models import CheckTask, RepairCategory, RepairPhoto, RepairRequest


def repair_list(user):
    """Repairs the user may read, with everything a list row shows joined in. Photos are counted for the rows
    shown only (with_photo_counts), not grouped over every request before a page is taken."""
    return (
        RepairRequest.objects.visible_to(user)
        .select_related("location__building", "reporter", "assignee")
        .order_by("-reported_at", "-pk")
    )


def repair_page(qs, number, size):
    """The page of a list of repairs that ?page= asks for, ids first: the page's ids are chosen in a subquery (a deep
    page's OFFSET skips ids, not joined rows) and only those rows are read with their joins; then their photos
    are counted. Three queries (count, rows, photos), whatever the page."""
    page = Paginator(qs.values_list("pk", flat=True), size).get_page(number)
    page.object_list = list(qs.filter(pk__in=page.object_list))
    return with_photo_counts(page)


def with_photo_counts(page):
    """Set photo_count on the page's repairs, in one query over their ids; returns the page."""
    rows = list(page.object_list)
    counts = dict(RepairPhoto.objects.filter(request_id__in=[r.pk for r in rows]).order_by()
                  .values_list("request_id").annotate(n=Count("pk")).values_list("request_id", "n")) if rows else {}
    for r in rows:
        r.photo_count = counts.get(r.pk, 0)
    page.object_list = rows
    return page


def filter_repairs(qs, data):
    """Apply the cleaned data of RepairFilterForm."""
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(work_done__icontains=q))
    status = data.get("status")
    if status == "open":
        qs = qs.filter(status__in=RepairRequest.OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.overdue()
    elif status:
        qs = qs.filter(status=status)
    for field in ("category", "urgency", "location", "assignee"):
        if value := data.get(field):
            qs = qs.filter(**{field: value})
    if term := data.get("term"):
        start, end = term.datetime_range
        qs = qs.filter(reported_at__gte=start, reported_at__lt=end)
    return qs


def workers():
    """People who can be given repair work, by name: the logistics workers (and anyone granted the work by
    hand), not the superuser nor the head, whose role reads every permission, unless he is a worker too."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__name=roles.LOGISTICS)
            | Q(user_permissions__codename="work_repairrequest",
                user_permissions__content_type__app_label="assets")
        )
        .distinct()
        .order_by("first_name", "username")
    )


def repair_stats(start: datetime, end: datetime, now=None):
    """Figures for reports over requests reported in [start, end): counts by category and status,
    median time to fix (hours), share done within target, and how many are overdue now."""
    now = now or timezone.now()
    qs = RepairRequest.objects.filter(reported_at__gte=start, reported_at__lt=end)
    by_category = dict.fromkeys(RepairCategory.values, 0)
    for row in qs.values("category").annotate(n=Count("pk")):
        by_category[row["category"]] = row["n"]
    by_status = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("pk"))}
    fixed = list(
        qs.filter(completed_at__isnull=False)
        .exclude(status__in=[RepairRequest.Status.REJECTED, RepairRequest.Status.CANCELLED])
        .values_list("reported_at", "completed_at", "due_at")
    )
    hours = [(done - reported).total_seconds() / 3600 for reported, done, _due in fixed]
    within = sum(1 for _r, done, due in fixed if done <= due)
    total_cost = qs.aggregate(total=Sum("cost"))["total"] or Decimal("0.00")
    return {
        "total": sum(by_category.values()),
        "by_category": [
            {"category": value, "label": label, "count": by_category[value]}
            for value, label in RepairCategory.choices
        ],
        "by_status": by_status,
        "fixed": len(fixed),
        "median_hours_to_fix": round(statistics.median(hours), 1) if hours else None,
        "within_target_percent": round(100 * within / len(fixed)) if fixed else None,
        "overdue": qs.overdue(now).count(),
        "total_cost": total_cost,
    }


def check_tasks_for(user, day=None):
    """Open check tasks up to today that the user should do (or anyone's, for those with no assignee)."""
    day = day or timezone.localdate()
    return (
        CheckTask.objects.filter(status=CheckTask.Status.OPEN, due_date__lte=day)
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .select_related("schedule", "assignee")
        .order_by("due_date")
    )
