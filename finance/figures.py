"""Finance's figures for a term (logistics.modules: term_figures), all the term summary reads of finance.

Chapter "finance_assets" (财务与校产管理): purchases approved and their total, spending by budget line
and earmarked money used for its purpose, fees collected, published and refunded, aid paid.
A constant number of queries, whatever the number of records.
"""
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from logistics.modules import Figure

from .models import AidApplication, BudgetLine, FeeClass, FeeItem, LedgerEntry, PurchaseRequest

ZERO = Decimal("0.00")
YUAN = _("yuan")
S = PurchaseRequest.Status
APPROVED_OR_LATER = (S.APPROVED, S.ORDERED, S.ACCEPTED, S.PAID)


def term_figures(term):
    start, end = term.datetime_range
    purchases = PurchaseRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        submitted=Count("pk"),
        approved=Count("pk", filter=Q(status__in=APPROVED_OR_LATER)),
        approved_total=Coalesce(Sum("estimated_total", filter=Q(status__in=APPROVED_OR_LATER)), ZERO),
        rejected=Count("pk", filter=Q(status=S.REJECTED)))
    expense = LedgerEntry.objects.filter(date__gte=term.start, date__lte=term.end,
                                         direction=LedgerEntry.Direction.EXPENSE)
    spent = expense.aggregate(total=Coalesce(Sum("amount"), ZERO),
                              earmarked=Coalesce(Sum("amount", filter=Q(budget_line__kind=BudgetLine.Kind.EARMARKED)),
                                                 ZERO))
    fees = FeeClass.objects.filter(fee__term=term).aggregate(
        collected=Coalesce(Sum("collected"), ZERO),
        pupils=Coalesce(Sum(F("pupils") - F("exempt")), 0))
    fee_items = FeeItem.objects.filter(term=term).aggregate(
        items=Count("pk"), published=Count("pk", filter=Q(published=True)),
        settled=Count("pk", filter=Q(settled_at__isnull=False)))
    aid = AidApplication.objects.filter(term=term).aggregate(
        paid=Count("pk", filter=Q(status=AidApplication.Status.PAID)),
        paid_total=Coalesce(Sum("amount", filter=Q(status=AidApplication.Status.PAID)), ZERO))
    figures = [
        Figure("purchases.submitted", _("purchase requests"), purchases["submitted"], chapter="finance_assets",
               order=10),
        Figure("purchases.approved", _("purchases approved"), purchases["approved"], chapter="finance_assets",
               order=11),
        Figure("purchases.approved_total", _("total of purchases approved"), purchases["approved_total"], YUAN,
               chapter="finance_assets", order=12),
        Figure("purchases.rejected", _("purchases rejected"), purchases["rejected"], chapter="finance_assets",
               order=13),
        Figure("spending.total", _("money spent"), spent["total"], YUAN, chapter="finance_assets", order=20),
        Figure("spending.earmarked", _("earmarked money spent for its purpose"), spent["earmarked"], YUAN,
               chapter="finance_assets", order=21),
        Figure("fees.items", _("fees collected on behalf"), fee_items["items"], chapter="finance_assets", order=30),
        Figure("fees.published", _("fees published to parents"), fee_items["published"], chapter="finance_assets",
               order=31),
        Figure("fees.settled", _("fees settled"), fee_items["settled"], chapter="finance_assets", order=32),
        Figure("fees.collected", _("money collected on behalf"), fees["collected"], YUAN, chapter="finance_assets",
               order=33),
        Figure("aid.paid", _("pupils given aid"), aid["paid"], chapter="finance_assets", order=40),
        Figure("aid.paid_total", _("aid paid"), aid["paid_total"], YUAN, chapter="finance_assets", order=41),
    ]
    return figures
