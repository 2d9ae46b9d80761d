"""Reads of fees collected on behalf and student aid that several pages (and the print) share."""
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from logistics.models import Location

from ..models import AidApplication, FeeClass, FeeItem, FeeSpending

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def classrooms():
    """The classes a fee or an application can concern: classrooms in use, in the school's order."""
    return Location.objects.filter(kind=Location.Kind.CLASSROOM, active=True).select_related("building")


def _sum_of(model, column):
    rows = (model.objects.filter(fee=OuterRef("pk")).order_by().values("fee")
            .annotate(total=Sum(column)).values("total"))
    return Coalesce(Subquery(rows, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def fee_list(filters=None):
    """Fees with their term and totals (collected, spent) in one query, filtered by term and status."""
    qs = (FeeItem.objects.select_related("term")
          .annotate(total_collected=_sum_of(FeeClass, "collected"), total_spent=_sum_of(FeeSpending, "amount")))
    filters = filters or {}
    if filters.get("term"):
        qs = qs.filter(term=filters["term"])
    status = filters.get("status")
    if status == "draft":
        qs = qs.filter(published=False, settled_at__isnull=True)
    elif status == "published":
        qs = qs.filter(published=True, settled_at__isnull=True)
    elif status == "settled":
        qs = qs.filter(settled_at__isnull=False)
    return qs


@dataclass
class ClassLine:
    row: FeeClass
    paying: int
    expected: Decimal
    difference: Decimal
    refund: Decimal = ZERO


@dataclass
class Settlement:
    """Everything the notice and the settlement say, worked out once."""

    lines: list = field(default_factory=list)
    pupils: int = 0
    exempt: int = 0
    paying: int = 0
    expected: Decimal = ZERO
    collected: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    refund_per_pupil: Decimal = ZERO
    refund_total: Decimal = ZERO
    remainder: Decimal = ZERO
    shortfall: Decimal = ZERO


def refund_per_pupil(balance, paying_pupils):
    """What each paying pupil gets back: the balance shared out, floored to the cent, never negative."""
    if balance <= 0 or paying_pupils <= 0:
        return ZERO
    return (Decimal(balance) / paying_pupils).quantize(CENT, rounding=ROUND_FLOOR)


def fee_settlement(fee, classes=None, spendings=None):
    """Expected and collected per class, spent, and the refund per pupil (floored to the cent) and per class."""
    classes = list(classes if classes is not None else fee.classes.select_related("location__building"))
    spendings = list(spendings if spendings is not None else fee.spendings.all())
    s = Settlement()
    for row in classes:
        paying = row.pupils - row.exempt
        expected = fee.amount_per_pupil * paying
        s.lines.append(ClassLine(row=row, paying=paying, expected=expected, difference=row.collected - expected))
        s.pupils += row.pupils
        s.exempt += row.exempt
        s.paying += paying
        s.expected += expected
        s.collected += row.collected
    s.spent = sum((x.amount for x in spendings), ZERO)
    s.balance = s.collected - s.spent
    s.refund_per_pupil = refund_per_pupil(s.balance, s.paying)
    for line in s.lines:
        line.refund = s.refund_per_pupil * line.paying
    s.refund_total = s.refund_per_pupil * s.paying
    if s.balance > 0:
        s.remainder = s.balance - s.refund_total
    else:
        s.shortfall = -s.balance
    return s


def aid_list(filters=None):
    """Applications with what their rows show, filtered by term, status, category and class."""
    qs = AidApplication.objects.select_related("term", "location__building", "submitted_by", "decided_by")
    filters = filters or {}
    for key, lookup in (("term", "term"), ("status", "status"), ("category", "category"),
                        ("location", "location")):
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    return qs


def aid_publication(term):
    """The approved and paid aid of a term, for the public list: masked names, class, category, amount."""
    return (AidApplication.objects.filter(term=term, status__in=[AidApplication.Status.APPROVED,
                                                                  AidApplication.Status.PAID])
            .select_related("location__building").order_by("location__floor", "location__name", "category", "pk"))
