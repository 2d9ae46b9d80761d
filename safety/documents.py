"""The safety module's long document, made in the background (logistics.jobs; declared in SafetyConfig.jobs): the
term's safety ledger (安全台账) as a PDF when the term holds more inspections than a page waits for — a big
school's daily patrols make thousands a term. A smaller term's ledger prints while the reader waits
(views/today.py)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.jobs.services import JobFailed
from logistics.models import Term
from logistics.pdf import render_pdf
from logistics.services import display_name
from logistics.summary.document import figure_text

from .figures import term_figures
from .models import Inspection
from .selectors.ledger import ledger_data, term_days

# A term with more inspections held than this prints its ledger in the background (about 20 s and 500 MB for
# 6,000 on two cores); fewer print while the reader waits (a small school's term: a few hundred, a second or two).
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


def print_context(term, user):
    return {**ledger_data(term), "figures": figure_rows(term), "print_term": term, "printed_at": timezone.now(),
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
