"""The summary's pages through the test client: who sees what, the chapter editor keeping what was typed, the PDF
(the very file signed) and the .docx, and pages whose query count does not grow with the records."""
import datetime
import io
from html import unescape

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.models import SummaryChapter, Term, TermSummary
from logistics.summary import document, services

from ._build import D, earlier_repair, fixed_repair, fresh, open_repair, signed, started, submitted

S = TermSummary.Status


def get(client, user, url, lang="zh-hans"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url)


def text(response):
    return unescape(response.content.decode())


def url(name, term, *args):
    return reverse(f"summary:{name}", args=[term.pk, *args])


# --- who sees what -----------------------------------------------------------------------------------

def test_the_head_and_the_principal_see_a_draft_others_do_not(users, term, client):
    started(term, users)
    for who in ("head", "principal"):
        response = get(client, users[who], url("detail", term))
        assert response.status_code == 200, who
        assert 'data-status="draft"' in text(response)
    for who in ("auditor", "finance"):
        assert get(client, users[who], url("detail", term)).status_code == 404, who
        assert get(client, users[who], url("pdf", term)).status_code == 404, who
        assert get(client, users[who], url("docx", term)).status_code == 404, who
    assert get(client, users["teacher"], url("detail", term)).status_code == 403


def test_a_submitted_summary_is_still_hidden_from_the_auditor(users, term, client):
    submitted(term, users)
    assert get(client, users["auditor"], url("detail", term)).status_code == 404
    assert get(client, users["principal"], url("detail", term)).status_code == 200


def test_the_auditor_and_finance_read_a_signed_summary(users, term, client):
    signed(term, users)
    for who in ("auditor", "finance"):
        response = get(client, users[who], url("detail", term))
        assert response.status_code == 200, who
        page = text(response)
        assert 'data-status="signed"' in page
        assert "后勤常规管理" in page and "财务与校产管理" in page
        assert url("submit", term) not in page and url("sign", term) not in page
        assert get(client, users[who], url("pdf", term)).status_code == 200


def test_a_teacher_does_not_see_the_list(users, term, client):
    assert get(client, users["teacher"], reverse("summary:list")).status_code == 403


def test_the_list_shows_a_draft_only_to_those_who_see_drafts(users, term, earlier, client):
    started(term, users)
    signed(earlier, users)
    head = text(get(client, users["head"], reverse("summary:list")))
    assert 'data-status="draft"' in head and 'data-status="signed"' in head
    auditor = text(get(client, users["auditor"], reverse("summary:list")))
    assert 'data-status="signed"' in auditor and 'data-status="draft"' not in auditor
    assert url("detail", earlier) in auditor and url("detail", term) not in auditor


def test_only_the_head_starts_a_summary_from_its_page(users, term, client):
    client.force_login(users["principal"])
    assert client.post(url("start", term)).status_code == 404
    assert not TermSummary.objects.exists()
    client.force_login(users["head"])
    response = client.post(url("start", term))
    assert response.status_code == 302
    chapters = TermSummary.objects.get(term=term).chapters
    assert list(chapters.values_list("key", flat=True)) == [c.key for c in document.default_chapters()]


# --- the chapter editor -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, message", [
    ("zh-hans", "{repairs.dnoe} 不是数据名称。您是想写 {repairs.done}（已修复）吗？"),
    ("en", "{repairs.dnoe} is not a figure's name. Did you mean {repairs.done} (repairs done)?"),
])
def test_the_editor_keeps_the_typed_words_and_shows_the_unknown_name(users, term, client, lang, message):
    summary = started(term, users)
    get(client, users["head"], url("chapter", term, "routine"), lang)
    typed = "本学期完成维修{repairs.dnoe}项，群众满意。"
    response = client.post(url("chapter", term, "routine"), {"version": 0, "title": "", "narrative": typed})
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert typed in page  # in the textarea, to correct
    assert SummaryChapter.objects.get(summary=summary, key="routine").narrative == ""


def test_the_editor_saves_and_the_summary_prints_the_figure(users, school, term, client):
    fixed_repair(users, school, cost="90")
    started(term, users)
    get(client, users["head"], url("chapter", term, "routine"))
    response = client.post(url("chapter", term, "routine"),
                           {"version": 0, "title": "", "narrative": "本学期完成维修{repairs.done}项。"})
    assert response.status_code == 302
    assert "#chapter-routine" in response["Location"]
    page = text(client.get(url("detail", term)))
    assert "本学期完成维修1项。" in page


def test_a_signed_summary_sends_the_editor_back_to_its_page(users, term, client):
    signed(term, users)
    response = get(client, users["head"], url("chapter", term, "routine"))
    assert response.status_code == 302 and response["Location"] == url("detail", term)
    client.post(url("chapter", term, "routine"), {"version": 0, "title": "", "narrative": "改"})
    assert SummaryChapter.objects.get(summary__term=term, key="routine").narrative == ""


def test_others_cannot_open_the_editor(users, term, client):
    started(term, users)
    for who in ("principal", "auditor"):
        assert get(client, users[who], url("chapter", term, "routine")).status_code == 404, who


def test_arrange_page_adds_a_chapter(users, term, client):
    summary = started(term, users)
    get(client, users["head"], url("arrange", term))
    data = {"version": summary.version, "add": "校园绿化"}
    for n, c in enumerate(summary.chapters.all(), start=1):
        data.update({f"chapter-{c.pk}-title": c.title, f"chapter-{c.pk}-position": n})
    assert client.post(url("arrange", term), data).status_code == 302
    assert list(summary.chapters.values_list("key", "title")) == [
        ("routine", ""), ("finance_assets", ""), ("canteen", ""), ("safety", ""), ("custom-1", "校园绿化"),
        ("outlook", "")]


# --- moves through the pages ----------------------------------------------------------------------

def test_submit_sign_and_return_through_the_pages(users, term, client):
    summary = started(term, users)
    client.force_login(users["head"])
    client.post(url("submit", term), {"version": summary.version})
    summary = fresh(summary)
    assert summary.status == S.SUBMITTED

    assert client.post(url("sign", term), {"version": summary.version}).status_code == 403  # the head
    client.force_login(users["principal"])
    client.post(url("return", term), {"version": summary.version, "comment": "请补充资产部分"})
    summary = fresh(summary)
    assert (summary.status, summary.return_comment) == (S.RETURNED, "请补充资产部分")
    page = text(get(client, users["head"], url("detail", term)))
    assert "请补充资产部分" in page

    client.post(url("submit", term), {"version": summary.version})
    client.force_login(users["principal"])
    client.post(url("sign", term), {"version": fresh(summary).version})
    assert fresh(summary).status == S.SIGNED


# --- the PDF and the .docx -----------------------------------------------------------------------------

def test_the_pdf_of_a_draft_is_drawn_now(users, term, client):
    started(term, users)
    response = get(client, users["head"], url("pdf", term))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_of_a_signed_summary_in_chinese_is_the_very_file_signed(users, school, term, client):
    fixed_repair(users, school, cost="120")
    summary = fresh(signed(term, users))
    with summary.signed_pdf.open("rb") as f:
        kept = f.read()
    fixed_repair(users, school, cost="60")  # the records change after the sign-off
    response = get(client, users["auditor"], url("pdf", term))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == kept
    english = get(client, users["auditor"], url("pdf", term), "en")
    assert english["Content-Type"] == "application/pdf"
    assert english.content.startswith(b"%PDF-") and english.content != kept


def docx_of(response):
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    opened = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in opened.paragraphs]
    cells = [[cell.text for cell in row.cells] for table in opened.tables for row in table.rows]
    return paragraphs, cells


def test_the_docx_holds_the_chapter_headings_and_the_figures(users, school, term, earlier, client):
    earlier_repair(users, school, earlier, cost="300")
    fixed_repair(users, school, cost="150")
    fixed_repair(users, school, cost="50")
    open_repair(users, school, when=timezone.now() - 10 * D)
    summary = started(term, users)
    services.save_chapter(SummaryChapter.objects.get(summary=summary, key="routine").pk, users["head"], version=0,
                          title="", narrative="本学期共受理报修{repairs.total}项。")

    paragraphs, cells = docx_of(get(client, users["head"], url("docx", term)))
    assert "一、后勤常规管理" in paragraphs
    assert "二、财务与校产管理" in paragraphs
    assert any(p.startswith("三、") for p in paragraphs)
    assert "1、本学期共受理报修3项。" in paragraphs
    assert "1、仍超时未修的报修：1" in paragraphs  # carried into the outlook
    assert ["报修单", "3", "1", "▲ 2"] in cells
    assert ["维修费用", "¥200.00", "¥300.00", "▼ ¥100.00"] in cells

    paragraphs, cells = docx_of(get(client, users["head"], url("docx", term), "en"))
    assert "1. Routine logistics" in paragraphs and "2. Finance and school property" in paragraphs
    assert ["repair requests", "3", "1", "▲ 2"] in cells


def test_the_docx_of_a_signed_summary_keeps_the_signed_figures(users, school, term, client):
    fixed_repair(users, school, cost="150")
    signed(term, users)
    fixed_repair(users, school, cost="50")
    _paragraphs, cells = docx_of(get(client, users["finance"], url("docx", term)))
    assert ["维修费用", "¥150.00", "—", ""] in cells


# --- query counts -------------------------------------------------------------------------------------

def make_terms(users, n, first):
    """n terms from the day first on, every other one with a summary: signed (no PDF, for speed) or a draft."""
    for i in range(n):
        start = first + datetime.timedelta(days=200 * i)
        term = Term.objects.create(name=f"{start:%Y-%m}学期", start=start, end=start + datetime.timedelta(days=150))
        summary = started(term, users)
        if i % 2:
            summary = services.submit(summary.pk, users["head"], version=summary.version)
            services.sign(summary.pk, users["principal"], version=summary.version, pdf=False)


def queries(client, user, page):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["head", "auditor"])
def test_the_list_takes_as_many_queries_for_twelve_terms_as_for_two(users, school, client, who,
                                                                      django_assert_max_num_queries):
    make_terms(users, 1, timezone.localdate() - datetime.timedelta(days=3000))
    assert Term.objects.count() == 2
    few = queries(client, users[who], reverse("summary:list"))
    make_terms(users, 10, timezone.localdate() + datetime.timedelta(days=200))
    assert Term.objects.count() == 12
    client.force_login(users[who])
    with django_assert_max_num_queries(few):
        response = client.get(reverse("summary:list"))
    assert text(response).count('<td class="t-title"') == 12


def test_the_summary_page_takes_as_many_queries_for_thirty_repairs_as_for_two(users, school, term, client,
                                                                             django_assert_max_num_queries):
    for _i in range(2):
        fixed_repair(users, school, cost="10")
    summary = started(term, users)
    few = queries(client, users["head"], url("detail", term))
    for i in range(28):
        open_repair(users, school, when=timezone.now() - (i % 12) * D, category=("doors", "it", "other")[i % 3])
    client.force_login(users["head"])
    with django_assert_max_num_queries(few):
        response = client.get(url("detail", term))
    assert "30" in text(response)
    assert fresh(summary).status == S.DRAFT


# --- the editors open; the words are text, never markup ---------------------------------------------------

@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_editors_open_for_the_head(users, school, term, client, lang):
    fixed_repair(users, school, cost="20")
    started(term, users)
    for page in (url("opening", term), url("chapter", term, "routine"), url("chapter", term, "outlook")):
        response = get(client, users["head"], page, lang)
        assert response.status_code == 200, page
        assert "{repairs.done}" in text(response)  # the list of figures to quote
    arrange = get(client, users["head"], url("arrange", term), lang)
    assert arrange.status_code == 200
    assert ("后勤常规管理" if lang == "zh-hans" else "Routine logistics") in text(arrange)
    assert get(client, users["head"], url("chapter", term, "nothing")).status_code == 404


def test_the_heads_words_are_shown_as_text(users, term, client):
    summary = started(term, users)
    SummaryChapter.objects.filter(summary=summary, key="routine").update(
        narrative='<script>alert("x")</script>\n\n<b>粗体</b>')
    for page in (url("detail", term), url("chapter", term, "routine")):
        html = get(client, users["head"], page).content.decode()
        assert "<script>alert" not in html and "<b>粗体</b>" not in html
        assert "&lt;b&gt;粗体&lt;/b&gt;" in html
