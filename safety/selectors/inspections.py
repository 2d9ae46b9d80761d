"""Reads of the safety inspections shared by their pages, the home sections and the demo; each with its joins, so
a page's query count is decided here. The hazards a failed item raised are the kernel's findings (result.finding)."""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from logistics import roles
from logistics.models import Location

from ..models.inspections import CheckArea, Inspection, InspectionPlan, InspectionResult, PlanItem

Status = Inspection.Status
Outcome = InspectionResult.Outcome
VIEW = "safety.view_inspection"
# Who may record any inspection (not only those assigned to them) and sees everyone's overdue ones.
MANAGE = "safety.change_inspection"
RECENT = 10


# --- who may read ---------------------------------------------------------------------------------

def visible_inspections(user):
    """What a user may read: everything with safety.view_inspection, otherwise the inspections assigned to them
    or done by them."""
    qs = Inspection.objects.all()
    if user.has_perm(VIEW):
        return qs
    return qs.filter(Q(inspector=user) | Q(done_by=user))


def may_read(user, inspection):
    """Reader, inspector or the one who did it; also the person responsible for a hazard it raised (their
    finding's page links here)."""
    if user.has_perm(VIEW) or user.pk in (inspection.inspector_id, inspection.done_by_id):
        return True
    return InspectionResult.objects.filter(inspection=inspection, finding__responsible=user).exists()


def may_record(user, inspection):
    """The inspector assigned, or a holder of safety.change_inspection."""
    return user.is_active and (inspection.inspector_id == user.pk or user.has_perm(MANAGE))


# --- people and places ----------------------------------------------------------------------------

def people():
    """Who may be made responsible for a hazard or an inspection: the active people of the school's roles, by
    name (one query)."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=roles.EMPLOYEE_ROLES)
            .distinct().order_by("first_name", "username"))


def places():
    """The places in use with their building, for a hazard's location (one query)."""
    return Location.objects.filter(active=True).select_related("building").order_by(
        "building__sort_order", "building__name", "floor", "name")


# --- checklists -----------------------------------------------------------------------------------

def plan_list(show="active"):
    """Checklists with their inspector (how many items, inspections done and still open: with_plan_counts, for
    a page)."""
    qs = InspectionPlan.objects.select_related("inspector")
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "stopped":
        qs = qs.filter(active=False)
    return qs.order_by("-active", "title")


def with_plan_counts(plans):
    """Set n_items, n_done and n_open on each of the checklists (a page of the list), counted for those only in
    two queries: counted in the list's query, five years of inspections were joined and grouped (300 ms)."""
    ids = [p.pk for p in plans]
    items = dict(PlanItem.objects.filter(plan__in=ids).order_by().values("plan").annotate(n=Count("pk"))
                 .values_list("plan", "n"))
    done, open_ = {}, {}
    for plan, status, n in (Inspection.objects.filter(plan__in=ids).order_by().values("plan", "status")
                            .annotate(n=Count("pk")).values_list("plan", "status", "n")):
        (done if status == Status.DONE else open_)[plan] = n
    for p in plans:
        p.n_items, p.n_done, p.n_open = items.get(p.pk, 0), done.get(p.pk, 0), open_.get(p.pk, 0)
    return plans


def by_area(rows, area=lambda row: row.area):
    """[(area value, area label, [rows])]: the areas in the order the checklist first names them, the rows in
    their order within an area."""
    groups = {}
    for row in rows:
        groups.setdefault(area(row), []).append(row)
    labels = dict(CheckArea.choices)
    return [(key, labels.get(key, key), group) for key, group in groups.items()]


def plan_items(plan):
    """The checklist's items in their order (one query)."""
    return list(PlanItem.objects.filter(plan=plan).order_by("position", "pk"))


def recent_inspections(plan, count=RECENT):
    """The checklist's latest inspections, newest day first, with their failed items counted (two queries)."""
    return with_failed_counts(list(plan.inspections.select_related("inspector", "done_by")
                                   .order_by("-due_date", "-pk")[:count]))


def with_failed_counts(inspections):
    """Set n_failed on each of the inspections (a page of a list): their failed items counted in one query for
    those rows only — counted in the list's query, five years of inspections were grouped before a page was
    taken (1.4 s)."""
    counts = dict(InspectionResult.objects.filter(inspection__in=[i.pk for i in inspections], outcome=Outcome.FAIL)
                  .order_by().values("inspection").annotate(n=Count("pk")).values_list("inspection", "n"))
    for inspection in inspections:
        inspection.n_failed = counts.get(inspection.pk, 0)
    return inspections


# --- inspections ----------------------------------------------------------------------------------

def inspection_list(user):
    """The inspections the user may read, the ones to do first (newest day first within each), with what a row
    shows: the checklist, the inspector, who did it (how many items failed: with_failed_counts, for a page)."""
    # "open" sorts after "done": -status puts the inspections to do first; within a day, by checklist. The whole
    # order is the list's index (migration 0003), so a deep page's ids are read from the index alone.
    return (visible_inspections(user).select_related("plan", "inspector", "done_by")
            .order_by("-status", "-due_date", "plan_id", "pk"))


def filter_inspections(qs, data, today=None):
    """qs narrowed by the filter form's cleaned data: status (open: its day has come; overdue; done), checklist,
    inspector, from/to day, overdue, only those with failed items."""
    today = today or timezone.localdate()
    status = data.get("status")
    if status == Status.OPEN:
        qs = qs.filter(status=Status.OPEN, due_date__lte=today)
    elif status == "overdue" or data.get("overdue"):
        qs = qs.filter(status=Status.OPEN, due_date__lt=today)
    elif status == Status.DONE:
        qs = qs.filter(status=Status.DONE)
    if data.get("plan"):
        qs = qs.filter(plan=data["plan"])
    if data.get("inspector"):
        qs = qs.filter(Q(inspector=data["inspector"]) | Q(done_by=data["inspector"]))
    if data.get("date_from"):
        qs = qs.filter(due_date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(due_date__lte=data["date_to"])
    if data.get("failed"):
        qs = qs.filter(pk__in=InspectionResult.objects.filter(outcome=Outcome.FAIL).values("inspection"))
    return qs


def inspectors():
    """The people named as inspector of a checklist or an inspection, by name (for the list's filter)."""
    return (get_user_model().objects.filter(Q(pk__in=InspectionPlan.objects.values("inspector"))
                                            | Q(pk__in=Inspection.objects.values("inspector")))
            .order_by("first_name", "username"))


def results_with_hazards(inspection):
    """The inspection's results in their order, each with its hazard (finding) and the finding's responsible
    person (one query)."""
    return list(inspection.results.select_related("finding", "finding__responsible").order_by("pk"))


def inspections_waiting(user, today=None, *, others=False):
    """{"mine": open inspections assigned to the user whose day has come, "others": (others=True) open
    inspections of other people past their day}, oldest first (one query)."""
    today = today or timezone.localdate()
    due = Q(inspector=user, due_date__lte=today)
    if others:
        due |= Q(due_date__lt=today)
    rows = list(Inspection.objects.filter(due, status=Status.OPEN).select_related("plan", "inspector")
                .order_by("due_date", "plan__title", "pk")[:200])
    return {"mine": [i for i in rows if i.inspector_id == user.pk],
            "others": [i for i in rows if i.inspector_id != user.pk]}
