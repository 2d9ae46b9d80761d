"""The ledger list (filters, totals, query count) and the monthly report (月报): page, xlsx, PDF."""
import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finance.models import LedgerEntry
from finance.selectors.procurement import monthly_report

from ._procurement import budget_line, entry

pytestmark = pytest.mark.django_db
C = LedgerEntry.Category


@pytest.fixture
def month_entries(users):
    """A month with each kind of entry, and one entry in the month before and after."""
    fin = users["finance"]
    day = datetime.date(2026, 10, 15)
    line = budget_line()
    entry(fin, category=C.FUNDS, amount="50000.00", date=day.replace(day=1), line=line)
    entry(fin, category=C.FEES, amount="9315.00", date=day)
    entry(fin, category=C.OFFICE, amount="1200.50", date=day)
    entry(fin, category=C.OFFICE, amount="99.50", date=day.replace(day=31))
    entry(fin, category=C.SERVICE, amount="860.00", date=day)
    entry(fin, category=C.PURCHASE, amount="3350.00", date=day, line=line)
    entry(fin, category=C.OTHER, direction="income", amount="10.00", date=day)
    entry(fin, category=C.REFUND, amount="45.00", date=day)
    entry(fin, category=C.OFFICE, amount="7777.00", date=datetime.date(2026, 9, 30))
    entry(fin, category=C.FUNDS, amount="8888.00", date=datetime.date(2026, 11, 1))
    return day


def test_monthly_report_figures_are_exact(month_entries):
    report = monthly_report(month_entries)
    z = Decimal("0.00")
    assert report["figures"] == {
        "funds": Decimal("50000.00"), "fees": Decimal("9315.00"), "damages": z, "other_income": Decimal("10.00"),
        "office": Decimal("1300.00"), "service": Decimal("860.00"), "purchases": Decimal("3350.00"),
        "fee_spent": z, "refunds": Decimal("45.00"), "aid": z, "other_expense": z,
    }
    assert report["income"] == Decimal("59325.00")
    assert report["expense"] == Decimal("5555.00")
    assert report["net"] == Decimal("53770.00")
    assert report["start"] == datetime.date(2026, 10, 1) and report["end"] == datetime.date(2026, 10, 31)
    assert len(report["entries"]) == 8


def test_monthly_report_page_and_xlsx(users, login, month_entries):
    client = login(users["finance"])
    page = client.get(reverse("finance:monthly_report") + "?month=2026-10")
    assert page.status_code == 200 and "¥59,325.00" in page.content.decode()
    r = client.get(reverse("finance:monthly_report_xlsx") + "?month=2026-10")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    sheet = wb.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "项目" and len(rows[1]) == 3  # Chinese headers (zh-hans is the default): a report line
    amounts = {row[0]: row[2] for row in rows[2:]}
    assert Decimal(str(amounts[str(rows[-1][0])])) == Decimal("53770.00")
    assert len(wb.worksheets[1]["A"]) == 9  # header + 8 entries


def test_monthly_report_pdf_has_the_figures_and_signature_lines(users, login, month_entries, tmp_path):
    r = login(users["finance"]).get(reverse("finance:monthly_report_pdf") + "?month=2026-10")
    assert r["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "¥59,325.00" in text and "¥53,770.00" in text
    assert "制表人" in text and "财务" in text and "校长" in text


def test_staff_cannot_see_the_ledger_or_report(users, login):
    client = login(users["teacher"])
    for name in ("ledger", "monthly_report", "monthly_report_xlsx", "ledger_new"):
        assert client.get(reverse(f"finance:{name}")).status_code == 403


def test_the_ledger_filters_and_totals(users, login, month_entries):
    client = login(users["auditor"])
    r = client.get(reverse("finance:ledger") + "?month=2026-10&direction=expense")
    assert r.status_code == 200
    totals = r.context["totals"]
    assert totals["expense"] == Decimal("5555.00") and totals["income"] == Decimal("0.00")
    r = client.get(reverse("finance:ledger") + "?category=office")
    assert r.context["totals"]["expense"] == Decimal("9077.00")
    r = client.get(reverse("finance:ledger") + f"?budget_line={budget_line().pk}")
    assert r.context["page"].paginator.count == 2
    r = client.get(reverse("finance:ledger") + "?month=nonsense")
    assert r.status_code == 200 and r.context["page"].paginator.count == 10


def test_finance_adds_an_entry_and_bad_input_is_not_saved(users, login):
    client = login(users["finance"])
    today = timezone.localdate().isoformat()
    bad = client.post(reverse("finance:ledger_new"), {"date": today, "direction": "expense", "category": "funds",
                                                      "amount": "100", "description": "拨款"})
    assert bad.status_code == 400 and not LedgerEntry.objects.exists()
    ok = client.post(reverse("finance:ledger_new"), {"date": today, "direction": "expense", "category": "office",
                                                     "amount": "88.80", "description": "打印纸"})
    assert ok.status_code == 302 and LedgerEntry.objects.get().amount == Decimal("88.80")
    assert login(users["head"]).get(reverse("finance:ledger_new")).status_code == 403


@pytest.mark.parametrize("n", [3, 60])
def test_ledger_queries_do_not_grow_with_rows(users, login, django_assert_max_num_queries, n):
    line = budget_line()
    for i in range(n):
        entry(users["finance"], category=C.OFFICE, amount=f"{i + 1}.00", date=timezone.localdate(), line=line)
    client = login(users["finance"])
    with django_assert_max_num_queries(12):
        r = client.get(reverse("finance:ledger"))
    assert r.status_code == 200
