"""A large register file is imported in the background (logistics.jobs): the import page hands it to the worker,
the job's page follows it, and its file lists the new assets with their tags; a file with bad rows imports
nothing and the job says which rows; a second click on the same file finds the same job; the uploaded file is
not kept."""
import io

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from assets import documents
from assets.models import Asset
from logistics.jobs.models import Job

from ._register import category, row, xlsx

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def background(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # Every file of these tests counts as large (the real threshold is about 1,500 rows).
    monkeypatch.setattr(documents, "IMPORT_IN_BACKGROUND_BYTES", 1_000)


@pytest.fixture
def cats(db):
    return [category(), category("教学、实验用桌", "A05010203", False)]


def rows(n, **over):
    return [row(name=f"图书柜{i}", serial_number=f"SN{i:05d}", **over) for i in range(n)]


def leftovers(tmp_path):
    folder = tmp_path / documents.IMPORT_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_large_file_is_imported_by_a_job_whose_file_lists_the_new_tags(users, school, login, cats, tmp_path):
    client = login(users["worker"])
    response = client.post(reverse("assets:asset_import"), {"file": xlsx(rows(300))})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "assets.register_import" and job.status == Job.Status.DONE, job.error
    assert Asset.objects.count() == 300 and Asset.history.count() == 300
    assert set(Asset.history.values_list("history_user__username", flat=True)) == {"worker"}
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    listed = [r for r in sheet.iter_rows(values_only=True) if r and r[0] and str(r[0]).startswith("ZC-")]
    assert sorted(r[0] for r in listed) == sorted(Asset.objects.values_list("tag", flat=True))
    assert job.filename.startswith("imported-assets-") and job.filename.endswith(".xlsx")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    assert leftovers(tmp_path) == []  # the upload is not kept


def test_a_large_file_with_bad_rows_imports_nothing_and_says_which_rows(users, school, login, cats, tmp_path):
    bad = rows(50)
    bad[9][[c.key for c in documents.excel.COLUMNS].index("unit_price")] = "三千"
    client = login(users["worker"])
    client.post(reverse("assets:asset_import"), {"file": xlsx(bad)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert Asset.objects.count() == 0 and Asset.history.count() == 0
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "没有导入任何资产" in page and "第 11 行" in page  # the header is row 1
    # one problem a line, with no "; " between them (the page keeps the line breaks)
    assert "\n第 11 行" in job.error and "; " not in job.error
    assert leftovers(tmp_path) == []


def test_a_second_click_on_the_same_file_finds_the_same_job(users, school, login, cats):
    client = login(users["worker"])
    with override_settings(TASKS=DATABASE_QUEUE):
        first = client.post(reverse("assets:asset_import"), {"file": xlsx(rows(40))})
        again = client.post(reverse("assets:asset_import"), {"file": xlsx(rows(40))})
    assert Job.objects.count() == 1 and first["Location"] == again["Location"]
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED and default_storage.exists(job.parameters["upload"])


def test_a_small_file_is_still_imported_while_the_user_waits(users, school, login, cats, monkeypatch):
    monkeypatch.setattr(documents, "IMPORT_IN_BACKGROUND_BYTES", 10_000_000)
    response = login(users["worker"]).post(reverse("assets:asset_import"), {"file": xlsx(rows(3))})
    assert response.status_code == 302 and response["Location"] == reverse("assets:asset_list")
    assert Asset.objects.count() == 3 and not Job.objects.exists()


def test_only_people_who_register_assets_may_import_in_the_background(users, school, login, cats):
    for who in ("teacher", "auditor"):
        response = login(users[who]).post(reverse("assets:asset_import"), {"file": xlsx(rows(30))})
        assert response.status_code == 403
    assert not Job.objects.exists() and Asset.objects.count() == 0
