"""The safety hub (/safety/): the safety officer's day and the readers' overview — inspections due today and
overdue, open and overdue hazards, fixes waiting for verification, the next duty shifts and those with nobody,
today's vehicles without a pre-trip check, expiring papers, plans past review, this year's pledges, and a link to
every safety page. And the term's safety ledger (安全台账): a page with the term picker and its A4 PDF."""
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from logistics.freshness import fresh
from logistics.models import Term
from logistics.pdf import pdf_response
from logistics.services import display_name
from logistics.summary.document import figure_text

from ..figures import term_figures
from ..forms.today import LedgerTermForm
from ..selectors import today as selectors
from ..selectors.ledger import ledger_data
from ..selectors.today import hazards_url, url_or_none

VIEW = "safety.view_inspection"

@login_required
@permission_required(VIEW, raise_exception=True)
def today(request):
    now = timezone.now()
    day = timezone.localdate(now)
    # What the hub shows for everyone: kept until a record changes, a minute at most (what is due follows the clock).
    data = fresh("safety.hub", translation.get_language(), today=True, timeout=60, compute=lambda: _hub(day))
    user = request.user
    inspections = data["inspections"]
    return render(request, "safety/today.html", {
        **data, "day": day, "term": Term.objects.current(day),
        "inspections": inspections[:selectors.HUB_ROWS], "more_inspections": len(inspections) > selectors.HUB_ROWS,
        "links": selectors.page_links(), "hazards_url": hazards_url(),
        "inspections_url": url_or_none("safety:inspection_list"), "roster_url": url_or_none("safety:duty_roster"),
        "vehicles_url": url_or_none("safety:vehicle_list"), "plans_url": url_or_none("safety:emergencyplan_list"),
        "pledges_url": url_or_none("safety:pledge_list"), "report_url": url_or_none("safety:hazard_report"),
        "runs_safety": user.has_perm("safety.change_inspection"),
        "can_report": user.has_perm("safety.report_hazard"),
    })


def _hub(day):
    data = selectors.hub(day)
    return {key: list(value) if hasattr(value, "_fetch_all") else value for key, value in data.items()}


def _ledger_term(request):
    form = LedgerTermForm(request.GET or None)
    term = form.cleaned_data.get("term") if form.is_valid() else None
    return form, term or Term.objects.current()


def _figure_rows(term):
    return [{"key": f.key, "label": f.label, "value": figure_text(f.value, f.money, str(f.unit)),
             "unit": "" if f.money or str(f.unit) == "%" else f.unit, "carry": bool(f.carry and f.value)}
            for f in term_figures(term)]


# The ledger on a page shows the term's latest inspections held; its PDF (the paper the school files) has all.
PAGE_INSPECTIONS = 100


def _ledger_context(term, *, page=True):
    """The ledger's sections and figures: kept (logistics.freshness) until a record changes or the day turns,
    in the reader's language; two queries instead of about fifteen. page: for the screen, where a big school's
    term (thousands of daily patrols) would be a page of megabytes: its last PAGE_INSPECTIONS held, and how
    many there are."""
    def compute():
        data = {**ledger_data(term), "figures": _figure_rows(term)}
        if page:
            data["inspections_total"] = len(data["inspections"])
            data["inspections"] = data["inspections"][-PAGE_INSPECTIONS:]
        return data

    return fresh("safety.ledger", term.pk, page, translation.get_language(), today=True, compute=compute)


@login_required
@permission_required(VIEW, raise_exception=True)
def ledger(request):
    """The term's safety ledger on a page, with the term picker and the PDF."""
    form, term = _ledger_term(request)
    context = {"form": form, "term": term}
    if term is not None:
        context.update(_ledger_context(term))
        context["pdf_url"] = f"{reverse('safety:ledger_pdf')}?term={term.pk}"
        context["inspections_url"] = (f"{reverse('safety:inspection_list')}?status=done"
                                      f"&date_from={term.start:%Y-%m-%d}&date_to={term.end:%Y-%m-%d}")
    return render(request, "safety/ledger.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def ledger_pdf(request):
    """The term's safety ledger (安全台账) as an A4 PDF, in the reader's language."""
    _form, term = _ledger_term(request)
    if term is None:
        return render(request, "safety/ledger.html", {"form": LedgerTermForm(), "term": None}, status=404)
    context = {**_ledger_context(term, page=False), "print_term": term, "printed_at": timezone.now(),
               "printed_by": display_name(request.user)}
    return pdf_response("print/safety_ledger.html", context, request, f"safety-ledger-{term.start:%Y-%m}.pdf")
