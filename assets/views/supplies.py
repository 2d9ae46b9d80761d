"""Pages of supplies (物品领用), requisitions, term-start distribution and print requests (文印).

Views parse input, find the record through one access helper (404 for what the user may not read),
call a service, and redirect after a POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import new_submit_token
from logistics.history import history_timeline
from logistics.models import Department, Location, Term
from logistics.pdf import pdf_response
from logistics.web import apply_errors, paginate, query_string, run_move

from .. import services
from ..forms.supplies import (
    DistributionForm,
    DistributionItemsForm,
    PrintFilterForm,
    PrintRequestForm,
    RequiredNoteForm,
    RequisitionFilterForm,
    RequisitionForm,
    RequisitionIssueForm,
    StockInForm,
    SupplyFilterForm,
    SupplyItemForm,
    TermChoiceForm,
    VersionNoteForm,
)
from ..models import AssetSettings, Distribution, PrintRequest, Requisition, SupplyItem
from ..selectors import supplies as selectors

# --- supply items ----------------------------------------------------------------------------

@login_required
@permission_required("assets.view_supplyitem", raise_exception=True)
def supply_list(request):
    form = SupplyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return render(request, "assets/supplies/supply_list.html", {
        "form": form, "page": paginate(request, selectors.supply_list(data)),
        "low_count": selectors.low_stock_items().count(), "query_string": query_string(request),
        "filtered": any(data.values()),
    })


def _get_item(pk):
    return get_object_or_404(SupplyItem, pk=pk)


@login_required
@permission_required("assets.view_supplyitem", raise_exception=True)
def supply_detail(request, pk):
    item = _get_item(pk)
    return render(request, "assets/supplies/supply_detail.html", {
        "item": item, "page": paginate(request, selectors.movement_ledger(item), 20),
        "timeline": history_timeline(item),
        "can_stock_in": request.user.has_perm("assets.add_stockmovement"),
        "can_edit": request.user.has_perm("assets.change_supplyitem"),
    })


@login_required
def supply_edit(request, pk=None):
    item = _get_item(pk) if pk else None
    perm = "assets.change_supplyitem" if item else "assets.add_supplyitem"
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Your role cannot change the supply list."))
    if request.method == "POST":
        form = SupplyItemForm(request.POST)
        if form.is_valid():
            try:
                item = services.supply_item_save(by=request.user, item=item, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("assets:supply_detail", pk=item.pk)
    else:
        initial = {f: getattr(item, f) for f in SupplyItemForm.base_fields} if item else None
        form = SupplyItemForm(initial=initial)
    return render(request, "assets/supplies/supply_form.html", {"form": form, "item": item})


@login_required
def supply_stock_in(request, pk):
    if not request.user.has_perm("assets.add_stockmovement"):
        raise PermissionDenied(_("Your role cannot take goods into stock."))
    item = _get_item(pk)
    if request.method == "POST":
        form = StockInForm(request.POST)
        if form.is_valid():
            try:
                movement = services.supply_stock_in(item_id=item.pk, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("%(n)s %(unit)s of %(item)s received; %(balance)s in stock now.")
                                 % {"n": movement.change, "unit": item.unit, "item": item,
                                    "balance": movement.balance})
                return redirect("assets:supply_detail", pk=item.pk)
    else:
        form = StockInForm()
    return render(request, "assets/supplies/stock_in.html", {"form": form, "item": item})


# --- requisitions ----------------------------------------------------------------------------

def _get_requisition_for_user(request, pk):
    """The requisition if this user may read it (their own, or they handle requisitions); 404 otherwise."""
    qs = selectors.requisitions_visible_to(request.user).select_related(
        "department", "location__building", "requested_by", "decided_by")
    return get_object_or_404(qs, pk=pk)


@login_required
def requisition_new(request):
    if not request.user.has_perm("assets.add_requisition"):
        raise PermissionDenied(_("Your role cannot request supplies."))
    if request.method == "POST":
        form = RequisitionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                requisition = services.requisition_submit(
                    by=request.user, reason=data["reason"], lines=data["lines"], department=data["department"],
                    location=data["location"], submit_token=data["submit_token"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(requisition, "was_duplicate", False):
                    messages.info(request, _("This requisition was already sent (%(number)s); it was not sent "
                                             "twice.") % {"number": requisition.number})
                else:
                    messages.success(request, _("Requisition %(number)s was sent to logistics.")
                                     % {"number": requisition.number})
                return redirect("assets:requisition_detail", pk=requisition.pk)
    else:
        form = RequisitionForm(initial={"submit_token": new_submit_token()})
    return render(request, "assets/supplies/requisition_form.html", {"form": form})


@login_required
def requisition_mine(request):
    status = request.GET.get("status", "")
    data = {"status": status} if status in Requisition.Status.values else {}
    qs = selectors.requisition_list(request.user, data).filter(requested_by=request.user)
    return render(request, "assets/supplies/requisition_mine.html", {
        "page": paginate(request, qs), "status": data.get("status", ""), "statuses": Requisition.Status.choices,
        "query_string": query_string(request),
    })


@login_required
@permission_required("assets.view_requisition", raise_exception=True)
def requisition_queue(request):
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Requisition.Status.SUBMITTED  # what waits first; "any status" is one tap away
    form = RequisitionFilterForm(params)
    data = form.cleaned_data if form.is_valid() else {}
    counts = selectors.requisition_status_counts()
    others = params.copy()
    others.pop("page", None)
    tabs = []
    for value, label in [("", _("All"))] + list(Requisition.Status.choices):
        q = others.copy()
        q["status"] = value
        tabs.append({"value": value, "label": label, "count": counts.get(value) if value else None,
                     "query": q.urlencode()})
    return render(request, "assets/supplies/requisition_queue.html", {
        "form": form, "page": paginate(request, selectors.requisition_list(request.user, data)), "tabs": tabs,
        "current_status": data.get("status", ""), "query_string": others.urlencode(),
    })


def _requisition_context(request, requisition, issue_form=None, reject_form=None):
    user = request.user
    lines = list(requisition.lines.select_related("item"))
    can_issue = user.has_perm("assets.issue_requisition") and requisition.can_issue
    ctx = {
        "requisition": requisition, "lines": lines, "timeline": history_timeline(requisition),
        "can_issue": can_issue, "is_requester": requisition.requested_by_id == user.pk,
        "version_form": VersionNoteForm(initial={"version": requisition.version}),
    }
    if can_issue:
        ctx["issue_form"] = issue_form or RequisitionIssueForm(requisition=requisition,
                                                               initial={"version": requisition.version})
        ctx["reject_form"] = reject_form or RequiredNoteForm(initial={"version": requisition.version})
    ctx["has_actions"] = can_issue or (ctx["is_requester"] and requisition.can_cancel)
    return ctx


@login_required
def requisition_detail(request, pk):
    requisition = _get_requisition_for_user(request, pk)
    return render(request, "assets/supplies/requisition_detail.html", _requisition_context(request, requisition))


@login_required
@require_POST
def requisition_issue(request, pk):
    if not request.user.has_perm("assets.issue_requisition"):
        raise PermissionDenied(_("Only logistics issues supplies."))
    requisition = _get_requisition_for_user(request, pk)
    form = RequisitionIssueForm(request.POST, requisition=requisition)
    if form.is_valid():
        try:
            services.requisition_issue(requisition_id=requisition.pk, by=request.user,
                                       quantities=form.quantities(), note=form.cleaned_data["note"],
                                       expected_version=form.cleaned_data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Issued. The stock and the ledger are up to date."))
            return redirect("assets:requisition_detail", pk=requisition.pk)
    # Shown again with what was typed and why it was refused.
    requisition = _get_requisition_for_user(request, pk)
    return render(request, "assets/supplies/requisition_detail.html",
                  _requisition_context(request, requisition, issue_form=form), status=400)


@login_required
@require_POST
def requisition_reject(request, pk):
    if not request.user.has_perm("assets.issue_requisition"):
        raise PermissionDenied(_("Only logistics issues supplies."))
    requisition = _get_requisition_for_user(request, pk)
    form = RequiredNoteForm(request.POST)
    if form.is_valid():
        try:
            services.requisition_reject(requisition_id=requisition.pk, by=request.user,
                                        note=form.cleaned_data["note"], expected_version=form.cleaned_data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Rejected. The requester sees your reason."))
            return redirect("assets:requisition_detail", pk=requisition.pk)
    return render(request, "assets/supplies/requisition_detail.html",
                  _requisition_context(request, requisition, reject_form=form), status=400)


@login_required
@require_POST
def requisition_cancel(request, pk):
    requisition = _get_requisition_for_user(request, pk)

    def call(requisition, data):
        services.requisition_cancel(requisition_id=requisition.pk, by=request.user, expected_version=data["version"])
    return run_move(request, requisition, VersionNoteForm, call, _("Your requisition was cancelled."),
                    "assets:requisition_detail")


# --- term-start distribution -----------------------------------------------------------------

def _classes():
    return list(Location.objects.filter(active=True, kind=Location.Kind.CLASSROOM).select_related("building"))


@login_required
@permission_required("assets.view_distribution", raise_exception=True)
def distribution_list(request):
    return render(request, "assets/supplies/distribution_list.html", {
        "page": paginate(request, selectors.distribution_list()),
        "can_add": request.user.has_perm("assets.add_distribution"),
    })


def _get_distribution(pk):
    return get_object_or_404(Distribution.objects.select_related("term", "created_by", "issued_by"), pk=pk)


@login_required
def distribution_edit(request, pk=None):
    """Step one: tick the items; step two: a grid of classes × items with the quantities."""
    distribution = _get_distribution(pk) if pk else None
    perm = "assets.change_distribution" if distribution else "assets.add_distribution"
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Your role cannot prepare distributions."))
    if distribution and not distribution.can_change:
        messages.error(request, _("An issued distribution cannot be changed."))
        return redirect("assets:distribution_detail", pk=distribution.pk)
    source = request.POST if request.method == "POST" else request.GET
    chosen = [i for i in source.getlist("items") if i.isdigit()]
    existing = {}
    if distribution:
        existing = {(line.location_id, line.item_id): line.quantity for line in distribution.lines.all()}
        chosen = chosen or sorted({str(item_id) for _loc, item_id in existing})
    items_form = DistributionItemsForm({"items": chosen} if chosen else None,
                                       initial={"items": list(SupplyItem.objects.filter(
                                           active=True, kind=SupplyItem.Kind.TEXTBOOK).values_list("pk", flat=True))})
    if not chosen or not items_form.is_valid() or source.get("choose"):
        return render(request, "assets/supplies/distribution_items.html", {
            "items_form": items_form, "distribution": distribution,
            "title": source.get("title", distribution.title if distribution else "")})
    items = list(items_form.cleaned_data["items"])
    classes = _classes()
    if request.method == "POST":
        form = DistributionForm(request.POST, classes=classes, items=items, distribution=distribution)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if distribution:
                    distribution = services.distribution_update(
                        distribution_id=distribution.pk, by=request.user, title=data["title"], lines=form.lines(),
                        expected_version=data["version"])
                else:
                    distribution = services.distribution_create(
                        by=request.user, title=data["title"], lines=form.lines(), term=data["term"],
                        submit_token=data["submit_token"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Saved as a draft. Check it, then issue it in one go."))
                return redirect("assets:distribution_detail", pk=distribution.pk)
    else:
        initial = {"submit_token": new_submit_token(), "title": source.get("title", "")}
        if distribution:
            initial.update({"title": distribution.title, "term": distribution.term_id,
                            "version": distribution.version, "submit_token": None})
            initial.update({f"q_{loc}_{item}": qty for (loc, item), qty in existing.items()})
        form = DistributionForm(initial=initial, classes=classes, items=items, distribution=distribution)
    stock = {item.pk: item for item in items}
    return render(request, "assets/supplies/distribution_form.html", {
        "form": form, "items": items, "stock": stock, "distribution": distribution, "chosen": chosen,
    })


@login_required
@permission_required("assets.view_distribution", raise_exception=True)
def distribution_detail(request, pk):
    distribution = _get_distribution(pk)
    groups = selectors.distribution_sheet(distribution)
    totals = {}
    for _loc, lines in groups:
        for line in lines:
            row = totals.setdefault(line.item_id, {"item": line.item, "quantity": 0})
            row["quantity"] += line.quantity
    for row in totals.values():
        row["short"] = distribution.can_issue and row["quantity"] > row["item"].stock
    return render(request, "assets/supplies/distribution_detail.html", {
        "distribution": distribution, "groups": groups, "totals": list(totals.values()),
        "timeline": history_timeline(distribution),
        "can_issue": request.user.has_perm("assets.change_distribution") and distribution.can_issue,
        "version_form": VersionNoteForm(initial={"version": distribution.version}),
    })


@login_required
@require_POST
def distribution_issue(request, pk):
    if not request.user.has_perm("assets.change_distribution"):
        raise PermissionDenied(_("Only logistics issues distributions."))
    distribution = _get_distribution(pk)

    def call(distribution, data):
        services.distribution_issue(distribution_id=distribution.pk, by=request.user,
                                    expected_version=data["version"])
    return run_move(request, distribution, VersionNoteForm, call,
                    _("Issued to every class. Print the sign-for sheet for the class teachers."),
                    "assets:distribution_detail")


@login_required
@permission_required("assets.view_distribution", raise_exception=True)
def distribution_sheet(request, pk):
    """The A4 sign-for sheet: per class its items and quantities, and a line for the class teacher."""
    distribution = _get_distribution(pk)
    return pdf_response("print/distribution_sheet.html", {
        "distribution": distribution, "groups": selectors.distribution_sheet(distribution),
        "printed_at": timezone.now(), "print_term": distribution.term,
    }, request, f"distribution-{distribution.pk}.pdf")


# --- print and copy requests -----------------------------------------------------------------

def _get_print_for_user(request, pk):
    qs = selectors.prints_visible_to(request.user).select_related("department", "requested_by", "approved_by",
                                                                  "done_by")
    return get_object_or_404(qs, pk=pk)


@login_required
def print_list(request):
    user = request.user
    sees_all = user.has_perm("assets.view_printrequest")
    params = request.GET.copy()
    form = PrintFilterForm(params)
    data = form.cleaned_data if form.is_valid() else {}
    tabs = []
    if sees_all:
        others = params.copy()
        others.pop("page", None)
        for value, label in [("", _("All"))] + list(PrintRequest.Status.choices):
            q = others.copy()
            q["status"] = value
            tabs.append({"value": value, "label": label, "query": q.urlencode()})
    qs = selectors.print_list(user, data)  # one's own only, unless the role reads every job
    return render(request, "assets/supplies/print_list.html", {
        "form": form, "page": paginate(request, qs), "tabs": tabs, "sees_all": sees_all,
        "current_status": data.get("status", ""), "query_string": query_string(request),
        "limit": AssetSettings.get().print_approval_pages,
    })


@login_required
def print_new(request):
    if not request.user.has_perm("assets.add_printrequest"):
        raise PermissionDenied(_("Your role cannot request printing."))
    limit = AssetSettings.get().print_approval_pages
    if request.method == "POST":
        form = PrintRequestForm(request.POST)
        if form.is_valid():
            try:
                job = services.print_submit(by=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(job, "was_duplicate", False):
                    messages.info(request, _("This print request was already sent; it was not sent twice."))
                elif job.status == PrintRequest.Status.SUBMITTED:
                    messages.success(request, _("Sent. %(n)s pages is above %(limit)s, so the head of logistics "
                                                "approves it first.") % {"n": job.total_pages, "limit": limit})
                else:
                    messages.success(request, _("Sent to logistics for printing."))
                return redirect("assets:print_detail", pk=job.pk)
    else:
        initial = {"submit_token": new_submit_token(), "double_sided": True}
        if dept := _user_department(request.user):
            initial["department"] = dept
        form = PrintRequestForm(initial=initial)
    return render(request, "assets/supplies/print_form.html", {"form": form, "limit": limit})


def _user_department(user):
    """The department a person heads, as a sensible first choice on the print form."""
    return Department.objects.filter(head=user).values_list("pk", flat=True).first()


@login_required
def print_detail(request, pk):
    job = _get_print_for_user(request, pk)
    user = request.user
    can_approve = user.has_perm("assets.approve_printrequest") and job.can_approve
    can_print = user.has_perm("assets.do_printrequest") and job.can_print
    is_requester = job.requested_by_id == user.pk
    return render(request, "assets/supplies/print_detail.html", {
        "job": job, "timeline": history_timeline(job), "can_approve": can_approve, "can_print": can_print,
        "is_requester": is_requester, "can_cancel": is_requester and job.can_cancel,
        "version_form": VersionNoteForm(initial={"version": job.version}),
        "has_actions": can_approve or can_print or (is_requester and job.can_cancel),
        "limit": AssetSettings.get().print_approval_pages,
    })


def _print_move(request, pk, call, success, form_class=VersionNoteForm):
    job = _get_print_for_user(request, pk)
    return run_move(request, job, form_class, call, success, "assets:print_detail")


@login_required
@require_POST
def print_approve(request, pk):
    if not request.user.has_perm("assets.approve_printrequest"):
        raise PermissionDenied(_("Only the head of logistics approves large print jobs."))
    return _print_move(request, pk, lambda job, d: services.print_approve(
        request_id=job.pk, by=request.user, expected_version=d["version"]), _("Approved. Logistics will print it."))


@login_required
@require_POST
def print_reject(request, pk):
    if not request.user.has_perm("assets.approve_printrequest"):
        raise PermissionDenied(_("Only the head of logistics approves large print jobs."))
    return _print_move(request, pk, lambda job, d: services.print_reject(
        request_id=job.pk, by=request.user, note=d["note"], expected_version=d["version"]),
        _("Rejected. The requester sees your reason."), RequiredNoteForm)


@login_required
@require_POST
def print_done(request, pk):
    if not request.user.has_perm("assets.do_printrequest"):
        raise PermissionDenied(_("Only logistics marks print jobs done."))
    return _print_move(request, pk, lambda job, d: services.print_done(
        request_id=job.pk, by=request.user, expected_version=d["version"]), _("Marked printed."))


@login_required
@require_POST
def print_cancel(request, pk):
    return _print_move(request, pk, lambda job, d: services.print_cancel(
        request_id=job.pk, by=request.user, expected_version=d["version"]), _("Your print request was cancelled."))


@login_required
@permission_required("assets.view_printrequest", raise_exception=True)
def print_usage(request):
    """Paper used per department in a term (from printed jobs)."""
    form = TermChoiceForm(request.GET or None)
    term = form.cleaned_data.get("term") if form.is_valid() else None
    term = term or Term.objects.current()
    usage, totals = selectors.print_usage(term) if term else ([], {"jobs": 0, "pages": 0, "sheets": 0})
    return render(request, "assets/supplies/print_usage.html", {
        "form": form, "term": term, "usage": usage, "totals": totals})
