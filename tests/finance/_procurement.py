"""Builders for the procurement tests: approved requests made directly with the models."""
import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from assets.models import AssetCategory, SupplyItem
from finance.models import BudgetLine, Invoice, LedgerEntry, PurchaseItem, PurchaseRequest
from logistics.models import Department

_numbers = itertools.count(1)


def budget_line(kind=BudgetLine.Kind.PUBLIC, name="公用经费"):
    line, _ = BudgetLine.objects.get_or_create(
        year=timezone.localdate().year, name=name,
        defaults={"kind": kind, "amount": Decimal("100000"),
                  "purpose": "teaching" if kind == BudgetLine.Kind.EARMARKED else ""})
    return line


def approved_request(requested_by, *, room, items=None, line=None, title="饮水机"):
    """An APPROVED request with items: by default 4 water dispensers (asset) and 10 boxes of chalk (supply)."""
    department, _ = Department.objects.get_or_create(name="总务处")
    category, _ = AssetCategory.objects.get_or_create(name="饮水机", defaults={"code": "A02"})
    supply, _ = SupplyItem.objects.get_or_create(name="粉笔", defaults={"unit": "盒"})
    n = next(_numbers)
    pr = PurchaseRequest.objects.create(
        number=f"CG-2026-{n:05d}", department=department, title=title, reason="夏季饮水",
        budget_line=line or budget_line(), status=PurchaseRequest.Status.APPROVED, requested_by=requested_by,
        estimated_total=Decimal("3600.00"))
    if items is None:
        items = [
            {"name": "饮水机", "quantity": 4, "unit": "台", "estimated_unit_price": Decimal("800"),
             "kind": PurchaseItem.Kind.ASSET, "asset_category": category, "location": room},
            {"name": "粉笔", "quantity": 10, "unit": "盒", "estimated_unit_price": Decimal("40"),
             "kind": PurchaseItem.Kind.SUPPLY, "supply_item": supply},
        ]
    for item in items:
        PurchaseItem.objects.create(request=pr, **item)
    return pr


def prices_of(pr, *values):
    return {item.pk: value for item, value in zip(pr.items.all(), values, strict=True)}


def ordered_request(requested_by, *, room, purchaser, second=None, prices=("750", "35")):
    from finance.services import procurement as services

    pr = approved_request(requested_by, room=room)
    return services.purchase_order(request_id=pr.pk, by=purchaser, vendor="青山电器城",
                                   ordered_on=timezone.localdate(), prices=prices_of(pr, *prices),
                                   purchaser=purchaser, second_purchaser=second)


def accepted_request(requested_by, *, room, purchaser, receiver, second=None):
    from finance.services import procurement as services

    pr = ordered_request(requested_by, room=room, purchaser=purchaser, second=second)
    return services.purchase_accept(request_id=pr.pk, by=receiver,
                                    quantities={i.pk: i.quantity for i in pr.items.all()})


def invoice_for(pr, by, *, number=None, amount=None):
    from finance.services import procurement as services

    return services.invoice_add(request_id=pr.pk, by=by, number=number or f"FP{next(_numbers):08d}",
                                issued_on=timezone.localdate(),
                                amount=amount if amount is not None else pr.accepted_total)


def entry(by, *, category, amount, date, direction=None, line=None):
    from finance.services.procurement import CATEGORY_DIRECTION

    return LedgerEntry.objects.create(date=date, direction=direction or CATEGORY_DIRECTION[category],
                                      category=category, amount=Decimal(amount), description="x",
                                      budget_line=line, created_by=by)


def signed(invoice, handler, receiver, auditor):
    from finance.services import procurement as services

    for role, user in (("handler", handler), ("receiver", receiver), ("auditor", auditor)):
        invoice = services.invoice_sign(invoice_id=invoice.pk, by=user, role=role)
    return invoice


__all__ = ["Invoice", "datetime"]
