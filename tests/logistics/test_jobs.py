"""Background jobs (logistics.jobs): queued → running → done with its file, or failed saying why; only the owner
(and superusers) download it; a second click finds the same job; progress written down a few times, not a row at
a time; one job run through the real database queue and its worker (db_worker)."""
import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from logistics.jobs import services
from logistics.jobs.models import Job
from logistics.jobs.services import JobFailed, Progress, job_start
from logistics.modules import JobKind

pytestmark = pytest.mark.usefixtures("english")

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEEN = {}


def make_text(job, progress):
    """A test kind: records the status it ran in, reports progress, returns a small file."""
    SEEN["status"] = Job.objects.get(pk=job.pk).status
    rows = int(job.parameters.get("rows", 3))
    for n in range(1, rows + 1):
        progress(n, rows)
    return "hello.txt", f"hello {job.parameters.get('who', '')}".encode()


def make_refusal(job, progress):
    raise JobFailed("The list is empty: nothing to print.")


def make_crash(job, progress):
    raise RuntimeError("bug")


KINDS = {
    "test.text": JobKind("tests.logistics.test_jobs.make_text", "A text file"),
    "test.refused": JobKind("tests.logistics.test_jobs.make_refusal", "A refused file"),
    "test.crash": JobKind("tests.logistics.test_jobs.make_crash", "A crashing file"),
    "test.guarded": JobKind("tests.logistics.test_jobs.make_text", "A guarded file", "assets.view_asset"),
}


@pytest.fixture(autouse=True)
def kinds(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(services, "job_kinds", lambda: KINDS)
    monkeypatch.setattr("logistics.jobs.views.job_kinds", lambda: KINDS)
    SEEN.clear()


# The worker closes its database connection between tasks, as a worker process does: a transaction test.
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_the_database_queue_and_its_worker(users, login):
    with override_settings(TASKS=DATABASE_QUEUE):
        job, created = job_start(user=users["head"], kind="test.text", parameters={"who": "head"})
        assert created and job.status == Job.Status.QUEUED and job.task_id
        page = login(users["head"]).get(reverse("jobs:detail", args=[job.pk]))
        assert b'http-equiv="refresh"' in page.content and b"<progress" in page.content
        call_command("db_worker", "--batch", "--queue-name", "default", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert SEEN["status"] == Job.Status.RUNNING
    assert job.status == Job.Status.DONE and job.started_at and job.finished_at >= job.started_at
    assert (job.done, job.total) == (3, 3) and job.filename == "hello.txt"
    response = login(users["head"]).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"hello head"
    assert 'attachment; filename="hello.txt"' in response["Content-Disposition"]


def test_the_file_is_on_the_job_page_and_in_my_files_after_a_reload(users, login):
    job, _created = job_start(user=users["head"], kind="test.text", parameters={})
    client = login(users["head"])
    for _reload in range(2):
        page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert reverse("jobs:download", args=[job.pk]) in page and "http-equiv" not in page
    files = client.get(reverse("jobs:list")).content.decode()
    assert "A text file" in files and reverse("jobs:download", args=[job.pk]) in files
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["download_url"]
    # the script keeps the page's own words for the count, in the reader's language
    assert status["count_display"] == "3 / 3"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["count_display"] == "3 of 3"


def test_only_the_owner_and_superusers_download(users, login):
    job, _created = job_start(user=users["head"], kind="test.text", parameters={})
    assert login(users["worker"]).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert login(users["worker"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert "A text file" not in login(users["worker"]).get(reverse("jobs:list")).content.decode()
    admin = User.objects.create_superuser("root", password="x")
    assert login(admin).get(reverse("jobs:download", args=[job.pk])).status_code == 200
    assert login(users["head"]).get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_a_refused_job_says_why_in_the_users_words(users, login):
    job, _created = job_start(user=users["head"], kind="test.refused", parameters={})
    assert job.status == Job.Status.FAILED and job.error == "The list is empty: nothing to print."
    page = login(users["head"]).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The list is empty: nothing to print." in page and "Download" not in page
    assert login(users["head"]).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_crashing_job_says_the_app_failed_and_the_error_is_logged(users, login, caplog):
    job, _created = job_start(user=users["head"], kind="test.crash", parameters={})
    assert job.status == Job.Status.FAILED and "error in the app" in job.error
    assert "bug" in caplog.text
    assert "由于系统出错" in login(users["head"]).get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_a_second_click_while_it_waits_finds_the_same_job(users):
    with override_settings(TASKS=DATABASE_QUEUE):
        first, created = job_start(user=users["head"], kind="test.text", parameters={"who": "a"})
        again, created_again = job_start(user=users["head"], kind="test.text", parameters={"who": "a"})
        other, created_other = job_start(user=users["head"], kind="test.text", parameters={"who": "b"})
        theirs, created_theirs = job_start(user=users["worker"], kind="test.text", parameters={"who": "a"})
    assert created and not created_again and again.pk == first.pk
    assert created_other and created_theirs and len({first.pk, other.pk, theirs.pk}) == 3
    assert Job.objects.count() == 3


def test_a_finished_job_is_not_found_again_and_a_lost_one_is_given_up(users):
    done, _created = job_start(user=users["head"], kind="test.text", parameters={})
    again, created = job_start(user=users["head"], kind="test.text", parameters={})
    assert created and again.pk != done.pk
    with override_settings(TASKS=DATABASE_QUEUE):
        lost, _created = job_start(user=users["head"], kind="test.text", parameters={"who": "x"})
        Job.objects.filter(pk=lost.pk).update(status="running", started_at=timezone.now() - datetime.timedelta(hours=3))
        new, created = job_start(user=users["head"], kind="test.text", parameters={"who": "x"})
    lost.refresh_from_db()
    assert created and new.pk != lost.pk and lost.status == "failed" and "restarted" in lost.error


def test_kinds_not_declared_or_not_allowed_are_refused(users):
    with pytest.raises(PermissionDenied):
        job_start(user=users["head"], kind="test.nothing", parameters={})
    with pytest.raises(PermissionDenied):
        job_start(user=users["teacher"], kind="test.guarded", parameters={})
    assert not Job.objects.exists()
    job, _created = job_start(user=users["head"], kind="test.guarded", parameters={})
    assert job.status == "done"


def test_progress_is_written_a_few_times_not_once_a_row(users, django_assert_max_num_queries):
    job = Job.objects.create(owner=users["head"], kind="test.text", key="k")
    progress = Progress(job, every=60)
    with django_assert_max_num_queries(1):
        for n in range(1, 10_001):
            progress(n, 10_000)
    assert progress.writes == 1
    job.refresh_from_db()
    assert job.total == 10_000


def test_old_files_are_pruned(users, tmp_path):
    job, _created = job_start(user=users["head"], kind="test.text", parameters={})
    path = job.file.path
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    call_command("prune_jobs", "--days", "7", stdout=io.StringIO())
    assert not Job.objects.exists()
    import os

    assert not os.path.exists(path)
