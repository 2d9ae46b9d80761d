"""Reads of budget lines and purchase requests shared by the lists, the inbox, the budget pages and
the home page; each decides its page's query count here."""
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.services import display_name, format_money

from ..models import Approval, BudgetLine, PurchaseRequest

Status = PurchaseRequest.Status
ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)

# Who sees every request (everyone else: their own and their department's, if they head it).
READ_ALL_PERM = "finance.view_purchaserequest"


def budget_figures(lines):
    """{line pk: {"budget", "committed", "spent", "remaining"}} for the given lines, in one query.

    The rule: committed is money approved and not yet paid — requests in PurchaseRequest.COMMITTED
    (approved, ordered, accepted), each counted at its order total once ordered, else its estimate.
    Spent is paid requests, each counted at the best-known figure: the accepted total, else the order
    total, else the estimate. Remaining = budget − committed − spent (negative when overspent).
    """
    lines = list(lines)
    ids = [line.pk for line in lines]
    rows = {}
    if ids:
        rows = {r["budget_line"]: r for r in (
            PurchaseRequest.objects.filter(budget_line__in=ids)
            .values("budget_line")
            .annotate(
                committed=Sum(Coalesce("order_total", "estimated_total", output_field=_MONEY),
                              filter=Q(status__in=PurchaseRequest.COMMITTED)),
                spent=Sum(Coalesce("accepted_total", "order_total", "estimated_total", output_field=_MONEY),
                          filter=Q(status=Status.PAID)),
            ).order_by())}
    figures = {}
    for line in lines:
        row = rows.get(line.pk, {})
        # SQLite's SUM drops the scale: always two decimal places, as money is shown.
        committed = (row.get("committed") or ZERO).quantize(ZERO)
        spent = (row.get("spent") or ZERO).quantize(ZERO)
        figures[line.pk] = {"budget": line.amount, "committed": committed, "spent": spent,
                            "remaining": line.amount - committed - spent}
    return figures


def budget_lines_with_figures(qs=None):
    """Budget lines (this year first) each with .figures attached: two queries."""
    lines = list(qs if qs is not None else BudgetLine.objects.all())
    figures = budget_figures(lines)
    for line in lines:
        line.figures = figures[line.pk]
    return lines


def visible_requests(user):
    """The requests this user may read: all for logistics, head, principal, finance and the auditor;
    otherwise the user's own and those of departments the user heads."""
    qs = PurchaseRequest.objects.all()
    if not user.has_perm(READ_ALL_PERM):
        qs = qs.filter(Q(requested_by=user) | Q(department__head=user))
    return qs


def purchase_list(user):
    return visible_requests(user).select_related("department", "requested_by", "budget_line")


def filter_purchases(qs, data):
    """Apply a PurchaseFilterForm's cleaned data."""
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("department"):
        qs = qs.filter(department=data["department"])
    if data.get("budget_line"):
        qs = qs.filter(budget_line=data["budget_line"])
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(reason__icontains=q)
                       | Q(items__name__icontains=q)).distinct()
    return qs


def waiting_statuses(user):
    """The statuses whose step this user may decide."""
    return [PurchaseRequest.STEP_STATUS[step] for step in PurchaseRequest.STEPS
            if user.has_perm(PurchaseRequest.STEP_PERM[step])]


INBOX_PAGE_SIZE = 25


def inbox(user, number=None, size=INBOX_PAGE_SIZE):
    """The page `number` of the requests waiting for this user's step (never their own), oldest first, with
    items, quotes, approvals and each budget line's figures; page.total is the estimate of all of them, the
    paginator's count theirs (one aggregate). A fixed number of queries whatever the rows."""
    statuses = waiting_statuses(user)
    waiting = (PurchaseRequest.objects.filter(status__in=statuses).exclude(requested_by=user) if statuses
               else PurchaseRequest.objects.none())
    summary = waiting.aggregate(n=Count("pk"), total=Sum("estimated_total")) if statuses else {}
    paginator = Paginator(
        waiting.select_related("department", "requested_by", "budget_line", "chosen_quote")
        .prefetch_related("items", "quotes", Prefetch("approvals", queryset=Approval.objects.select_related("by")))
        .order_by("submitted_at", "pk"), size)
    paginator.__dict__["count"] = summary.get("n") or 0  # counted above: the paginator does not count again
    page = paginator.get_page(number)
    rows = list(page.object_list) if summary.get("n") else []
    page.object_list = rows
    page.total = summary.get("total") or ZERO
    lines = {r.budget_line_id: r.budget_line for r in rows if r.budget_line_id}
    figures = budget_figures(lines.values())
    for r in rows:
        r.line_figures = figures.get(r.budget_line_id)
        r.over_budget = bool(r.line_figures and r.estimated_total > r.line_figures["remaining"])
    return page


def waiting_for(user, limit=10):
    """The home page's section of purchases waiting for this user's decision (empty list if none apply)."""
    statuses = waiting_statuses(user)
    if not statuses:
        return []
    today = timezone.localdate()
    qs = (PurchaseRequest.objects.filter(status__in=statuses).exclude(requested_by=user)
          .select_related("department", "requested_by").order_by("submitted_at", "pk")[:limit])
    rows = []
    for r in qs:
        rows.append({
            "url": reverse("finance:purchase_detail", args=[r.pk]),
            "title": f"{r.number} · {r.title}",
            "meta": " · ".join([str(r.department), format_money(r.estimated_total), display_name(r.requested_by),
                                r.get_status_display()]),
            "overdue": bool(r.needed_by and r.needed_by < today),
        })
    return [{"key": "purchases_to_approve", "title": _("Purchases to approve"), "rows": rows,
             "empty": _("No purchase is waiting for you.")}]
