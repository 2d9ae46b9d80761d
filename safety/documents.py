"""The safety module's long document, made in the background (logistics.jobs; declared in SafetyConfig.jobs): the
term's safety ledger (安全台账) as a PDF when the term holds more inspections than a page waits for — a big
school's daily patrols make thousands a term. A smaller term's ledger prints while the reader waits
(views/today.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.jobs.services import JobFailed
from logistics.models import Term
from logistics.pdf import render_pdf
from logistics.services import display_name
from logistics.summary.document import figure_text
from logistics.textcolumns import SEPARATOR, paginate, row_lines

from .figures import term_figures
from .models import Inspection
from .selectors.ledger import ledger_data, term_days

# A term with more inspections held than this prints its ledger in the background; fewer print while the reader
# waits (a small school's term: a few hundred, a second or two). Since the inspections are printed as pages of text
# (below) a term of 4,290 takes about 5 s and 210 MB (37 s and 930 MB as a table): still about a second a thousand,
# longer than a web worker on two cores should keep a reader waiting.
LEDGER_IN_BACKGROUND = 1_500


def held_count(term):
    """How many inspections the term's ledger lists (one count)."""
    return Inspection.objects.filter(due_date__range=term_days(term), status=Inspection.Status.DONE).count()


def in_background(term):
    return held_count(term) > LEDGER_IN_BACKGROUND


def figure_rows(term):
    return [{"key": f.key, "label": f.label, "value": figure_text(f.value, f.money, str(f.unit)),
             "unit": "" if f.money or str(f.unit) == "%" else f.unit, "carry": bool(f.carry and f.value)}
            for f in term_figures(term)]


# --- the inspections held, as pages of fixed-width text -----------------------------------------------------
#
# WeasyPrint's time goes by boxes: as a table, every inspection held was a row of six cells, each a block with a
# line and its text — 4,290 inspections took 37 s and 930 MB. So, as the register PDF does (assets.documents), the
# rows are laid out here in pages of preformatted text in the monospaced Chinese font (WenQuanYi Micro Hei Mono: a
# Chinese character 1 em wide, anything else 0.6 em), each column padded to its width and wrapped inside it when
# too long (nothing is cut), a | between the columns and the header repeated on every page: a page is one box.

# (header, width in Latin characters, right-aligned): 136 characters with the rules, on A4 landscape at 9 pt (140
# fit); the headers are the words of the page's table (safety/ledger_sections.html).
HELD_COLUMNS = [
    (gettext_lazy("Date"), 10, False),
    (gettext_lazy("Checklist"), 60, False),
    (gettext_lazy("Inspector"), 23, False),
    (pgettext_lazy("inspection items", "Items"), 10, True),
    (pgettext_lazy("inspection items", "Failed"), 10, True),
    (gettext_lazy("Passed / n.a."), 18, True),
]
FAILED = 4  # the column printed in bold when not 0
# Lines of text on a page (9 pt on 12 pt lines, the header included: 41 fit; one spare for rounding); the first
# page holds the title and the section's heading too.
PAGE_LINES = 40
FIRST_PAGE_LINES = 32


def held_line(values, columns=HELD_COLUMNS):
    """One row as fixed-width text: [(text, bold)] — the failed count (column FAILED, when not 0) in bold, the rest
    plain; several lines when a cell is longer than its column."""
    parts = []
    for i, line in enumerate(row_lines(values, columns)):
        for n, (text, padding, right) in enumerate(line):
            if n:
                parts.append((SEPARATOR, False))
            if n == FAILED and i == 0 and values[n] not in (0, "0"):
                parts += [(padding, False), (text, True)] if right else [(text, True), (padding, False)]
            else:
                parts.append((padding + text if right else text + padding, False))
        parts.append(("\n", False))
    return parts


def held_pages(rows, page_lines=None, first_page_lines=None):
    """The inspections held (held_inspection_rows) in pages of text: [[(text, bold)]], plain runs joined, each
    page at most page_lines lines under the header (the first one first_page_lines); every row once, in order."""
    page_lines, first_page_lines = page_lines or PAGE_LINES, first_page_lines or FIRST_PAGE_LINES
    header = held_header().count("\n") + 1  # a heading longer than its column takes two lines
    lines = (held_line((day.isoformat(), title, person, items, failed, f"{passed} / {na}"))
             for day, title, person, items, failed, passed, na in rows)
    pages = paginate(lines, lambda parts: sum(1 for text, _b in parts if text == "\n"),
                     first_page_lines - header, page_lines - header)
    return [_joined(part for parts in page for part in parts) for page in pages]


def _joined(parts):
    """Runs of plain text joined (a page is a few strings, not thousands), without the last line's break."""
    out, plain = [], []
    for text, bold in parts:
        if bold:
            if plain:
                out.append(("".join(plain), False))
                plain = []
            out.append((text, True))
        else:
            plain.append(text)
    if plain:
        out.append(("".join(plain).rstrip("\n"), False))
    return out


def held_header():
    """The columns' headings as a line of text (in the language printing)."""
    return "".join(text for text, _b in held_line([str(h) for h, _w, _r in HELD_COLUMNS])).rstrip("\n")


def print_context(term, user):
    data = ledger_data(term, rows=True)
    return {**data, "held_header": held_header(), "held_pages": held_pages(data["inspections"]),
            "figures": figure_rows(term), "print_term": term, "printed_at": timezone.now(),
            "printed_by": display_name(user)}


def filename(term):
    return f"safety-ledger-{term.start:%Y-%m}.pdf"


def ledger_pdf(job, progress):
    """The term's ledger as the A4 PDF the page prints, in the language the job was started in."""
    term = Term.objects.filter(pk=job.parameters.get("term")).first()
    if term is None:
        raise JobFailed(_("That term is no longer on record."))
    progress(0, 3)
    context = print_context(term, job.owner)
    progress(1, 3)
    pdf = render_pdf("print/safety_ledger.html", context, base_url=job.parameters.get("base_url") or None)
    progress(3, 3)
    return filename(term), pdf
