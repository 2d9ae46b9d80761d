"""Pages of fees collected on behalf (with the public notice and the settlement) and of student aid."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import VersionForm
from logistics.history import history_timeline
from logistics.models import SchoolProfile, Term
from logistics.pdf import pdf_response
from logistics.web import error_text, flash_form_errors, paginate, query_string, run_move

from ..forms.fees import (
    AidApplicationForm,
    AidDecideForm,
    AidFilterForm,
    AidPublishForm,
    FeeClassesForm,
    FeeFilterForm,
    FeeItemForm,
    FeeSpendingForm,
)
from ..models import AidApplication, AidPublication, FeeItem, FinanceSettings
from ..selectors import fees as selectors
from ..services import fees as services

HOTLINE = "12358"


def _get_fee(pk):
    return get_object_or_404(FeeItem.objects.select_related("term", "settled_by"), pk=pk)


def _notice_context(fee):
    classes = list(fee.classes.select_related("location__building"))
    spendings = list(fee.spendings.select_related("recorded_by"))
    profile = SchoolProfile.get()
    return {
        "fee": fee, "spendings": spendings, "settlement": selectors.fee_settlement(fee, classes, spendings),
        "school_name": profile.name, "school_phone": profile.phone, "hotline": HOTLINE,
    }


# --- fees ----------------------------------------------------------------------------------

@login_required
@permission_required("finance.view_feeitem", raise_exception=True)
def fee_list(request):
    form = FeeFilterForm(request.GET or None)
    qs = selectors.fee_list(form.cleaned_data if form.is_valid() else None)
    return render(request, "finance/fees/fee_list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
    })


@login_required
@permission_required("finance.add_feeitem", raise_exception=True)
def fee_new(request):
    if request.method == "POST":
        form = FeeItemForm(request.POST)
        if form.is_valid():
            try:
                fee = services.fee_create(by=request.user, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Fee entered. Now enter the classes' pupils."))
                return redirect("finance:fee_classes", pk=fee.pk)
    else:
        form = FeeItemForm(initial={"term": Term.objects.current()})
    return render(request, "finance/fees/fee_form.html", {"form": form})


@login_required
@permission_required("finance.change_feeitem", raise_exception=True)
def fee_edit(request, pk):
    fee = _get_fee(pk)
    if not fee.can_change:
        messages.error(request, _("This fee has been settled; its figures can no longer be changed."))
        return redirect("finance:fee_detail", pk=fee.pk)
    if request.method == "POST":
        form = FeeItemForm(request.POST)
        if form.is_valid():
            try:
                services.fee_update(fee_id=fee.pk, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("The fee was corrected."))
                return redirect("finance:fee_detail", pk=fee.pk)
    else:
        form = FeeItemForm(initial={"term": fee.term, "name": fee.name, "amount_per_pupil": fee.amount_per_pupil,
                                    "description": fee.description, "policy": fee.policy})
    return render(request, "finance/fees/fee_form.html", {"form": form, "fee": fee})


@login_required
@permission_required("finance.view_feeitem", raise_exception=True)
def fee_detail(request, pk):
    fee = _get_fee(pk)
    ctx = _notice_context(fee)
    can_change = request.user.has_perm("finance.change_feeitem")
    ctx.update({
        "timeline": history_timeline(fee),
        "can_edit": request.user.has_perm("finance.change_feeclass") and fee.can_change,
        "can_edit_fee": can_change and fee.can_change,
        "can_spend": request.user.has_perm("finance.add_feespending") and fee.can_change,
        "can_publish": can_change,
        "can_settle": can_change and fee.can_settle,
        "spending_form": FeeSpendingForm(),
        "public_url": (request.build_absolute_uri(reverse("finance:fee_public", args=[fee.public_token]))
                       if fee.published else ""),
    })
    return render(request, "finance/fees/fee_detail.html", ctx)


@login_required
@permission_required("finance.change_feeclass", raise_exception=True)
def fee_classes(request, pk):
    fee = _get_fee(pk)
    if not fee.can_change:
        messages.error(request, _("This fee has been settled; its figures can no longer be changed."))
        return redirect("finance:fee_detail", pk=fee.pk)
    if request.method == "POST":
        form = FeeClassesForm(request.POST, fee=fee)
        if form.is_valid():
            try:
                services.fee_classes_save(fee_id=fee.pk, by=request.user, rows=form.cleaned_rows())
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("The classes' figures were saved."))
                return redirect("finance:fee_detail", pk=fee.pk)
    else:
        form = FeeClassesForm(fee=fee)
    return render(request, "finance/fees/fee_classes.html", {"fee": fee, "form": form})


@login_required
@require_POST
@permission_required("finance.add_feespending", raise_exception=True)
def fee_spending_add(request, pk):
    fee = _get_fee(pk)
    form = FeeSpendingForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("finance:fee_detail", pk=fee.pk)
    try:
        services.fee_spending_add(fee_id=fee.pk, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Spending recorded."))
    return redirect("finance:fee_detail", pk=fee.pk)


@login_required
@require_POST
@permission_required("finance.change_feeitem", raise_exception=True)
def fee_publish(request, pk):
    fee = _get_fee(pk)
    publish = request.POST.get("action", "publish") != "unpublish"
    try:
        services.fee_publish(fee_id=fee.pk, by=request.user, publish=publish)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("The notice is published on its public link.") if publish
                         else _("The notice was taken down."))
    return redirect("finance:fee_detail", pk=fee.pk)


@login_required
@require_POST
@permission_required("finance.change_feeitem", raise_exception=True)
def fee_settle(request, pk):
    fee = _get_fee(pk)
    try:
        services.fee_settle(fee_id=fee.pk, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Settled. The notice now shows the refund."))
    return redirect("finance:fee_detail", pk=fee.pk)


@login_required
@permission_required("finance.view_feeitem", raise_exception=True)
def fee_notice_pdf(request, pk):
    """The notice for parents (收费公示) on A4, with the complaints hotline and signature lines."""
    fee = _get_fee(pk)
    ctx = _notice_context(fee)
    ctx["printed_at"] = timezone.now()
    ctx["print_term"] = fee.term  # the header names the fee's term, not today's
    return pdf_response("print/fee_notice.html", ctx, request, f"fee-notice-{fee.pk}.pdf")


def fee_public(request, token):
    """The published notice by its unguessable link: no login, no pupils' names."""
    if len(token) != 32:
        raise Http404
    fee = get_object_or_404(FeeItem.objects.select_related("term"), public_token=token, published=True)
    response = render(request, "finance/fees/fee_public.html", _notice_context(fee))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- student aid ---------------------------------------------------------------------------

def _need_aid_reader(user):
    """Readers of aid see every application; class teachers, who apply, see their own."""
    if not (user.has_perm("finance.view_aidapplication") or user.has_perm("finance.add_aidapplication")):
        raise PermissionDenied(_("Your role cannot see student aid."))


def _get_application_for_user(request, pk):
    """The application if this user may read it; 404 otherwise, so ids cannot be probed."""
    _need_aid_reader(request.user)
    qs = AidApplication.objects.visible_to(request.user).select_related(
        "term", "location__building", "submitted_by", "decided_by", "paid_by")
    return get_object_or_404(qs, pk=pk)


@login_required
def aid_list(request):
    user = request.user
    _need_aid_reader(user)
    form = AidFilterForm(request.GET or None)
    qs = selectors.aid_list(form.cleaned_data if form.is_valid() else None).visible_to(user)
    term = (form.cleaned_data.get("term") if form.is_valid() else None) or Term.objects.current()
    reads_all = user.has_perm("finance.view_aidapplication")
    publications = list(selectors.aid_publications(term)) if term and reads_all else []
    today = timezone.localdate()
    for p in publications:
        p.url = request.build_absolute_uri(reverse("finance:aid_public", args=[p.public_token]))
        p.online = p.is_open(today)
    return render(request, "finance/fees/aid_list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
        "publication_term": term if reads_all else None, "publications": publications,
        "can_publish": bool(term) and user.has_perm("finance.add_aidpublication")
        and not any(p.online or p.opens_on > today for p in publications),
        "publication_days": FinanceSettings.get().aid_publication_days,
    })


@login_required
@permission_required("finance.add_aidapplication", raise_exception=True)
def aid_new(request):
    if request.method == "POST":
        form = AidApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = services.aid_submit(by=request.user, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Application sent. %(decider)s decides it; finance pays.")
                                 % {"decider": application.get_decider_display()})
                return redirect("finance:aid_detail", pk=application.pk)
    else:
        form = AidApplicationForm(initial={"term": Term.objects.current()})
    return render(request, "finance/fees/aid_form.html", {"form": form})


@login_required
def aid_detail(request, pk):
    application = _get_application_for_user(request, pk)
    user = request.user
    return render(request, "finance/fees/aid_detail.html", {
        "application": application, "timeline": history_timeline(application),
        "can_decide": application.may_decide(user),
        "is_own": application.entered_by(user) and application.role_decides(user),
        "can_pay": application.may_pay(user),
        "decide_form": AidDecideForm(initial={"version": application.version}),
        "version_form": VersionForm(initial={"version": application.version}),
    })


def _aid_move(request, pk, form_class, call, success):
    return run_move(request, _get_application_for_user(request, pk), form_class, call, success,
                    "finance:aid_detail")


@login_required
@require_POST
def aid_decide(request, pk):
    def call(application, data):
        services.aid_decide(application_id=application.pk, by=request.user,
                            approve=data["decision"] == "approve", note=data["note"],
                            expected_version=data["version"])
    return _aid_move(request, pk, AidDecideForm, call, _("Decision recorded."))


@login_required
@require_POST
@permission_required("finance.pay_aid", raise_exception=True)
def aid_pay(request, pk):
    def call(application, data):
        services.aid_pay(application_id=application.pk, by=request.user, expected_version=data["version"])
    return _aid_move(request, pk, VersionForm, call, _("Marked paid."))


@login_required
@permission_required("finance.view_aidapplication", raise_exception=True)
def aid_publication_pdf(request):
    """The list to put up (公示): masked names, class, category and amount of approved and paid aid only."""
    term_id = request.GET.get("term")
    term = get_object_or_404(Term, pk=term_id) if term_id and term_id.isdigit() else Term.objects.current()
    if term is None:
        raise Http404
    rows = list(selectors.aid_publication(term))
    total = sum((r.amount for r in rows), 0)
    return pdf_response("print/aid_list.html", {
        "term": term, "rows": rows, "total": total, "hotline": HOTLINE,
        "printed_at": timezone.now(), "today": timezone.localdate(),
        "days": FinanceSettings.get().aid_publication_days,
    }, request, f"aid-list-{term.pk}.pdf")


@login_required
@require_POST
@permission_required("finance.add_aidpublication", raise_exception=True)
def aid_publish(request):
    """Finance puts the term's aid list online for the school days the school has set."""
    form = AidPublishForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("finance:aid_list")
    term = form.cleaned_data["term"]
    try:
        publication = services.aid_publish(term=term, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("The list is online until %(date)s; the link closes by itself then.")
                         % {"date": publication.closes_on.isoformat()})
    return redirect(f"{reverse('finance:aid_list')}?term={term.pk}")


def aid_public(request, token):
    """The aid list by its unguessable link while it is online: no login, masked names, class, category,
    amount; nothing else about a pupil. Before and after its days: 404."""
    if len(token) != 32:
        raise Http404
    publication = get_object_or_404(AidPublication.objects.select_related("term"), public_token=token)
    if not publication.is_open():
        raise Http404
    rows = list(selectors.aid_publication(publication.term, decided_by=publication.published_at))
    response = render(request, "finance/fees/aid_public.html", {
        "publication": publication, "rows": rows, "total": sum((r.amount for r in rows), 0),
        "school_name": SchoolProfile.get().name, "hotline": HOTLINE,
    })
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
