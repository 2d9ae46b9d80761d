"""Forms of the suppliers area: they check what was typed; the services decide."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.forms import DateInput, DocumentField, MultiplePhotoField, SubmitTokenField, VersionForm

from ..models import Delivery, Supplier
from ..services.suppliers import MAX_ITEMS, MAX_PHOTOS

# A delivery's result in words of its own ("Accepted" alone is a quantity accepted elsewhere in the app).
RESULTS = [(Delivery.Status.ACCEPTED, pgettext_lazy("delivery result", "Accepted")),
           (Delivery.Status.REJECTED, pgettext_lazy("delivery result", "Rejected"))]


class SupplierForm(forms.ModelForm):
    """A supplier's details and licence (adding, or changing with the version the page showed)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = Supplier
        fields = ["name", "goods", "licence_kind", "licence_number", "licence_expires", "contact", "phone",
                  "address"]
        widgets = {"licence_expires": DateInput(), "phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A change sent without the version it was made on is a stale page, never an unchecked change.
        self.fields["version"].required = editing
        self.fields["licence_expires"].help_text = _("The date printed on the licence. A delivery from a "
                                                     "supplier whose licence has expired is refused.")

    def validate_unique(self):
        """The service says when the name is taken (with the name)."""


class SupplierDocumentForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=100,
                            help_text=_("e.g. 营业执照, 食品经营许可证, 检验报告, 动物防疫条件合格证"))
    file = DocumentField(label=_("File"), help_text=_("A PDF or a photo of the document."))
    expires = forms.DateField(label=_("Valid until"), required=False, widget=DateInput(),
                              help_text=_("Leave empty when it does not expire."))


class ReasonVersionForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class SupplierFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("name, goods, licence number")}))
    licence = forms.ChoiceField(label=_("Licence"), required=False, choices=[
        ("", _("All")), ("valid", _("Valid")), ("expiring", _("Expiring soon")), ("expired", _("Expired"))])
    state = forms.ChoiceField(label=_("Supplies us"), required=False, choices=[
        ("active", _("Now")), ("inactive", _("No longer")), ("all", _("All"))])


class DeliveryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("number, item, invoice")}))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    supplier = forms.ModelChoiceField(label=_("Supplier"), required=False, queryset=Supplier.objects.all(),
                                      empty_label=_("All suppliers"))
    status = forms.ChoiceField(label=_("Result"), required=False,
                               choices=[("", _("All")), *RESULTS])


class DeliveryForm(forms.Form):
    """The delivery: who from, which day, the invoice, the result; the items come in DeliveryItemFormSet."""

    submit_token = SubmitTokenField()
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.filter(active=True),
                                      widget=forms.RadioSelect, error_messages={
                                          "required": _("Choose the supplier."),
                                          "invalid_choice": _("Choose one of the suppliers in use.")})
    date = forms.DateField(label=_("Delivered on"), widget=DateInput())
    invoice_ref = forms.CharField(label=_("Invoice or delivery note number"), max_length=60, required=False)
    result = forms.ChoiceField(label=pgettext_lazy("delivery", "Result"), widget=forms.RadioSelect,
                               initial=Delivery.Status.ACCEPTED, choices=[
                                   (Delivery.Status.ACCEPTED, _("Accept")), (Delivery.Status.REJECTED, _("Reject"))])
    reject_reason = forms.CharField(label=_("Why rejected"), max_length=200, required=False,
                                    widget=forms.TextInput(attrs={"placeholder": _("e.g. 无检疫证明, 冻肉解冻后再冻")}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    photos = MultiplePhotoField(label=_("Photos of the certificates and the invoice"), required=False,
                                max_photos=MAX_PHOTOS,
                                help_text=_("Licence, quarantine certificate, test report, invoice (索证索票)."))


class DeliveryItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=60)
    spec = forms.CharField(label=_("Specification"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 5kg/袋")}))
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    unit = forms.CharField(label=_("Unit"), max_length=10, initial="kg")
    production_date = forms.DateField(label=_("Production date"), required=False, widget=DateInput())
    batch = forms.CharField(label=_("or batch"), max_length=40, required=False)
    shelf_life = forms.CharField(label=_("Shelf life"), max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": _("e.g. 12个月, 3天")}))
    is_meat = forms.BooleanField(label=_("Meat or poultry"), required=False)
    quarantine_cert = forms.CharField(label=_("Quarantine certificate number"), max_length=60, required=False)

    def has_changed(self):
        """A row is filled in when it says more than its unit: an extra row left as it came (or with its unit
        cleared) is left out, not refused."""
        return any(self[name].value() not in (None, "", False) for name in self.fields if name != "unit")


class BaseDeliveryItemFormSet(forms.BaseFormSet):
    """The rows of a delivery's items. `rows` gives unbound rows what was typed (after "add an item"), as extra
    rows: the first required, the others free to stay empty."""

    rows = ()

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.rows) and self.rows[index]:
            kwargs["initial"] = self.rows[index]
        return kwargs


DeliveryItemFormSet = forms.formset_factory(DeliveryItemForm, formset=BaseDeliveryItemFormSet, extra=1, min_num=1,
                                            validate_min=True, max_num=MAX_ITEMS, validate_max=True,
                                            absolute_max=MAX_ITEMS)


def item_formset(data=None, *, rows=None):
    """The items of a delivery: the rows sent (data), or unbound rows: two empty ones, or `rows` (dicts of
    what was typed)."""
    if data is not None:
        return DeliveryItemFormSet(data, prefix="items")
    formset = DeliveryItemFormSet(prefix="items")
    if rows:
        formset.rows = list(rows)[:MAX_ITEMS]
        formset.extra = max(len(formset.rows) - formset.min_num, 0)
    return formset


def filled_items(formset):
    """[(form index, cleaned data)] of the rows that were filled in."""
    return [(i, form.cleaned_data) for i, form in enumerate(formset.forms)
            if form.cleaned_data and form.has_changed()]


class DeliveryCorrectForm(VersionForm):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=200)
    invoice_ref = forms.CharField(label=_("Invoice or delivery note number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    reject_reason = forms.CharField(label=_("Why rejected"), max_length=200, required=False)

    def __init__(self, *args, delivery, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        self.item_fields = []
        if delivery.status == Delivery.Status.ACCEPTED:
            del self.fields["reject_reason"]
        for item in delivery.items.all():
            names = []
            for name in ("name", "spec", "batch", "shelf_life", "quarantine_cert"):
                if name == "quarantine_cert" and not (item.is_meat or item.quarantine_cert):
                    continue
                source = DeliveryItemForm.base_fields[name]
                key = f"item_{item.pk}_{name}"
                label = _("Batch") if name == "batch" else source.label
                self.fields[key] = forms.CharField(label=label, max_length=source.max_length,
                                                   required=name == "name", initial=getattr(item, name))
                names.append(key)
            self.item_fields.append((item, names))
        for name in ("invoice_ref", "note", "reject_reason"):
            if name in self.fields:
                self.fields[name].initial = getattr(delivery, name)

    def item_rows(self):
        return [(item, [self[name] for name in names]) for item, names in self.item_fields]

    def changes(self):
        """(delivery fields, {item id: fields}) from the cleaned data."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("invoice_ref", "note", "reject_reason") if name in data}
        items = {}
        for item, names in self.item_fields:
            items[item.pk] = {key.split("_", 2)[2]: data[key] for key in names}
        return fields, items
