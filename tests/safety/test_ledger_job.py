"""A long term's safety ledger is printed in the background (logistics.jobs): the ledger page offers a button
instead of the link, the PDF address sends the reader back to it (a GET changes nothing), the worker makes the
same PDF, and only readers of safety may start it."""
import pytest
from django.urls import reverse

from logistics.jobs.models import Job
from safety import documents

from .test_figures import build
from .test_ledger_pages import text_of

PAGE, PDF = "/safety/ledger/", "/safety/ledger.pdf"


@pytest.fixture(autouse=True)
def long_terms(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(documents, "LEDGER_IN_BACKGROUND", 0)  # every term with an inspection counts as long


def test_a_long_terms_ledger_is_made_by_the_worker(users, school, client, tmp_path):
    built = build(users, school)[0]
    assert documents.held_count(school["term"]) > 0
    client.force_login(users["principal"])
    page = client.get(PAGE).content.decode()
    assert reverse("safety:ledger_pdf_job") in page and 'data-testid="ledger-pdf"' not in page
    # The old address of the PDF: back to the page, with a word why, and no job started by a GET.
    response = client.get(f"{PDF}?term={school['term'].pk}")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?term={school['term'].pk}"
    assert not Job.objects.exists()
    response = client.post(reverse("safety:ledger_pdf_job"), {"term": school["term"].pk})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    assert job.filename == f"safety-ledger-{school['term'].start:%Y-%m}.pdf"
    pdf = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    text = text_of(pdf, tmp_path)
    assert built["late"].number in text and "校长（签字）" in text


def test_an_empty_choice_prints_the_current_term(users, school, client):
    build(users, school)
    client.force_login(users["safety"])
    client.post(reverse("safety:ledger_pdf_job"), {"term": ""})
    assert Job.objects.get().parameters["term"] == school["term"].pk


@pytest.mark.parametrize("who", ["teacher", "worker", "finance"])
def test_others_may_not_start_it(users, school, client, who):
    build(users, school)
    client.force_login(users[who])
    assert client.post(reverse("safety:ledger_pdf_job"), {"term": school["term"].pk}).status_code == 403
    assert client.get(reverse("safety:ledger_pdf_job")).status_code in (403, 405)
    assert not Job.objects.exists()


def test_a_short_terms_ledger_still_prints_at_once(users, school, client, monkeypatch):
    build(users, school)
    monkeypatch.setattr(documents, "LEDGER_IN_BACKGROUND", 10_000)
    client.force_login(users["principal"])
    page = client.get(PAGE).content.decode()
    assert 'data-testid="ledger-pdf"' in page and reverse("safety:ledger_pdf_job") not in page
    response = client.get(f"{PDF}?term={school['term'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
