"""Money is written one way everywhere (¥19,000.00, -¥15.00): the kernel's formatter, its template filter,
the pages and PDFs that show amounts, and number cells in spreadsheets."""
import io
import subprocess
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finance.models import LedgerEntry
from logistics.services import format_money

from ..finance._fees import make_fee
from ..finance._purchases import draft


@pytest.mark.parametrize("amount, text", [
    (Decimal("19000"), "¥19,000.00"), (15000, "¥15,000.00"), (Decimal("1700.5"), "¥1,700.50"),
    (Decimal("-15"), "-¥15.00"), (Decimal("0"), "¥0.00"), (Decimal("-0.00"), "¥0.00"),
    ("1234567.891", "¥1,234,567.89"), (Decimal("0.05"), "¥0.05"), (None, ""), ("", ""),
])
def test_format_money(amount, text):
    assert format_money(amount) == text


def test_the_money_filter():
    rendered = Template("{% load money %}{{ a|money }} {{ b|money }} [{{ c|money }}]").render(
        Context({"a": Decimal("19000.00"), "b": Decimal("-15"), "c": None}))
    # the minus stays with the amount (a word joiner): a narrow cell never shows "-" above "¥15.00"
    assert rendered == "¥19,000.00 -\u2060¥15.00 []"


def test_purchase_list_and_detail_show_one_format(users, school, login):
    p = draft(users["teacher"], total="15000")
    client = login(users["teacher"])
    listing = client.get(reverse("finance:purchase_list")).content.decode()
    detail = client.get(reverse("finance:purchase_detail", args=[p.pk])).content.decode()
    for page in (listing, detail):
        assert "¥15,000.00" in page and "¥15000.00" not in page and "15000.00 元" not in page


def test_ledger_and_monthly_report_page_and_pdf(users, school, login, tmp_path):
    finance = users["finance"]
    today = timezone.localdate()
    LedgerEntry.objects.create(date=today, direction="income", category="funds", amount=Decimal("19000.00"),
                               description="区财政拨付", created_by=finance)
    LedgerEntry.objects.create(date=today, direction="expense", category="office", amount=Decimal("1700.00"),
                               description="复印纸", created_by=finance)
    client = login(finance)
    ledger = client.get(reverse("finance:ledger")).content.decode()
    assert "¥19,000.00" in ledger and "¥1,700.00" in ledger and "¥17,300.00" in ledger
    report = client.get(reverse("finance:monthly_report") + f"?month={today:%Y-%m}").content.decode()
    assert "¥19,000.00" in report and "¥17,300.00" in report and "19000.00" not in report
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(reverse("finance:monthly_report_pdf") + f"?month={today:%Y-%m}").content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "¥19,000.00" in text and "¥1,700.00" in text and "¥17,300.00" in text


def test_monthly_report_xlsx_amounts_are_number_cells_with_separators(users, school, login):
    finance = users["finance"]
    today = timezone.localdate()
    LedgerEntry.objects.create(date=today, direction="income", category="funds", amount=Decimal("19000.00"),
                               description="区财政拨付", created_by=finance)
    r = login(finance).get(reverse("finance:monthly_report_xlsx") + f"?month={today:%Y-%m}")
    wb = load_workbook(io.BytesIO(r.content))
    funds = next(row for row in wb.worksheets[0].iter_rows(min_row=3) if row[2].value == 19000)
    assert funds[2].data_type == "n" and funds[2].number_format == "#,##0.00"
    amount = wb.worksheets[1]["G2"]
    assert amount.value == 19000 and amount.data_type == "n" and amount.number_format == "#,##0.00"


def test_fee_page_and_notice_pdf(users, school, login, tmp_path):
    finance = users["finance"]
    fee = make_fee(finance, school["term"], school["rooms"], rows=((800, 2, "11970.00"),), amount="15")
    client = login(finance)
    page = client.get(reverse("finance:fee_detail", args=[fee.pk])).content.decode()
    assert "¥11,970.00" in page and "¥15.00" in page and "¥11970.00" not in page
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(client.get(reverse("finance:fee_notice_pdf", args=[fee.pk])).content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "¥11,970.00" in text and "¥15.00" in text


@pytest.mark.django_db
def test_messages_and_home_rows_write_money_the_same_way(users, school):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from finance.selectors.purchases import waiting_for
    from finance.services import purchases as services

    p = draft(users["teacher"], total="9800")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as err:
        services.purchase_submit(request_id=p.pk, by=users["teacher"])
    assert "超过 ¥5,000.00 须有三家供应商报价" in " ".join(err.value.messages)
    q = draft(users["teacher"], total="1700", title="饮水机")
    services.purchase_submit(request_id=q.pk, by=users["teacher"])
    (section,) = waiting_for(users["head"])
    assert "¥1,700.00" in section["rows"][0]["meta"]
