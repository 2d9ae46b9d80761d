"""The year's asset-change report: figures by category checked by hand, the .xlsx and the PDF."""
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from assets.models import Asset, AssetCategory
from assets.reports import XLSX_HEADERS, asset_change_report
from assets.services import movements as services

from .test_loans import english, make_asset  # noqa: F401  (english: autouse)

D = Decimal
d = datetime.date


@pytest.fixture
def data(users, school):
    """Hand-made register for 2025 (all figures below are worked out from these lines).

    计算机 (A02010105):
      A  2 × 5000.00, acquired 2023-05-01, written off whole on 2025-03-10  → opening, disposed
      B  10 × 4500.00, acquired 2024-09-01; 3 of them written off in 2025 (split) → opening 10, disposed 3
      C  1 × 6000.00, acquired 2025-06-01                                     → addition
      D  1 × 7000.00, acquired 2026-01-05                                     → not in 2025 at all
      E  1 × 3000.00, acquired 2022-01-01, written off on 2024-12-31          → gone before 2025
    课桌椅 (A05010203):
      F  45 × 300.00, acquired 2024-12-31                                     → opening
      G  20 × 320.00, acquired 2025-01-01, 2 lost on 2025-12-31 (split)       → addition 20, disposed 2
    """
    room = school["room"]
    pc = AssetCategory.objects.create(name="台式计算机", code="A02010105")
    desks = AssetCategory.objects.create(name="教学、实验用桌", code="A05010203")
    AssetCategory.objects.create(name="空分类")
    a = make_asset(room, tag="ZC-2023-00001", quantity=2, unit_price="5000.00", category=pc,
                   acquired_on=d(2023, 5, 1))
    b = make_asset(room, tag="ZC-2024-00001", quantity=10, unit_price="4500.00", category=pc,
                   acquired_on=d(2024, 9, 1))
    make_asset(room, tag="ZC-2025-00001", unit_price="6000.00", category=pc, acquired_on=d(2025, 6, 1))
    make_asset(room, tag="ZC-2026-00001", unit_price="7000.00", category=pc, acquired_on=d(2026, 1, 5))
    make_asset(room, tag="ZC-2022-00001", unit_price="3000.00", category=pc, acquired_on=d(2022, 1, 1),
               status=Asset.Status.WRITTEN_OFF, disposed_on=d(2024, 12, 31), disposed_value=D("3000.00"))
    make_asset(room, tag="ZC-2024-00002", quantity=45, unit_price="300.00", category=desks,
               acquired_on=d(2024, 12, 31))
    g = make_asset(room, tag="ZC-2025-00002", quantity=20, unit_price="320.00", category=desks,
                   acquired_on=d(2025, 1, 1))
    # Through the services (they date disposals today), then moved to the dates of the story.
    for asset, qty in ((a, 2), (b, 3)):
        wo = services.writeoff_request(asset_id=asset.pk, by=users["worker"], reason="坏了", quantity=qty)
        services.writeoff_decide(writeoff_id=wo.pk, by=users["head"], approve=True)
        services.writeoff_decide(writeoff_id=wo.pk, by=users["principal"], approve=True)
    Asset.objects.filter(pk=a.pk).update(disposed_on=d(2025, 3, 10))
    Asset.objects.filter(tag="X-ZC-2024-00001-1").update(disposed_on=d(2025, 7, 1))
    loan = services.loan_lend(asset_id=g.pk, by=users["worker"], borrower_name="运动会", quantity=2,
                              due_on=datetime.date.today() + datetime.timedelta(days=1))
    services.loan_return(loan_id=loan.pk, by=users["worker"], condition="lost", note="没找到")
    Asset.objects.filter(tag="X-ZC-2025-00002-1").update(disposed_on=d(2025, 12, 31))
    return {"pc": pc, "desks": desks}


def figures(row):
    return [row.opening.count, row.opening.value, row.additions.count, row.additions.value,
            row.disposals.count, row.disposals.value, row.closing.count, row.closing.value]


def test_2025_figures_by_category(data):
    report = asset_change_report(2025)
    assert [r.label for r in report.rows] == ["A02010105 台式计算机", "A05010203 教学、实验用桌"]
    pcs, desks = report.rows
    # opening: A 2×5000 + B 10×4500; additions: C; disposals: A 2×5000 + B 3×4500
    assert figures(pcs) == [12, D("55000.00"), 1, D("6000.00"), 5, D("23500.00"), 8, D("37500.00")]
    # opening: F 45×300; additions: G 20×320; disposals: 2 of G
    assert figures(desks) == [45, D("13500.00"), 20, D("6400.00"), 2, D("640.00"), 63, D("19260.00")]
    assert figures(report.total) == [57, D("68500.00"), 21, D("12400.00"), 7, D("24140.00"), 71, D("56760.00")]


def test_2024_and_2026_figures(data):
    pcs, desks = asset_change_report(2024).rows
    # 2024 opening: A 2×5000 + E 3000; added B (all 10, the split part included) and F; E disposed.
    assert figures(pcs) == [3, D("13000.00"), 10, D("45000.00"), 1, D("3000.00"), 12, D("55000.00")]
    assert figures(desks) == [0, D("0.00"), 45, D("13500.00"), 0, D("0.00"), 45, D("13500.00")]
    pcs, desks = asset_change_report(2026).rows
    # 2026 opens with what 2025 closed; D added.
    assert figures(pcs) == [8, D("37500.00"), 1, D("7000.00"), 0, D("0.00"), 9, D("44500.00")]
    assert figures(desks)[:2] == [63, D("19260.00")]


def test_closing_matches_what_is_on_the_register(data):
    closing = asset_change_report(2026).total.closing
    active = [a for a in Asset.objects.all() if a.is_active]
    assert closing.count == sum(a.quantity for a in active)
    assert closing.value == sum(a.total_value for a in active)


def test_a_year_without_assets_is_empty(data):
    report = asset_change_report(2020)
    assert report.rows == [] and report.total.closing.count == 0


def test_report_query_count(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        asset_change_report(2025)


def test_page_shows_the_figures(users, data, login):
    page = login(users["auditor"]).get(reverse("assets:asset_report") + "?year=2025").content.decode()
    assert "A02010105 台式计算机" in page and "¥55,000.00" in page and "¥56,760.00" in page
    assert 'href="/asset-report/xlsx/?year=2025"' in page


# Finance keeps the asset accounts and reads the report (it was refused before); a teacher does not.
@pytest.mark.parametrize("username, code", [("head", 200), ("principal", 200), ("auditor", 200),
                                            ("worker", 200), ("teacher", 403), ("finance", 200)])
def test_who_sees_the_report(users, username, code, login):
    assert login(users[username]).get(reverse("assets:asset_report")).status_code == code
    assert login(users[username]).get(reverse("assets:asset_report_xlsx")).status_code == code


def test_nonsense_year_falls_back_to_this_year(users, school, login):
    response = login(users["head"]).get(reverse("assets:asset_report") + "?year=abc")
    assert response.status_code == 200 and response.context["year"] == datetime.date.today().year


def test_xlsx_has_the_chinese_headers_and_the_figures(users, data, login):
    from openpyxl import load_workbook

    response = login(users["head"]).get(reverse("assets:asset_report_xlsx") + "?year=2025")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="asset-changes-2025.xlsx"' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert "2025年度资产变动情况表" in rows[0][0]
    header = rows.index(XLSX_HEADERS)
    assert XLSX_HEADERS == ["资产分类", "年初数量", "年初金额", "本年增加数量", "本年增加金额", "本年处置数量",
                            "本年处置金额", "年末数量", "年末金额"]
    body = rows[header + 1:]
    assert body[0] == ["A02010105 台式计算机", 12, 55000, 1, 6000, 5, 23500, 8, 37500]
    assert body[1] == ["A05010203 教学、实验用桌", 45, 13500, 20, 6400, 2, 640, 63, 19260]
    assert body[2] == ["合计", 57, 68500, 21, 12400, 7, 24140, 71, 56760]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_pdf_prints_the_figures_and_signature_lines(users, data, login, tmp_path):
    response = login(users["head"]).get(reverse("assets:asset_report_pdf") + "?year=2025")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("Asset changes in 2025", "实验小学", "台式计算机", "教学、实验用桌", "¥55,000.00", "¥56,760.00",
                     "Prepared by (signature)", "Head of logistics (signature)", "Principal (signature)"):
        assert expected in text, expected
