"""Forms of the asset register. They only check what was typed; assets.services.register makes changes."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.forms import (
    DateInput,
    LocationChoiceField,
    QuickLocationField,
    QuickPersonField,
    QuickSelect,
    VersionForm,
)
from logistics.models import Department, Location
from logistics.services import display_name

from ..models import Asset, AssetCategory, FundingSource
from ..selectors.register import ALL_STATUSES, ON_REGISTER, custodians
from ..services.register import EDITABLE_STATUSES, MAX_PRICE, MAX_QUANTITY


def person_label(user):
    return display_name(user)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Tag, name or serial number"),
                                                      "type": "search"}))
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=AssetCategory.objects.all(),
                                      empty_label=_("Any category"), widget=QuickSelect)
    location = QuickLocationField(label=_("Location"), required=False, empty_label=_("Any place"),
                                  queryset=Location.objects.select_related("building"))
    custodian = QuickPersonField(label=_("Custodian"), required=False, queryset=custodians(),
                                 empty_label=_("Anyone"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        (ON_REGISTER, _("On the register")), (ALL_STATUSES, _("All, with written off and lost")),
    ] + list(Asset.Status.choices), widget=QuickSelect)
    funding_source = forms.ChoiceField(label=_("Funding source"), required=False,
                                       choices=[("", _("Any source"))] + list(FundingSource.choices),
                                       widget=QuickSelect)
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.all(),
                                        empty_label=_("Any department"), widget=QuickSelect)

    def is_filtered(self):
        return self.is_bound and self.is_valid() and any(v for k, v in self.cleaned_data.items())


class AssetForm(VersionForm):
    """What a person types to register an asset or correct one (with the version of the record the page
    showed; a new asset has none)."""

    name = forms.CharField(label=_("Name"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. Interactive whiteboard (班班通)")}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=AssetCategory.objects.all(),
                                      empty_label=_("— choose a category —"))
    brand = forms.CharField(label=_("Brand"), max_length=60, required=False)
    spec = forms.CharField(label=_("Model / specification"), max_length=120, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1,
                                  help_text=_("More than 1 for a batch of identical items (45 desks, 2,000 books)."))
    unit = forms.CharField(label=_("Unit"), max_length=10, initial="台", help_text=_("台, 套, 张, 册, 盆 …"))
    unit_price = forms.DecimalField(label=_("Unit price (yuan)"), max_digits=12, decimal_places=2, min_value=0,
                                    max_value=MAX_PRICE)
    acquired_on = forms.DateField(label=_("Acquired on"), widget=DateInput(),
                                  initial=timezone.localdate)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices,
                                       initial=FundingSource.FISCAL)
    location = LocationChoiceField(label=_("Location"), empty_label=_("— choose the room or place —"),
                                   queryset=Location.objects.filter(active=True).select_related("building"))
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.all(),
                                        empty_label=_("— none —"))
    custodian = PersonChoiceField(label=_("Custodian (责任人)"), required=False, queryset=custodians(),
                                  empty_label=_("— nobody yet —"))
    status = forms.ChoiceField(label=_("Status"), initial=Asset.Status.IN_USE,
                               choices=[(s.value, s.label) for s in EDITABLE_STATUSES])
    serial_number = forms.CharField(label=_("Serial number"), max_length=60, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    next = None

    def __init__(self, *args, asset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asset = asset
        if asset is None:
            del self.fields["version"]
        if asset is not None and asset.status not in EDITABLE_STATUSES:
            # On loan: the status follows the loan; it is shown, not chosen.
            self.fields["status"].choices = [(asset.status, asset.get_status_display())]
            self.fields["status"].disabled = True
        if asset is not None and not asset.location.active:
            self.fields["location"].queryset = Location.objects.filter(
                active=True).select_related("building") | Location.objects.filter(pk=asset.location_id)

    def clean_acquired_on(self):
        day = self.cleaned_data["acquired_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The acquisition date cannot be in the future."))
        return day

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the asset a name."))
        return name

    @classmethod
    def initial_for(cls, asset):
        return {f: getattr(asset, f) for f in cls.base_fields}


class AssetImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in register (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
                           help_text=_("An Excel file made from the template, 10 MB at most."))
