"""Reads of loans, damage and write-offs shared by their pages and the home page."""
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.services import display_name, format_money

from ..models import AssetLoan, DamageRecord, WriteOff


def loan_list():
    """Loans with what a list row shows joined in."""
    return AssetLoan.objects.select_related("asset__location", "borrower").order_by("-lent_on", "-pk")


def overdue_loans(qs=None):
    qs = loan_list() if qs is None else qs
    return qs.filter(status=AssetLoan.Status.OUT, due_on__lt=timezone.localdate())


def filter_loans(qs, data):
    """Apply LoanFilterForm's cleaned data: status (out / returned / overdue) and borrower or asset text."""
    status = data.get("status")
    if status == "overdue":
        qs = overdue_loans(qs)
    elif status:
        qs = qs.filter(status=status)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(borrower_name__icontains=q) | Q(borrower__first_name__icontains=q)
                       | Q(borrower__username__icontains=q) | Q(asset__tag__icontains=q)
                       | Q(asset__name__icontains=q))
    return qs


def damage_list():
    return DamageRecord.objects.select_related("asset__location", "recorded_by").order_by("-occurred_on", "-pk")


def writeoff_list():
    return (WriteOff.objects.select_related("asset__category", "requested_by")
            .annotate(photo_count=Count("photos")).order_by("-requested_at", "-pk"))


def writeoffs_awaiting(user, qs=None):
    """Write-offs whose next decision is this user's (never their own requests)."""
    qs = writeoff_list() if qs is None else qs
    steps = Q(pk__in=[])
    if user.has_perm("assets.decide_writeoff"):
        steps |= Q(status=WriteOff.Status.SUBMITTED)
    if user.has_perm("assets.decide_writeoff_principal"):
        steps |= Q(status=WriteOff.Status.HEAD_APPROVED)
    return qs.filter(steps).exclude(requested_by=user)


def waiting_for(user):
    """Sections for the home page: write-offs awaiting this user's decision, overdue loans.

    Each section: {"key", "title", "rows": [{"title", "meta", "url", "overdue"}], "empty", "more_url"};
    a section appears only for users whose role acts on it.
    """
    sections = []
    if user.has_perm("assets.decide_writeoff") or user.has_perm("assets.decide_writeoff_principal"):
        rows = [{
            "title": f"{w.asset.tag} {w.asset.name} × {w.quantity}",
            "meta": _("%(value)s · asked by %(who)s") % {
                "value": format_money(w.value), "who": display_name(w.requested_by)},
            "url": reverse("assets:writeoff_detail", args=[w.pk]),
            "overdue": False,
        } for w in writeoffs_awaiting(user)[:20]]
        sections.append({"key": "writeoffs", "title": _("Write-offs awaiting your decision"), "rows": rows,
                         "empty": _("No write-off is waiting for you."),
                         "more_url": reverse("assets:writeoff_list") + "?status=mine"})
    if user.has_perm("assets.change_assetloan"):
        rows = [{
            "title": f"{loan.asset.tag} {loan.asset.name} × {loan.quantity}",
            "meta": _("%(who)s · due %(due)s") % {"who": loan.borrower_display, "due": loan.due_on},
            "url": reverse("assets:loan_detail", args=[loan.pk]),
            "overdue": True,
        } for loan in overdue_loans().order_by("due_on", "pk")[:20]]
        sections.append({"key": "overdue_loans", "title": _("Overdue loans"), "rows": rows,
                         "empty": _("No loan is overdue."),
                         "more_url": reverse("assets:loan_list") + "?status=overdue"})
    return sections
