"""What the assets module puts on the home page: repairs to confirm, assign, do and check; write-offs,
loans, requisitions, print jobs and low stock. Declared in AssetsConfig (see logistics.modules)."""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from logistics.dashboard import DASHBOARD_ROLES
from logistics.models import Term
from logistics.modules import Panel, Row, Section
from logistics.roles import has_role
from logistics.services import display_name

from . import selectors
from .models import RepairRequest
from .services import can_work

Status = RepairRequest.Status

# What waits for this person comes first on the home page, in this order (a worker's own repairs and
# checks before anything else he is asked to do); then what he may pick up, the overdue lists, his own.
ORDER = {
    "confirm": 0, "assign": 1, "my_work": 2, "checks": 3,
    "writeoffs": 30, "requisitions_to_issue": 40, "prints_to_approve": 41, "prints_to_do": 42,
    "take": 52, "overdue": 60,
    "overdue_loans": 70, "low_stock": 71,
    "my_open": 1000, "my_requisitions": 1001, "my_prints": 1002,
}
DECISIONS = {"confirm", "assign", "my_work", "checks", "writeoffs", "requisitions_to_issue", "prints_to_approve",
             "prints_to_do"}
# The filtered list behind each section ("show all"), for the sections whose selector does not name one.
MORE = {
    "confirm": ("assets:repair_mine", ""),
    "assign": ("assets:repair_queue", "?status=reported"),
    "checks": ("assets:schedule_list", ""),
    "take": ("assets:repair_queue", "?status=reported"),
    "overdue": ("assets:repair_queue", "?status=overdue"),
    "my_open": ("assets:repair_mine", "?status=open"),
    "requisitions_to_issue": ("assets:requisition_queue", ""),
    "prints_to_approve": ("assets:print_list", "?status=submitted"),
    "prints_to_do": ("assets:print_list", "?status=approved"),
    "low_stock": ("assets:supply_list", ""),
    "my_requisitions": ("assets:requisition_mine", "?status=submitted"),
    "my_prints": ("assets:print_list", ""),
}
# What a person may start from his own sections (shown with them).
ACTIONS = {
    "my_requisitions": ("assets:requisition_new", pgettext_lazy("home action", "Ask for supplies")),
    "my_prints": ("assets:print_new", pgettext_lazy("home action", "New print job")),
}


def repair_row(r, show_people=True):
    """A repair request as a home row: status, urgency and overdue badges, place, number, who, when."""
    badges = [(r.get_status_display(), f"b-{r.status}")]
    if r.urgency == "urgent":
        badges.append((r.get_urgency_display(), "b-urgent"))
    if r.is_overdue:
        badges.append((_("Overdue"), "b-overdue"))
    detail = [r.number, r.get_category_display()]
    if show_people:
        detail.append(pgettext("reported by", "by %(name)s") % {"name": display_name(r.reporter)})
        if r.assignee_id:
            detail.append(f"→ {display_name(r.assignee)}")
    return Row(url=reverse("assets:repair_detail", args=[r.pk]), title=r.title, badges=badges,
               meta=[f"{r.location.building.name} · {r.location.name}"], detail=detail, when=r.reported_at,
               overdue=r.is_overdue, css=f"repair status-{r.status}", photos=getattr(r, "photo_count", 0) or 0)


def check_row(t):
    badges = [(_("Late"), "b-overdue")] if t.is_late else []
    return Row(url=reverse("assets:check_task_detail", args=[t.pk]), title=t.schedule.title, badges=badges,
               meta=[t.due_date.strftime("%Y-%m-%d"), t.schedule.get_part_of_day_display()], overdue=t.is_late)


def dict_row(d):
    """A row given as a dict by a selector ({url, title, meta, overdue} or {…, badge, badge_class, warn})."""
    meta = d.get("meta") or []
    badges = [(d["badge"], d.get("badge_class", ""))] if d.get("badge") else []
    return Row(url=d["url"], title=d["title"], badges=badges, meta=[meta] if isinstance(meta, str) else list(meta),
               overdue=bool(d.get("overdue") or d.get("warn")))


def _more_url(key):
    if key not in MORE:
        return ""
    name, query = MORE[key]
    return reverse(name) + query


def _section(key, title, rows, more_url=None, **kwargs):
    actions = [(reverse(ACTIONS[key][0]), ACTIONS[key][1])] if key in ACTIONS else []
    return Section(key=key, title=title, rows=rows, decision=key in DECISIONS, order=ORDER.get(key, 80),
                   more_url=_more_url(key) if more_url is None else more_url, actions=actions, **kwargs)


def sections(user, now):
    """The assets sections for this user, each with a constant number of queries."""
    base = RepairRequest.objects.select_related("location__building", "reporter", "assignee")
    mine = base.filter(reporter=user)
    is_head = user.has_perm("assets.assign_repairrequest")
    is_worker = can_work(user)
    # Those who read no queue (teachers, the canteen, safety, finance) see their own lists even when
    # empty, with what they may start from them; the others see them only when there is something.
    own_always = not user.has_perm("assets.view_repairrequest")
    result = []

    to_confirm = [repair_row(r) for r in mine.filter(status=Status.DONE)[:10]]
    result.append(_section("confirm", _("Fixed — please confirm"), to_confirm,
                           hint=_("Logistics says these are fixed. Check and confirm, or reopen.")))
    if is_head:
        result.append(_section("assign", _("Waiting to be assigned"),
                               [repair_row(r) for r in base.filter(status=Status.REPORTED).order_by("due_at")[:20]],
                               empty=_("Every request has a worker."), show_empty=True))
    if is_worker:
        my_work = [repair_row(r) for r in base.filter(assignee=user, status__in=[Status.ASSIGNED,
                                                                                Status.IN_PROGRESS])
                   .order_by("due_at")[:20]]
        checks = [check_row(t) for t in selectors.check_tasks_for(user)[:10]]
        # A head who also repairs sees their own work only when there is some.
        result.append(_section("my_work", _("My repair work"), my_work,
                               more_url=reverse("assets:repair_queue") + f"?status=open&assignee={user.pk}",
                               empty=_("Nothing is assigned to you."), show_empty=not is_head))
        result.append(_section("checks", _("Checks to do"), checks,
                               empty=_("No checks are due."), show_empty=not is_head))
        if not is_head:
            result.append(_section("take", _("Not yet taken"),
                                   [repair_row(r) for r in base.filter(status=Status.REPORTED).order_by("due_at")[:10]],
                                   empty=_("Nothing is waiting."), show_empty=True))
    if user.has_perm("assets.view_repairrequest"):
        result.append(_section("overdue", _("Overdue repairs"),
                               [repair_row(r) for r in base.overdue(now).order_by("due_at")[:10]],
                               empty=_("Nothing is overdue."), show_empty=True))
    # Only those who may report a fault have requests of their own (not the auditor, who reads).
    if user.has_perm("assets.add_repairrequest"):
        my_open = [repair_row(r) for r in mine.filter(status__in=[Status.REPORTED, Status.ASSIGNED,
                                                                 Status.IN_PROGRESS])[:10]]
        result.append(_section("my_open", _("My open requests"), my_open,
                               empty=_("You have no open requests."), show_empty=own_always))

    # The other areas' work, only where there is some: an empty "low stock" says nothing to anyone.
    for s in selectors.movements.waiting_for(user) + selectors.supplies_waiting_for(user):
        result.append(_section(s["key"], s["title"], [dict_row(r) for r in s["rows"]], empty=s.get("empty", ""),
                               more_url=s.get("more_url") or None,
                               show_empty=own_always and s["key"] in ("my_requisitions", "my_prints")))
    return result


def panels(user, now):
    """The term's repair figures above the sections, for those who read the queue and have no dashboard
    (the head's and the principal's home shows these figures in "this term at a glance")."""
    if not user.has_perm("assets.view_repairrequest") or has_role(user, *DASHBOARD_ROLES):
        return []
    term = Term.objects.current()
    if term is None:
        return []
    stats = selectors.repair_stats(*term.datetime_range, now=now)
    return [Panel(key="repair_stats", template="assets/repairs/_home_stats.html", context={"stats": stats}, order=10)]
