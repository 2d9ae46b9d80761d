"""The year's asset-change report (资产变动情况, after the 资产价值量情况表): by category, the opening
count and value, the additions, the disposals and the closing figures of a calendar year.

Definitions (every unit ever registered is an Asset record, see assets/services/movements.py):
- opening: acquired before 1 January and not disposed of before 1 January;
- additions: acquired during the year;
- disposals: written off or lost during the year (by disposed_on);
- closing: acquired by 31 December and not disposed of by then; always opening + additions − disposals.
Values are book values (原值, quantity × unit price), so the table balances; an inactive record
without a disposed_on date is treated as disposed of on the day it was registered.
"""
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from logistics.sheets import append_row

from .models import Asset, AssetCategory

CENT = Decimal("0.01")
COLUMNS = ("opening", "additions", "disposals", "closing")
XLSX_HEADERS = ["资产分类", "年初数量", "年初金额", "本年增加数量", "本年增加金额", "本年处置数量", "本年处置金额",
                "年末数量", "年末金额"]


@dataclass
class Figures:
    count: int = 0
    value: Decimal = Decimal("0.00")


@dataclass
class ReportRow:
    category: AssetCategory | None
    label: str
    opening: Figures = field(default_factory=Figures)
    additions: Figures = field(default_factory=Figures)
    disposals: Figures = field(default_factory=Figures)
    closing: Figures = field(default_factory=Figures)

    def cells(self):
        """The nine figures of the row, in the order of XLSX_HEADERS after the label."""
        out = []
        for name in COLUMNS:
            figures = getattr(self, name)
            out += [figures.count, figures.value]
        return out


@dataclass
class AssetChangeReport:
    year: int
    rows: list
    total: ReportRow


def asset_change_report(year):
    """The figures of a calendar year by category, with a totals row (one query)."""
    start = datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    value = ExpressionWrapper(F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=18,
                                                                                       decimal_places=2))
    gone_on = Coalesce("disposed_on", TruncDate("created_at"))
    inactive = Q(status__in=Asset.INACTIVE_STATUSES)
    conditions = {
        "opening": Q(acquired_on__lt=start) & (~inactive | Q(gone_on__gte=start)),
        "additions": Q(acquired_on__gte=start, acquired_on__lte=end),
        "disposals": inactive & Q(gone_on__gte=start, gone_on__lte=end),
    }
    aggregates = {}
    for name, condition in conditions.items():
        aggregates[f"{name}_count"] = Sum("quantity", filter=condition)
        aggregates[f"{name}_value"] = Sum(value, filter=condition)
    figures = (
        Asset.objects.annotate(gone_on=gone_on)
        .filter(acquired_on__lte=end)
        .values("category_id")
        .annotate(**aggregates)
        .order_by()
    )
    by_category = {f["category_id"]: f for f in figures}
    categories = AssetCategory.objects.in_bulk(list(by_category))
    rows = []
    total = ReportRow(category=None, label="")
    for category_id, f in by_category.items():
        row = ReportRow(category=categories[category_id], label=str(categories[category_id]))
        for name in ("opening", "additions", "disposals"):
            fig = Figures(int(f[f"{name}_count"] or 0), Decimal(f[f"{name}_value"] or 0).quantize(CENT))
            setattr(row, name, fig)
        row.closing = Figures(row.opening.count + row.additions.count - row.disposals.count,
                              row.opening.value + row.additions.value - row.disposals.value)
        if not any(row.cells()):
            continue
        rows.append(row)
        for name in COLUMNS:
            t, r = getattr(total, name), getattr(row, name)
            t.count += r.count
            t.value += r.value
    rows.sort(key=lambda r: (r.category.code or "~", r.category.name))
    return AssetChangeReport(year=year, rows=rows, total=total)


def report_years(today):
    """Years a report can be asked for: from the first acquisition to this year, newest first."""
    first = Asset.objects.order_by("acquired_on").values_list("acquired_on", flat=True).first()
    first_year = min(first.year, today.year) if first else today.year
    return list(range(today.year, first_year - 1, -1))


def asset_change_xlsx(report, *, school_name="", total_label="合计"):
    """The report as an .xlsx workbook (bytes), with the Chinese headers the finance bureau uses."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"{report.year}年"
    title = f"{school_name} {report.year}年度资产变动情况表".strip()
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(XLSX_HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"统计期间：{report.year}-01-01 至 {report.year}-12-31", "", "", "", "", "", "", "", "金额单位：元"])
    ws.append(XLSX_HEADERS)
    header_row = ws.max_row
    for row in report.rows:
        append_row(ws, [row.label, *row.cells()])  # a category's name stays text, whatever it starts with
    append_row(ws, [total_label, *report.total.cells()])
    last = ws.max_row
    thin = Side(style="thin", color="333333")
    for r in ws.iter_rows(min_row=header_row, max_row=last):
        for cell in r:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row == header_row or cell.row == last:
                cell.font = Font(bold=True)
            if cell.column > 1 and cell.row > header_row:
                cell.number_format = "#,##0" if cell.column % 2 == 0 else "#,##0.00"
    ws.column_dimensions["A"].width = 28
    for col in range(2, len(XLSX_HEADERS) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
