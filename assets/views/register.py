"""Pages of the asset register: the list with its filters and totals, an asset's page, registering and
correcting, Excel in and out, and the QR label sheet. Views parse input, call a service, redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from logistics.freshness import fresh
from logistics.history import history_timeline
from logistics.jobs.views import start_response
from logistics.pdf import pdf_response
from logistics.web import PAGE_SIZE, apply_errors, query_string

from .. import documents, excel
from ..forms.register import AssetFilterForm, AssetForm, AssetImportForm
from ..selectors import register as selectors
from ..services import register as services

# Labels printed while the user waits (the asset page's own label, a few ticked ones); the register's buttons make
# bigger sheets in the background, up to documents.MAX_LABELS (views/documents.py).
MAX_LABELS = 500
LABELS_PER_ROW = 3


def _get_asset_for_user(request, pk):
    """Any signed-in person may open an asset's page (a QR label on the wall leads there); what they see
    depends on their role."""
    return get_object_or_404(selectors.asset_list(), pk=pk)


def _filtered(data):
    """(form, queryset) of the register filtered by the query string's data; an invalid filter shows
    everything."""
    form = AssetFilterForm(data or None)
    qs = selectors.asset_list()
    qs = selectors.filter_assets(qs, form.cleaned_data if form.is_valid() else None)
    return form, qs


def _url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- the register ----------------------------------------------------------------------------

@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_list(request):
    # What the register shows is the same for everyone who may read it: the totals, filters, rows and pages are
    # rendered once per filter, page and language and kept until any record changes (logistics.freshness) —
    # a search is rendered each time. The buttons around them (permissions, the CSRF token) are the user's.
    if request.GET.get("q", "").strip():
        parts = _register_parts(request.GET)
    else:
        parts = fresh("assets.asset_list", request.GET.urlencode(), get_language(),
                      compute=lambda: _register_parts(request.GET))
    return render(request, "assets/register/asset_list.html", {
        "parts": parts, "filter_string": query_string(request)})


def _register_parts(data):
    form, qs = _filtered(data)
    # Money is shown exact: one aggregate over the filtered rows (no joins) gives the count, items and value,
    # and the paginator is told the count rather than counting again.
    totals = selectors.asset_totals(qs)
    page = selectors.asset_page(qs, data.get("page"), PAGE_SIZE, totals["records"])
    params = data.copy()
    params.pop("page", None)
    ctx = {"form": form, "page": page, "totals": totals, "query_string": params.urlencode(),
           "open_filters": bool(form.is_bound and form.is_valid() and any(form.cleaned_data.values()))}
    # rendered HTML (SafeString, which keeps its kind in the cache)
    return {"head": render_to_string("assets/register/_list_head.html", ctx),
            "table": render_to_string("assets/register/_list_table.html", ctx),
            "pagination": render_to_string("includes/pagination.html", ctx)}


@login_required
def asset_detail(request, pk):
    asset = _get_asset_for_user(request, pk)
    user = request.user
    ctx = {
        "asset": asset,
        "can_report": user.has_perm("assets.add_repairrequest") and asset.is_active,
        "can_read": user.has_perm("assets.view_asset"),
        "can_edit": user.has_perm("assets.change_asset") and asset.is_active,
    }
    if ctx["can_read"]:
        repairs = list(asset.repair_requests.select_related("location__building", "reporter", "assignee")
                       .order_by("-reported_at"))
        ctx.update({
            "repairs": repairs,
            "repair_cost": sum((r.cost for r in repairs if r.cost is not None), start=0),
            "loans": list(asset.loans.select_related("borrower")),
            "damages": list(asset.damages.all()),
            "stocktake_lines": list(asset.stocktake_lines.select_related("room__stocktake", "moved_to__building")),
            "write_offs": list(asset.write_offs.all()),
            "timeline": history_timeline(asset),
        })
    return render(request, "assets/register/asset_detail.html", ctx)


@login_required
@permission_required("assets.add_asset", raise_exception=True)
def asset_create(request):
    if request.method == "POST":
        form = AssetForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                asset = services.asset_register(by=request.user, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Registered as %(tag)s.") % {"tag": asset.tag})
                if "another" in request.POST:
                    return redirect("assets:asset_create")
                return redirect("assets:asset_detail", pk=asset.pk)
    else:
        form = AssetForm()
    return render(request, "assets/register/asset_form.html", {"form": form, "asset": None})


@login_required
@permission_required("assets.change_asset", raise_exception=True)
def asset_edit(request, pk):
    asset = _get_asset_for_user(request, pk)
    if not asset.is_active:
        messages.error(request, _("An asset that has left the register cannot be edited."))
        return redirect("assets:asset_detail", pk=asset.pk)
    if request.method == "POST":
        form = AssetForm(request.POST, asset=asset, initial=AssetForm.initial_for(asset))
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data and k != "version"}
            changes.pop("status", None) if form.fields["status"].disabled else None
            try:
                asset = services.asset_update(asset_id=asset.pk, by=request.user,
                                              expected_version=form.cleaned_data["version"], **changes)
            except ValidationError as e:
                # A refused field (a serial number another asset has) comes keyed by field, with no code.
                if getattr(e, "code", None) == "stale":
                    # Show the current record, so the person sees what changed and decides again.
                    messages.error(request, " ".join(e.messages))
                    asset.refresh_from_db()
                    form = AssetForm(asset=asset, initial=AssetForm.initial_for(asset))
                else:
                    apply_errors(form, e)
            else:
                if asset.changed_fields:
                    messages.success(request, _("Saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("assets:asset_detail", pk=asset.pk)
    else:
        form = AssetForm(asset=asset, initial=AssetForm.initial_for(asset))
    return render(request, "assets/register/asset_form.html", {"form": form, "asset": asset})


@login_required
def asset_report_fault(request, pk):
    """The “report a fault” button of an asset's page: the repair form, filled in with this asset."""
    asset = _get_asset_for_user(request, pk)
    return redirect(reverse("assets:repair_report") + f"?asset={asset.pk}")


# --- Excel -----------------------------------------------------------------------------------

def _xlsx_response(data, filename):
    response = HttpResponse(data, content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("assets.add_asset", raise_exception=True)
def asset_template(request):
    return _xlsx_response(excel.register_template(), "asset-register-template.xlsx")


@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_export(request):
    _form, qs = _filtered(request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(excel.export_register(qs), f"asset-register-{stamp}.xlsx")


@login_required
@permission_required("assets.add_asset", raise_exception=True)
def asset_import(request):
    ctx = {"columns": excel.COLUMNS, "max_rows": excel.MAX_ROWS}
    if request.method == "POST":
        form = AssetImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > documents.IMPORT_IN_BACKGROUND_BYTES:
                    # A large file is checked here (size, kind, its parts), then read and imported by the worker;
                    # its page shows the progress, then the new assets with their tags, or which rows are wrong.
                    excel.check_upload(upload)
                    return start_response(request, "assets.register_import",
                                          documents.save_import_upload(request.user, upload))
                parsed = excel.read_register(upload)
            except excel.ImportRefused as e:
                form.add_error("file", str(e))
            else:
                if parsed.error_count:
                    ctx.update({"errors": parsed.errors, "error_count": parsed.error_count,
                                "shown": len(parsed.errors), "file_name": upload.name})
                else:
                    try:
                        created = services.asset_import(by=request.user, rows=[r for _n, r in parsed.rows],
                                                        source=upload.name)
                    except ValidationError as e:
                        form.add_error(None, e)
                    else:
                        tags = sorted(a.tag for a in created)
                        messages.success(request, _("Imported %(n)s assets (%(first)s … %(last)s).")
                                         % {"n": len(created), "first": tags[0], "last": tags[-1]})
                        return redirect("assets:asset_list")
    else:
        form = AssetImportForm()
    ctx["form"] = form
    return render(request, "assets/register/asset_import.html", ctx)


# --- QR labels -------------------------------------------------------------------------------

qr_data_uri = documents.qr_data_uri


@login_required
@permission_required("assets.view_asset", raise_exception=True)
def asset_labels(request):
    """An A4 sheet of labels (tag, name, place, QR to the asset's page) for chosen assets or the filtered list."""
    ids = [int(i) for i in request.GET.getlist("ids") if str(i).isdigit()]
    if ids:
        qs = selectors.asset_list().filter(pk__in=ids)
    else:
        _form, qs = _filtered(request.GET)
    assets = list(qs[:MAX_LABELS + 1])
    if not assets:
        messages.error(request, _("No assets to print labels for."))
        return redirect(reverse("assets:asset_list") + ("?" + query_string(request, ("page", "ids"))))
    if len(assets) > MAX_LABELS:
        messages.error(request, _("That is more than %(n)s labels: narrow the list (e.g. one room) and print "
                                  "again.") % {"n": MAX_LABELS})
        return redirect(reverse("assets:asset_list") + ("?" + query_string(request, ("page", "ids"))))
    labels = [{"asset": a, "qr": qr_data_uri(request.build_absolute_uri(reverse("assets:asset_detail", args=[a.pk])))}
              for a in assets]
    rows = [labels[i:i + LABELS_PER_ROW] for i in range(0, len(labels), LABELS_PER_ROW)]
    return pdf_response("print/asset_labels.html", {
        "rows": rows, "per_row": LABELS_PER_ROW,
    }, request, "asset-labels.pdf")

