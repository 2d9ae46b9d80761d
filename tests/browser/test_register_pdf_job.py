"""The register printed as a PDF through the pages, as a background job on the database queue: the head filters
the register, prints it, watches the job's page (its script polls the job), and downloads the file once the worker
has made it; the file holds the filtered rows only, and it is still there under "My files"."""
import io
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assets.models import Asset
from logistics.jobs.models import Job
from tests.assets._register import register
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_head_filters_the_register_prints_it_and_downloads_the_pdf(live_server, roles_ready, users, school, phone,
                                                                     login, media_root, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a worker runs it, as in production
    projector = register(users["head"], school, name="投影仪")
    desk = register(users["head"], school, name="学生课桌", location=school["rooms"][1])

    head = login(phone(), "head", PASSWORD)
    head.goto(f"{live_server.url}/assets/")
    head.get_by_text("Filter and search").click()
    head.locator("input[name=q]").fill("投影仪")
    with head.expect_navigation():
        head.get_by_role("button", name="Apply").click()
    expect(head.locator("table.register tbody tr")).to_have_count(1)

    with head.expect_navigation():
        head.locator("[data-testid=register-pdf]").click()
    # The job waits for the worker: its page says so, with a progress bar.
    expect(head.locator("[data-testid=job-status]")).to_have_text("Waiting to start")
    expect(head.locator("[data-testid=job-progress]")).to_be_visible()
    job = Job.objects.get()
    assert job.parameters["filters"] == {"q": ["投影仪"]} and job.status == "queued"

    call_command("db_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    # The page's script notices and shows the file without the head reloading.
    link = head.locator("[data-testid=job-download]")
    expect(link).to_be_visible(timeout=10_000)
    with head.expect_download() as download:
        link.click()
    path = tmp_path / "register.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert projector.tag in text and desk.tag not in text and "投影仪" in text

    # Later, from My files.
    head.goto(f"{live_server.url}/files/")
    expect(head.get_by_role("link", name="Download")).to_have_count(1)
    assert Asset.objects.count() == 2
