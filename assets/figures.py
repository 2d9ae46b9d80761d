"""The assets module's figures and charts for a term (logistics.modules: term_figures, term_charts), all the
term summary and the home dashboards read of assets.

Chapters: "routine" (后勤常规管理: repairs, checks, supplies, printing), "finance_assets"
(财务与校产管理: the register, stocktakes, loans, damage, write-offs) and "outlook" (存在的不足与下学期打算):
the open items (carry), the term's records still open as they stand now, and supplies low now.
Each function takes a constant number of queries, whatever the number of records.
"""
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Bar, Chart, Figure

from .models import (
    Asset,
    AssetLoan,
    CheckTask,
    DamageRecord,
    RepairCategory,
    RepairRequest,
    StockMovement,
    Stocktake,
    StocktakeLine,
    SupplyItem,
    WriteOff,
)
from .selectors.repairs import repair_stats
from .selectors.supplies import print_usage

ZERO = Decimal("0.00")
YUAN = _("yuan")
ITEMS = _("items")
HEAD, PRINCIPAL = roles.LOGISTICS_HEAD, roles.PRINCIPAL


def term_figures(term):
    """[Figure] of repairs, checks, supplies, printing and the register in the term."""
    start, end = term.datetime_range
    now = timezone.now()
    today = timezone.localdate(now)
    stats = repair_stats(start, end, now)
    figures = [
        Figure("repairs.total", _("repair requests"), stats["total"], chapter="routine", order=10, home=(HEAD,)),
        Figure("repairs.done", _("repairs done"), stats["fixed"], chapter="routine", order=11, home=(HEAD,)),
        Figure("repairs.median_hours", _("median hours to fix"), stats["median_hours_to_fix"], _("hours"),
               chapter="routine", order=12),
        Figure("repairs.within_target_percent", _("fixed within target"), stats["within_target_percent"], "%",
               chapter="routine", order=13, home=(HEAD,)),
        Figure("repairs.overdue", _("repairs overdue"), stats["overdue"], chapter="routine", order=14),
        Figure("repairs.cost", _("cost of repairs"), stats["total_cost"], YUAN, chapter="routine", order=15,
               money=True),
        # The same count as repairs.overdue, as an open item: carried into the outlook, shown on the home
        # dashboards (the term's chapter keeps its own figure, so its wording reads as a count of the term).
        Figure("repairs.open_overdue", _("repairs still overdue"), stats["overdue"], chapter="outlook", order=90,
               carry=True, home=(HEAD, PRINCIPAL)),
    ]
    labels = dict(RepairCategory.choices)
    for row in stats["by_category"]:
        figures.append(Figure(f"repairs.{row['category']}", labels[row["category"]], row["count"],
                              chapter="routine", order=16))

    checks = CheckTask.objects.filter(due_date__gte=term.start, due_date__lte=term.end).aggregate(
        due=Count("pk"), done=Count("pk", filter=Q(status=CheckTask.Status.DONE)),
        problems=Count("pk", filter=Q(status=CheckTask.Status.DONE, all_ok=False)),
        # still to do after their day (CheckTask.is_late); a skipped check was decided, not missed
        missed=Count("pk", filter=Q(status=CheckTask.Status.OPEN, due_date__lt=today)))
    figures += [
        Figure("checks.due", _("recurring checks due"), checks["due"], chapter="routine", order=20),
        Figure("checks.done", _("recurring checks done"), checks["done"], chapter="routine", order=21,
               home=(HEAD,)),
        Figure("checks.problems", _("checks that found a problem"), checks["problems"], chapter="routine", order=22),
        Figure("checks.missed", _("recurring checks not done on their day"), checks["missed"], chapter="outlook",
               order=93, carry=True),
    ]

    issued = StockMovement.objects.filter(at__gte=start, at__lt=end, change__lt=0).aggregate(
        requisitions=Coalesce(Sum("change", filter=Q(kind=StockMovement.Kind.ISSUE)), 0),
        distributed=Coalesce(Sum("change", filter=Q(kind=StockMovement.Kind.DISTRIBUTION)), 0),
        textbooks=Coalesce(Sum("change", filter=Q(item__kind="textbook")), 0))
    _usage, prints = print_usage(term)
    figures += [
        Figure("supplies.issued", _("supplies issued on requisition"), -issued["requisitions"], ITEMS,
               chapter="routine", order=30),
        Figure("supplies.distributed", _("supplies handed out at term start"), -issued["distributed"], ITEMS,
               chapter="routine", order=31),
        Figure("supplies.textbooks", _("textbooks and workbooks issued"), -issued["textbooks"], ITEMS,
               chapter="routine", order=32),
        Figure("printing.jobs", _("print jobs done"), prints["jobs"], chapter="routine", order=33),
        Figure("printing.sheets", _("sheets of paper printed"), prints["sheets"], chapter="routine", order=34),
    ]
    # Not a figure of the term's records: the stock as it stands now (SupplyItem.is_low), an open item.
    low = SupplyItem.objects.filter(active=True, stock__lt=F("low_stock_threshold")).count()
    figures.append(Figure("supplies.low", _("supplies below their warning level"), low, chapter="outlook",
                          order=94, carry=True, home=(HEAD,)))

    value = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=16,
                                                                                          decimal_places=2))
    added = Asset.objects.filter(acquired_on__gte=term.start, acquired_on__lte=term.end).aggregate(
        n=Coalesce(Sum("quantity"), 0), value=Coalesce(Sum(value), ZERO))
    written_off = WriteOff.objects.filter(status=WriteOff.Status.APPROVED, requested_at__gte=start,
                                          requested_at__lt=end).aggregate(
        n=Coalesce(Sum("quantity"), 0), value=Coalesce(Sum("value"), ZERO))
    stocktakes = Stocktake.objects.filter(opened_at__gte=start, opened_at__lt=end)
    stocktake_counts = stocktakes.aggregate(n=Count("pk"),
                                            unfinished=Count("pk", filter=Q(status=Stocktake.Status.OPEN)))
    lines = StocktakeLine.objects.filter(room__stocktake__in=stocktakes).aggregate(
        found=Count("pk", filter=Q(outcome=StocktakeLine.Outcome.FOUND)),
        missing=Count("pk", filter=Q(outcome=StocktakeLine.Outcome.MISSING)))
    loans = AssetLoan.objects.filter(lent_on__gte=term.start, lent_on__lte=term.end).aggregate(
        lent=Count("pk"),
        # out past the day they were due back (AssetLoan.is_overdue)
        overdue=Count("pk", filter=Q(status=AssetLoan.Status.OUT, due_on__lt=today)))
    damage = DamageRecord.objects.filter(occurred_on__gte=term.start, occurred_on__lte=term.end).aggregate(
        n=Count("pk"), paid=Coalesce(Sum("assessed_amount", filter=Q(status=DamageRecord.Status.PAID)), ZERO))
    figures += [
        Figure("assets.added", _("assets added"), added["n"], ITEMS, chapter="finance_assets", order=50),
        Figure("assets.added_value", _("value of assets added"), added["value"], YUAN, chapter="finance_assets",
               order=51, money=True),
        Figure("assets.written_off", _("assets written off"), written_off["n"], ITEMS, chapter="finance_assets",
               order=52),
        Figure("assets.written_off_value", _("value written off"), written_off["value"], YUAN,
               chapter="finance_assets", order=53, money=True),
        Figure("stocktakes.done", _("stocktakes"), stocktake_counts["n"], chapter="finance_assets", order=54),
        Figure("stocktakes.surplus", _("found, not registered (盘盈)"), lines["found"], chapter="finance_assets",
               order=55),
        Figure("stocktakes.shortage", _("missing (盘亏)"), lines["missing"], chapter="finance_assets", order=56),
        Figure("loans.lent", _("loans"), loans["lent"], chapter="finance_assets", order=57),
        Figure("damage.records", _("damage records"), damage["n"], chapter="finance_assets", order=58),
        Figure("damage.paid", _("compensation paid"), damage["paid"], YUAN, chapter="finance_assets", order=59,
               money=True),
        Figure("stocktakes.unfinished", _("stocktakes not yet closed"), stocktake_counts["unfinished"],
               chapter="outlook", order=91, carry=True, home=(HEAD,)),
        Figure("loans.overdue", _("loans not returned on time"), loans["overdue"], chapter="outlook", order=92,
               carry=True),
    ]
    return figures


def term_charts(term):
    """[Chart]: the term's repair requests by category (every category, in order; all zero in an empty term).
    One query: the counts repair_stats reads too, without its other figures."""
    start, end = term.datetime_range
    counts = dict(RepairRequest.objects.filter(reported_at__gte=start, reported_at__lt=end).order_by()
                  .values_list("category").annotate(n=Count("pk")))
    bars = [Bar(label, (counts.get(value, 0),)) for value, label in RepairCategory.choices]
    return [Chart("repairs.by_category", _("Repairs by category"), bars, series=(_("repair requests"),),
                  chapter="routine", order=17, home=(HEAD, PRINCIPAL))]
