"""Excel in and out: the template, a clean import, every kind of bad file (nothing imported, errors by row
and column), exporting a filtered list, and a 5,000-row import timed."""
import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from assets import excel, services
from assets.models import Asset
from logistics.history import history_timeline

from ._register import category, register, row, xlsx

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cats(db):
    return [category(), category("教学、实验用桌", "A05010203", False)]


def upload(client, file):
    return client.post(reverse("assets:asset_import"), {"file": file}, **EN)


def test_template_has_the_chinese_register_columns_and_lists(users, school, login, cats):
    response = login(users["worker"]).get(reverse("assets:asset_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_TYPE
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb[excel.SHEET_NAME][1]]
    assert headers == ["资产名称", "分类代码/分类", "品牌", "型号规格", "计量单位", "数量", "单价", "取得日期",
                       "发票号", "经费来源", "使用部门", "责任人(用户名)", "存放地点(楼宇/房间)", "SN号", "备注"]
    listed = [c.value for col in wb[excel.HELP_SHEET].iter_cols() for c in col]
    assert "A02010105 台式计算机" in listed and "教学楼/一(1)班" in listed and "worker" in listed


def test_a_clean_file_is_imported_with_tags_and_history(users, school, login, cats):
    file = xlsx([
        row(),
        row(name="学生课桌", category="教学、实验用桌", quantity=45, unit="张", unit_price="180", serial_number="",
            location="一(2)班", custodian="teacher", acquired_on=datetime.date(2019, 8, 15),
            funding_source="自筹"),
        row(name="教师机", category="A02010105 台式计算机", serial_number="PC0001", unit_price="5,200.00",
            acquired_on="2025/8/28"),
    ])
    response = upload(login(users["worker"]), file)
    assert response.status_code == 302
    assert Asset.objects.count() == 3
    year = timezone.localdate().year
    assert sorted(Asset.objects.values_list("tag", flat=True)) == [f"ZC-{year}-0000{i}" for i in (1, 2, 3)]
    desks = Asset.objects.get(name="学生课桌")
    assert (desks.quantity, desks.location, desks.custodian, desks.funding_source) == (
        45, school["rooms"][1], users["teacher"], "self")
    assert desks.acquired_on == datetime.date(2019, 8, 15)
    pc = Asset.objects.get(name="教师机")
    assert str(pc.unit_price) == "5200.00" and pc.acquired_on == datetime.date(2025, 8, 28)
    entry = history_timeline(pc)[0]
    assert entry["reason"] == "imported from register.xlsx" and entry["who"] == "张师傅"


def test_a_tag_column_keeps_given_tags_and_numbering_continues(users, school, login, cats):
    headers = ["资产编号"] + [c.header for c in excel.COLUMNS]
    year = timezone.localdate().year
    file = xlsx([[f"ZC-{year}-00007"] + row(), ["OLD-001"] + row(name="旧投影仪")], headers=headers)
    assert upload(login(users["head"]), file).status_code == 302
    assert set(Asset.objects.values_list("tag", flat=True)) == {f"ZC-{year}-00007", "OLD-001"}
    assert register(users["head"], school).tag == f"ZC-{year}-00008"


def errors_of(response):
    assert response.status_code == 200
    return [(e.row, e.column, e.message) for e in response.context.get("errors") or []]


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(users, school, login, cats):
    file = xlsx([
        row(),  # row 2 is fine
        row(acquired_on="2024-13-45"),  # 3
        row(unit_price=-5),  # 4
        row(name="", quantity=0),  # 5
        row(category="A09999999"),  # 6
        row(location="月球/101"),  # 7
        row(custodian="nobody"),  # 8
        row(funding_source="彩票"),  # 9
        row(acquired_on=timezone.localdate() + datetime.timedelta(days=3)),  # 10
        row(quantity="2.5", unit_price="abc"),  # 11
    ])
    response = upload(login(users["worker"]), file)
    errors = errors_of(response)
    assert (3, "取得日期", "“2024-13-45” is not a date; write it like 2024-09-01.") in errors
    assert (4, "单价", "The unit price cannot be negative.") in errors
    assert (5, "资产名称", "This cell must be filled in.") in errors
    assert (5, "数量", "The quantity is a whole number of at least 1.") in errors
    assert {(r, c) for r, c, _m in errors} >= {(6, "分类代码/分类"), (7, "存放地点(楼宇/房间)"), (8, "责任人(用户名)"),
                                               (9, "经费来源"), (10, "取得日期"), (11, "数量"), (11, "单价")}
    assert not [e for e in errors if e[0] == 2]
    assert not Asset.objects.exists()
    page = response.content.decode()
    assert "Nothing was imported" in page and "单价" in page


def test_duplicate_tags_and_serials_within_the_file_are_refused(users, school, login, cats):
    headers = ["资产编号"] + [c.header for c in excel.COLUMNS]
    file = xlsx([
        ["T-1"] + row(serial_number="SN-A"),
        ["T-1"] + row(serial_number="SN-B"),
        [""] + row(serial_number="SN-A"),
    ], headers=headers)
    errors = errors_of(upload(login(users["worker"]), file))
    assert (3, "资产编号", "Tag T-1 is also on row 2.") in errors
    assert (4, "SN号", "Serial number SN-A is also on row 2.") in errors
    assert not Asset.objects.exists()


def test_tags_and_serials_already_in_the_register_are_refused(users, school, login, cats):
    existing = register(users["worker"], school, serial_number="SN-A")
    headers = ["资产编号"] + [c.header for c in excel.COLUMNS]
    file = xlsx([[existing.tag] + row(), [""] + row(serial_number="SN-A", unit_price=-1)], headers=headers)
    errors = errors_of(upload(login(users["worker"]), file))
    assert (2, "资产编号", f"Tag {existing.tag} is already in the register.") in errors
    # A row with another error is still checked against the register: all its problems at once.
    assert (3, "单价", "The unit price cannot be negative.") in errors
    assert (3, "SN号", f"Serial number SN-A is already registered as {existing.tag}.") in errors
    assert Asset.objects.count() == 1


@pytest.mark.parametrize("headers,expected", [
    ([c.header for c in excel.COLUMNS if c.header != "单价"], "missing: 单价"),
    ([c.header for c in excel.COLUMNS] + ["颜色"], "not in the template: 颜色"),
    (["名称", "价格"], "header row was not found"),
])
def test_wrong_or_missing_columns_are_refused(users, school, login, cats, headers, expected):
    response = upload(login(users["worker"]), xlsx([["x"] * len(headers)], headers=headers))
    assert response.status_code == 200
    assert expected in str(response.context["form"].errors["file"])
    assert not Asset.objects.exists()


def test_a_file_that_is_not_excel_is_refused(users, school, login):
    client = login(users["worker"])
    for file in (SimpleUploadedFile("register.xlsx", "name,price\n电脑,3000\n".encode()),
                 SimpleUploadedFile("register.csv", b"name,price\n"),
                 SimpleUploadedFile("register.pdf", b"%PDF-1.4")):
        response = upload(client, file)
        assert "not an Excel file" in str(response.context["form"].errors["file"])
    response = upload(client, SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0"))
    assert "save it as .xlsx" in str(response.context["form"].errors["file"])
    assert not Asset.objects.exists()


def test_a_file_over_10_mb_is_refused(users, school, login):
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 10))
    response = upload(login(users["worker"]), big)
    assert "larger than 10 MB" in str(response.context["form"].errors["file"])


def test_an_empty_file_is_refused(users, school, login, cats):
    response = upload(login(users["worker"]), xlsx([]))
    assert "no assets" in str(response.context["form"].errors["file"])


def test_staff_and_auditor_cannot_import(users, school, login, cats):
    for username in ("teacher", "auditor"):
        assert upload(login(users[username]), xlsx([row()])).status_code == 403
    assert not Asset.objects.exists()


def test_export_follows_the_list_filters_and_reads_back(users, school, login, cats):
    register(users["worker"], school, name="台式计算机", serial_number="SN1")
    register(users["worker"], school, name="学生课桌", category=cats[1], quantity=45, unit_price="180",
             location=school["rooms"][1])
    client = login(users["auditor"])
    response = client.get(reverse("assets:asset_export"), {"location": school["rooms"][1].pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))[excel.SHEET_NAME]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("资产编号", "资产名称", "分类代码/分类")
    assert len(rows) == 2 and rows[1][1] == "学生课桌" and rows[1][-1] == 8100
    # An export is a valid import once its tags are new (here: the register emptied).
    content = response.content
    Asset.objects.all().delete()
    file = SimpleUploadedFile("export.xlsx", content)
    assert upload(login(users["head"]), file).status_code == 302
    assert Asset.objects.get().name == "学生课桌"


def test_import_of_5000_rows_is_fast_with_few_queries(users, school, cats, capsys):
    rows = [row(name=f"图书柜{i}", serial_number=f"SN{i:05d}", location="教学楼/一(1)班" if i % 2 else "一(2)班",
                custodian="worker", quantity=1 + i % 5) for i in range(5000)]
    file = xlsx(rows)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        parsed = excel.read_register(file)
        assert parsed.error_count == 0
        services.asset_import(by=users["worker"], rows=[r for _n, r in parsed.rows], source="big.xlsx")
    elapsed = time.perf_counter() - start
    assert Asset.objects.count() == 5000
    assert Asset.history.count() == 5000
    # Read + check: a handful of queries; saving: two inserts (asset, history) per batch, a batch being 500
    # rows on PostgreSQL and as many as SQLite's parameter limit allows (about 45). Far below one per row.
    assert len(queries) < (60 if connection.vendor == "postgresql" else 400)
    with capsys.disabled():
        print(f"\n5,000-row import on {connection.vendor}: {elapsed:.1f} s, {len(queries)} queries")
