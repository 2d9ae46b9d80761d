"""Every printed document in the one print style: fetched through its URL by a user who may print it, it is a
PDF with the CJK font embedded, the school and the term in the page header, its own Chinese text, and the page
footer "1 / N". A new document is one more builder and one line in DOCUMENTS."""
import datetime
import re
import subprocess
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from assets import services as asset_services
from assets.models import Asset, AssetCategory, Stocktake, StocktakeRoom
from finance.models import LedgerEntry
from finance.services import fees as fee_services
from finance.services import purchases as purchase_services
from logistics.models import SchoolProfile, Term
from logistics.pdf import find_cjk_font

from .assets.test_stocktake_services import check
from .canteen.test_inspections_pages import canteen_inspection
from .canteen.test_meals_pages import canteen_sample_log
from .canteen.test_menus_pages import canteen_menu
from .canteen.test_staff_pages import canteen_check_grid
from .canteen.test_suppliers_views import canteen_delivery_log
from .finance._fees import make_fee
from .finance._procurement import entry
from .finance._purchases import submitted
from .findings._print import rectification_notice
from .safety.test_duty_pages import safety_duty_roster
from .safety.test_inspections_pages import safety_inspection
from .safety.test_ledger_pages import safety_ledger


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _asset(school, name, tag, **extra):
    category = AssetCategory.objects.get_or_create(name="台式计算机", defaults={"code": "A02010105"})[0]
    fields = {"tag": tag, "name": name, "location": school["room"], "category": category, "quantity": 1,
              "unit": "台", "unit_price": Decimal("3650.00"), "acquired_on": timezone.localdate()}
    return Asset.objects.create(**{**fields, **extra})


# Each builder makes what its document prints and returns (who prints, url, texts the PDF must hold).

def repair_order(users, school):
    repair = asset_services.repair_report(reporter=users["teacher"], category="plumbing", location=school["room"],
                                          title="水龙头漏水", description="二楼女厕第三个水龙头")
    asset_services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    return users["worker"], reverse("assets:repair_print", args=[repair.pk]), [
        "维修单", repair.number, "水龙头漏水", "维修人（签字）", "后勤主任（签字）"]


def asset_labels(users, school):
    a = _asset(school, "班班通一体机", "ZC-2026-00001")
    b = _asset(school, "投影仪", "ZC-2026-00002")
    return users["worker"], reverse("assets:asset_labels") + f"?ids={a.pk}&ids={b.pk}", [
        "ZC-2026-00001", "ZC-2026-00002", "班班通一体机", "校产"]


def asset_register(users, school):
    # The register PDF is made by a background job (the tests' queue runs it at once); its file is the document.
    from logistics.jobs.services import job_start

    _asset(school, "班班通一体机", "ZC-2026-00001")
    _asset(school, "投影仪", "ZC-2026-00002", location=school["rooms"][1])
    job, _created = job_start(user=users["head"], kind="assets.register_pdf",
                              parameters={"filters": {"location": [str(school["room"].pk)]}})
    assert job.status == "done", job.error
    return users["head"], reverse("jobs:download", args=[job.pk]), [
        "资产台账", "ZC-2026-00001", "班班通一体机", "3,650.00", "制表人（签字）"]


def asset_change_report(users, school):
    _asset(school, "班班通一体机", "ZC-2026-00001", unit_price=Decimal("6000.00"))
    year = timezone.localdate().year
    return users["head"], reverse("assets:asset_report_pdf") + f"?year={year}", [
        f"{year} 年资产变动情况", "台式计算机", "¥6,000.00", "制表人（签字）", "校长（签字）"]


def stocktake_room(users, school):
    _asset(school, "学生课桌椅", "ZC-2026-00001", quantity=45, unit="套")
    stocktake = asset_services.stocktake_open(by=users["head"], name="期末清查", kind=Stocktake.Kind.TERM_END,
                                              locations=[school["room"]])
    room = StocktakeRoom.objects.get(stocktake=stocktake, location=school["room"])
    check(room, users["worker"])
    asset_services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽")
    return users["worker"], reverse("assets:stocktake_room_print", args=[room.pk]), [
        "资产清查表", "期末清查", "学生课桌椅", "ZC-2026-00001", "清点人（签字）", "王丽", "张师傅"]


def distribution_sheet(users, school):
    item = asset_services.supply_item_save(by=users["head"], name="语文作业本", kind="textbook", unit="本")
    asset_services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=300, supplier="新华书店")
    r1, r2 = school["rooms"]
    d = asset_services.distribution_create(by=users["worker"], title="秋季开学作业本发放",
                                           lines=[(r1, item, 90), (r2, item, 92)])
    asset_services.distribution_issue(distribution_id=d.pk, by=users["worker"])
    return users["worker"], reverse("assets:distribution_sheet", args=[d.pk]), [
        "秋季开学作业本发放", "签收单", "一(2)班", "92 本", "发放人（签字）"]


def purchase_request(users, school):
    p = submitted(users["teacher"], "9800", title="微机室学生电脑")
    purchase_services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved", comment="已比价")
    return users["teacher"], reverse("finance:purchase_print", args=[p.pk]), [
        "采购申请", p.number, "微机室学生电脑", "¥9,800.00", "申请人（签字）"]


def fee_notice(users, school):
    fee = make_fee(users["finance"], school["term"], school["rooms"])
    return users["finance"], reverse("finance:fee_notice_pdf", args=[fee.pk]), [
        "代收费公示", "作业本费", "¥1,230.00", "财务（签字）", "学校（盖章）"]


def aid_list(users, school):
    application = fee_services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                          location=school["room"], category="hardship", amount=Decimal("500.00"),
                                          reason="父亲务工受伤")
    fee_services.aid_decide(application_id=application.pk, by=users["principal"], approve=True)
    return users["finance"], reverse("finance:aid_publication_pdf") + f"?term={school['term'].pk}", [
        "学生资助名单公示", "张*明", "¥500.00", "财务（签字）"]


def monthly_report(users, school):
    day = timezone.localdate()
    entry(users["finance"], category=LedgerEntry.Category.OFFICE, amount="1200.50", date=day)
    return users["finance"], reverse("finance:monthly_report_pdf") + f"?month={day:%Y-%m}", [
        f"{day:%Y-%m} 月报", "¥1,200.50", "制表人（签字）", "财务（签字）"]


DOCUMENTS = [repair_order, asset_labels, asset_register, asset_change_report, stocktake_room, distribution_sheet,
             purchase_request, fee_notice, aid_list, monthly_report, rectification_notice, canteen_menu,
             canteen_sample_log, canteen_check_grid, canteen_delivery_log, canteen_inspection, safety_inspection,
             safety_duty_roster, safety_ledger]


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_size(path):
    """(width, height) of the first page in points."""
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(path))).groups()
    return float(width), float(height)


WORD = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>'


def lines(path, page=1):
    """The text lines of a page, top to bottom: (top, bottom, text) in points, from pdftotext -bbox."""
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-")
    rows = {}
    for top, bottom, word in re.findall(WORD, html):
        rows.setdefault(round(float(top)), []).append((float(bottom), unescape(word)))
    return [(top, max(b for b, _w in words), " ".join(w for _b, w in words)) for top, words in sorted(rows.items())]


def header_and_footer(path):
    """The first line of page 1 (the page header) and its last (the footer), checked to stand clear of the rest."""
    page = lines(path)
    assert len(page) >= 3, page
    (_top, header_bottom, header), (body_top, *_rest) = page[0], page[1]
    assert header_bottom < body_top, "the header overlaps the first line of the document"
    (_top, body_bottom, _text), (footer_top, _bottom, footer) = page[-2], page[-1]
    assert body_bottom < footer_top, "the footer overlaps the last line of the document"
    return header, footer


def test_every_print_template_is_in_the_list():
    # The term summary has its own tests (tests/summary); base.html is what they all extend.
    templates = {p.stem for p in (Path(settings.BASE_DIR) / "templates" / "print").glob("*.html")
                 if p.stem != "base" and not p.stem.startswith("term_summary")}
    assert {build.__name__ for build in DOCUMENTS} == templates


@pytest.mark.parametrize("build", DOCUMENTS, ids=lambda build: build.__name__)
def test_document_prints_in_the_school_style(build, users, school, client, tmp_path):
    user, url, texts = build(users, school)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{build.__name__}.pdf"
    path.write_bytes(b"".join(response))  # a job's file is streamed

    # (a) the Chinese font is embedded (pdffonts: name type encoding emb sub uni object ID)
    family, _file = find_cjk_font()
    rows = run("pdffonts", str(path)).splitlines()[2:]
    embedded = [row.split()[0].split("+")[-1].replace("-", "") for row in rows if row.split()[-5] == "yes"]
    assert any(name.startswith(family.replace(" ", "")) for name in embedded), rows  # e.g. ABCDEF+WenQuanYi-Micro-Hei

    # (b) the document's own Chinese text, the school and the term in the header, "1 / N" in the footer
    text = run("pdftotext", str(path), "-")
    for expected in texts:
        assert expected in text, expected
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
    header, footer = header_and_footer(path)
    assert header == f"实验小学 {school['term'].name}", header  # school left, term right
    assert footer == f"1 / {pages}", footer


def test_a_quote_in_the_school_name_does_not_break_the_header(users, school, client, tmp_path):
    SchoolProfile.objects.update(name='实验"小学\'}; @page { size: A6 }')
    user, url, _texts = repair_order(users, school)
    client.force_login(user)
    path = tmp_path / "quote.pdf"
    path.write_bytes(client.get(url).content)
    header, _footer = header_and_footer(path)
    assert header.startswith("实验\"小学'}; @page { size: A6 }")
    assert page_size(path) == pytest.approx((595.3, 841.9), abs=1)  # still A4


def test_a_past_terms_fee_notice_names_that_term_in_the_header(users, school, client, tmp_path):
    start = school["term"].start - datetime.timedelta(days=200)
    old = Term.objects.create(name="上学期", start=start, end=start + datetime.timedelta(days=120))
    fee = make_fee(users["finance"], old, school["rooms"])
    client.force_login(users["finance"])
    path = tmp_path / "old.pdf"
    path.write_bytes(client.get(reverse("finance:fee_notice_pdf", args=[fee.pk])).content)
    header, _footer = header_and_footer(path)
    assert header.endswith("上学期")
