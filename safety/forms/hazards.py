"""Forms of the hazards' pages: they only validate what was typed; the services make the moves."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assets.models import RepairCategory, Urgency
from logistics.forms import LocationChoiceField, MultiplePhotoField, QuickSelect, SubmitTokenField, VersionForm
from logistics.models import Finding
from logistics.services import display_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class HazardReportForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("hazard", "What is wrong"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Stair handrail loose")}))
    location = LocationChoiceField(label=_("Where"), required=False, empty_label=_("— no particular place —"))
    description = forms.CharField(label=_("Details"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Where exactly, since when, who could get hurt."))
    severity = forms.ChoiceField(label=_("How serious"), choices=Finding.Severity.choices,
                                 initial=Finding.Severity.GENERAL, widget=forms.RadioSelect)
    photos = MultiplePhotoField(label=_("Photos"), required=False, max_photos=Finding.MAX_PHOTOS,
                                help_text=_("JPEG, PNG or WebP, up to 6 photos."))
    submit_token = SubmitTokenField()


class HazardRepairForm(VersionForm):
    """Open a repair for a hazard: the kind of work and how urgent; the place when the hazard has none."""

    category = forms.ChoiceField(label=_("Kind of repair"), choices=RepairCategory.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    location = LocationChoiceField(label=_("Where"), required=False)
    description = forms.CharField(label=_("Note for the repair"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Empty: the hazard's details are copied."))
    submit_token = SubmitTokenField()

    def __init__(self, *args, needs_location=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_location:
            self.fields["location"].required = True
        else:
            del self.fields["location"]


STATUS_CHOICES = [("", _("Any status")), ("open", _("Not yet closed")), *Finding.Status.choices]


class HazardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, what is wrong, place")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    severity = forms.ChoiceField(label=_("How serious"), required=False,
                                 choices=[("", pgettext_lazy("severity", "Any")), *Finding.Severity.choices])
    responsible = PersonChoiceField(label=_("Responsible person"), required=False, empty_label=_("Anyone"),
                                    queryset=get_user_model().objects.none(), widget=QuickSelect)
    overdue = forms.BooleanField(label=_("Only past their deadline"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who were ever responsible for a hazard: a short list.
        self.fields["responsible"].queryset = (
            get_user_model().objects.filter(findings_responsible__area="safety").distinct()
            .order_by("first_name", "username"))
