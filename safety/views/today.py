"""The safety hub (/safety/): the safety officer's day and the readers' overview — inspections due today and
overdue, open and overdue hazards, fixes waiting for verification, the next duty shifts and those with nobody,
today's vehicles without a pre-trip check, expiring papers, plans past review, this year's pledges, and a link to
every safety page. And the term's safety ledger (安全台账): a page with the term picker and its A4 PDF."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.freshness import fresh
from logistics.jobs.views import start_response
from logistics.models import Term
from logistics.pdf import pdf_response

from .. import documents
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


# The ledger on a page shows the term's latest inspections held; its PDF (the paper the school files) has all.
PAGE_INSPECTIONS = 100


def _ledger_context(term, *, page=True):
    """The ledger's sections and figures: kept (logistics.freshness) until a record changes or the day turns,
    in the reader's language; two queries instead of about fifteen. page: for the screen, where a big school's
    term (thousands of daily patrols) would be a page of megabytes: its last PAGE_INSPECTIONS held, and how
    many there are."""
    def compute():
        return {**ledger_data(term, last=PAGE_INSPECTIONS if page else None), "figures": documents.figure_rows(term)}

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
        # A big school's term (thousands of daily patrols) is printed by the worker: a button starts it.
        context["pdf_in_background"] = context["inspections_total"] > documents.LEDGER_IN_BACKGROUND
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
    if documents.in_background(term):
        messages.info(request, _("This term's ledger is long: it is printed in the background. Use the button "
                                 "“Make the PDF”."))
        return redirect(f"{reverse('safety:ledger')}?term={term.pk}")
    return pdf_response("print/safety_ledger.html", documents.print_context(term, request.user), request,
                        documents.filename(term))


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def ledger_pdf_job(request):
    """The term's ledger made by the worker (a long term), followed on the job's page."""
    form = LedgerTermForm(request.POST)
    term = (form.cleaned_data.get("term") or Term.objects.current()) if form.is_valid() else None
    if term is None:
        messages.error(request, _("Choose a term."))
        return redirect("safety:ledger")
    return start_response(request, "safety.ledger_pdf", {"term": term.pk,
                                                         "base_url": request.build_absolute_uri("/")})
