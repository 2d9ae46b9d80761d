"""Reads of the supplies area shared by its pages and the home page, with their joins decided here."""
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.services import display_name

from ..models import Distribution, PrintRequest, Requisition, StockMovement, SupplyItem

RStatus = Requisition.Status
PStatus = PrintRequest.Status


# --- items -----------------------------------------------------------------------------------

def low_stock_q():
    return Q(stock__lt=F("low_stock_threshold"))


def supply_list(data=None):
    """Items with the filters of SupplyFilterForm (q, kind, low, inactive) applied."""
    data = data or {}
    qs = SupplyItem.objects.all()
    if not data.get("inactive"):
        qs = qs.filter(active=True)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(spec__icontains=q))
    if kind := data.get("kind"):
        qs = qs.filter(kind=kind)
    if data.get("low"):
        qs = qs.filter(low_stock_q())
    return qs.order_by("kind", "name", "spec", "pk")


def low_stock_items():
    return SupplyItem.objects.filter(low_stock_q(), active=True).order_by("kind", "name", "pk")


def movement_ledger(item):
    """An item's movements, newest first, with the people and places joined in."""
    return (StockMovement.objects.filter(item=item)
            .select_related("by", "department", "location__building")
            .order_by("-at", "-pk"))


# --- requisitions ----------------------------------------------------------------------------

def requisitions_visible_to(user):
    """All requisitions for those who handle or read them; one's own for everybody else."""
    qs = Requisition.objects.all()
    if not user.has_perm("assets.view_requisition"):
        qs = qs.filter(requested_by=user)
    return qs


def requisition_list(user, data=None):
    """Requisitions the user may read, filtered (status, department, location, q), with the rows' joins."""
    data = data or {}
    qs = (requisitions_visible_to(user)
          .select_related("department", "location__building", "requested_by", "decided_by")
          .annotate(line_count=Count("lines"), quantity_total=Coalesce(Sum("lines__quantity_requested"), 0)))
    if status := data.get("status"):
        qs = qs.filter(status=status)
    for field in ("department", "location"):
        if value := data.get(field):
            qs = qs.filter(**{field: value})
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(reason__icontains=q) | Q(lines__item__name__icontains=q)).distinct()
    return qs.order_by("-requested_at", "-pk")


def requisition_status_counts():
    return dict(Requisition.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


# --- distributions ---------------------------------------------------------------------------

def distribution_list():
    return (Distribution.objects.select_related("term", "created_by", "issued_by")
            .annotate(line_count=Count("lines"), class_count=Count("lines__location", distinct=True),
                      quantity_total=Coalesce(Sum("lines__quantity"), 0))
            .order_by("-created_at", "-pk"))


def distribution_sheet(distribution):
    """[(class, [lines])] in the building's order, for the sign-for sheet and the detail page."""
    groups = {}
    for line in distribution.lines.select_related("location__building", "item").order_by(
            "location__building__sort_order", "location__floor", "location__name", "item__kind", "item__name", "pk"):
        groups.setdefault(line.location, []).append(line)
    return list(groups.items())


# --- print and copy requests -----------------------------------------------------------------

def prints_visible_to(user):
    qs = PrintRequest.objects.all()
    if not user.has_perm("assets.view_printrequest"):
        qs = qs.filter(requested_by=user)
    return qs


def print_list(user, data=None):
    data = data or {}
    qs = prints_visible_to(user).select_related("department", "requested_by", "approved_by", "done_by")
    if status := data.get("status"):
        qs = qs.filter(status=status)
    if department := data.get("department"):
        qs = qs.filter(department=department)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-requested_at", "-pk")


def sheets_expression():
    """Sheets of paper per job in SQL: double-sided prints use half the pages (rounded up) per copy."""
    return Case(
        When(double_sided=True, then=((F("pages") + Value(1)) / Value(2)) * F("copies")),
        default=F("pages") * F("copies"),
        output_field=IntegerField(),
    )


def print_usage(term):
    """Paper used per department in a term, from printed jobs: one aggregate query.

    [{"department", "jobs", "pages", "sheets"}], most sheets first, and the totals.
    """
    start, end = term.datetime_range
    rows = list(
        PrintRequest.objects.filter(status=PStatus.DONE, done_at__gte=start, done_at__lt=end)
        .values("department__name")
        # Annotation names differ from the fields: an annotation named "pages" would shadow F("pages").
        .annotate(n_jobs=Count("pk"), n_pages=Sum(F("pages") * F("copies")), n_sheets=Sum(sheets_expression()))
        .order_by("-n_sheets", "department__name")
    )
    usage = [{"department": r["department__name"], "jobs": r["n_jobs"], "pages": r["n_pages"] or 0,
              "sheets": r["n_sheets"] or 0} for r in rows]
    totals = {key: sum(r[key] for r in usage) for key in ("jobs", "pages", "sheets")}
    return usage, totals


# --- the home page ---------------------------------------------------------------------------

def _row(url, title, meta=(), badge=None, badge_class="", warn=False):
    return {"url": url, "title": title, "meta": [m for m in meta if m], "badge": badge,
            "badge_class": badge_class, "warn": warn}


def _requisition_row(r):
    who = display_name(r.requested_by)
    return _row(reverse("assets:requisition_detail", args=[r.pk]), f"{r.number} · {r.place}",
                [r.reason, who, r.requested_at.strftime("%Y-%m-%d")], r.get_status_display(), f"b-{r.status}")


def _print_row(p):
    who = display_name(p.requested_by)
    needed = _("needed by %(day)s") % {"day": p.needed_by.strftime("%Y-%m-%d")} if p.needed_by else ""
    pages = _("%(n)s pages") % {"n": p.total_pages}
    return _row(reverse("assets:print_detail", args=[p.pk]), p.title,
                [str(p.department), pages, who, needed], p.get_status_display(), f"b-{p.status}")


def waiting_for(user, limit=10):
    """Sections of supplies work waiting for this user, for the home page.

    Each is {"key", "title", "rows", "empty"}; rows are plain dicts {url, title, meta, badge, badge_class,
    warn}, made into the home page's rows by assets.home. A constant number of queries.
    """
    sections = []
    if user.has_perm("assets.issue_requisition"):
        rows = (Requisition.objects.filter(status=RStatus.SUBMITTED)
                .select_related("department", "location", "requested_by").order_by("requested_at", "pk")[:limit])
        sections.append({"key": "requisitions_to_issue", "title": _("Requisitions to issue"),
                         "rows": [_requisition_row(r) for r in rows], "empty": _("No requisition is waiting.")})
    if user.has_perm("assets.approve_printrequest"):
        rows = (PrintRequest.objects.filter(status=PStatus.SUBMITTED)
                .select_related("department", "requested_by").order_by("requested_at", "pk")[:limit])
        sections.append({"key": "prints_to_approve", "title": _("Print jobs to approve"),
                         "rows": [_print_row(p) for p in rows], "empty": _("No print job needs approval.")})
    if user.has_perm("assets.do_printrequest"):
        rows = (PrintRequest.objects.filter(status=PStatus.APPROVED)
                .select_related("department", "requested_by")
                .order_by(F("needed_by").asc(nulls_last=True), "requested_at", "pk")[:limit])
        sections.append({"key": "prints_to_do", "title": _("Print jobs to do"),
                         "rows": [_print_row(p) for p in rows], "empty": _("Nothing to print.")})
    if user.has_perm("assets.add_stockmovement") or user.has_perm("assets.approve_printrequest"):
        rows = low_stock_items()[:limit]
        sections.append({"key": "low_stock", "title": _("Low stock"), "rows": [
            _row(reverse("assets:supply_detail", args=[i.pk]), str(i),
                 [_("%(n)s %(unit)s left, warn below %(limit)s")
                  % {"n": i.stock, "unit": i.unit, "limit": i.low_stock_threshold}],
                 _("Low stock"), "b-overdue", warn=True)
            for i in rows], "empty": _("Every item is above its warning level.")})
    if user.has_perm("assets.add_requisition"):
        rows = (Requisition.objects.filter(requested_by=user, status=RStatus.SUBMITTED)
                .select_related("department", "location", "requested_by").order_by("-requested_at", "-pk")[:limit])
        sections.append({"key": "my_requisitions", "title": _("My open requisitions"),
                         "rows": [_requisition_row(r) for r in rows], "empty": _("You have no open requisitions.")})
    if user.has_perm("assets.add_printrequest"):
        rows = (PrintRequest.objects.filter(requested_by=user, status__in=[PStatus.SUBMITTED, PStatus.APPROVED])
                .select_related("department", "requested_by").order_by("-requested_at", "-pk")[:limit])
        sections.append({"key": "my_prints", "title": _("My open print jobs"),
                         "rows": [_print_row(p) for p in rows], "empty": _("You have no print jobs waiting.")})
    return sections
