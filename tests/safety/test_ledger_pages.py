"""The term's safety ledger (安全台账): the page with its term picker and the A4 PDF — who may read them, what
each section holds (inspections with their results, hazards with days to fix, drills with their follow-ups, duty
coverage, pre-trip checks per vehicle, the year's pledges, the term's figures), the PDF in Chinese and in
English, and query counts that do not grow with the records."""
import datetime
import re
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from logistics.findings import services as findings
from logistics.models import Finding, Term
from safety.models import Drill

from .test_figures import build, hazard

D = datetime.timedelta(days=1)
PAGE, PDF = "/safety/ledger/", "/safety/ledger.pdf"
# The section headings, as the catalogue has them (English msgids).
HEADINGS = ["1. Safety inspections held", "2. Hazards found and fixed", "3. Emergency drills", "4. Duty coverage",
            "5. Pre-trip checks of school vehicles", "6. Responsibility pledges", "7. The term's figures"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text_of(pdf, tmp_path, name="ledger"):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def safety_ledger(users, school):
    """For tests/test_print_documents.py's DOCUMENTS: (who prints, url, texts the PDF must hold)."""
    built = build(users, school)[0]
    return users["principal"], f"{reverse('safety:ledger_pdf')}?term={school['term'].pk}", [
        built["late"].number, "配电箱门锁损坏0", "消防疏散演练", "浙A00000", "校长（签字）"]


@pytest.mark.parametrize("url", [PAGE, PDF])
@pytest.mark.parametrize("who", ["safety", "principal", "head", "auditor"])
def test_readers_of_safety_read_the_ledger(users, school, client, who, url):
    client.force_login(users[who])
    response = client.get(url)
    assert response.status_code == 200
    if url == PDF:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize("url", [PAGE, PDF])
@pytest.mark.parametrize("who", ["teacher", "worker", "finance"])
def test_others_may_not_read_the_ledger(users, school, client, who, url):
    client.force_login(users[who])
    assert client.get(url).status_code == 403


@pytest.mark.usefixtures("english_pages")
def test_the_ledger_page_holds_every_section(users, school, client):
    built = build(users, school)[0]
    client.force_login(users["safety"])
    response = client.get(PAGE)
    page = response.content.decode()
    for heading in HEADINGS:
        assert heading in page, heading
    ctx = response.context
    assert ctx["term"] == school["term"]
    assert [(i.items, i.failed, i.passed, i.na) for i in ctx["inspections"]] == [(5, 1, 3, 1)]
    assert [i.due_date for i in ctx["missed"]] == [timezone.localdate() - 3 * D]
    hazards = {h.number: h for h in ctx["hazards"]}
    assert len(hazards) == 4
    closed = hazards[built["closed"].number]
    assert closed.days_to_fix == 0 and closed.verified_by == users["principal"]
    assert hazards[built["late"].number].days_to_fix is None
    assert reverse("findings:detail", args=[built["late"].pk]) in page
    drill = ctx["drills"][0]
    assert [f.title for f in drill.follow_ups] == ["二楼东侧楼梯口拥堵0"]
    assert ctx["duty_total"] == {"shifts": 2, "staffed": 1, "gaps": 1, "handovers": 1}
    assert [(v.plate, v.checks, v.not_fit) for v in ctx["vehicles"]] == [("浙A00000", 2, 1)]
    assert len(ctx["pledges"]) == 2 and ctx["pledges_signed"] == 1
    figures = {f["key"]: f for f in ctx["figures"]}
    assert figures["safety.hazards.still_open"]["value"] == "3" and figures["safety.hazards.still_open"]["carry"]
    assert figures["safety.duty.staffed_percent"]["value"] == "50%"
    assert f"{reverse('safety:ledger_pdf')}?term={school['term'].pk}" in page


@pytest.mark.usefixtures("english_pages")
def test_a_hazard_sent_back_by_its_verification_has_no_days_to_fix(users, school, client):
    again = hazard(users, "灭火器压力不足")
    findings.finding_fix(finding_id=again.pk, by=users["worker"], note="已充压", photo_required=False)
    findings.finding_verify(finding_id=again.pk, by=users["principal"], ok=False, comment="压力仍不足")
    client.force_login(users["safety"])
    row = client.get(PAGE).context["hazards"][0]
    assert row.status == Finding.Status.REOPENED and row.days_to_fix is None and row.fixed_on is None


@pytest.mark.usefixtures("english_pages")
def test_the_term_picker_shows_an_earlier_terms_ledger(users, school, client):
    build(users, school)
    start = school["term"].start - 150 * D
    earlier = Term.objects.create(name="上学期", start=start, end=school["term"].start - D)
    client.force_login(users["principal"])
    response = client.get(PAGE, {"term": earlier.pk})
    ctx = response.context
    assert ctx["term"] == earlier
    # build()'s records before the term: a checklist done and one missed, a drill of 500, a holiday shift
    assert len(ctx["inspections"]) == 1 and len(ctx["missed"]) == 1 and ctx["hazards"] == []
    assert [d.headcount for d in ctx["drills"]] == [500]
    assert ctx["duty_total"]["gaps"] == 1
    assert f"?term={earlier.pk}" in ctx["pdf_url"]


@pytest.mark.usefixtures("english_pages")
def test_hazards_of_earlier_terms_still_open_are_named(users, school, client):
    old = hazard(users, "旧隐患")
    Finding.objects.filter(pk=old.pk).update(found_at=timezone.now() - 100 * D)
    client.force_login(users["safety"])
    response = client.get(PAGE)
    assert [h.number for h in response.context["earlier_hazards"]] == [old.number]
    assert response.context["hazards"] == []
    assert "Found in earlier terms and still open:" in response.content.decode()


@pytest.mark.usefixtures("english_pages")
def test_an_english_ledger_brackets_its_notes_in_english(users, school, client):
    """A drill's follow-ups and the earlier hazards still open read "(…, …)" in English, not "（…，…）"."""
    build(users, school)
    old = hazard(users, "旧隐患")
    Finding.objects.filter(pk=old.pk).update(found_at=timezone.now() - 100 * D)
    client.force_login(users["safety"])
    page = client.get(PAGE).content.decode()
    assert "二楼东侧楼梯口拥堵0 (To be fixed)" in page
    assert f"旧隐患 ({(timezone.localdate() - 100 * D):%Y-%m-%d}, " in page
    assert "（" not in page and "；" not in page


@pytest.mark.usefixtures("english_pages")
def test_a_term_that_does_not_exist_shows_the_current_one(users, school, client):
    client.force_login(users["principal"])
    response = client.get(PAGE, {"term": "99999"})
    assert response.status_code == 200 and response.context["term"] == school["term"]


@pytest.mark.usefixtures("english_pages")
def test_with_no_term_the_ledger_says_so(users, client, db):
    client.force_login(users["principal"])
    response = client.get(PAGE)
    assert response.status_code == 200 and response.context["term"] is None
    assert "No term is on record yet" in response.content.decode()
    assert client.get(PDF).status_code == 404


def test_the_pdf_prints_the_ledger_in_chinese(users, school, client, tmp_path):
    who, url, texts = safety_ledger(users, school)
    client.force_login(who)
    text = text_of(client.get(url).content, tmp_path)
    for expected in texts:
        assert expected in text, expected
    assert "实验小学" in text and school["term"].name in text  # the page header
    with translation.override("zh-hans"):
        for heading in HEADINGS:
            assert translation.gettext(heading) in text, heading
    assert re.search(r"\b1\s*/\s*\d+\b", text)  # the page counter


def test_the_pdf_headings_are_chinese_once_the_catalogue_has_them(users, school, client, tmp_path):
    with translation.override("zh-hans"):
        if translation.gettext("Safety ledger") == "Safety ledger":
            pytest.skip("the Chinese catalogue does not have the ledger's words yet")
    build(users, school)
    client.force_login(users["principal"])
    text = text_of(client.get(PDF).content, tmp_path)
    for words in ("安全台账", "隐患", "应急演练", "值班", "出车前检查", "安全责任书"):
        assert words in text, words


def test_the_pdf_prints_in_english_for_a_reader_who_chose_it(users, school, client, tmp_path):
    build(users, school)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["auditor"])
    text = text_of(client.get(PDF).content, tmp_path)
    assert "Safety ledger" in text
    for heading in HEADINGS:
        assert heading in text, heading


# Measured on PostgreSQL with 1 and 10 sets of records: 24 on the page, 23 for the PDF, the same at both sizes —
# the ledger's reads (inspections held, missed, hazards, earlier ones still open, drills and their follow-ups, duty
# per kind, the gaps, vehicles, pledges), the term's figures (6), the term and the picker's terms, the session, user
# and permissions. The bound leaves room for two more, not for one per row.
LEDGER_MAX = 26


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.parametrize("url", [PAGE, PDF])
def test_the_ledger_query_count_does_not_grow(users, school, client, django_assert_max_num_queries, n, url):
    build(users, school, n=n)
    Drill.objects.create(plan=Drill.objects.first().plan, title="防震演练", held_on=timezone.localdate(),
                         classes="全校", headcount=900, recorded_by=users["safety"])
    client.force_login(users["principal"])
    with django_assert_max_num_queries(LEDGER_MAX):
        response = client.get(url, {"term": school["term"].pk})
    assert response.status_code == 200


@pytest.mark.usefixtures("english_pages")
def test_the_page_shows_the_latest_inspections_held_and_the_pdf_all_of_them(users, school, client, tmp_path,
                                                                          monkeypatch):
    from safety.views import today as views

    monkeypatch.setattr(views, "PAGE_INSPECTIONS", 2)
    build(users, school, n=3)  # three inspections held, five days ago
    client.force_login(users["principal"])
    page = client.get(PAGE).content.decode()
    assert page.count(">每周安全巡查") == 2
    assert "The latest 2 of the term's 3 inspections held; the PDF has all of them." in page
    assert f"date_from={school['term'].start:%Y-%m-%d}" in page
    text = text_of(client.get(PDF).content, tmp_path)
    assert all(f"每周安全巡查{i}" in text for i in (1, 2, 3))
