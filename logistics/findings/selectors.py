"""Reads of findings shared by pages, home sections and term figures; each with its joins, so a page's
query count is decided here."""
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.models import Finding
from logistics.modules import Figure

Status = Finding.Status
ROW_RELATED = ("location__building", "responsible", "found_by")


def finding_list(user):
    """The findings this user may read, newest first, with what a list row shows."""
    return (Finding.objects.visible_to(user).select_related(*ROW_RELATED)
            .annotate(photo_count=Count("photos")).order_by("-found_at", "-pk"))


def filter_findings(qs, data, today=None):
    """qs narrowed by a filter form's cleaned data: area, status, overdue, responsible, search."""
    if data.get("area"):
        qs = qs.filter(area=data["area"])
    status = data.get("status")
    if status == "open":
        qs = qs.still_open()
    elif status in Status.values:
        qs = qs.filter(status=status)
    if data.get("overdue"):
        qs = qs.overdue(today)
    if data.get("responsible"):
        qs = qs.filter(responsible=data["responsible"])
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(location__name__icontains=q) | Q(location__building__name__icontains=q))
    return qs


def open_findings(area=None):
    """Not yet verified, in an area (all areas for None), with what a row shows."""
    return Finding.objects.in_area(area).still_open().select_related(*ROW_RELATED).order_by("deadline", "pk")


def overdue_findings(area=None, today=None):
    """Waiting for a fix after their deadline, in an area (all areas for None)."""
    return Finding.objects.in_area(area).overdue(today).select_related(*ROW_RELATED).order_by("deadline", "pk")


def findings_for(user, area=None):
    """What waits for this person: {"fix": findings they must fix, "verify": fixes they may verify}.

    To verify: fixed findings, for holders of logistics.verify_finding, except the fixes they recorded."""
    fix = (Finding.objects.in_area(area).unfixed().filter(responsible=user).select_related(*ROW_RELATED)
           .order_by("deadline", "pk"))
    if user.is_active and user.has_perm("logistics.verify_finding"):
        verify = (Finding.objects.in_area(area).filter(status=Status.FIXED).exclude(fixed_by=user)
                  .select_related(*ROW_RELATED, "fixed_by").order_by("fixed_at", "pk"))
    else:
        verify = Finding.objects.none()
    return {"fix": fix, "verify": verify}


def finding_counts(area, term, today=None):
    """{found, fixed, verified, on_time_percent, still_open, overdue} of the findings found in the term (one query).

    fixed: fixed at least once and not sent back since (awaiting verification or verified); on time: of the
    verified ones, the share whose last fix was recorded by the deadline in force; still open and overdue
    are as they stand today (an open item of a past term is still one)."""
    today = today or timezone.localdate()
    start, end = term.datetime_range
    unfixed = Q(status__in=Finding.UNFIXED_STATUSES)
    row = Finding.objects.filter(area=area, found_at__gte=start, found_at__lt=end).annotate(
        fixed_day=TruncDate("fixed_at", tzinfo=timezone.get_current_timezone())).aggregate(
        found=Count("pk"),
        fixed=Count("pk", filter=Q(status__in=(Status.FIXED, Status.VERIFIED))),
        verified=Count("pk", filter=Q(status=Status.VERIFIED)),
        on_time=Count("pk", filter=Q(status=Status.VERIFIED, fixed_day__lte=F("deadline"))),
        still_open=Count("pk", filter=~Q(status=Status.VERIFIED)),
        overdue=Count("pk", filter=unfixed & Q(deadline__lt=today)),
    )
    verified = row.pop("verified")
    on_time = row.pop("on_time")
    return {**row, "verified": verified,
            "on_time_percent": round(100 * on_time / verified) if verified else None}


def finding_figures(area, term, prefix, chapter, *, order=100, home=(), labels=None):
    """[Figure] of an area's findings in a term, keyed f"{prefix}.found" etc., for a module's term_figures.

    Keys: found, fixed, verified, verified_on_time_percent, still_open, overdue (an open item: carried into
    the summary's outlook). order: the first figure's order (the others follow); home: the roles whose
    dashboard shows the overdue figure; labels: {key: label} in the module's own words (e.g. hazards for
findings). One query."""
    c = finding_counts(area, term)
    rows = [
        ("found", _("findings raised"), c["found"], "", {}),
        ("fixed", _("findings fixed"), c["fixed"], "", {}),
        ("verified", _("fixes verified"), c["verified"], "", {}),
        ("verified_on_time_percent", _("verified fixes done by their deadline"), c["on_time_percent"], "%", {}),
        ("still_open", _("findings not yet closed"), c["still_open"], "", {}),
        ("overdue", _("findings past their deadline"), c["overdue"], "", {"carry": True, "home": tuple(home)}),
    ]
    labels = labels or {}
    return [Figure(f"{prefix}.{key}", labels.get(key, label), value, unit, chapter=chapter, order=order + i, **extra)
            for i, (key, label, value, unit, extra) in enumerate(rows)]
