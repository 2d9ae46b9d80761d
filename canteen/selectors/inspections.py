"""Reads of the canteen's inspections shared by its pages, the canteen's today page, the home sections and the
term summary; each with its joins, so a page's query count is decided here. The findings an inspection raised
are the kernel's (logistics.findings.selectors), under the canteen's area."""
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.findings.selectors import finding_figures, open_findings
from logistics.models import Finding
from logistics.modules import Figure

from ..models.inspections import Checklist, Inspection, InspectionResult
from ..models.staff import CanteenStaff

# The findings of the canteen are filed under its app label (the kernel names no module).
AREA = apps.get_containing_app_config(__name__).label
# Who may inspect (record an inspection, start one by hand): the canteen role, the head, the principal and
# the safety officer (canteen/apps.py).
INSPECT = "canteen.add_inspectionresult"
CHAPTER = "canteen"
# The roles whose people may be made responsible for fixing what an inspection found, besides the kitchen's
# staff with a user account.
RESPONSIBLE_ROLES = (roles.CANTEEN, roles.LOGISTICS, roles.LOGISTICS_HEAD, roles.SAFETY, roles.PRINCIPAL)
Status = Inspection.Status


# --- people ---------------------------------------------------------------------------------------

def canteen_manager():
    """The user of the kitchen's manager (CanteenStaff with post "manager", working here, with an active
    account), or None: the default person responsible for a failed item."""
    staff = (CanteenStaff.objects.filter(post=CanteenStaff.Post.MANAGER, active=True, user__is_active=True)
             .select_related("user").order_by("pk").first())
    return staff.user if staff else None


def responsible_choices():
    """Who may be made responsible for a fix: the kitchen's staff with an account, and the people of the
    canteen, logistics, the head, the safety officer and the principal; by name."""
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__name__in=RESPONSIBLE_ROLES) | Q(canteen_staff__active=True))
            .distinct().order_by("first_name", "username"))


def inspectors():
    """Who may inspect the canteen (hold canteen.add_inspectionresult through a role), by name."""
    app_label, codename = INSPECT.split(".")
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
                    | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label))
            .distinct().order_by("first_name", "username"))


# --- checklists -----------------------------------------------------------------------------------

def checklist_list(show="active"):
    """Checklists (in use, stopped, or all) with their inspector and how many inspections were done."""
    qs = Checklist.objects.select_related("inspector").annotate(
        n_done=Count("inspections", filter=Q(inspections__status=Status.DONE)),
        n_open=Count("inspections", filter=Q(inspections__status=Status.OPEN)))
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "stopped":
        qs = qs.filter(active=False)
    return qs.order_by("-active", "title")


# --- inspections ----------------------------------------------------------------------------------

def inspection_list():
    """Every inspection, the ones to do first (newest day first within each), with what a row shows: the
    checklist, the inspector, who did it, and how many items did not pass."""
    return (Inspection.objects.select_related("checklist", "inspector", "done_by")
            .annotate(open_first=Case(When(status=Status.OPEN, then=Value(0)), default=Value(1),
                                      output_field=IntegerField()),
                      n_failed=Count("results", filter=Q(results__passed=False)))
            .order_by("open_first", "-due_date", "checklist__title", "pk"))


def filter_inspections(qs, data, today=None):
    """qs narrowed by the filter form's cleaned data: status (open, overdue, done), checklist, from/to day,
    only those where something did not pass."""
    today = today or timezone.localdate()
    status = data.get("status")
    if status == "open":
        qs = qs.filter(status=Status.OPEN, due_date__lte=today)
    elif status == "overdue":
        qs = qs.filter(status=Status.OPEN, due_date__lt=today)
    elif status == Status.DONE:
        qs = qs.filter(status=Status.DONE)
    if data.get("checklist"):
        qs = qs.filter(checklist=data["checklist"])
    if data.get("date_from"):
        qs = qs.filter(due_date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(due_date__lte=data["date_to"])
    if data.get("failed"):
        qs = qs.filter(results__passed=False).distinct()
    return qs


def inspections_due(today=None):
    """Inspections still to do whose day has come (today's and earlier ones), oldest first."""
    today = today or timezone.localdate()
    return (Inspection.objects.filter(status=Status.OPEN, due_date__lte=today)
            .select_related("checklist", "inspector").order_by("due_date", "checklist__title", "pk"))


def inspections_overdue(today=None):
    """Inspections still to do after their day, oldest first."""
    today = today or timezone.localdate()
    return inspections_due(today).filter(due_date__lt=today)


def inspection_status(today=None):
    """What the canteen's today page shows of inspections (three queries): {"today": today's inspections, done
    or not; "to_do": those still to do whose day has come; "overdue": how many of them are past their day;
    "findings": the canteen's findings not yet closed, soonest deadline first, each with is_overdue;
    "overdue_findings": how many of those wait for a fix after their deadline}."""
    today = today or timezone.localdate()
    todays = list(Inspection.objects.filter(due_date=today).select_related("checklist", "inspector", "done_by")
                  .order_by("checklist__title", "pk"))
    to_do = list(inspections_due(today))
    findings = list(open_findings(AREA))
    return {
        "today": todays, "to_do": to_do, "overdue": sum(i.due_date < today for i in to_do),
        "findings": findings, "overdue_findings": sum(f.can_fix and f.deadline < today for f in findings),
    }


def results_with_findings(inspection):
    """The inspection's results, each with .finding: the finding its failure raised, or None (two queries)."""
    results = list(inspection.results.all())
    failed = [r.pk for r in results if not r.passed]
    findings = {}
    if failed:
        result_type = ContentType.objects.get_for_model(InspectionResult)
        for finding in (Finding.objects.filter(source_type=result_type, source_id__in=failed)
                        .select_related("responsible").order_by("pk")):
            findings.setdefault(finding.source_id, finding)
    for result in results:
        result.finding = findings.get(result.pk)
    return results


# --- term figures ---------------------------------------------------------------------------------

def inspection_counts(first, last, today=None):
    """{due, held, percent, missed, items_failed} of the inspections whose day falls from first to last (one
    query). due: those held, and those still open after their day (today's, still to do, are not counted
    yet); percent: held of due; missed: open after their day; items_failed: items that did not pass."""
    today = today or timezone.localdate()
    row = Inspection.objects.filter(due_date__gte=first, due_date__lte=min(last, today)).aggregate(
        held=Count("pk", filter=Q(status=Status.DONE), distinct=True),
        missed=Count("pk", filter=Q(status=Status.OPEN, due_date__lt=today), distinct=True),
        items_failed=Count("results", filter=Q(results__passed=False)),
    )
    due = row["held"] + row["missed"]
    return {**row, "due": due, "percent": round(100 * row["held"] / due) if due else None}


def term_figures(term):
    """[Figure] of the term's inspections (keys "inspections.*") and of the findings they raised (keys
    "canteen_findings.*", from the kernel's finding_figures in the canteen's words). Two queries."""
    c = inspection_counts(term.start, term.end)
    # The principal (responsible for food safety) and the head see whether inspections are held and whether
    # what they find is fixed in time.
    home = (roles.PRINCIPAL, roles.LOGISTICS_HEAD)
    figures = [
        Figure("inspections.held", _("canteen inspections held"), c["held"], chapter=CHAPTER, order=80),
        Figure("inspections.due", _("canteen inspections due"), c["due"], chapter=CHAPTER, order=81),
        Figure("inspections.held_percent", _("canteen inspections held when due"), c["percent"], "%",
               chapter=CHAPTER, order=82, home=home),
        Figure("inspections.missed", _("canteen inspections not held"), c["missed"], chapter=CHAPTER, order=83,
               carry=True),
        Figure("inspections.items_failed", _("inspection items that did not pass"), c["items_failed"],
               chapter=CHAPTER, order=84),
    ]
    labels = {
        "found": _("problems found in the canteen"),
        "fixed": _("canteen problems fixed"),
        "verified": _("canteen fixes verified"),
        "verified_on_time_percent": _("canteen problems fixed by their deadline"),
        "still_open": _("canteen problems not yet closed"),
        "overdue": _("canteen problems past their deadline"),
    }
    return figures + finding_figures(AREA, term, "canteen_findings", CHAPTER, order=85, home=home, labels=labels)

