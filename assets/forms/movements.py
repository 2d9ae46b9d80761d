"""Forms of loans, damage and write-offs: they only check what was typed; services change state."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, MultiplePhotoField, VersionForm
from logistics.services import display_name

from ..models import Asset, AssetLoan, DamageRecord, WriteOff


class AssetTagField(forms.CharField):
    """An asset chosen by its tag (typed, or filled in from the asset's page): a register of thousands
    does not fit in a drop-down on a phone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Asset tag"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "ZC-2026-00001", "autocapitalize":
                                                           "characters", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        tag = super().clean(value).strip().upper()
        asset = Asset.objects.select_related("category", "location").filter(tag=tag).first()
        if asset is None:
            raise ValidationError(_("No asset has the tag %(tag)s.") % {"tag": tag})
        if not asset.is_active:
            raise ValidationError(_("%(tag)s is no longer in the register.") % {"tag": tag})
        return asset


class BorrowerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class LoanForm(forms.Form):
    asset = AssetTagField()
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    borrower = BorrowerChoiceField(label=_("Borrower (a colleague)"), required=False,
                                   queryset=get_user_model().objects.none(),
                                   empty_label=_("— not a colleague —"))
    borrower_name = forms.CharField(label=_("…or the borrower's name"), max_length=60, required=False,
                                    help_text=_("E.g. a class, a parent committee, another school."))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due back on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = (get_user_model().objects.filter(is_active=True)
                                            .order_by("first_name", "username"))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean(self):
        data = super().clean()
        if not data.get("borrower") and not (data.get("borrower_name") or "").strip():
            self.add_error("borrower_name", _("Say who borrows it: choose a colleague or type a name."))
        return data


class LoanReturnForm(VersionForm):
    condition = forms.ChoiceField(label=_("Condition"), choices=AssetLoan.Condition.choices,
                                  initial=AssetLoan.Condition.GOOD, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("Needed when it came back damaged or was lost."))


class LoanFilterForm(forms.Form):
    STATUS = [("", _("All")), (AssetLoan.Status.OUT, _("On loan")), ("overdue", _("Overdue")),
              (AssetLoan.Status.RETURNED, _("Returned"))]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    q = forms.CharField(label=_("Borrower or asset"), max_length=60, required=False)


class DamageForm(forms.Form):
    asset = AssetTagField()
    occurred_on = forms.DateField(label=_("Happened on"), initial=timezone.localdate,
                                  widget=DateInput())
    description = forms.CharField(label=_("What happened"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("Responsible person"), max_length=100,
                                  help_text=_("E.g. a pupil and class (三(2)班 张某), a member of staff, unknown."))
    assessed_amount = forms.DecimalField(label=_("Compensation assessed (yuan)"), max_digits=12,
                                         decimal_places=2, min_value=0, initial=0)
    mark_damaged = forms.BooleanField(label=_("Out of use until repaired (mark the asset damaged)"),
                                      required=False, initial=True)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class DamageSettleForm(VersionForm):
    OUTCOMES = [(DamageRecord.Status.PAID, _("Paid")), (DamageRecord.Status.WAIVED, _("Waived"))]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40, required=False)
    waive_reason = forms.CharField(label=_("Why waived"), max_length=200, required=False)
    back_in_use = forms.BooleanField(label=_("The asset is repaired and back in use"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DamageRecord.Status.PAID and not (data.get("receipt_number") or "").strip():
            self.add_error("receipt_number", _("Enter the receipt number."))
        if data.get("outcome") == DamageRecord.Status.WAIVED and not (data.get("waive_reason") or "").strip():
            self.add_error("waive_reason", _("Say why the compensation is waived."))
        return data


class DamageFilterForm(forms.Form):
    STATUS = [("", _("All")), *DamageRecord.Status.choices]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)


class WriteOffForm(forms.Form):
    asset = AssetTagField()
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("E.g. beyond repair (repair would cost more than a new one), worn out."))
    photos = MultiplePhotoField(label=_("Photos"), required=False,
                                help_text=_("Up to 3 photos, JPEG, PNG or WebP, 10 MB each at most."))


class WriteOffDecideForm(VersionForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why it is rejected, so the requester knows."))
        return data


class WriteOffFilterForm(forms.Form):
    STATUS = [("", _("All")), ("mine", _("Waiting for me")), *WriteOff.Status.choices]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
