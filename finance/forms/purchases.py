"""Forms of purchase requests: they only validate input; the services decide and change status."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, DocumentField, MoneyField, QuickSelect, SubmitTokenField, VersionForm
from logistics.models import Department

from ..models import BudgetLine, PurchaseItem, PurchaseRequest, Purpose


class PurchaseForm(forms.Form):
    """A new request (with its submit token) or a change of one (with the version the page showed)."""

    submit_token = SubmitTokenField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    title = forms.CharField(label=_("What to buy"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    budget_line = forms.ModelChoiceField(
        label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False,
        help_text=_("Earmarked lines (专项) pay only for their own purpose."))
    needed_by = forms.DateField(label=_("Needed by"), required=False,
                                widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(
            active=True, year=timezone.localdate().year)
        # A change sent without the version it was made on is a stale page, never an unchecked change.
        self.fields["version"].required = editing

    def clean_needed_by(self):
        day = self.cleaned_data.get("needed_by")
        if day and day < timezone.localdate() and not self.initial.get("needed_by"):
            raise forms.ValidationError(_("The date is in the past."))
        return day


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=120)
    spec = forms.CharField(label=_("Specification"), max_length=120, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    unit = forms.CharField(label=_("Unit"), max_length=10, initial="个")
    estimated_unit_price = MoneyField(label=_("Unit price (yuan)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PurchaseItem.Kind.choices, initial=PurchaseItem.Kind.ASSET)


ItemFormSet = forms.formset_factory(ItemForm, extra=2, min_num=1, validate_min=True, max_num=50,
                                    validate_max=True, can_delete=True)


def item_formset(data=None, initial=None):
    formset = ItemFormSet(data, initial=initial, prefix="items")
    return formset


class PurchaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + PurchaseRequest.Status.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False,
                                        widget=QuickSelect)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.all(), required=False,
                                         widget=QuickSelect)


class DecideForm(VersionForm):
    decision = forms.ChoiceField(choices=[("approved", _("Approve")), ("returned", _("Return for changes")),
                                          ("rejected", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class QuoteForm(VersionForm):
    vendor = forms.CharField(label=_("Vendor"), max_length=120)
    amount = MoneyField(label=_("Quoted total (yuan)"))
    attachment = DocumentField(label=_("Quote (file)"), required=False,
                               help_text=_("A PDF or a photo of the quote."))


class ChooseQuoteForm(VersionForm):
    quote = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why not the cheapest"), max_length=300, required=False)


class MeetingForm(VersionForm):
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput())
    meeting_minute = forms.CharField(label=_("Minute reference"), max_length=60)
    meeting_attachment = DocumentField(label=_("Minutes (file)"), help_text=_("A PDF or a photo of the minutes."))
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)
