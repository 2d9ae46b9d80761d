"""Reads of ordering, acceptance, invoices and the ledger shared by pages, the home page and the reports."""
import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.services import format_money

from ..models import Invoice, LedgerEntry, PurchaseRequest

RStatus = PurchaseRequest.Status
IStatus = Invoice.Status
Cat = LedgerEntry.Category
Dir = LedgerEntry.Direction

# The lines of the monthly report (月报), in the order printed: key, label, direction, category.
REPORT_LINES = [
    ("funds", gettext_lazy("Funds received"), Dir.INCOME, Cat.FUNDS),
    ("fees", gettext_lazy("Fees collected"), Dir.INCOME, Cat.FEES),
    ("damages", gettext_lazy("Compensation received"), Dir.INCOME, Cat.DAMAGES),
    ("other_income", gettext_lazy("Other income"), Dir.INCOME, None),
    ("office", gettext_lazy("Office expenses"), Dir.EXPENSE, Cat.OFFICE),
    ("service", gettext_lazy("Service charges"), Dir.EXPENSE, Cat.SERVICE),
    ("purchases", gettext_lazy("Purchases paid"), Dir.EXPENSE, Cat.PURCHASE),
    ("fee_spent", gettext_lazy("Fees spent"), Dir.EXPENSE, Cat.FEE_SPENT),
    ("refunds", gettext_lazy("Refunds"), Dir.EXPENSE, Cat.REFUND),
    ("aid", gettext_lazy("Student aid paid"), Dir.EXPENSE, Cat.AID),
    ("other_expense", gettext_lazy("Other expenses"), Dir.EXPENSE, None),
]


def request_for_procurement():
    return PurchaseRequest.objects.select_related(
        "department", "budget_line", "requested_by", "purchaser", "second_purchaser", "received_by")


def invoices():
    """Invoices with their request and signers: the list's rows cost no further queries."""
    return Invoice.objects.select_related("request", "handler", "receiver", "auditor", "paid_by", "recorded_by")


def invoice_list(*, status=""):
    qs = invoices()
    if status == "differs":
        return [i for i in qs if i.amount_differs]
    if status in IStatus.values:
        qs = qs.filter(status=status)
    return qs


def mark_differences(rows):
    """Set .differs on each invoice of a page (their requests are already loaded)."""
    for invoice in rows:
        invoice.differs = invoice.amount_differs
    return rows


def ledger_entries(*, month=None, direction="", category="", budget_line=None):
    """Ledger entries filtered as the list page asks; month is a date within the month."""
    qs = LedgerEntry.objects.select_related("budget_line", "invoice", "created_by")
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(date__gte=start, date__lt=end)
    if direction:
        qs = qs.filter(direction=direction)
    if category:
        qs = qs.filter(category=category)
    if budget_line is not None:
        qs = qs.filter(budget_line=budget_line)
    return qs


def ledger_totals(qs):
    """{"income", "expense", "net"} of a filtered ledger in one query."""
    sums = qs.order_by().aggregate(income=Sum("amount", filter=Q(direction=Dir.INCOME)),
                                   expense=Sum("amount", filter=Q(direction=Dir.EXPENSE)))
    income = sums["income"] or Decimal("0.00")
    expense = sums["expense"] or Decimal("0.00")
    return {"income": income, "expense": expense, "net": income - expense}


def month_bounds(day):
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def monthly_report(month):
    """The month's figures: {"start", "end", "lines": [{key,label,direction,amount,count}], totals}."""
    start, end = month_bounds(month)
    fixed = {cat for _k, _l, _d, cat in REPORT_LINES if cat}
    rows = (LedgerEntry.objects.filter(date__gte=start, date__lt=end).order_by()
            .values("direction", "category").annotate(total=Sum("amount")))
    by_key = {}
    for row in rows:
        cat = row["category"] if row["category"] in fixed else None
        key = (row["direction"], cat)
        by_key[key] = by_key.get(key, Decimal("0.00")) + row["total"]
    lines = []
    for key, label, direction, category in REPORT_LINES:
        amount = by_key.get((direction, category), Decimal("0.00"))
        lines.append({"key": key, "label": label, "direction": direction, "amount": amount})
    income = sum((ln["amount"] for ln in lines if ln["direction"] == Dir.INCOME), Decimal("0.00"))
    expense = sum((ln["amount"] for ln in lines if ln["direction"] == Dir.EXPENSE), Decimal("0.00"))
    entries = list(ledger_entries(month=start).order_by("date", "pk"))
    return {"start": start, "end": end - datetime.timedelta(days=1), "lines": lines,
            "figures": {ln["key"]: ln["amount"] for ln in lines},
            "income": income, "expense": expense, "net": income - expense, "entries": entries}


# --- the home page -------------------------------------------------------------------------------

def _request_row(pr, url):
    return {"url": url, "title": f"{pr.number} {pr.title}",
            "meta": f"{pr.department.name} · "
                    f"{format_money(pr.order_total if pr.order_total is not None else pr.estimated_total)}",
            "overdue": False}


def _invoice_row(invoice):
    meta = f"{invoice.request.number} · {format_money(invoice.amount)}"
    differs = invoice.amount_differs
    if differs:
        meta += " · " + _("differs from the accepted total")
    return {"url": reverse("finance:invoice_detail", args=[invoice.pk]), "title": invoice.number, "meta": meta,
            "overdue": differs}


def waiting_for(user, limit=10):
    """Sections for the home page: requests to order or accept, invoices to sign, invoices to pay."""
    sections = []
    if user.has_perm("finance.order_purchase"):
        qs = request_for_procurement().filter(status=RStatus.APPROVED).order_by("created_at", "pk")[:limit]
        sections.append({"key": "to_order", "title": _("Purchases to order"),
                         "rows": [_request_row(pr, reverse("finance:order_record", args=[pr.pk])) for pr in qs],
                         "empty": _("No approved purchase is waiting to be ordered.")})
        qs = (request_for_procurement().filter(status=RStatus.ORDERED).exclude(purchaser=user)
              .exclude(second_purchaser=user).order_by("ordered_on", "pk")[:limit])
        sections.append({"key": "to_accept", "title": _("Goods to accept"),
                         "rows": [_request_row(pr, reverse("finance:order_record", args=[pr.pk])) for pr in qs],
                         "empty": _("No delivery is waiting for acceptance.")})
    if any(Invoice.role_may_sign(user, role) for role in Invoice.SIGN_ROLES):
        signable = Q()
        for role in Invoice.SIGN_ROLES:
            if Invoice.role_may_sign(user, role):
                signable |= Q(**{f"{role}__isnull": True})
        qs = (invoices().filter(status=IStatus.AWAITING_SIGNATURES).filter(signable)
              .exclude(handler=user).exclude(receiver=user).exclude(auditor=user)
              .order_by("issued_on", "pk")[:limit])
        sections.append({"key": "invoices_to_sign", "title": _("Invoices to sign"),
                         "rows": [_invoice_row(i) for i in qs], "empty": _("No invoice needs your signature.")})
    if user.has_perm("finance.pay_invoice"):
        qs = invoices().filter(status=IStatus.SIGNED).order_by("issued_on", "pk")[:limit]
        sections.append({"key": "invoices_to_pay", "title": _("Invoices to pay"),
                         "rows": [_invoice_row(i) for i in qs], "empty": _("No signed invoice is waiting.")})
    return sections
