"""The summary as a document: each chapter's figures against records built here, the change against the term
before, a term with no records at all, the open items carried into the last chapter, and the head's words with
figures quoted (document.layout(document.collect(summary)))."""
import io
from decimal import Decimal

import docx
import pytest
from django.utils import timezone, translation

from logistics.models import SummaryChapter
from logistics.summary import document, export

from ._build import D, earlier_repair, fixed_repair, open_repair, started

CHAPTERS = ["routine", "finance_assets", "canteen", "safety", "outlook"]


def layout(summary, lang="en", **kwargs):
    with translation.override(lang):
        return document.layout(document.collect(summary), **kwargs)


def chapter(doc, key):
    return next(c for c in doc.chapters if c.key == key)


def rows(doc, key, lang="en"):
    """{figure key: (value, previous, arrow, change)} of a chapter, as printed in lang ("same" is lazy)."""
    with translation.override(lang):
        return {f.key: (f.value, f.previous, f.arrow, str(f.change)) for f in chapter(doc, key).figures}


@pytest.fixture
def two_terms(users, school, term, earlier):
    """The term before: one repair fixed for ¥300. This term: two fixed (¥150, ¥50) and one reported ten days
    ago, never assigned, so past its target."""
    earlier_repair(users, school, earlier, cost="300")
    fixed_repair(users, school, cost="150")
    fixed_repair(users, school, cost="50")
    open_repair(users, school, when=timezone.now() - 10 * D)
    return started(term, users)


# --- each chapter's figures, and the change against the term before ---------------------------------

def test_routine_shows_this_terms_repairs_the_term_befores_and_the_change(two_terms):
    doc = layout(two_terms)
    assert doc.previous_term == "上学期"
    routine = rows(doc, "routine")
    assert routine["repairs.total"] == ("3", "1", "▲", "2")
    assert routine["repairs.done"] == ("2", "1", "▲", "1")
    assert routine["repairs.overdue"] == ("1", "0", "▲", "1")
    assert routine["repairs.cost"] == ("¥200.00", "¥300.00", "▼", "¥100.00")
    assert routine["repairs.within_target_percent"] == ("100%", "100%", "", "same")
    assert routine["repairs.lighting"] == ("2", "1", "▲", "1")  # the two fixed this term, one the term before
    assert routine["repairs.plumbing"] == ("1", "0", "▲", "1")
    assert routine["repairs.doors"] == ("0", "0", "", "same")
    assert routine["checks.done"] == ("0", "0", "", "same")
    chinese = rows(layout(two_terms, "zh-hans"), "routine", "zh-hans")
    assert chinese["repairs.cost"] == ("¥200.00", "¥300.00", "▼", "¥100.00")
    assert chinese["checks.done"] == ("0", "0", "", "持平")


def test_each_figure_is_in_its_own_chapter_and_the_outlook_has_no_table(two_terms):
    doc = layout(two_terms)
    assert [c.key for c in doc.chapters] == CHAPTERS
    assert "repairs.total" in rows(doc, "routine")
    finance_assets = rows(doc, "finance_assets")
    assert {"assets.added", "purchases.submitted", "spending.total", "damage.paid"} <= set(finance_assets)
    assert not set(finance_assets) & set(rows(doc, "routine"))
    assert chapter(doc, "outlook").figures == []
    assert "repairs.open_overdue" not in rows(doc, "routine")  # an open item, carried, not a term figure


def test_the_repairs_chart_is_drawn_in_its_chapter_with_this_terms_counts(two_terms):
    routine = chapter(layout(two_terms), "routine")
    (chart,) = [c for c in routine.charts if c["title"] == "Repairs by category"]
    assert "<svg" in chart["svg"]
    assert ">Lighting and electrical<" in chart["svg"] or "Lighting and electrical</title>" in chart["svg"]
    assert ">2</text>" in chart["svg"] and ">1</text>" in chart["svg"]


def test_chapters_are_numbered_as_the_language_writes_them(two_terms):
    n = len(document.default_chapters())
    assert [c.number for c in layout(two_terms, "zh-hans").chapters] == list("一二三四五六七八九"[:n])
    assert [c.number for c in layout(two_terms, "en").chapters] == [str(i) for i in range(1, n + 1)]
    assert [document.chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九"]


def test_the_change_of_a_figure_the_term_before_did_not_have_is_left_blank(users, school, term, earlier):
    summary = started(term, users)
    data = document.collect(summary)
    figure = next(f for f in data["figures"] if f["key"] == "repairs.total")
    figure.update(previous=None, had_previous=False)  # a figure a module added since the term before
    with translation.override("en"):
        doc = document.layout(data)
    assert rows(doc, "routine")["repairs.total"] == ("0", "", "", "")


def test_figure_text_writes_whole_numbers_without_decimals():
    assert document.figure_text(Decimal("12")) == "12"
    assert document.figure_text(Decimal("3.50")) == "3.5"
    assert document.figure_text(5.0) == "5"
    assert document.figure_text(Decimal("2.00")) == "2"
    assert document.figure_text(Decimal("0.00")) == "0"
    assert document.figure_text(Decimal("1234.5"), money=True) == "¥1,234.50"
    assert document.figure_text(95, unit="%") == "95%"
    assert document.figure_text(None) == "—"
    assert document.change_text(Decimal("3.00"), Decimal("1.00")) == ("▲", "2")


# --- a term with no records at all ------------------------------------------------------------------

def test_a_term_with_no_records_has_every_chapter_with_nothing_in_it(users, term):
    summary = started(term, users)
    for lang in ("zh-hans", "en"):
        doc = layout(summary, lang)
        assert doc.previous_term == ""
        assert [c.key for c in doc.chapters] == CHAPTERS
        figures = [f for c in doc.chapters for f in c.figures]
        assert len(figures) > 20
        assert {f.value for f in figures} <= {"0", "—", "¥0.00", "0%"}, {f.key: f.value for f in figures}
        # A percentage is "—" when there was nothing to count it of; the weeks of the term so far are there
        # with no records, so of those none had its menu shown to parents.
        assert {f.key for f in figures if f.value == "0%"} == {"menus.published_percent"}
        assert rows(doc, "canteen")["samples.complete_percent"][0] == "—"  # no meal served: nothing sampled of
        assert rows(doc, "routine")["repairs.median_hours"][0] == "—"  # nothing fixed: no median
        assert {(f.previous, f.arrow, str(f.change)) for f in figures} == {("", "", "")}
        assert chapter(doc, "outlook").carried == []
        assert doc.errors == {}


def test_a_term_with_no_records_prints_as_pdf_and_docx(users, term):
    summary = started(term, users)
    with translation.override("zh-hans"):
        pdf = export.summary_pdf(summary)
        word = export.summary_docx(summary)
    assert pdf.startswith(b"%PDF")
    opened = docx.Document(io.BytesIO(word))
    cells = [cell.text for table in opened.tables for row in table.rows for cell in row.cells]
    assert "¥0.00" in cells and "0" in cells


# --- open items carried into the outlook ---------------------------------------------------------

def test_an_overdue_open_repair_is_carried_into_the_outlook(users, school, term):
    open_repair(users, school, when=timezone.now() - 10 * D)
    summary = started(term, users)
    outlook = chapter(layout(summary), "outlook")
    assert outlook.carried == ["repairs still overdue: 1"]
    assert chapter(layout(summary, "zh-hans"), "outlook").carried == ["仍超时未修的报修：1"]
    assert chapter(layout(summary), "routine").carried == []


def test_with_no_overdue_repair_nothing_is_carried(users, school, term):
    fixed_repair(users, school, cost="80")
    open_repair(users, school)  # reported now: not yet due
    summary = started(term, users)
    assert chapter(layout(summary), "outlook").carried == []


def test_carried_items_come_before_the_heads_points(users, school, term):
    open_repair(users, school, when=timezone.now() - 10 * D)
    summary = started(term, users)
    SummaryChapter.objects.filter(summary=summary, key="outlook").update(narrative="一是补齐维修人员。\n\n二是节能。")
    outlook = chapter(layout(summary), "outlook")
    assert outlook.carried == ["repairs still overdue: 1"]
    assert outlook.points == ["一是补齐维修人员。", "二是节能。"]


# --- the head's words ------------------------------------------------------------------------------

def test_the_heads_words_print_the_figures_they_quote(two_terms):
    SummaryChapter.objects.filter(summary=two_terms, key="routine").update(
        narrative="本学期共受理报修{repairs.total}项，完成{ repairs.done }项。\r\n\r\n维修费用{repairs.cost}，{{备注}}")
    doc = layout(two_terms, "zh-hans")
    assert chapter(doc, "routine").points == ["本学期共受理报修3项，完成2项。", "维修费用¥200.00，{备注}"]
    assert doc.errors == {}


def test_an_unknown_name_in_stored_words_prints_as_a_dash_and_is_listed(two_terms):
    # e.g. written when a module still had that figure: the service refuses unknown names when saving
    SummaryChapter.objects.filter(summary=two_terms, key="finance_assets").update(narrative="完成{repairs.dnoe}项")
    two_terms.opening = "{学期}总结"
    two_terms.save()
    doc = layout(two_terms)
    assert chapter(doc, "finance_assets").points == ["完成—项"]
    assert doc.opening == ["—总结"]
    assert list(doc.errors) == ["finance_assets", "opening"]
    assert "Did you mean {repairs.done} (repairs done)?" in doc.errors["finance_assets"][0]


def test_a_hidden_chapter_is_left_out_and_the_others_numbered_on(users, term):
    summary = started(term, users)
    SummaryChapter.objects.filter(summary=summary, key="routine").update(hidden=True)
    keys = [c.key for c in document.default_chapters()]
    assert keys[0] == "routine"
    doc = layout(summary, "zh-hans")
    assert [(c.key, c.number) for c in doc.chapters] == list(zip(keys[1:], "一二三四五六七八九", strict=False))
    assert len(doc.chapters) == len(keys) - 1
    doc = layout(summary, "zh-hans", include_hidden=True)
    assert [(c.key, c.hidden) for c in doc.chapters] == [(key, key == "routine") for key in keys]


def test_a_figure_of_a_chapter_no_summary_has_goes_to_other_before_the_outlook(users, term):
    summary = started(term, users)
    data = document.collect(summary)
    keys = [c.key for c in document.default_chapters()]
    assert "laundry" not in keys  # a chapter no module declares (nor, so, the summary)
    data["figures"].append({"key": "laundry.loads", "label": {"zh-hans": "洗涤次数", "en": "loads washed"},
                            "value": 5, "unit": {"zh-hans": "", "en": ""}, "chapter": "laundry", "money": False,
                            "carry": False, "previous": None, "had_previous": False})
    with translation.override("en"):
        doc = document.layout(data)
    assert [c.key for c in doc.chapters] == [*keys[:-1], "other", "outlook"]
    assert keys[-1] == "outlook"
    assert rows(doc, "other") == {"laundry.loads": ("5", "", "", "")}


def test_the_default_title_names_the_school_and_the_term(users, term):
    summary = started(term, users)
    assert layout(summary).title == "实验小学 本学期 logistics work summary"
    assert layout(summary, "zh-hans").title == "实验小学本学期后勤工作总结"
    summary.title = "2026年春季学期后勤工作总结"
    summary.save()
    assert layout(summary).title == "2026年春季学期后勤工作总结"
