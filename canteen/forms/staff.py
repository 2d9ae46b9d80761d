"""Forms of the kitchen's staff and morning checks: they only read what was typed or tapped."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics import images
from logistics.forms import DateInput, VersionForm

from ..models.staff import NORMAL, SYMPTOMS, CanteenStaff
from ..services.staff import parse_temperature


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class StaffForm(forms.Form):
    """Add or edit a staff member and their health certificate (editing sends the version shown)."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=40)
    post = forms.ChoiceField(label=_("Post"), choices=CanteenStaff.Post.choices, widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    certificate_number = forms.CharField(label=_("Health certificate number"), max_length=40, required=False)
    certificate_issuer = forms.CharField(label=pgettext_lazy("certificate", "Issued by"), max_length=80, required=False,
                                         help_text=_("e.g. 青山区疾病预防控制中心"))
    certificate_expires = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    certificate_photo = forms.FileField(
        label=_("Photo of the health certificate"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}))
    last_checkup = forms.DateField(label=_("Last yearly check-up"), required=False, widget=DateInput)
    user = UserChoiceField(label=_("User account (optional)"), required=False, queryset=None,
                           empty_label=_("— none —"),
                           help_text=_("Only for staff who log in to this app themselves."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        if editing:
            self.fields["version"].required = True
            self.fields["certificate_photo"].help_text = _("Choose a photo only to replace the one on record.")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_certificate_photo(self):
        photo = self.cleaned_data.get("certificate_photo")
        return images.clean_photo(photo) if photo else None


class CheckForm(forms.Form):
    """One person's morning check from the day's page: "normal" (fit), symptom chips and a temperature
    (the rules decide), or off duty for a reason; a correction carries the version shown and a reason."""

    FIT_CHOICES = [("fit", "fit"), ("rules", "rules"), ("off", "off")]

    staff = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    symptoms = forms.TypedMultipleChoiceField(
        label=_("Symptoms"), choices=SYMPTOMS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    temperature_c = forms.CharField(label=_("Temperature (°C)"), required=False, max_length=8,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                                  "placeholder": "36.5"}))
    fit = forms.ChoiceField(choices=FIT_CHOICES, initial="rules", widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    correction_reason = forms.CharField(label=_("Why it is corrected"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def clean_temperature_c(self):
        try:
            return parse_temperature(self.cleaned_data.get("temperature_c"))
        except ValidationError as e:
            raise ValidationError(e.message_dict["temperature_c"]) from None

    def clean(self):
        data = super().clean()
        if not data.get("symptoms"):
            data["symptoms"] = [NORMAL]
        return data

    @property
    def fit_requested(self):
        return {"fit": True, "off": False}.get(self.cleaned_data.get("fit"))


class AllNormalForm(forms.Form):
    """Everyone the page listed as not yet checked, recorded 0 (normal) in one tap."""

    date = forms.DateField(widget=forms.HiddenInput)
    staff = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any number: the service reads only those who work here and are not checked yet.
        self.fields["staff"].valid_value = lambda value: str(value).isdigit()


class LeaveForm(VersionForm):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class StaffFilterForm(forms.Form):
    SHOW = [("active", _("Working here")), ("left", _("Left")), ("all", _("All"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"placeholder": _("name, certificate number, phone")}))
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)


class DayForm(forms.Form):
    date = forms.DateField(required=False, widget=DateInput)
