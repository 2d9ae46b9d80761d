"""Pages of loans, damage and compensation, write-offs and the year's asset-change report.

Views parse input, look the record up, call a service and redirect after a POST.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import VersionForm
from logistics.history import history_timeline
from logistics.models import SchoolProfile
from logistics.pdf import pdf_response
from logistics.web import (
    apply_errors,
    error_text,
    flash_form_errors,
    paginate,
    private_file_response,
    query_string,
    run_move,
)

from .. import reports
from ..forms.movements import (
    DamageFilterForm,
    DamageForm,
    DamageSettleForm,
    LoanFilterForm,
    LoanForm,
    LoanReturnForm,
    WriteOffDecideForm,
    WriteOffFilterForm,
    WriteOffForm,
)
from ..models import Asset, AssetLoan, AssetSettings, DamageRecord, WriteOff, WriteOffPhoto
from ..selectors import movements as selectors
from ..services import movements as services


def _initial_asset(request):
    """The asset named by ?asset=<pk> (from its page), when it is in the register."""
    pk = request.GET.get("asset", "")
    if pk.isdigit():
        asset = Asset.objects.filter(pk=pk).first()
        if asset is not None and asset.is_active:
            return asset
    return None


# --- loans -----------------------------------------------------------------------------------

@login_required
@permission_required("assets.view_assetloan", raise_exception=True)
def loan_list(request):
    form = LoanFilterForm(request.GET or None)
    qs = selectors.loan_list()
    if form.is_valid():
        qs = selectors.filter_loans(qs, form.cleaned_data)
    status = form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else ""
    others = request.GET.copy()
    others.pop("page", None)
    others.pop("status", None)
    tabs = []
    for value, label in LoanFilterForm.STATUS:
        q = others.copy()
        if value:
            q["status"] = value
        tabs.append({"value": value, "label": label, "query": q.urlencode()})
    return render(request, "assets/movements/loan_list.html", {
        "form": form, "page": paginate(request, qs), "tabs": tabs, "current_status": status,
        "overdue_count": selectors.overdue_loans().count(), "query_string": query_string(request),
        "today": timezone.localdate(),
    })


@login_required
@permission_required("assets.add_assetloan", raise_exception=True)
def loan_create(request):
    asset = _initial_asset(request)
    if request.method == "POST":
        form = LoanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                loan = services.loan_lend(
                    asset_id=data["asset"].pk, by=request.user, quantity=data["quantity"],
                    borrower=data["borrower"], borrower_name=data["borrower_name"], purpose=data["purpose"],
                    due_on=data["due_on"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Lent: %(asset)s to %(who)s, due back %(due)s.")
                                 % {"asset": loan.asset, "who": loan.borrower_display, "due": loan.due_on})
                return redirect("assets:loan_detail", pk=loan.pk)
    else:
        form = LoanForm(initial={"asset": asset.tag if asset else ""})
    return render(request, "assets/movements/loan_form.html", {"form": form, "asset": asset})


@login_required
@permission_required("assets.view_assetloan", raise_exception=True)
def loan_detail(request, pk):
    loan = get_object_or_404(AssetLoan.objects.select_related("asset__location__building", "asset__category",
                                                              "borrower", "lent_by", "returned_to"), pk=pk)
    can_return = request.user.has_perm("assets.change_assetloan") and loan.can_return
    damage = None
    if loan.return_condition == AssetLoan.Condition.DAMAGED:
        damage = loan.asset.damages.filter(occurred_on__gte=loan.lent_on).order_by("pk").first()
    return render(request, "assets/movements/loan_detail.html", {
        "loan": loan, "timeline": history_timeline(loan), "can_return": can_return,
        "return_form": LoanReturnForm(initial={"version": loan.version}) if can_return else None,
        "damage": damage,
        "can_record_damage": request.user.has_perm("assets.add_damagerecord") and loan.asset.is_active,
    })


@login_required
@require_POST
@permission_required("assets.change_assetloan", raise_exception=True)
def loan_return(request, pk):
    loan = get_object_or_404(AssetLoan, pk=pk)
    form = LoanReturnForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assets:loan_detail", pk=loan.pk)
    data = form.cleaned_data
    try:
        loan = services.loan_return(loan_id=loan.pk, by=request.user, condition=data["condition"],
                                    note=data["note"], expected_version=data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
        return redirect("assets:loan_detail", pk=loan.pk)
    if loan.return_condition == AssetLoan.Condition.DAMAGED:
        messages.warning(request, _("Returned damaged. Record the damage and the compensation below."))
        if request.user.has_perm("assets.add_damagerecord"):
            return redirect(reverse("assets:damage_create") + "?" + urlencode({"asset": loan.asset_id,
                                                                                "loan": loan.pk}))
    elif loan.return_condition == AssetLoan.Condition.LOST:
        messages.warning(request, _("Recorded as lost; it has left the register."))
    else:
        messages.success(request, _("Returned."))
    return redirect("assets:loan_detail", pk=loan.pk)


# --- damage ----------------------------------------------------------------------------------

@login_required
@permission_required("assets.view_damagerecord", raise_exception=True)
def damage_list(request):
    form = DamageFilterForm(request.GET or None)
    qs = selectors.damage_list()
    status = ""
    if form.is_valid() and form.cleaned_data["status"]:
        status = form.cleaned_data["status"]
        qs = qs.filter(status=status)
    tabs = [{"value": v, "label": label, "query": urlencode({"status": v}) if v else ""}
            for v, label in DamageFilterForm.STATUS]
    return render(request, "assets/movements/damage_list.html", {
        "page": paginate(request, qs), "tabs": tabs, "current_status": status,
        "query_string": query_string(request)})


@login_required
@permission_required("assets.add_damagerecord", raise_exception=True)
def damage_create(request):
    asset = _initial_asset(request)
    loan = None
    if (loan_id := request.GET.get("loan", "")).isdigit():
        loan = AssetLoan.objects.select_related("borrower").filter(pk=loan_id).first()
    if request.method == "POST":
        form = DamageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.damage_record(
                    asset_id=data["asset"].pk, by=request.user, description=data["description"],
                    responsible=data["responsible"], assessed_amount=data["assessed_amount"],
                    occurred_on=data["occurred_on"], mark_damaged=data["mark_damaged"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Damage recorded."))
                return redirect("assets:damage_detail", pk=record.pk)
    else:
        initial = {"asset": asset.tag if asset else "", "mark_damaged": not asset or asset.quantity == 1}
        if loan is not None:
            initial["responsible"] = loan.borrower_display
            initial["description"] = _("Returned damaged from a loan: %(note)s") % {"note": loan.return_note}
        form = DamageForm(initial=initial)
    return render(request, "assets/movements/damage_form.html", {"form": form, "asset": asset})


@login_required
@permission_required("assets.view_damagerecord", raise_exception=True)
def damage_detail(request, pk):
    record = get_object_or_404(DamageRecord.objects.select_related(
        "asset__location__building", "asset__category", "recorded_by", "settled_by"), pk=pk)
    may_change = request.user.has_perm("assets.change_damagerecord")
    can_settle = may_change and record.can_settle
    return render(request, "assets/movements/damage_detail.html", {
        "record": record, "timeline": history_timeline(record), "can_settle": can_settle,
        "settle_form": DamageSettleForm(initial={
            "version": record.version,
            "outcome": DamageRecord.Status.PAID if record.assessed_amount > 0 else DamageRecord.Status.WAIVED,
        }) if can_settle else None,
        "can_mark_repaired": may_change and record.asset.status == Asset.Status.DAMAGED,
    })


@login_required
@require_POST
@permission_required("assets.change_damagerecord", raise_exception=True)
def damage_settle(request, pk):
    record = get_object_or_404(DamageRecord, pk=pk)
    form = DamageSettleForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assets:damage_detail", pk=record.pk)
    data = form.cleaned_data
    try:
        if data["outcome"] == DamageRecord.Status.PAID:
            services.damage_pay(record_id=record.pk, by=request.user, receipt_number=data["receipt_number"],
                                back_in_use=data["back_in_use"], expected_version=data["version"])
            messages.success(request, _("Recorded as paid."))
        else:
            services.damage_waive(record_id=record.pk, by=request.user, reason=data["waive_reason"],
                                  back_in_use=data["back_in_use"], expected_version=data["version"])
            messages.success(request, _("Recorded as waived."))
    except ValidationError as e:
        messages.error(request, error_text(e))
    return redirect("assets:damage_detail", pk=record.pk)


@login_required
@require_POST
@permission_required("assets.change_damagerecord", raise_exception=True)
def damage_repaired(request, pk):
    record = get_object_or_404(DamageRecord, pk=pk)

    def call(record, data):
        services.damage_repaired(record_id=record.pk, by=request.user, expected_version=data["version"])
    return run_move(request, record, VersionForm, call, _("The asset is back in use."), "assets:damage_detail")


# --- write-offs ------------------------------------------------------------------------------

@login_required
@permission_required("assets.view_writeoff", raise_exception=True)
def writeoff_list(request):
    form = WriteOffFilterForm(request.GET or None)
    qs = selectors.writeoff_list()
    status = ""
    if form.is_valid() and form.cleaned_data["status"]:
        status = form.cleaned_data["status"]
        qs = selectors.writeoffs_awaiting(request.user, qs) if status == "mine" else qs.filter(status=status)
    choices = WriteOffFilterForm.STATUS
    if not (request.user.has_perm("assets.decide_writeoff")
            or request.user.has_perm("assets.decide_writeoff_principal")):
        choices = [c for c in choices if c[0] != "mine"]
    tabs = [{"value": v, "label": label, "query": urlencode({"status": v}) if v else ""} for v, label in choices]
    return render(request, "assets/movements/writeoff_list.html", {
        "page": paginate(request, qs), "tabs": tabs, "current_status": status,
        "waiting_count": selectors.writeoffs_awaiting(request.user, WriteOff.objects.all()).count(),
        "query_string": query_string(request)})


@login_required
@permission_required("assets.add_writeoff", raise_exception=True)
def writeoff_create(request):
    asset = _initial_asset(request)
    if request.method == "POST":
        form = WriteOffForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                writeoff = services.writeoff_request(asset_id=data["asset"].pk, by=request.user,
                                                     quantity=data["quantity"], reason=data["reason"],
                                                     photos=data["photos"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if writeoff.needs_principal:
                    messages.success(request, _("Sent to the head of logistics; above the limit, the principal "
                                                "decides after."))
                else:
                    messages.success(request, _("Sent to the head of logistics."))
                return redirect("assets:writeoff_detail", pk=writeoff.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
    else:
        form = WriteOffForm(initial={"asset": asset.tag if asset else ""})
    return render(request, "assets/movements/writeoff_form.html", {
        "form": form, "asset": asset, "limit": AssetSettings.get().write_off_principal_limit})


def _get_writeoff(pk):
    return get_object_or_404(WriteOff.objects.select_related(
        "asset__location__building", "asset__category", "requested_by", "head_decided_by",
        "principal_decided_by"), pk=pk)


@login_required
@permission_required("assets.view_writeoff", raise_exception=True)
def writeoff_detail(request, pk):
    writeoff = _get_writeoff(pk)
    can_decide = services.can_decide_writeoff(request.user, writeoff)
    return render(request, "assets/movements/writeoff_detail.html", {
        "writeoff": writeoff, "timeline": history_timeline(writeoff), "photos": list(writeoff.photos.all()),
        "can_decide": can_decide, "is_principal_step": writeoff.is_principal_step,
        "is_requester": writeoff.is_requester(request.user),
        "decide_form": WriteOffDecideForm(initial={"version": writeoff.version}) if can_decide else None,
        "parts": Asset.objects.filter(tag__startswith=f"X-{writeoff.asset.tag}-",
                                      status=Asset.Status.WRITTEN_OFF).order_by("tag"),
    })


@login_required
@require_POST
def writeoff_decide(request, pk):
    writeoff = get_object_or_404(WriteOff, pk=pk)
    form = WriteOffDecideForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assets:writeoff_detail", pk=writeoff.pk)
    data = form.cleaned_data
    # PermissionDenied (the wrong person for this step) propagates: the 403 page says why.
    try:
        writeoff = services.writeoff_decide(writeoff_id=writeoff.pk, by=request.user,
                                            approve=data["decision"] == "approve", note=data["note"],
                                            expected_version=data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, {
            WriteOff.Status.HEAD_APPROVED: _("Approved; it now goes to the principal."),
            WriteOff.Status.APPROVED: _("Approved; it has left the register."),
            WriteOff.Status.REJECTED: _("Rejected."),
        }[writeoff.status])
    return redirect("assets:writeoff_detail", pk=writeoff.pk)


@login_required
@permission_required("assets.view_writeoff", raise_exception=True)
def writeoff_photo(request, pk, photo_id):
    """Photos are served through the app, to the people who may read write-offs only."""
    photo = get_object_or_404(WriteOffPhoto, pk=photo_id, write_off_id=pk)
    return private_file_response(photo.image)


# --- the year's asset-change report --------------------------------------------------------

def _report_year(request):
    today = timezone.localdate()
    years = reports.report_years(today)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1900 < int(year) <= today.year else today.year
    return year, years


def _report_context(request):
    year, years = _report_year(request)
    profile = SchoolProfile.get()
    return {"report": reports.asset_change_report(year), "year": year, "years": years,
            "school_name": profile.name, "printed_at": timezone.now()}


@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_report(request):
    return render(request, "assets/movements/asset_report.html", _report_context(request))


@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_report_xlsx(request):
    ctx = _report_context(request)
    data = reports.asset_change_xlsx(ctx["report"], school_name=ctx["school_name"])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="asset-changes-{ctx["year"]}.xlsx"'
    return response


@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_report_pdf(request):
    ctx = _report_context(request)
    return pdf_response("print/asset_change_report.html", ctx, request, f'asset-changes-{ctx["year"]}.pdf')
