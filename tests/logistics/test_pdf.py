"""The one PDF helper prints Chinese with an embedded CJK font, and the system check notices a missing one."""
import shutil
import subprocess

from django.test import override_settings

from logistics import checks, pdf
from logistics.models import Term


def test_a_cjk_font_is_installed_on_this_machine():
    # make run / make test install fonts-wqy-microhei; without it every Chinese PDF prints boxes.
    assert pdf.find_cjk_font() is not None
    assert checks.cjk_font_installed(None) == []


def test_missing_font_is_reported_by_the_system_check(tmp_path):
    pdf.find_cjk_font.cache_clear()
    try:
        with override_settings(PDF_CJK_FONT_FILE=str(tmp_path / "no-such-font.ttf")):
            warnings = checks.cjk_font_installed(None)
        assert [w.id for w in warnings] == ["logistics.W001"]
        assert "Chinese" in warnings[0].msg
    finally:
        pdf.find_cjk_font.cache_clear()


def test_pdf_carries_chinese_text_and_an_embedded_font(db, tmp_path, settings):
    assert shutil.which("pdftotext"), "poppler-utils is needed (make test installs it)"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    (tmp_path / "doc.html").write_text(
        '{% extends "print/base.html" %}{% block content %}<h1>学期工作总结</h1><p>维修 {{ n }} 次</p>'
        '{% endblock %}', encoding="utf-8")
    data = pdf.render_pdf("doc.html", {"n": 42})
    assert data.startswith(b"%PDF")
    out = tmp_path / "doc.pdf"
    out.write_bytes(data)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "学期工作总结" in text and "维修 42 次" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.splitlines()[2]  # the first font row says "emb yes"


def test_every_print_context_gets_the_school_and_the_term_unless_the_caller_set_them(school):
    term = school["term"]
    assert pdf.print_context({}) == {"print_school": "实验小学", "print_term": term}
    other = Term.objects.create(name="上学期", start=term.start.replace(year=term.start.year - 1),
                                end=term.end.replace(year=term.end.year - 1))
    assert pdf.print_context({"term": other})["print_term"] == other
    assert pdf.print_context({"print_term": other, "print_school": "二小"}) == {
        "print_term": other, "print_school": "二小"}
    caller = {"n": 1}
    pdf.print_context(caller)
    assert caller == {"n": 1}  # the caller's dict is left alone


def test_a_font_name_is_written_into_css_as_an_escaped_string():
    assert pdf._css_string('Odd "Font"\\') == '"Odd \\"Font\\"\\\\"'



def test_the_celsius_sign_prints_as_degrees_c(db, tmp_path):
    """"℃" has no glyph in the default CJK print font: a document prints "°C", which extracts back as typed."""
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf.render_pdf("print/base.html", {"print_school": "冷藏柜温度10℃", "print_term": "本学期"}))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "冷藏柜温度10°C" in text and "℃" not in text
