"""Forms of the supplies area: they check what was typed; the services make the changes."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.forms import (
    DateInput,
    LocationChoiceField,
    QuickLocationField,
    QuickSelect,
    SubmitTokenField,
    VersionForm,
)
from logistics.models import Department, Location, Term

from ..models import PrintRequest, Requisition, SupplyItem
from ..services.supplies import MAX_PRICE, MAX_PRINT_COPIES, MAX_PRINT_PAGES, MAX_QUANTITY

REQUISITION_LINES = 6


def quantity_field(max_value=MAX_QUANTITY, max_message=None, **kwargs):
    kwargs.setdefault("min_value", 1)
    return forms.IntegerField(
        max_value=max_value, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": kwargs["min_value"],
                                                             "max": max_value}),
        error_messages={"max_value": max_message or _("At most %(limit_value)s at a time."),
                        "min_value": _("The quantity must be more than zero.") if kwargs["min_value"] else
                        _("The quantity cannot be negative."),
                        "invalid": _("Enter a whole number.")},
        **kwargs)


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.unit})"


def item_field(**kwargs):
    return ItemChoiceField(queryset=SupplyItem.objects.filter(active=True).order_by("kind", "name", "spec"),
                           label=_("Item"), empty_label=_("— choose an item —"), **kwargs)


def department_field(required=False, **kwargs):
    return forms.ModelChoiceField(queryset=Department.objects.order_by("name"), label=_("Department or office"),
                                  required=required, empty_label=_("— choose —"), **kwargs)


def class_field(**kwargs):
    return LocationChoiceField(
        queryset=Location.objects.filter(active=True).select_related("building"),
        label=_("Class or room"), required=False, empty_label=_("— none —"), **kwargs)


class SupplyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or specification")}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind"))] + SupplyItem.Kind.choices)
    low = forms.BooleanField(label=_("Low stock only"), required=False)
    inactive = forms.BooleanField(label=_("Include items no longer stocked"), required=False)


class SupplyItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    spec = forms.CharField(label=_("Specification"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 16开, 一年级上册")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=SupplyItem.Kind.choices, initial=SupplyItem.Kind.OFFICE)
    unit = forms.CharField(label=_("Unit"), max_length=10, help_text=_("本, 包, 箱, 支, 个 …"))
    low_stock_threshold = forms.IntegerField(label=_("Warn below"), min_value=0, max_value=MAX_QUANTITY, initial=0,
                                             help_text=_("Show a low-stock warning when the stock is below this."))
    active = forms.BooleanField(label=_("Still stocked"), required=False, initial=True)


class StockInForm(forms.Form):
    quantity = quantity_field(label=_("Quantity received"))
    supplier = forms.CharField(label=_("Supplier"), max_length=100)
    unit_price = forms.DecimalField(label=_("Unit price (yuan)"), max_digits=12, decimal_places=2, min_value=0,
                                    max_value=MAX_PRICE - 1, required=False,
                                    error_messages={"min_value": _("The price cannot be negative.")})
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RequisitionForm(forms.Form):
    """Who it is for, why, and up to six lines of item and quantity."""

    department = department_field()
    location = class_field()
    reason = forms.CharField(label=_("What it is needed for"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. 新学期班级日常用")}))
    submit_token = SubmitTokenField()

    def __init__(self, *args, line_count=REQUISITION_LINES, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_count = line_count
        for i in range(line_count):
            self.fields[f"item_{i}"] = item_field(required=False)
            self.fields[f"qty_{i}"] = quantity_field(label=_("Quantity"), required=False)
            self.fields[f"qty_{i}"].widget.attrs["placeholder"] = _("Quantity")

    def line_rows(self):
        return [(self[f"item_{i}"], self[f"qty_{i}"]) for i in range(self.line_count)]

    def clean(self):
        data = super().clean()
        if not data.get("department") and not data.get("location"):
            self.add_error("department", _("Say which office or class it is for."))
        lines, seen = [], set()
        for i in range(self.line_count):
            item, qty = data.get(f"item_{i}"), data.get(f"qty_{i}")
            if f"qty_{i}" in self.errors or f"item_{i}" in self.errors:
                continue
            if item and not qty:
                self.add_error(f"qty_{i}", _("How many?"))
            elif qty and not item:
                self.add_error(f"item_{i}", _("Which item?"))
            elif item:
                if item.pk in seen:
                    self.add_error(f"item_{i}", _("Already on another line; put the total on one line."))
                    continue
                seen.add(item.pk)
                lines.append((item, qty))
        if not lines and not any(k.startswith(("item_", "qty_")) for k in self.errors):
            raise ValidationError(_("Add at least one item with its quantity."))
        data["lines"] = lines
        return data


class VersionNoteForm(VersionForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RequiredNoteForm(VersionNoteForm):
    note = forms.CharField(label=_("Reason"), max_length=200)


class RequisitionIssueForm(VersionForm):
    """One quantity per line, from 0 up to what was asked for."""

    note = forms.CharField(label=_("Note to the requester"), max_length=200, required=False)

    def __init__(self, *args, requisition, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(requisition.lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = quantity_field(
                label=str(line.item), min_value=0, max_value=line.quantity_requested,
                max_message=_("At most the %(limit_value)s asked for."),
                initial=max(0, min(line.quantity_requested, line.item.stock)))

    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def quantities(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] or 0 for line in self.lines}


class RequisitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, reason, item")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + Requisition.Status.choices)
    # The filter's choosers are written without a template per option (logistics.forms.QuickSelect): a big
    # school's 300 rooms made this queue slower than the admin's changelist of the same rows.
    department = department_field(widget=QuickSelect)
    location = QuickLocationField(label=_("Class or room"), required=False, empty_label=_("— none —"))


class DistributionForm(VersionForm):
    """A title, and a grid: one number field per class and item (q_<class>_<item>). A new draft carries a
    submit token (saved once), a draft being changed the version the page showed."""

    title = forms.CharField(label=_("Title"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 秋季学期教材、作业本发放")}))
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False,
                                  empty_label=_("— the current term —"))
    submit_token = SubmitTokenField()
    next = None

    def __init__(self, *args, classes, items, distribution=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["submit_token" if distribution else "version"]
        self.classes, self.items = list(classes), list(items)
        for loc in self.classes:
            for item in self.items:
                f = quantity_field(label=f"{loc.name} · {item}", min_value=0, required=False)
                f.widget.attrs.update({"class": "qty", "aria-label": f"{loc.name} {item}"})
                self.fields[f"q_{loc.pk}_{item.pk}"] = f

    def grid(self):
        return [(loc, [self[f"q_{loc.pk}_{item.pk}"] for item in self.items]) for loc in self.classes]

    def lines(self):
        out = []
        for loc in self.classes:
            for item in self.items:
                if qty := self.cleaned_data.get(f"q_{loc.pk}_{item.pk}"):
                    out.append((loc, item, qty))
        return out

    def clean(self):
        data = super().clean()
        if not self.errors and not self.lines():
            raise ValidationError(_("Enter a quantity for at least one class."))
        return data


class DistributionItemsForm(forms.Form):
    """Step one of a distribution: which items go into the grid."""

    items = forms.ModelMultipleChoiceField(
        label=_("Items to hand out"), queryset=SupplyItem.objects.filter(active=True).order_by("kind", "name"),
        widget=forms.CheckboxSelectMultiple)


class PrintRequestForm(forms.Form):
    department = department_field(required=True)
    title = forms.CharField(label=_("What to print"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 三年级数学单元测试卷")}))
    pages = forms.IntegerField(label=_("Pages per copy"), min_value=1, max_value=MAX_PRINT_PAGES,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=MAX_PRINT_COPIES,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    double_sided = forms.BooleanField(label=_("Double-sided"), required=False, initial=True)
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DateInput())
    submit_token = SubmitTokenField()

    def clean_needed_by(self):
        day = self.cleaned_data.get("needed_by")
        if day and day < timezone.localdate():
            raise ValidationError(_("That day has passed."))
        return day


class PrintFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + PrintRequest.Status.choices)
    department = department_field()


class TermChoiceForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False,
                                  empty_label=_("— the current term —"))
