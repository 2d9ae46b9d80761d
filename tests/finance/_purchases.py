"""Helpers of the purchase tests: budget lines, departments and requests built through the services."""
from decimal import Decimal

from django.utils import timezone

from finance.models import BudgetLine, Purpose
from finance.services import purchases as services
from logistics.models import Department


def line(name="公用经费 办公经费", amount="100000", kind=BudgetLine.Kind.PUBLIC, purpose=""):
    return BudgetLine.objects.get_or_create(year=timezone.localdate().year, name=name, defaults={
        "kind": kind, "purpose": purpose, "amount": Decimal(amount)})[0]


def dept(name="语文组", head=None):
    return Department.objects.get_or_create(name=name, defaults={"head": head})[0]


def item(name="饮水机", qty=1, price="100", **extra):
    return {"name": name, "quantity": qty, "estimated_unit_price": price, "unit": "台", "kind": "asset", **extra}


def draft(user, total="1000", budget_line=None, purpose=Purpose.OFFICE, title="饮水机", department=None, **kw):
    return services.purchase_create(
        by=user, department=department or dept(), title=title, reason="老化漏水", purpose=purpose,
        budget_line=budget_line if budget_line is not None else line(), items=[item(title, 1, total)], **kw)


def submitted(user, total="1000", **kw):
    """A request sent for approval; above the quotes limit it gets its three quotes first (三家报价)."""
    p = draft(user, total, **kw)
    if services.quotes_required(p.estimated_total):
        three_quotes(p, user)
    return services.purchase_submit(request_id=p.pk, by=user)


def three_quotes(p, by, amounts=("9000", "9500", "9800")):
    for vendor, amount in zip(["甲公司", "乙公司", "丙公司"], amounts, strict=True):
        services.purchase_quote_add(request_id=p.pk, by=by, vendor=vendor, amount=amount)


def reasons(p):
    from logistics.history import history_timeline
    return [e["reason"] for e in history_timeline(p)]
