"""Reads of fees collected on behalf and student aid that several pages (and the print) share."""
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.models import Location, Term
from logistics.services import format_money

from ..models import AidApplication, AidPublication, FeeClass, FeeItem, FeeSpending

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
    paying: int  # pupils expected to pay (pupils − exempt)
    expected: Decimal
    difference: Decimal
    paid: int = 0  # pupils who paid: the refund goes to them
    refund: Decimal = ZERO


@dataclass
class Settlement:
    """Everything the notice and the settlement say, worked out once."""

    lines: list = field(default_factory=list)
    pupils: int = 0
    exempt: int = 0
    paying: int = 0
    paid: int = 0
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


def pupils_paid(row, amount_per_pupil):
    """How many of a class's pupils paid: whole payments in what was collected, at most those expected to pay."""
    if amount_per_pupil <= 0:
        return 0
    return min(row.pupils - row.exempt, int(row.collected // amount_per_pupil))


def fee_settlement(fee, classes=None, spendings=None):
    """Expected and collected per class, spent, and the refund per pupil (floored to the cent) and per class.

    The balance goes back to the pupils who paid, not to every pupil expected to pay: a class that
    collected 600 yuan of a 15-yuan fee from 40 of its 41 paying pupils is refunded for 40."""
    classes = list(classes if classes is not None else fee.classes.select_related("location__building"))
    spendings = list(spendings if spendings is not None else fee.spendings.all())
    s = Settlement()
    for row in classes:
        paying = row.pupils - row.exempt
        expected = fee.amount_per_pupil * paying
        paid = pupils_paid(row, fee.amount_per_pupil)
        s.lines.append(ClassLine(row=row, paying=paying, expected=expected, difference=row.collected - expected,
                                 paid=paid))
        s.pupils += row.pupils
        s.exempt += row.exempt
        s.paying += paying
        s.paid += paid
        s.expected += expected
        s.collected += row.collected
    s.spent = sum((x.amount for x in spendings), ZERO)
    s.balance = s.collected - s.spent
    s.refund_per_pupil = refund_per_pupil(s.balance, s.paid)
    for line in s.lines:
        line.refund = s.refund_per_pupil * line.paid
    s.refund_total = s.refund_per_pupil * s.paid
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


def aid_publication(term, decided_by=None):
    """The approved and paid aid of a term, for the public list: masked names, class, category, amount;
    decided_by (a datetime): only what was decided by then (what a publication opened then shows)."""
    qs = AidApplication.objects.filter(term=term, status__in=[AidApplication.Status.APPROVED,
                                                               AidApplication.Status.PAID])
    if decided_by is not None:
        qs = qs.filter(decided_at__lte=decided_by)
    return qs.select_related("location__building").order_by("location__floor", "location__name", "category", "pk")


def school_days_from(first, count):
    """The school day that is the count-th counting from first (first counts if it is one), on the school
    calendar: weekdays inside a term. None when the calendar has fewer school days ahead."""
    terms = list(Term.objects.filter(end__gte=first).order_by("start").values_list("start", "end"))
    found, day = 0, first
    for start, end in terms:
        day = max(start, day)  # terms that overlap count their days once
        while day <= end:
            if day.weekday() < 5:
                found += 1
                if found == count:
                    return day
            day += datetime.timedelta(days=1)
    return None


def aid_publications(term):
    """A term's aid publications, the latest first."""
    return AidPublication.objects.filter(term=term).select_related("published_by")


def aid_waiting_for(user, limit=10):
    """The home page's sections of student aid waiting for this user: applications to decide (for the
    role the school chose, never one's own) and approved aid to pay (finance)."""
    sections = []
    deciders = [d for d, perm in AidApplication.DECIDER_PERM.items() if user.has_perm(perm)]
    qs = AidApplication.objects.select_related("location__building").order_by("submitted_at", "pk")
    if deciders:
        rows = qs.filter(status=AidApplication.Status.SUBMITTED, decider__in=deciders) \
            .exclude(submitted_by=user)[:limit]
        sections.append({"key": "aid_to_decide", "title": _("Student aid to decide"), "more_url": reverse(
            "finance:aid_list") + "?status=submitted", "rows": [_aid_row(a) for a in rows]})
    if user.has_perm("finance.pay_aid"):
        rows = qs.filter(status=AidApplication.Status.APPROVED).exclude(submitted_by=user) \
            .exclude(decided_by=user)[:limit]
        sections.append({"key": "aid_to_pay", "title": _("Student aid to pay"), "more_url": reverse(
            "finance:aid_list") + "?status=approved", "rows": [_aid_row(a) for a in rows]})
    return sections


def _aid_row(a):
    return {"url": reverse("finance:aid_detail", args=[a.pk]), "title": f"{a.pupil_name} · {a.location.name}",
            "meta": [a.get_category_display(), format_money(a.amount)]}
