"""Reads of hazards (the kernel's findings in the safety area) shared by the ledger page and the home sections;
each with its joins, so a page's query count is decided here."""
import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from assets.models import RepairRequest
from logistics.findings.selectors import filter_findings, findings_for, overdue_findings
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


def hazards_for(user):
    """{"fix": hazards this user must fix, "verify": safety fixes they may verify (never their own)}."""
    return findings_for(user, area=AREA)


def overdue_hazards(today=None):
    """Hazards waiting for a fix after their deadline, the longest overdue first."""
    return overdue_findings(AREA, today)


def reports_of(user, now=None, limit=10):
    """The hazards this user reported that are still open or were closed in the last days, newest first, with
    the latest repair opened for each (its number), in one query."""
    since = (now or timezone.now()) - datetime.timedelta(days=REPORTS_CLOSED_DAYS)
    return (Finding.objects.in_area(AREA).filter(found_by=user)
            .filter(~Q(status=Finding.Status.VERIFIED) | Q(verified_at__gte=since))
            .select_related("location__building", "responsible")
            .annotate(last_repair=Max("repairs__number"))
            .order_by("-found_at", "-pk")[:limit])


def repair_done(hazard_ids):
    """{hazard id: the latest repair done for it} among these hazards (one query), to say "repair WX-… done on …"
    beside a hazard still to be fixed."""
    done = {}
    for repair in (RepairRequest.objects.filter(finding_id__in=list(hazard_ids),
                                                status__in=(RepairRequest.Status.DONE, RepairRequest.Status.CONFIRMED))
                   .order_by("completed_at", "pk")):
        done[repair.finding_id] = repair
    return done
