"""The summary printed: an A4 PDF through the one print base (cover, contents, page x / y, signatures),
and a .docx with the same chapters, figures and tables for schools that keep their documents in Word/WPS."""
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from logistics.pdf import render_pdf
from logistics.services import display_name

from .document import data_of, figure_text, layout


def context(summary):
    doc = layout(data_of(summary))
    return {"doc": doc, "summary": summary, "signed": summary.status == summary.Status.SIGNED,
            "signed_by": display_name(summary.signed_by), "submitted_by": display_name(summary.submitted_by),
            "print_school": doc.school, "print_term": doc.term}


def summary_pdf(summary, request=None):
    return render_pdf("print/term_summary.html", context(summary), request=request)


def filename(summary, ext):
    return f"term-summary-{summary.term.start:%Y-%m}.{ext}"


def summary_docx(summary):
    """The .docx bytes: title, opening, chapters (heading, figure table, the head's points, open items),
    signature lines. Each chart comes as a table of its figures (the PDF draws it)."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = layout(data_of(summary))
    zh = (translation.get_language() or "").startswith("zh")
    out = Docx()
    style = out.styles["Normal"]
    style.font.name = "SimSun" if zh else "Calibri"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    out.core_properties.title = doc.title
    out.core_properties.subject = doc.term
    title = out.add_heading(doc.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = out.add_paragraph(f"{doc.school} · {doc.term} ({doc.term_dates[0]} – {doc.term_dates[1]})")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in doc.opening:
        out.add_paragraph(text)
    for chapter in doc.chapters:
        out.add_heading(f"{chapter.number}、{chapter.title}" if zh else f"{chapter.number}. {chapter.title}", level=1)
        if chapter.figures:
            table = out.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            head = table.rows[0].cells
            for cell, text in zip(head, (_("Figure"), _("This term"), doc.previous_term or _("Previous term"),
                                         _("Change")), strict=True):
                cell.text = text
            for row in chapter.figures:
                cells = table.add_row().cells
                cells[0].text = row.label
                cells[1].text = f"{row.value} {row.unit}".strip()
                cells[2].text = f"{row.previous} {row.unit}".strip() if row.previous else "—"
                cells[3].text = f"{row.arrow} {row.change}".strip()
        for chart in chapter.charts:
            # A chart's figures as a table: Word and WPS keep them editable, and no reader loses a number.
            out.add_paragraph(chart["title"])
            series = chart["series"] or [_("Figure")]
            table = out.add_table(rows=1, cols=1 + len(series))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ["", *series], strict=True):
                cell.text = str(text)
            for label, values in chart["bars"]:
                cells = table.add_row().cells
                cells[0].text = label
                for cell, value in zip(cells[1:], values, strict=False):
                    cell.text = figure_text(value, chart["money"])
        for n, text in enumerate(chapter.carried, start=1):
            out.add_paragraph(f"{n}、{text}" if zh else f"{n}. {text}")
        offset = len(chapter.carried)
        for n, text in enumerate(chapter.points, start=offset + 1):
            out.add_paragraph(f"{n}、{text}" if zh else f"{n}. {text}")
    out.add_paragraph("")
    signatures = out.add_table(rows=2, cols=2)
    signatures.style = "Table Grid"
    signatures.rows[0].cells[0].text = _("Head of logistics (signature)") + "：" + (
        display_name(summary.submitted_by) if summary.submitted_by else "")
    signatures.rows[0].cells[1].text = _("Date") + "："
    signatures.rows[1].cells[0].text = _("Principal (signature)") + "：" + (
        display_name(summary.signed_by) if summary.signed_by else "")
    signatures.rows[1].cells[1].text = _("Date") + "：" + (
        f"{timezone.localtime(summary.signed_at):%Y-%m-%d}" if summary.signed_at else "")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
