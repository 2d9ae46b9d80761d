"""The register's long documents as background jobs, started from its page with its filters: the register printed
as a PDF (rows, filters, totals), the Excel export (every row, the header) and the QR labels; who may start them;
their query counts do not grow with the register."""
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assets import documents, excel
from assets.models import Asset
from logistics import textcolumns
from logistics.jobs.models import Job
from logistics.jobs.services import JobFailed

from ._register import bulk_assets

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def start(client, name, query="", data=None):
    """POST a register button (the immediate queue runs the job at once); the job it led to."""
    response = client.post(reverse(name) + (f"?{query}" if query else ""), data or {})
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def download(client, job):
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(data, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fake_progress(done, total=None):
    pass


@needs_poppler
def test_the_register_pdf_prints_the_filtered_rows_and_their_totals(users, school, login, tmp_path, english_pages):
    bulk_assets(40, school)
    room = school["rooms"][1]
    client = login(users["head"])
    job = start(client, "assets:asset_register_pdf", f"location={room.pk}&page=3")
    assert job.status == Job.Status.DONE and job.parameters["filters"] == {"location": [str(room.pk)]}
    text = pdf_text(download(client, job), tmp_path)
    shown = Asset.objects.filter(location=room).exclude(status__in=Asset.INACTIVE_STATUSES).order_by("pk")
    assert shown.count() == 10
    assert all(a.tag in text for a in shown)
    assert not any(a.tag in text for a in Asset.objects.exclude(pk__in=shown))
    assert job.language == "en" and "Location: 教学楼" in text and "一(2)班" in text  # the filter, in words
    header = text[text.index("No.|"):].splitlines()[0]  # the year-end columns (English headings wrap)
    assert [h.strip() for h in header.split("|")[:4]] == ["No.", "Tag", "Name", "Category c"]
    items = sum(a.quantity for a in shown)
    value = sum(a.unit_price * a.quantity for a in shown)
    totals = " ".join(text[text.rindex("Assets listed"):].split())
    assert f"Assets listed 10 Items counted {items} Total value (yuan) ¥{value:,.2f}" in totals


def test_register_lines_keep_the_columns_whatever_the_script():
    columns = [("a", 6, False), ("b", 5, True), ("c", 5, False), ("d", 3, False)]
    line = documents.register_line(["课桌AB x", 12, "一二三四五", "在"], columns)
    lines = line.split("\n")
    # a Chinese character is 5 fifths of an em, a Latin one 3: a column of 5 holds 一二三 (15 of 15)
    assert [t.split("|")[2].strip("\u3000 ") for t in lines] == ["一二三", "四五"]
    for text in lines:
        # the rules between the columns stand at the same place on every line (in fifths of an em)
        offsets, x = [], 0
        for ch in text:
            if ch == "|":
                offsets.append(x)
            x += textcolumns.units(ch)
        assert offsets == [18, 18 + 3 + 15, 18 + 3 + 15 + 3 + 15], (text, offsets)
    assert lines[0].startswith("课桌A") and lines[1].startswith("B x") and "   12|" in lines[0]  # nothing cut


def test_the_xlsx_export_job_has_every_row_and_the_header(users, school, login):
    bulk_assets(30, school)
    client = login(users["auditor"])
    job = start(client, "assets:asset_export_job", "status=all")
    sheet = load_workbook(io.BytesIO(download(client, job)))[excel.SHEET_NAME]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.header for c in excel.EXPORT_COLUMNS)
    assert sorted(r[0] for r in rows[1:]) == sorted(Asset.objects.values_list("tag", flat=True))
    first = Asset.objects.select_related("location__building").get(tag=rows[1][0])
    assert rows[1][7] == float(first.unit_price) and rows[1][-1] == float(first.unit_price * first.quantity)
    assert rows[1][13] == f"{first.location.building.name}/{first.location.name}"


@needs_poppler
def test_labels_for_the_ticked_ones_or_the_list(users, school, login, tmp_path):
    assets = bulk_assets(8, school)
    client = login(users["head"])
    ticked = start(client, "assets:asset_labels_job", "", {"ids": [assets[0].pk, assets[1].pk], "scope": "ticked"})
    text = pdf_text(download(client, ticked), tmp_path)
    assert assets[0].tag in text and assets[1].tag in text and assets[4].tag not in text
    listed = start(client, "assets:asset_labels_job", f"location={school['rooms'][0].pk}",
                   {"ids": [assets[1].pk], "scope": "list"})
    text = pdf_text(download(client, listed), tmp_path)
    assert assets[0].tag in text and assets[1].tag not in text  # room 1 only, the tick ignored


def test_too_many_labels_fail_saying_why(users, school, login, monkeypatch):
    monkeypatch.setattr(documents, "MAX_LABELS", 5)
    bulk_assets(8, school)
    job = start(login(users["head"]), "assets:asset_labels_job", "status=all", {"scope": "list"})
    assert job.status == Job.Status.FAILED and "标签超过 5 张" in job.error  # in the language it was asked in


def test_labels_hold_500():
    assert documents.MAX_LABELS >= 500


def test_a_user_without_the_register_cannot_start_its_jobs(users, school, login):
    client = login(users["teacher"])
    for name in ("assets:asset_register_pdf", "assets:asset_export_job", "assets:asset_labels_job"):
        assert client.post(reverse(name)).status_code == 403
    assert not Job.objects.exists()
    assert login(users["head"]).get(reverse("assets:asset_register_pdf")).status_code == 405


def test_a_second_click_on_the_register_pdf_goes_to_the_same_job(users, school, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # nothing runs it: it waits
    client = login(users["head"])
    first = client.post(reverse("assets:asset_register_pdf") + "?category=1")
    second = client.post(reverse("assets:asset_register_pdf") + "?category=1")
    assert first.url == second.url and Job.objects.count() == 1
    assert Job.objects.get().status == Job.Status.QUEUED


def test_a_register_too_big_for_one_pdf_fails_saying_why(users, school, monkeypatch):
    monkeypatch.setattr(documents, "MAX_PDF_ROWS", 3)
    bulk_assets(8, school)
    job = Job(owner=users["head"], kind="assets.register_pdf", parameters={"filters": {}})
    with pytest.raises(JobFailed, match="最多容纳 3 项资产"):
        documents.register_pdf(job, fake_progress)


@pytest.mark.parametrize("function", [documents.register_pdf, documents.register_xlsx, documents.labels_pdf])
def test_the_jobs_queries_do_not_grow_with_the_register(function, users, school, django_assert_num_queries):
    job = Job(owner=users["head"], kind="x", parameters={"filters": {"status": ["all"]}, "base_url": "http://s/"})
    counts = []
    for n in (6, 60):
        Asset.objects.all().delete()
        bulk_assets(n, school)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            function(job, fake_progress)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts
