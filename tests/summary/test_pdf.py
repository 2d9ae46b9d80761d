"""The summary's PDF as printed: the CJK font embedded, and its text given back by pdftotext: the title, the
chapter titles, a figure, the open items, and the page footer "x / N" (the cover carries none), in Chinese and in
English."""
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from logistics.models import SummaryChapter
from logistics.pdf import find_cjk_font
from logistics.summary import export, services

from ._build import D, fixed_repair, fresh, open_repair, signed, started

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                reason="poppler-utils is not installed")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages(path):
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))


def page_text(path, page):
    return run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def _plain(name):
    return re.sub(r"[^0-9a-z]", "", name.lower())


def assert_cjk_font_embedded(path):
    """pdffonts lists the CJK font the print helper found (or its alias SchoolCJK) as embedded (emb: yes)."""
    family, _file = find_cjk_font()
    rows = run("pdffonts", str(path)).splitlines()[2:]
    embedded = [_plain(row.split()[0].split("+")[-1]) for row in rows if row.split()[-5] == "yes"]
    assert any(_plain(family) in name or name == "schoolcjk" for name in embedded), rows


def footers(path):
    """The page footer "x / N" of each page (pdftotext may close up its spaces), None where there is none."""
    out = []
    for n in range(1, pages(path) + 1):
        lines = [line.strip() for line in page_text(path, n).splitlines() if line.strip()]
        match = re.fullmatch(r"(\d+)\s*/\s*(\d+)", lines[-1]) if lines else None
        out.append(f"{match[1]} / {match[2]}" if match else None)
    return out


@pytest.fixture
def summary(users, school, term):
    fixed_repair(users, school, cost="150")
    open_repair(users, school, when=timezone.now() - 10 * D)
    summary = started(term, users)
    chapter = SummaryChapter.objects.get(summary=summary, key="routine")
    services.save_chapter(chapter.pk, users["head"], version=chapter.version, title="",
                          narrative="本学期共受理报修{repairs.total}项，维修费用{repairs.cost}。")
    return fresh(summary)


def printed(summary, lang, tmp_path):
    with translation.override(lang):
        content = export.summary_pdf(summary)
    path = tmp_path / f"summary-{lang}.pdf"
    path.write_bytes(content)
    return path


def test_the_chinese_pdf_embeds_the_font_and_reads_back(summary, tmp_path):
    path = printed(summary, "zh-hans", tmp_path)
    assert_cjk_font_embedded(path)
    text = run("pdftotext", str(path), "-")
    for expected in ("实验小学本学期后勤工作总结", "后勤常规管理", "财务与校产管理", "一、后勤常规管理",
                     "本学期共受理报修2项，维修费用¥150.00。", "仍超时未修的报修：1"):
        assert expected in text, expected
    n = pages(path)
    assert n >= 3  # the cover, the contents, the chapters
    assert footers(path) == [None] + [f"{k} / {n}" for k in range(2, n + 1)]  # the cover has no footer


def test_the_english_pdf_embeds_the_font_and_reads_back(summary, tmp_path):
    path = printed(summary, "en", tmp_path)
    assert_cjk_font_embedded(path)  # the school's name and the head's words are Chinese
    text = run("pdftotext", str(path), "-")
    for expected in ("实验小学 本学期 logistics work summary", "1. Routine logistics", "Finance and school property",
                     "repairs still overdue: 1", "Contents"):
        assert expected in text, expected
    n = pages(path)
    assert footers(path) == [None] + [f"{k} / {n}" for k in range(2, n + 1)]


def test_the_signed_pdf_says_who_signed_it_off(users, term, tmp_path, client):
    summary = fresh(signed(term, users))
    path = tmp_path / "signed.pdf"
    with summary.signed_pdf.open("rb") as f:
        path.write_bytes(f.read())
    assert_cjk_font_embedded(path)
    text = run("pdftotext", str(path), "-")
    assert "赵校长" in text and "陈主任" in text
    assert f"{timezone.localtime(summary.signed_at):%Y-%m-%d}" in text
    client.force_login(users["auditor"])
    response = client.get(reverse("summary:pdf", args=[term.pk]))
    assert b"".join(response.streaming_content) == path.read_bytes()
