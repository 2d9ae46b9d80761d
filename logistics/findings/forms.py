"""Forms of the findings' pages: they only validate what was typed; the services make the moves."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.forms import (
    DateInput,
    LocationChoiceField,
    MultiplePhotoField,
    SubmitTokenField,
    VersionForm,
)
from logistics.models import Finding
from logistics.services import display_name

PHOTO_HELP = _("JPEG, PNG or WebP, up to 6 photos.")


def people():
    """Who may be made responsible: the active users, by name."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class FindingRaiseForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=())
    title = forms.CharField(label=pgettext_lazy("finding", "What is wrong"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Fire extinguisher pressure low")}))
    description = forms.CharField(label=_("Details"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    location = LocationChoiceField(label=_("Where"), required=False, empty_label=_("— no particular place —"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices,
                                 initial=Finding.Severity.GENERAL, widget=forms.RadioSelect)
    responsible = PersonChoiceField(label=_("Responsible person"), queryset=get_user_model().objects.none(),
                                    empty_label=_("— choose a person —"))
    deadline = forms.DateField(label=_("Fix by"), widget=DateInput)
    photos = MultiplePhotoField(label=_("Photos"), required=False, max_photos=Finding.MAX_PHOTOS, help_text=PHOTO_HELP)
    submit_token = SubmitTokenField()

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = list(areas)
        self.fields["responsible"].queryset = people()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class FindingFixForm(VersionForm):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("Photos of the fix"), required=False, max_photos=Finding.MAX_PHOTOS,
                                help_text=PHOTO_HELP)


class FindingVerifyForm(VersionForm):
    ok = forms.TypedChoiceField(label=_("Result of the re-check"), coerce=lambda v: v == "yes",
                                widget=forms.RadioSelect,
                                choices=[("yes", _("Passed")), ("no", _("Not passed"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when it did not pass: say what is still wrong."))

    def clean(self):
        data = super().clean()
        if data.get("ok") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is still wrong, so it can be fixed."))
        return data


class FindingReassignForm(VersionForm):
    responsible = PersonChoiceField(label=_("New responsible person"), queryset=get_user_model().objects.none(),
                                    empty_label=_("— choose a person —"))
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people()


class FindingExtendForm(VersionForm):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class FindingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, what is wrong, place")}))
    area = forms.ChoiceField(label=_("Area"), required=False, choices=())
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), ("open", _("Not yet closed"))]
                               + list(Finding.Status.choices))
    responsible = PersonChoiceField(label=_("Responsible person"), required=False, empty_label=_("Anyone"),
                                    queryset=get_user_model().objects.none())
    overdue = forms.BooleanField(label=_("Only past their deadline"), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Every area")), *areas]
        self.fields["responsible"].queryset = people()
