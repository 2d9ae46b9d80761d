"""Reads of hazards (the kernel's findings in the safety area) shared by the ledger page and the home sections;
each with its joins, so a page's query count is decided here."""
import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from assets.models import RepairRequest
from logistics.findings.selectors import filter_findings, overdue_findings
from logistics.models import Finding

# The area of safety's findings: services.common.AREA (selectors import no services; a test keeps them equal).
AREA = "safety"
ROW_RELATED = ("location__building", "responsible", "found_by", "verified_by")
# The reporter's own reports on the home page: still open, or closed this many days ago at most.
REPORTS_CLOSED_DAYS = 14


def hazard_list(user):
    """The hazards this user may read, newest first, with what a ledger row shows (its repairs counted)."""
    return (Finding.objects.in_area(AREA).visible_to(user).select_related(*ROW_RELATED)
            .annotate(repair_count=Count("repairs", distinct=True)).order_by("-found_at", "-pk"))


def filter_hazards(qs, data, today=None):
    """qs narrowed by the filter form: status, overdue, severity, responsible, search (the kernel's filters plus
    severity)."""
    qs = filter_findings(qs, {**data, "area": None}, today)
    if data.get("severity"):
        qs = qs.filter(severity=data["severity"])
    return qs


def home_hazards(user, now=None, *, verifies=False, oversees=False, reports=False, cap=200):
    """What the home page shows of hazards for this user, in one query: {"fix": hazards they must fix (deadline
    first), "verify": fixes they may re-check, never their own (if verifies), "overdue": hazards past their
    deadline (if oversees), "mine": what they reported by hand (not through an inspection or a drill), still open
    or closed in the last days (if reports)}.

    Each row carries the latest repair opened for it (last_repair) and the latest done (done_repair, done_at)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    since = now - datetime.timedelta(days=REPORTS_CLOSED_DAYS)
    unfixed = Q(status__in=Finding.UNFIXED_STATUSES)
    wanted = unfixed & Q(responsible=user)
    if verifies:
        wanted |= Q(status=Finding.Status.FIXED) & ~Q(fixed_by=user)
    if oversees:
        wanted |= unfixed & Q(deadline__lt=day)
    if reports:
        wanted |= (Q(found_by=user, source_type__isnull=True)
                   & (~Q(status=Finding.Status.VERIFIED) | Q(verified_at__gte=since)))
    repairs = RepairRequest.objects.filter(finding=OuterRef("pk")).order_by("-pk")
    done = repairs.filter(status__in=(RepairRequest.Status.DONE, RepairRequest.Status.CONFIRMED))
    rows = list(Finding.objects.in_area(AREA).filter(wanted)
                .select_related("location__building", "responsible", "fixed_by")
                .annotate(last_repair=Subquery(repairs.values("number")[:1]),
                          done_repair=Subquery(done.values("number")[:1]),
                          done_at=Subquery(done.values("completed_at")[:1]))
                .order_by("deadline", "pk")[:cap])
    fixed = Finding.Status.FIXED
    result = {
        "fix": [f for f in rows if f.can_fix and f.responsible_id == user.pk],
        "verify": sorted((f for f in rows if verifies and f.status == fixed and f.fixed_by_id != user.pk),
                         key=lambda f: (f.fixed_at, f.pk)),
        "overdue": [f for f in rows if oversees and f.can_fix and f.deadline < day],
        "mine": sorted((f for f in rows if reports and f.found_by_id == user.pk and f.source_type_id is None
                        and (f.status != Finding.Status.VERIFIED or (f.verified_at and f.verified_at >= since))),
                       key=lambda f: (f.found_at, f.pk), reverse=True),
    }
    return result


def overdue_hazards(today=None):
    """Hazards waiting for a fix after their deadline, the longest overdue first."""
    return overdue_findings(AREA, today)
