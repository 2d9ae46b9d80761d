"""Finance's figures and charts for a term (logistics.modules: term_figures, term_charts), all the term
summary and the home dashboards read of finance.

Chapter "finance_assets" (财务与校产管理): purchases approved and their total, spending by budget line
and earmarked money used for its purpose, fees collected, published and refunded, aid paid; the chart of
spending against budget. Chapter "outlook" (存在的不足与下学期打算): the open items (carry), the term's
records still open as they stand now, and the budget lines of the term's year nearly used up.
Each function takes a constant number of queries, whatever the number of records.
"""
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Bar, Chart, Figure

from .models import AidApplication, BudgetLine, FeeClass, FeeItem, Invoice, LedgerEntry, PurchaseRequest
from .selectors.purchases import budget_figures

ZERO = Decimal("0.00")
YUAN = _("yuan")
S = PurchaseRequest.Status
APPROVED_OR_LATER = (S.APPROVED, S.ORDERED, S.ACCEPTED, S.PAID)
PRINCIPAL, FINANCE = roles.PRINCIPAL, roles.FINANCE
# A budget line is "low" when less than this share of it is left (remaining, as budget_figures counts it).
LOW_SHARE = Decimal("0.10")


def budget_year(term):
    """The budget year a term falls in: the year of its first day (an autumn term's January stays in it)."""
    return term.start.year


def _year_lines(term):
    """The budget lines of the term's year, by name, each with its figures (budget_figures): two queries."""
    lines = list(BudgetLine.objects.filter(year=budget_year(term)).order_by("name", "pk"))
    return lines, budget_figures(lines)


def term_figures(term):
    start, end = term.datetime_range
    purchases = PurchaseRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        submitted=Count("pk"),
        approved=Count("pk", filter=Q(status__in=APPROVED_OR_LATER)),
        approved_total=Coalesce(Sum("estimated_total", filter=Q(status__in=APPROVED_OR_LATER)), ZERO),
        rejected=Count("pk", filter=Q(status=S.REJECTED)),
        waiting=Count("pk", filter=Q(status__in=PurchaseRequest.AWAITING)))
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
        settled=Count("pk", filter=Q(settled_at__isnull=False)),
        unsettled=Count("pk", filter=Q(settled_at__isnull=True)))
    aid = AidApplication.objects.filter(term=term).aggregate(
        paid=Count("pk", filter=Q(status=AidApplication.Status.PAID)),
        paid_total=Coalesce(Sum("amount", filter=Q(status=AidApplication.Status.PAID)), ZERO),
        undecided=Count("pk", filter=Q(status=AidApplication.Status.SUBMITTED)))
    # Invoices recorded in the term and not paid yet (awaiting signatures, or signed and waiting to be paid).
    unpaid = Invoice.objects.filter(recorded_at__gte=start, recorded_at__lt=end).exclude(
        status=Invoice.Status.PAID).count()
    lines, by_line = _year_lines(term)
    low = sum(1 for line in lines if by_line[line.pk]["remaining"] < line.amount * LOW_SHARE)
    figures = [
        Figure("purchases.submitted", _("purchase requests"), purchases["submitted"], chapter="finance_assets",
               order=10),
        Figure("purchases.approved", _("purchases approved"), purchases["approved"], chapter="finance_assets",
               order=11),
        Figure("purchases.approved_total", _("total of purchases approved"), purchases["approved_total"], YUAN,
               chapter="finance_assets", order=12, money=True, home=(PRINCIPAL,)),
        Figure("purchases.rejected", _("purchases rejected"), purchases["rejected"], chapter="finance_assets",
               order=13),
        Figure("spending.total", _("money spent"), spent["total"], YUAN, chapter="finance_assets", order=20,
               money=True, home=(PRINCIPAL, FINANCE)),
        Figure("spending.earmarked", _("earmarked money spent for its purpose"), spent["earmarked"], YUAN,
               chapter="finance_assets", order=21, money=True),
        Figure("fees.items", _("fees collected on behalf"), fee_items["items"], chapter="finance_assets", order=30),
        Figure("fees.published", _("fees published to parents"), fee_items["published"], chapter="finance_assets",
               order=31),
        Figure("fees.settled", _("fees settled"), fee_items["settled"], chapter="finance_assets", order=32),
        Figure("fees.collected", _("money collected on behalf"), fees["collected"], YUAN, chapter="finance_assets",
               order=33, money=True, home=(FINANCE,)),
        Figure("aid.paid", _("pupils given aid"), aid["paid"], chapter="finance_assets", order=40),
        Figure("aid.paid_total", _("aid paid"), aid["paid_total"], YUAN, chapter="finance_assets", order=41,
               money=True),
        Figure("purchases.waiting", _("purchases still waiting for a decision"), purchases["waiting"],
               chapter="outlook", order=95, carry=True, home=(PRINCIPAL,)),
        Figure("invoices.unpaid", _("invoices not yet paid"), unpaid, chapter="outlook", order=96, carry=True,
               home=(FINANCE,)),
        Figure("fees.unsettled", _("fees not yet settled"), fee_items["unsettled"], chapter="outlook", order=97,
               carry=True, home=(FINANCE,)),
        Figure("aid.undecided", _("aid applications not yet decided"), aid["undecided"], chapter="outlook",
               order=98, carry=True),
        Figure("budget.lines_low", _("budget lines with less than a tenth left"), low, chapter="outlook",
               order=99, carry=True, home=(FINANCE,)),
    ]
    return figures


def term_charts(term):
    """[Chart]: each budget line of the term's year, what was spent of it and its budget (budget_figures' rule:
    spent is paid requests). No lines that year: a chart with no bars."""
    lines, by_line = _year_lines(term)
    bars = [Bar(line.name, (by_line[line.pk]["spent"], by_line[line.pk]["budget"])) for line in lines]
    # Spent first, budget second: logistics.charts draws the second series behind the first.
    return [Chart("budget.spending", _("Spending against budget"), bars, series=(_("Spent"), _("Budget")),
                  unit=YUAN, money=True, chapter="finance_assets", order=22, home=(PRINCIPAL, FINANCE))]
