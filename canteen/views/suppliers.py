"""Pages of suppliers (索证) and of the check of every delivery (进货查验, 索票). Views parse input, call a
service, and redirect after a POST; the canteen manager records a delivery from a phone."""
import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.files import document_response
from logistics.forms import VersionForm, new_submit_token
from logistics.history import history_entries, history_timeline
from logistics.pdf import pdf_response
from logistics.services import display_name
from logistics.web import apply_errors, paginate, private_file_response, query_string, run_move

from ..forms.suppliers import (
    RESULTS,
    DeliveryCorrectForm,
    DeliveryFilterForm,
    DeliveryForm,
    ReasonVersionForm,
    SupplierDocumentForm,
    SupplierFilterForm,
    SupplierForm,
    filled_items,
    item_formset,
)
from ..models import Delivery, DeliveryItem, Supplier
from ..selectors import suppliers as selectors
from ..services import suppliers as services

ITEM_FIELDS = ("name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life", "is_meat",
               "quarantine_cert")


def _supplier(pk):
    return get_object_or_404(Supplier, pk=pk)


def _delivery(pk):
    return get_object_or_404(Delivery.objects.select_related("supplier", "checked_by"), pk=pk)


# --- suppliers -----------------------------------------------------------------------------------

@login_required
@permission_required("canteen.view_supplier", raise_exception=True)
def supplier_list(request):
    form = SupplierFilterForm(request.GET or None)
    today, days = timezone.localdate(), selectors.warning_days()
    qs = selectors.supplier_list(form.cleaned_data if form.is_valid() else None, today, days)
    page = paginate(request, qs)
    for supplier in page.object_list:
        supplier.licence_state = selectors.licence_state(supplier, today, days)
        supplier.days_left = (supplier.licence_expires - today).days
    return render(request, "canteen/suppliers/supplier_list.html", {
        "form": form, "page": page, "query_string": query_string(request), "warning_days": days,
    })


@login_required
@permission_required("canteen.view_supplier", raise_exception=True)
def supplier_detail(request, pk):
    supplier = _supplier(pk)
    today, days = timezone.localdate(), selectors.warning_days()
    supplier.licence_state = selectors.licence_state(supplier, today, days)
    supplier.days_left = (supplier.licence_expires - today).days
    documents = list(supplier.documents.select_related("uploaded_by").order_by("title", "pk"))
    for document in documents:
        document.days_left = (document.expires - today).days if document.expires else None
    deliveries = selectors.delivery_list({"supplier": supplier})
    return render(request, "canteen/suppliers/supplier_detail.html", {
        "supplier": supplier, "documents": documents, "warning_days": days,
        "deliveries": list(deliveries[:10]), "delivery_count": deliveries.count(),
        "timeline": history_timeline(supplier),
        "version_form": VersionForm(initial={"version": supplier.version}),
        "refusal": services.licence_refusal(supplier, today),
    })


@login_required
@permission_required("canteen.add_supplier", raise_exception=True)
def supplier_add(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            supplier = services.supplier_add(by=request.user, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("%(name)s is on the list of suppliers.") % {"name": supplier.name})
            return redirect("canteen:supplier_detail", pk=supplier.pk)
    return render(request, "canteen/suppliers/supplier_form.html", {"form": form, "supplier": None})


@login_required
@permission_required("canteen.change_supplier", raise_exception=True)
def supplier_edit(request, pk):
    supplier = _supplier(pk)
    if request.method == "POST":
        form = SupplierForm(request.POST, instance=Supplier(pk=supplier.pk), editing=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.supplier_edit(supplier_id=supplier.pk, by=request.user, expected_version=version, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("canteen:supplier_detail", pk=supplier.pk)
    else:
        form = SupplierForm(instance=supplier, editing=True, initial={"version": supplier.version})
    return render(request, "canteen/suppliers/supplier_form.html", {"form": form, "supplier": supplier})


@login_required
@require_POST
@permission_required("canteen.change_supplier", raise_exception=True)
def supplier_deactivate(request, pk):
    def call(supplier, data):
        services.supplier_deactivate(supplier_id=supplier.pk, by=request.user, reason=data["reason"],
                                     expected_version=data["version"])
    return run_move(request, _supplier(pk), ReasonVersionForm, call,
                    _("Marked as no longer supplying the canteen."), "canteen:supplier_detail")


@login_required
@require_POST
@permission_required("canteen.change_supplier", raise_exception=True)
def supplier_reactivate(request, pk):
    def call(supplier, data):
        services.supplier_reactivate(supplier_id=supplier.pk, by=request.user, expected_version=data["version"])
    return run_move(request, _supplier(pk), VersionForm, call, _("They supply the canteen again."),
                    "canteen:supplier_detail")


@login_required
@permission_required("canteen.add_supplierdocument", raise_exception=True)
def supplier_document_add(request, pk):
    supplier = _supplier(pk)
    form = SupplierDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supplier_document_add(supplier_id=supplier.pk, by=request.user, title=data["title"],
                                           file=data["file"], expires=data["expires"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The document is kept on file."))
            return redirect("canteen:supplier_detail", pk=supplier.pk)
    if request.method == "POST" and request.FILES:
        messages.warning(request, _("For your safety the browser forgets a chosen file when a form is shown "
                                    "again: please choose it again."))
    return render(request, "canteen/suppliers/document_form.html", {"form": form, "supplier": supplier})


@login_required
@permission_required("canteen.view_supplierdocument", raise_exception=True)
def supplier_document(request, pk, document_id):
    """A supplier's certificate, to those who may read the canteen's records only."""
    supplier = _supplier(pk)
    document = get_object_or_404(supplier.documents.exclude(file=""), pk=document_id)
    return document_response(document.file, f"supplier-{supplier.pk}-document-{document.pk}")


# --- deliveries ----------------------------------------------------------------------------------

@login_required
@permission_required("canteen.view_delivery", raise_exception=True)
def delivery_list(request):
    form = DeliveryFilterForm(request.GET or None)
    qs = selectors.delivery_list(form.cleaned_data if form.is_valid() else None)
    others = request.GET.copy()
    for name in ("page", "status"):
        others.pop(name, None)
    tabs = []
    for value, label in [("", _("All")), *RESULTS]:
        q = others.copy()
        if value:
            q["status"] = value
        tabs.append({"value": value, "label": label, "query": q.urlencode()})
    return render(request, "canteen/suppliers/delivery_list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request), "tabs": tabs,
        "current_status": request.GET.get("status", ""),
    })


def supplier_tiles(day):
    """The suppliers in use as tiles of the delivery form: each with why it cannot be chosen (its licence
    has expired), if so, and whether its licence expires soon."""
    days = selectors.warning_days()
    tiles = []
    for supplier in Supplier.objects.filter(active=True).order_by("name"):
        tiles.append({"supplier": supplier, "refusal": services.licence_refusal(supplier, day),
                      "state": selectors.licence_state(supplier, day, days)})
    return tiles


def _retyped(form, formset):
    """Unbound copies of a sent delivery form and its rows holding what was typed, one row more (the
    "add an item" button): nothing is checked yet, so no errors are shown."""
    initial = {name: form[name].value() for name in form.fields if name != "photos"}
    rows = [{name: row[name].value() for name in ITEM_FIELDS} for row in formset.forms]
    again = item_formset(rows=rows + [{}])
    return DeliveryForm(initial=initial), again


@login_required
@permission_required("canteen.add_delivery", raise_exception=True)
def delivery_add(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = DeliveryForm(request.POST, request.FILES)
        formset = item_formset(request.POST)
        if "add_row" in request.POST:
            form, formset = _retyped(form, formset)
        elif all([form.is_valid(), formset.is_valid()]):  # both checked: every error shown at once
            data = form.cleaned_data
            rows = filled_items(formset)
            try:
                delivery = services.delivery_record(
                    by=request.user, supplier=data["supplier"], date=data["date"], items=[r for _i, r in rows],
                    invoice_ref=data["invoice_ref"], accepted=data["result"] == Delivery.Status.ACCEPTED,
                    reject_reason=data["reject_reason"], note=data["note"], photos=data["photos"],
                    submit_token=data["submit_token"])
            except ValidationError as e:
                _show_delivery_errors(form, formset, rows, e)
            else:
                if getattr(delivery, "was_duplicate", False):
                    messages.info(request, _("This delivery was already recorded (%(number)s); it was not recorded "
                                             "twice.") % {"number": delivery.number})
                elif delivery.status == Delivery.Status.ACCEPTED:
                    messages.success(request, _("Delivery %(number)s recorded and accepted.")
                                     % {"number": delivery.number})
                else:
                    messages.success(request, _("Delivery %(number)s recorded as rejected.")
                                     % {"number": delivery.number})
                return redirect("canteen:delivery_detail", pk=delivery.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is shown "
                                        "again: please choose them again."))
        day = _sent_day(request.POST.get("date")) or today
    else:
        initial = {"submit_token": new_submit_token(), "date": today, "result": Delivery.Status.ACCEPTED}
        if (pk := request.GET.get("supplier", "")).isdigit():
            initial["supplier"] = int(pk)
        form, formset = DeliveryForm(initial=initial), item_formset()
        day = today
    return render(request, "canteen/suppliers/delivery_form.html", {
        "form": form, "formset": formset, "tiles": supplier_tiles(day), "today": today,
        "chosen": str(form["supplier"].value() or ""), "result": str(form["result"].value() or ""),
    })


def _sent_day(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _show_delivery_errors(form, formset, rows, error):
    """A service's refusal on the delivery form: an item's on its row, the rest on their fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name != "items":
            form.add_error(name if name in form.fields else None, errors)
            continue
        for err in errors:
            row = getattr(err, "row", None)
            if row is None or row >= len(rows):
                formset._non_form_errors.extend(err.messages)
                continue
            target = formset.forms[rows[row][0]]
            target.add_error(err.field if err.field in target.fields else None, err.messages)


@login_required
@permission_required("canteen.view_delivery", raise_exception=True)
def delivery_detail(request, pk):
    delivery = _delivery(pk)
    items = list(delivery.items.all())
    return render(request, "canteen/suppliers/delivery_detail.html", {
        "delivery": delivery, "items": items, "photos": list(delivery.photos.all()),
        "timeline": delivery_timeline(delivery, items),
    })


def delivery_timeline(delivery, items):
    """The delivery's history, a correction of its items shown in the correction's entry (item · field)."""
    entries = history_timeline(delivery)
    names = {item.pk: item.name for item in items}
    records = {}
    for record in (DeliveryItem.history.filter(delivery_id=delivery.pk).select_related("history_user")
                   .order_by("history_date", "history_id")):
        records.setdefault(record.id, []).append(record)
    by_moment = {entry["when"]: entry for entry in entries}
    for item_id, rows in records.items():
        for entry in history_entries(rows, DeliveryItem):
            if entry["kind"] != "~" or not entry["changes"]:
                continue
            name = names.get(item_id, "")
            changes = [(f"{name} · {label}", old, new) for label, old, new in entry["changes"]]
            if (target := by_moment.get(entry["when"])) is not None:
                target["changes"] = [*target["changes"], *changes]
            else:
                entries.append({**entry, "changes": changes})
    return sorted(entries, key=lambda e: e["when"])


@login_required
@permission_required("canteen.change_delivery", raise_exception=True)
def delivery_correct(request, pk):
    delivery = _delivery(pk)
    if request.method == "POST":
        form = DeliveryCorrectForm(request.POST, delivery=delivery)
        if form.is_valid():
            fields, items = form.changes()
            try:
                services.delivery_correct(delivery_id=delivery.pk, by=request.user, reason=form.cleaned_data["reason"],
                                          expected_version=form.cleaned_data["version"], items=items, **fields)
            except ValidationError as e:
                _show_correction_errors(form, e)
            else:
                messages.success(request, _("The record was corrected; its history says why."))
                return redirect("canteen:delivery_detail", pk=delivery.pk)
    else:
        form = DeliveryCorrectForm(delivery=delivery, initial={"version": delivery.version})
    return render(request, "canteen/suppliers/delivery_correct.html", {"form": form, "delivery": delivery})


def _show_correction_errors(form, error):
    if hasattr(error, "error_dict") and "items" in error.error_dict:
        item_ids = [item.pk for item, _names in form.item_fields]
        for err in error.error_dict.pop("items"):
            row, field = getattr(err, "row", None), getattr(err, "field", None)
            key = f"item_{item_ids[row]}_{field}" if row is not None and row < len(item_ids) else None
            form.add_error(key if key in form.fields else None, err.messages)
        if not error.error_dict:
            return
    apply_errors(form, error)


@login_required
@permission_required("canteen.view_delivery", raise_exception=True)
def delivery_photo(request, pk, photo_id):
    delivery = _delivery(pk)
    photo = get_object_or_404(delivery.photos, pk=photo_id)
    return private_file_response(photo.image)


def _month(value):
    """(first, last) days of the month ?month=YYYY-MM asks for, else of this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = datetime.date(year, month, 1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@login_required
@permission_required("canteen.view_delivery", raise_exception=True)
def delivery_log_print(request):
    """The month's 进货查验记录 as an A4 landscape PDF: one row per item, with the RULES.md columns."""
    first, last = _month(request.GET.get("month"))
    if first.year < 2000 or first.year > 2100:
        raise Http404
    return pdf_response("print/canteen_delivery_log.html", {
        "rows": selectors.delivery_log(first, last), "first": first, "last": last, "month": f"{first:%Y-%m}",
        "printed_at": timezone.now(), "printed_by": display_name(request.user),
    }, request, f"delivery-log-{first:%Y-%m}.pdf")
