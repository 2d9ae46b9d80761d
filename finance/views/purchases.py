"""Pages of purchase requests and budget lines. Views parse input, call a service, and redirect after a POST."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.files import document_response
from logistics.forms import VersionForm, new_submit_token
from logistics.history import history_timeline
from logistics.models import Department
from logistics.pdf import pdf_response
from logistics.web import apply_errors, error_text, paginate, query_string, run_move

from ..forms.purchases import (
    CancelForm,
    ChooseQuoteForm,
    DecideForm,
    MeetingForm,
    PurchaseFilterForm,
    PurchaseForm,
    QuoteForm,
    item_formset,
)
from ..models import Approval, BudgetLine, FinanceSettings, PurchaseRequest
from ..selectors import purchases as selectors
from ..services import purchases as services

Status = PurchaseRequest.Status


def _get_purchase_for_user(request, pk):
    """The request if this user may read it; 404 otherwise, so ids cannot be probed."""
    qs = selectors.visible_requests(request.user).select_related(
        "department", "requested_by", "budget_line", "chosen_quote")
    return get_object_or_404(qs, pk=pk)


# --- lists ---------------------------------------------------------------------------------

@login_required
def purchase_list(request):
    if not (request.user.has_perm("finance.add_purchaserequest") or request.user.has_perm(selectors.READ_ALL_PERM)):
        raise PermissionDenied(_("Your role cannot see purchase requests."))
    form = PurchaseFilterForm(request.GET or None)
    qs = selectors.purchase_list(request.user)
    if form.is_valid():
        qs = selectors.filter_purchases(qs, form.cleaned_data)
    return render(request, "finance/purchases/list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
        "sees_all": request.user.has_perm(selectors.READ_ALL_PERM),
    })


@login_required
def purchase_inbox(request):
    user = request.user
    if not (user.has_perm("finance.approve_as_head") or user.has_perm("finance.approve_as_principal")
            or user.has_perm("finance.record_meeting")):
        raise PermissionDenied(_("Only approvers have an approvals inbox."))
    page = selectors.inbox(user, request.GET.get("page"))
    profile = FinanceSettings.get()
    for r in page.object_list:
        r.you_may_decide = r.may_decide(user)
        # Approve is offered only when it would succeed; otherwise the page says what is missing.
        r.blockers = (r.approve_gaps(user, profile, r.line_figures["remaining"] if r.line_figures else None)
                      if r.you_may_decide else [])
    return render(request, "finance/purchases/inbox.html", {
        "page": page, "rows": page.object_list, "count": page.paginator.count, "total": page.total,
        "query_string": query_string(request), "Status": Status, "today": timezone.localdate(),
    })


# --- new and edit --------------------------------------------------------------------------

def _items_from(formset):
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _default_department(user):
    return Department.objects.filter(head=user).first()


@login_required
def purchase_new(request):
    if not request.user.has_perm("finance.add_purchaserequest"):
        raise PermissionDenied(_("Your role cannot apply for purchases."))
    if request.method == "POST":
        form = PurchaseForm(request.POST)
        formset = item_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                purchase = services.purchase_create(
                    by=request.user, department=data["department"], title=data["title"], reason=data["reason"],
                    purpose=data["purpose"], budget_line=data["budget_line"], needed_by=data["needed_by"],
                    items=_items_from(formset), submit_token=data["submit_token"])
                if "submit" in request.POST and not getattr(purchase, "was_duplicate", False):
                    purchase = services.purchase_submit(request_id=purchase.pk, by=request.user)
            except ValidationError as e:
                apply_errors(form, e)
                if "purchase" in locals():  # saved as a draft, but could not be submitted
                    messages.warning(request, _("Saved as a draft, not submitted: %(error)s")
                                     % {"error": error_text(e)})
                    return redirect("finance:purchase_detail", pk=purchase.pk)
            else:
                if getattr(purchase, "was_duplicate", False):
                    messages.info(request, _("This request was already saved (%(number)s); it was not saved twice.")
                                  % {"number": purchase.number})
                elif purchase.status == Status.DRAFT:
                    messages.success(request, _("Saved as draft %(number)s.") % {"number": purchase.number})
                else:
                    messages.success(request, _("%(number)s was sent for approval.") % {"number": purchase.number})
                return redirect("finance:purchase_detail", pk=purchase.pk)
    else:
        form = PurchaseForm(initial={"submit_token": new_submit_token(),
                                     "department": _default_department(request.user)})
        formset = item_formset(initial=[{"quantity": 1, "unit": "个"}])
    return render(request, "finance/purchases/form.html", {"form": form, "formset": formset, "purchase": None})


@login_required
def purchase_edit(request, pk):
    purchase = _get_purchase_for_user(request, pk)
    if not purchase.is_requester(request.user):
        raise PermissionDenied(_("Only the person who applied can change the request."))
    if not purchase.can_edit:
        messages.error(request, _("Only a draft or a returned request can be changed."))
        return redirect("finance:purchase_detail", pk=purchase.pk)
    if request.method == "POST":
        form = PurchaseForm(request.POST, initial={"needed_by": purchase.needed_by}, editing=True)
        formset = item_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.purchase_update(
                    request_id=purchase.pk, by=request.user, department=data["department"], title=data["title"],
                    reason=data["reason"], purpose=data["purpose"], budget_line=data["budget_line"],
                    needed_by=data["needed_by"], items=_items_from(formset), expected_version=data["version"])
                if "submit" in request.POST:
                    services.purchase_submit(request_id=purchase.pk, by=request.user)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Sent for approval.") if "submit" in request.POST else _("Saved."))
                return redirect("finance:purchase_detail", pk=purchase.pk)
    else:
        form = PurchaseForm(initial={
            "version": purchase.version, "title": purchase.title, "department": purchase.department_id,
            "purpose": purchase.purpose, "budget_line": purchase.budget_line_id, "needed_by": purchase.needed_by,
            "reason": purchase.reason}, editing=True)
        formset = item_formset(initial=[
            {"name": i.name, "spec": i.spec, "quantity": i.quantity, "unit": i.unit,
             "estimated_unit_price": i.estimated_unit_price, "kind": i.kind} for i in purchase.items.all()])
    return render(request, "finance/purchases/form.html", {"form": form, "formset": formset, "purchase": purchase})


# --- detail and moves ----------------------------------------------------------------------

@login_required
def purchase_detail(request, pk, *, quote_form=None, meeting_form=None):
    """The request's page; a quote or minutes whose file was refused come back bound (quote_form,
    meeting_form), so the person sees why and what they typed."""
    purchase = _get_purchase_for_user(request, pk)
    user = request.user
    profile = FinanceSettings.get()
    quotes = list(purchase.quotes.select_related("added_by"))
    line_figures = (selectors.budget_figures([purchase.budget_line])[purchase.budget_line_id]
                    if purchase.budget_line_id else None)
    may_quote = purchase.may_quote(user)
    can_decide = purchase.may_decide(user)
    purchase.blockers = (purchase.approve_gaps(user, profile, line_figures["remaining"] if line_figures else None)
                         if can_decide else [])
    # Once submitted, the route is the one fixed then; a draft shows the route it would take if sent now.
    route = purchase.route or [str(s) for s in services.route_for(purchase.estimated_total, profile)]
    ctx = {
        "purchase": purchase,
        "items": list(purchase.items.all()),
        "quotes": quotes,
        "cheapest": quotes[0] if quotes else None,
        "approvals": list(purchase.approvals.select_related("by")),
        "timeline": history_timeline(purchase),
        "route": [str(Approval.Step(s).label) for s in route],
        "route_fixed": bool(purchase.route),
        "quotes_required": services.quotes_required(purchase.estimated_total, profile),
        "line_figures": line_figures,
        "is_requester": purchase.is_requester(user),
        "can_edit": purchase.may_edit(user),
        "can_cancel": purchase.may_cancel(user),
        "can_quote": may_quote,
        "can_decide": can_decide,
        # Before it is sent, what is still missing (the submit button shows only when nothing is).
        "submit_gaps": purchase.submit_gaps(profile) if purchase.may_edit(user) else [],
        "order_url": (reverse("finance:order_record", args=[purchase.pk])
                      if purchase.has_order and user.has_perm("finance.view_purchaserequest")
                      else ""),
        "invoices": (list(purchase.invoices.order_by("issued_on", "pk")) if user.has_perm("finance.view_invoice")
                     else []),
        "is_meeting": purchase.current_step == Approval.Step.MEETING,
        "version_form": VersionForm(initial={"version": purchase.version}),
        "quote_form": quote_form or (QuoteForm(initial={"version": purchase.version}) if may_quote else None),
        "meeting_form": meeting_form or MeetingForm(initial={"version": purchase.version,
                                                             "meeting_date": timezone.localdate()}),
        "can_print": True,
    }
    return render(request, "finance/purchases/detail.html", ctx,
                  status=400 if quote_form is not None or meeting_form is not None else 200)


def _act(request, pk, form_class, call, success):
    """Run one move sent from the request's page (or the inbox) and go back there."""
    return run_move(request, _get_purchase_for_user(request, pk), form_class, call, success,
                    "finance:purchase_detail")


@login_required
@require_POST
def purchase_submit(request, pk):
    def call(purchase, data):
        services.purchase_submit(request_id=purchase.pk, by=request.user, expected_version=data["version"])
    return _act(request, pk, VersionForm, call, _("Sent for approval."))


@login_required
@require_POST
def purchase_cancel(request, pk):
    def call(purchase, data):
        services.purchase_cancel(request_id=purchase.pk, by=request.user, reason=data["reason"],
                                 expected_version=data["version"])
    return _act(request, pk, CancelForm, call, _("The request was cancelled."))


def _file_refused(request, form_class, name):
    """The bound form when its file was refused (the page is shown again with it), else None."""
    form = form_class(request.POST, request.FILES)
    return form if not form.is_valid() and name in form.errors else None


@login_required
@require_POST
def purchase_quote_add(request, pk):
    if refused := _file_refused(request, QuoteForm, "attachment"):
        return purchase_detail(request, pk, quote_form=refused)
    def call(purchase, data):
        services.purchase_quote_add(request_id=purchase.pk, by=request.user, vendor=data["vendor"],
                                    amount=data["amount"], attachment=data["attachment"],
                                    expected_version=data["version"])
    return _act(request, pk, QuoteForm, call, _("Quote added."))


@login_required
@require_POST
def purchase_choose_quote(request, pk):
    def call(purchase, data):
        services.purchase_choose_quote(request_id=purchase.pk, by=request.user, quote_id=data["quote"],
                                       reason=data["reason"], expected_version=data["version"])
    return _act(request, pk, ChooseQuoteForm, call, _("Quote chosen."))


@login_required
@require_POST
def purchase_decide(request, pk):
    messages_for = {"approved": _("Approved."), "returned": _("Returned to the requester."),
                    "rejected": _("Rejected.")}

    def call(purchase, data):
        services.purchase_decide(request_id=purchase.pk, by=request.user, decision=data["decision"],
                                 comment=data["comment"], expected_version=data["version"])
    return _act(request, pk, DecideForm, call, messages_for.get(request.POST.get("decision"), _("Done.")))


@login_required
@require_POST
def purchase_meeting(request, pk):
    if refused := _file_refused(request, MeetingForm, "meeting_attachment"):
        return purchase_detail(request, pk, meeting_form=refused)
    def call(purchase, data):
        services.purchase_record_meeting(
            request_id=purchase.pk, by=request.user, meeting_date=data["meeting_date"],
            minute=data["meeting_minute"], attachment=data["meeting_attachment"], comment=data["comment"],
            expected_version=data["version"])
    return _act(request, pk, MeetingForm, call, _("The meeting's resolution was recorded; the purchase is approved."))


@login_required
def purchase_quote_file(request, pk, quote_id):
    """A quote's file, to those who may read the request only."""
    purchase = _get_purchase_for_user(request, pk)
    quote = get_object_or_404(purchase.quotes.exclude(attachment=""), pk=quote_id)
    return document_response(quote.attachment, f"{purchase.number}-quote-{quote.pk}")


@login_required
def purchase_meeting_file(request, pk):
    """The minutes of the school-affairs meeting, to those who may read the request only."""
    purchase = _get_purchase_for_user(request, pk)
    if not purchase.meeting_attachment:
        raise Http404
    return document_response(purchase.meeting_attachment, f"{purchase.number}-minutes")


@login_required
def purchase_print(request, pk):
    """The request as an A4 form (采购申请单) with items, quotes, approvals and signature lines."""
    purchase = _get_purchase_for_user(request, pk)
    # Signature lines only for the steps of its route (the one fixed when sent; a draft's if sent now).
    route = purchase.route or [str(s) for s in services.route_for(purchase.estimated_total)]
    return pdf_response("print/purchase_request.html", {
        "purchase": purchase, "route": route,
        "items": list(purchase.items.all()), "quotes": list(purchase.quotes.all()),
        "approvals": list(purchase.approvals.select_related("by")),
        "printed_at": timezone.now(),
    }, request, f"{purchase.number}.pdf")


# --- budget --------------------------------------------------------------------------------

@login_required
@permission_required("finance.view_budgetline", raise_exception=True)
def budget_list(request):
    year = request.GET.get("year", "")
    years = list(BudgetLine.objects.order_by("-year").values_list("year", flat=True).distinct())
    if not year.isdigit():
        year = str(timezone.localdate().year if timezone.localdate().year in years or not years else years[0])
    lines = selectors.budget_lines_with_figures(BudgetLine.objects.filter(year=int(year)))
    totals = {k: sum((line.figures[k] for line in lines), start=0)
              for k in ("budget", "committed", "spent", "remaining")}
    return render(request, "finance/purchases/budget_list.html", {
        "lines": lines, "totals": totals, "year": int(year), "years": years})


@login_required
@permission_required("finance.view_budgetline", raise_exception=True)
def budget_detail(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    line.figures = selectors.budget_figures([line])[line.pk]
    requests_ = (line.purchase_requests.select_related("department", "requested_by")
                 .exclude(status__in=[Status.DRAFT, Status.CANCELLED]))
    return render(request, "finance/purchases/budget_detail.html", {
        "line": line, "page": paginate(request, requests_), "query_string": "", "timeline": history_timeline(line)})
