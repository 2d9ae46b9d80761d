"""Pages after approval: order, acceptance, invoices, payment, the ledger, the monthly report and the hub."""
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from logistics.files import document_response
from logistics.forms import VersionForm
from logistics.history import history_timeline
from logistics.models import SchoolProfile
from logistics.pdf import pdf_response
from logistics.services import display_name
from logistics.sheets import append_row
from logistics.web import apply_errors, error_text, flash_form_errors, paginate, query_string, run_move

from ..forms.procurement import (
    AcceptForm,
    InvoiceForm,
    LedgerEntryForm,
    LedgerFilterForm,
    OrderForm,
    PayForm,
    SignForm,
    parse_month,
)
from ..models import FinanceSettings, Invoice, LedgerEntry
from ..selectors import procurement as selectors
from ..services import procurement as services


def _need(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Your role cannot see this page."))


def _get_request_for_user(request, pk):
    _need(request, "finance.view_purchaserequest")
    return get_object_or_404(selectors.request_for_procurement(), pk=pk)


def _get_invoice_for_user(request, pk):
    _need(request, "finance.view_invoice")
    return get_object_or_404(selectors.invoices(), pk=pk)


# --- hub -----------------------------------------------------------------------------------------

@login_required
def home(request):
    _need(request, "finance.view_budgetline")
    from ..home import hub_sections

    return render(request, "finance/home.html", {"sections": hub_sections(request.user)})


# --- order and acceptance ------------------------------------------------------------------------

def _order_page(request, pr, order_form=None, accept_form=None):
    items = list(pr.items.select_related("asset_category", "location__building", "supply_item"))
    can_order = pr.may_order(request.user)
    can_accept = pr.may_accept(request.user)
    if can_order and order_form is None:
        # The order starts from the chosen quote (its vendor, its prices), not from the estimate.
        quote = pr.chosen_quote
        order_form = OrderForm(items=items, quoted_prices=pr.quoted_unit_prices(items), initial={
            "version": pr.version, "purchaser": request.user.pk, "ordered_on": timezone.localdate(),
            "vendor": quote.vendor if quote else ""})
    if can_accept and accept_form is None:
        accept_form = AcceptForm(items=items, initial={"version": pr.version})
    return render(request, "finance/procurement/order.html", {
        "pr": pr, "items": items, "timeline": history_timeline(pr),
        "order_form": order_form if can_order else None, "accept_form": accept_form if can_accept else None,
        "dual_limit": FinanceSettings.get().dual_purchase_above,
        "is_purchaser": pr.bought_by(request.user),
        "invoices": selectors.mark_differences(list(selectors.invoices().filter(request=pr))),
        "can_add_invoice": pr.may_invoice(request.user),
    }, status=400 if (order_form is not None and order_form.errors)
       or (accept_form is not None and accept_form.errors) else 200)


def _stale(request, form):
    """A form sent without a valid version is a stale page: say so and show the page again."""
    if form.is_valid() or "version" not in form.errors:
        return False
    flash_form_errors(request, form)
    return True


@login_required
def order_record(request, pk):
    pr = _get_request_for_user(request, pk)
    if request.method != "POST":
        return _order_page(request, pr)
    if not request.user.has_perm("finance.order_purchase"):
        raise PermissionDenied(_("Only logistics records orders."))
    items = list(pr.items.all())
    form = OrderForm(request.POST, items=items)
    if _stale(request, form):
        return redirect("finance:order_record", pk=pr.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.purchase_order(request_id=pr.pk, by=request.user, vendor=data["vendor"],
                                    ordered_on=data["ordered_on"], prices=form.prices(),
                                    purchaser=data["purchaser"], second_purchaser=data["second_purchaser"],
                                    expected_version=data["version"])
        except ValidationError as e:
            if getattr(e, "code", None) == "stale":
                messages.error(request, error_text(e))
                return redirect("finance:order_record", pk=pr.pk)
            apply_errors(form, e)
        else:
            messages.success(request, _("The order of %(number)s is recorded.") % {"number": pr.number})
            return redirect("finance:order_record", pk=pr.pk)
    return _order_page(request, pr, order_form=form)


@login_required
@require_POST
def order_accept(request, pk):
    pr = _get_request_for_user(request, pk)
    if not request.user.has_perm("finance.order_purchase"):
        raise PermissionDenied(_("Only logistics accepts goods."))
    items = list(pr.items.all())
    form = AcceptForm(request.POST, items=items)
    if _stale(request, form):
        return redirect("finance:order_record", pk=pr.pk)
    if form.is_valid():
        try:
            services.purchase_accept(request_id=pr.pk, by=request.user, quantities=form.quantities(),
                                     categories=form.categories(), locations=form.locations(),
                                     supply_items=form.supply_items(), expected_version=form.cleaned_data["version"])
        except ValidationError as e:
            if getattr(e, "code", None) in ("stale", "not_allowed", "purchaser"):
                messages.error(request, error_text(e))
                return redirect("finance:order_record", pk=pr.pk)
            apply_errors(form, e)
        else:
            messages.success(request, _("The goods of %(number)s are accepted: the register and the stock are "
                                        "updated.") % {"number": pr.number})
            return redirect("finance:order_record", pk=pr.pk)
    return _order_page(request, pr, accept_form=form)


# --- invoices ------------------------------------------------------------------------------------

@login_required
def invoice_list(request):
    _need(request, "finance.view_invoice")
    status = request.GET.get("status", "")
    page = paginate(request, selectors.invoice_list(status=status))
    selectors.mark_differences(page.object_list)
    return render(request, "finance/procurement/invoice_list.html", {
        "page": page, "status": status, "statuses": Invoice.Status.choices,
        "status_query": urlencode({"status": status}) if status else ""})


@login_required
def invoice_new(request):
    if not request.user.has_perm("finance.add_invoice"):
        raise PermissionDenied(_("Your role cannot record invoices."))
    pr = get_object_or_404(selectors.request_for_procurement(), pk=request.GET.get("request") or 0) \
        if str(request.GET.get("request", "")).isdigit() else None
    if pr is None:
        messages.error(request, _("Record an invoice from the page of an ordered purchase."))
        return redirect("finance:invoice_list")
    if request.method == "POST":
        form = InvoiceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invoice = services.invoice_add(request_id=pr.pk, by=request.user, number=data["number"],
                                               issued_on=data["issued_on"], amount=data["amount"],
                                               attachment=data.get("attachment"))
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Invoice %(number)s is recorded; it now needs three signatures.")
                                 % {"number": invoice.number})
                return redirect("finance:invoice_detail", pk=invoice.pk)
    else:
        form = InvoiceForm(initial={"amount": pr.expected_amount, "issued_on": timezone.localdate()})
    return render(request, "finance/procurement/invoice_new.html", {"form": form, "pr": pr},
                  status=400 if form.errors else 200)


@login_required
def invoice_file(request, pk):
    """An invoice's file, to those who may read invoices only (404 to others: nothing to probe)."""
    if not request.user.has_perm("finance.view_invoice"):
        raise Http404
    invoice = get_object_or_404(Invoice.objects.exclude(attachment=""), pk=pk)
    return document_response(invoice.attachment, f"invoice-{invoice.number}")


@login_required
def invoice_detail(request, pk):
    invoice = _get_invoice_for_user(request, pk)
    return render(request, "finance/procurement/invoice_detail.html", {
        "invoice": invoice, "pr": invoice.request, "differs": invoice.amount_differs,
        "expected": invoice.request.expected_amount,
        "sign_roles": [(role, Invoice._meta.get_field(role).verbose_name)
                       for role in invoice.open_signatures(request.user)],
        "can_pay": invoice.may_pay(request.user),
        "version_form": VersionForm(initial={"version": invoice.version}),
        "pay_form": PayForm(initial={"version": invoice.version}),
        "timeline": history_timeline(invoice),
    })


@login_required
@require_POST
def invoice_sign(request, pk):
    def call(invoice, data):
        services.invoice_sign(invoice_id=invoice.pk, by=request.user, role=data["role"],
                              expected_version=data["version"])
    invoice = _get_invoice_for_user(request, pk)
    return run_move(request, invoice, SignForm, call,
                    _("You signed invoice %(number)s.") % {"number": invoice.number}, "finance:invoice_detail")


@login_required
@require_POST
def invoice_pay(request, pk):
    def call(invoice, data):
        services.invoice_pay(invoice_id=invoice.pk, by=request.user, voucher_number=data["voucher_number"],
                             expected_version=data["version"])
    invoice = _get_invoice_for_user(request, pk)
    return run_move(request, invoice, PayForm, call,
                    _("Invoice %(number)s is paid and entered in the ledger.") % {"number": invoice.number},
                    "finance:invoice_detail")


# --- ledger --------------------------------------------------------------------------------------

@login_required
def ledger(request):
    _need(request, "finance.view_ledgerentry")
    form = LedgerFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"month": data["month"], "direction": data["direction"], "category": data["category"],
                   "budget_line": data["budget_line"]}
    qs = selectors.ledger_entries(**filters)
    return render(request, "finance/procurement/ledger.html", {
        "form": form, "page": paginate(request, qs), "totals": selectors.ledger_totals(qs),
        "query_string": query_string(request)})


@login_required
def ledger_entry(request, pk):
    """One entry of the books: what it is, where it came from and its history (who changed what)."""
    _need(request, "finance.view_ledgerentry")
    entry = get_object_or_404(LedgerEntry.objects.select_related("budget_line", "invoice__request", "created_by"),
                              pk=pk)
    return render(request, "finance/procurement/ledger_entry.html", {
        "entry": entry, "timeline": history_timeline(entry)})


@login_required
def ledger_new(request):
    if not request.user.has_perm("finance.add_ledgerentry"):
        raise PermissionDenied(_("Only finance keeps the ledger."))
    if request.method == "POST":
        form = LedgerEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.ledger_entry_add(by=request.user, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("The entry is in the ledger."))
                return redirect("finance:ledger")
    else:
        form = LedgerEntryForm()
    return render(request, "finance/procurement/ledger_new.html", {"form": form}, status=400 if form.errors else 200)


# --- monthly report ------------------------------------------------------------------------------

def _report_month(request):
    try:
        month = parse_month(request.GET.get("month"))
    except ValidationError:
        month = None
    return month or timezone.localdate().replace(day=1)


def _report_context(request):
    _need(request, "finance.view_ledgerentry")
    report = selectors.monthly_report(_report_month(request))
    return {"report": report, "month": report["start"].strftime("%Y-%m"),
            "school_name": SchoolProfile.get().name, "printed_at": timezone.now(),
            "preparer": display_name(request.user)}


@login_required
def monthly_report(request):
    return render(request, "finance/procurement/monthly_report.html", _report_context(request))


@login_required
def monthly_report_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _report_context(request)
    report = context["report"]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Monthly report")[:31]
    append_row(ws, [context["school_name"], _("Monthly report %(month)s") % {"month": context["month"]}])
    ws.append([pgettext("line of a report", "Item"), _("Income or expense"), _("Amount (yuan)")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for line in report["lines"]:
        append_row(ws, [str(line["label"]), str(LedgerEntry.Direction(line["direction"]).label), line["amount"]])
    append_row(ws, [_("Total income"), "", report["income"]])
    append_row(ws, [_("Total expense"), "", report["expense"]])
    append_row(ws, [_("Balance"), "", report["net"]])
    entries = wb.create_sheet(_("Entries")[:31])
    entries.append([_("Date"), _("Income or expense"), _("Category"), _("Description"), _("Budget line"),
                    _("Voucher number"), _("Amount (yuan)")])
    for e in report["entries"]:
        # descriptions and vouchers are typed by people: text, never a formula
        append_row(entries, [e.date, e.get_direction_display(), e.get_category_display(), e.description,
                             str(e.budget_line) if e.budget_line else "", e.voucher_number, e.amount])
    ws.column_dimensions["A"].width = 24
    entries.column_dimensions["D"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{context["month"]}.xlsx"'
    return response


@login_required
def monthly_report_pdf(request):
    context = _report_context(request)
    return pdf_response("print/monthly_report.html", context, request, f"monthly-report-{context['month']}.pdf")
