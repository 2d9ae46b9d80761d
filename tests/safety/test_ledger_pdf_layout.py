"""The printed safety ledger's inspections held, laid out as pages of fixed-width text (safety.documents.held_pages,
one box a page for WeasyPrint): every inspection held printed once and in order whatever the page size, the column
rules in line whatever the script, a long checklist's name wrapped and not cut, the header on every page, the
rows read in one query with the person who did the check (else the one assigned)."""
import datetime
import re

import pytest
from django.utils import timezone

from logistics import textcolumns
from safety import documents
from safety.models import Inspection, InspectionPlan, InspectionResult
from safety.selectors.ledger import held_inspection_rows, held_inspections

from .test_figures import build
from .test_ledger_pages import PDF, text_of

D = datetime.timedelta(days=1)
Outcome = InspectionResult.Outcome


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rows_of(pages):
    """The text lines of laid-out pages (the header is not in them)."""
    return ["".join(t for t, _b in page).split("\n") for page in pages]


def test_pages_hold_every_row_once_in_order_at_any_page_size():
    day = datetime.date(2026, 9, 1)
    rows = [(day + i * D, f"巡查{i:03d}", "李明", 4, i % 3, 4 - i % 3, 0) for i in range(50)]
    for page_lines, first in ((3, 2), (4, 3), (7, 5), (40, 32), (100, 100)):
        pages = rows_of(documents.held_pages(rows, page_lines=page_lines, first_page_lines=first))
        lines = [line for page in pages for line in page]
        assert [re.search(r"巡查\d+", line).group() for line in lines] == [f"巡查{i:03d}" for i in range(50)]
        assert len(pages[0]) <= first - 1 and all(len(p) <= page_lines - 1 for p in pages)  # header on each
        assert all(pages)  # no empty page
    assert documents.held_pages([]) == []


def test_a_failed_count_is_bold_and_the_columns_stay_in_line():
    parts = documents.held_line(("2026-09-01", "一(1)班教室AB安全检查", "Zhang Wei", 5, 2, "3 / 0"))
    assert [t for t, bold in parts if bold] == ["2"]
    ok = documents.held_line(("2026-09-01", "一(1)班教室", "李明", 5, 0, "5 / 0"))
    assert not any(bold for _t, bold in ok)
    for line in ("".join(t for t, _b in parts).rstrip("\n"), "".join(t for t, _b in ok).rstrip("\n"),
                 documents.held_header()):
        offsets, x = [], 0
        for ch in line:
            if ch == "|":
                offsets.append(x)
            x += textcolumns.units(ch)
        widths = [w * textcolumns.LATIN for _h, w, _r in documents.HELD_COLUMNS]
        expected = [sum(widths[:k + 1]) + textcolumns.LATIN * k for k in range(len(widths) - 1)]
        assert offsets == expected, (line, offsets)


def test_a_long_checklist_name_wraps_inside_its_column_and_is_not_cut():
    name = "教学楼" * 30  # 90 Chinese characters: 150 Latin widths, the column has 60
    text = "".join(t for t, _b in documents.held_line(("2026-09-01", name, "李明", 5, 0, "5 / 0")))
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 3
    assert "".join(line.split("|")[1].strip("\u3000 ") for line in lines) == name
    pages = rows_of(documents.held_pages([(datetime.date(2026, 9, 1), name, "李明", 5, 0, 5, 0)] * 3,
                                         page_lines=5, first_page_lines=5))
    assert [len(p) for p in pages] == [3, 3, 3]  # a row's lines stay together on one page


def test_the_rows_are_read_in_one_query_as_the_records_say(users, school, django_assert_num_queries):
    built = build(users, school, n=3)[0]
    plan = built["plan"]
    today = timezone.localdate()
    # assigned only (nobody recorded as doing it), and neither: the person printed falls back, or is blank
    assigned = Inspection.objects.create(plan=plan, due_date=today - 6 * D, status=Inspection.Status.DONE,
                                         inspector=users["worker"])
    InspectionResult.objects.create(inspection=assigned, area="fire", item="灭火器", outcome=Outcome.FAIL)
    Inspection.objects.create(plan=plan, due_date=today - 7 * D, status=Inspection.Status.DONE)
    with django_assert_num_queries(1):
        rows = list(held_inspection_rows(school["term"]))
    records = list(held_inspections(school["term"]))
    assert len(rows) == len(records) == 5
    for row, i in zip(rows, records, strict=True):
        person = i.done_by or i.inspector
        assert row == (i.due_date, i.plan.title, (person.get_full_name() or person.username) if person else "",
                       i.items, i.failed, i.passed, i.na)
    assert (users["worker"].get_full_name() or users["worker"].username) in [r[2] for r in rows]


def test_the_pdf_prints_every_inspection_held_once_across_small_pages(users, school, client, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr(documents, "PAGE_LINES", 4)  # a header and three rows a page
    monkeypatch.setattr(documents, "FIRST_PAGE_LINES", 3)
    build(users, school, n=2)
    today = timezone.localdate()
    plans = [InspectionPlan.objects.create(title=f"日常巡查{k:02d}", frequency="daily", inspector=users["safety"])
             for k in range(9)]
    for plan in plans:
        Inspection.objects.create(plan=plan, due_date=today - 4 * D, status=Inspection.Status.DONE,
                                  done_by=users["safety"])
    Inspection.objects.create(plan=plans[0], due_date=today - 6 * D)  # not held: not printed
    client.force_login(users["principal"])
    text = text_of(client.get(PDF, {"term": school["term"].pk}).content, tmp_path)
    # the rows of the table (the missed ones are named in the note under it, not as rows)
    held = re.findall(r"(?:日常巡查|每周安全巡查)\d+(?=\s*\|)", text)
    assert held == ["每周安全巡查1", "每周安全巡查2"] + [f"日常巡查{k:02d}" for k in range(9)]
    pages = text.split("\f")
    with_rows = [p for p in pages if re.search(r"巡查\d+\s*\|", p)]
    assert len(with_rows) == 4  # 2 + 3 + 3 + 3 rows, each page under its own header
    assert all(p.count("检查表") == 1 or p.count("Checklist") == 1 for p in with_rows)
    # the failed count of the checklist that failed an item, and the passed / n.a. counts
    first = next(line for line in text.splitlines() if "每周安全巡查1" in line)
    assert [c.strip() for c in first.split("|")[3:]] == ["5", "1", "3 / 1"]


@pytest.mark.parametrize("n", [1, 3, 10])
def test_the_page_reads_the_last_inspections_held_and_their_number_only(users, school, django_assert_num_queries, n):
    """The screen's ledger: the last n held in the ledger's order, with the items counted for those only."""
    from safety.selectors.ledger import last_held_inspections

    plan = build(users, school, n=3)[0]["plan"]
    today = timezone.localdate()
    for days in (6, 7):  # two held earlier than the others
        Inspection.objects.create(plan=plan, due_date=today - days * D, status=Inspection.Status.DONE)
    Inspection.objects.create(plan=plan, due_date=today - 2 * D)  # not held: not in the ledger
    every = list(held_inspections(school["term"]))
    with django_assert_num_queries(3):
        total, last = last_held_inspections(school["term"], n)
    assert total == len(every) == 5
    assert [i.pk for i in last] == [i.pk for i in every[-n:]]
    assert [(i.items, i.failed, i.passed, i.na) for i in last] == [(i.items, i.failed, i.passed, i.na)
                                                                    for i in every[-n:]]
