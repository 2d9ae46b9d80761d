"""The home page ("what waits for me") and the health check."""
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assets import selectors as repair_selectors
from assets import services as repair_services
from assets.models import RepairRequest
from assets.selectors import movements as movement_selectors
from assets.selectors import supplies as supply_selectors
from finance.selectors import procurement as procurement_selectors
from finance.selectors import purchases as purchase_selectors

from .models import Term

Status = RepairRequest.Status
DECISION_SECTIONS = {"purchases_to_approve", "invoices_to_sign", "invoices_to_pay", "writeoffs",
                     "prints_to_approve", "requisitions_to_issue", "prints_to_do", "to_order", "to_accept"}


@login_required
def home(request):
    """Each role sees first what waits for it."""
    user = request.user
    now = timezone.now()
    base = RepairRequest.objects.select_related("location__building", "reporter", "assignee")
    sections = []

    mine = base.filter(reporter=user)
    is_head = user.has_perm("assets.assign_repairrequest")
    is_worker = repair_services.can_work(user)

    to_confirm = list(mine.filter(status=Status.DONE)[:10])
    if to_confirm:
        sections.append({"key": "confirm", "title": _("Fixed — please confirm"), "rows": to_confirm,
                         "hint": _("Logistics says these are fixed. Check and confirm, or reopen.")})
    if is_head:
        sections.append({"key": "assign", "title": _("Waiting to be assigned"),
                         "rows": list(base.filter(status=Status.REPORTED).order_by("due_at")[:20]),
                         "empty": _("Every request has a worker.")})
    if is_worker:
        my_work = list(base.filter(assignee=user, status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
                       .order_by("due_at")[:20])
        checks = list(repair_selectors.check_tasks_for(user)[:10])
        # A head who also repairs sees their own work only when there is some.
        if my_work or not is_head:
            sections.append({"key": "my_work", "title": _("My repair work"), "rows": my_work,
                             "empty": _("Nothing is assigned to you.")})
        if checks or not is_head:
            sections.append({"key": "checks", "title": _("Checks to do"), "rows": checks,
                             "empty": _("No checks are due.")})
        if not is_head:
            sections.append({"key": "take", "title": _("Not yet taken"),
                             "rows": list(base.filter(status=Status.REPORTED).order_by("due_at")[:10]),
                             "empty": _("Nothing is waiting.")})
    if user.has_perm("assets.view_repairrequest"):
        sections.append({"key": "overdue", "title": _("Overdue repairs"),
                         "rows": list(base.overdue(now).order_by("due_at")[:10]),
                         "empty": _("Nothing is overdue.")})
    my_open = list(mine.filter(status__in=[Status.REPORTED, Status.ASSIGNED, Status.IN_PROGRESS])[:10])
    sections.append({"key": "my_open", "title": _("My open requests"), "rows": my_open,
                     "empty": _("You have no open requests.")})

    # The other areas' work, only where there is some: an empty "low stock" says nothing to anyone.
    # Decisions others wait for come first (after "please confirm" and "to assign"); the rest go
    # before the user's own open requests.
    others = (purchase_selectors.waiting_for(user) + procurement_selectors.waiting_for(user)
              + movement_selectors.waiting_for(user) + supply_selectors.waiting_for(user))
    decisions = [s for s in others if s["rows"] and s["key"] in DECISION_SECTIONS]
    rest = [s for s in others if s["rows"] and s["key"] not in DECISION_SECTIONS]
    for section in others:
        section.setdefault("template", "logistics/_home_rows.html")
    first = next((i for i, s in enumerate(sections) if s["key"] not in ("confirm", "assign")), len(sections))
    sections[first:first] = decisions
    sections[-1:-1] = rest

    stats = None
    term = Term.objects.current()
    if term and user.has_perm("assets.view_repairrequest"):
        stats = repair_selectors.repair_stats(*term.datetime_range, now=now)
    return render(request, "logistics/home.html", {
        "sections": sections, "term": term, "stats": stats, "now": now,
    })


@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise. For the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database error means "take me out of rotation"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
