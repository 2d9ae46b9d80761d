"""Forms only validate what the user typed; services make the changes."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.forms import (
    LocationChoiceField,
    MultiplePhotoField,
    QuickLocationField,
    QuickPersonField,
    QuickSelect,
    SubmitTokenField,
    VersionForm,
    location_field,
)
from logistics.models import Location, Term
from logistics.services import display_name

from ..models import Asset, CheckTask, RepairCategory, RepairRequest, Urgency


class RepairReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of fault"), choices=RepairCategory.choices)
    location = location_field()
    title = forms.CharField(label=_("What is wrong"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Two ceiling lamps flicker")}))
    description = forms.CharField(label=_("Details"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    photos = MultiplePhotoField(label=_("Photos"), required=False,
                                help_text=_("Up to 3 photos, JPEG, PNG or WebP, 10 MB each at most."))
    # A token that is not one says so in Django's words on this page, as it always has.
    submit_token = SubmitTokenField(error_messages={"invalid": _("Enter a valid UUID.")})
    # Set when the report starts from an asset's page (its QR label): the request is linked to the asset.
    asset = forms.ModelChoiceField(queryset=Asset.objects.all(), required=False, widget=forms.HiddenInput)


class RepairAssignForm(VersionForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(),
                                      empty_label=_("— choose a worker —"))

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers if workers is not None else get_user_model().objects.none()
        self.fields["assignee"].label_from_instance = display_name


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RepairCompleteForm(VersionForm):
    work_done = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    parts_used = forms.CharField(label=_("Parts used"), max_length=300, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": _("e.g. 2 LED tubes, 1 starter")}))
    cost = forms.DecimalField(label=_("Cost (yuan)"), max_digits=12, decimal_places=2, min_value=0,
                              max_value=1_000_000, required=False)
    minutes_spent = forms.IntegerField(label=_("Time spent (minutes)"), min_value=0, max_value=60 * 24 * 30,
                                       required=False)


class RepairFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, title, details")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), ("open", _("All open")),
                                        ("overdue", _("Overdue"))] + list(RepairRequest.Status.choices),
                               widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("Any category"))] + list(RepairCategory.choices), widget=QuickSelect)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("Any urgency"))] + list(Urgency.choices), widget=QuickSelect)
    location = QuickLocationField(label=_("Where"), required=False, empty_label=_("Anywhere"),
                                  queryset=Location.objects.select_related("building"))
    assignee = QuickPersonField(label=_("Assigned to"), required=False, empty_label=_("Anyone"),
                                queryset=get_user_model().objects.none())
    term = forms.ModelChoiceField(label=_("Term"), required=False, empty_label=_("Any term"),
                                  queryset=Term.objects.all(), widget=QuickSelect)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workers is not None:
            self.fields["assignee"].queryset = workers


class CheckCompleteForm(VersionForm):
    all_ok = forms.TypedChoiceField(
        label=_("Result"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("All in order")), ("no", _("Problems found"))],
    )
    findings = forms.CharField(label=_("Findings"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    report_fault = forms.BooleanField(label=_("Open a repair request for a fault found"), required=False)
    fault_location = LocationChoiceField(label=_("Where is the fault"), required=False,
                                         queryset=Location.objects.none(), empty_label=_("— choose —"))
    fault_title = forms.CharField(label=_("What is wrong"), required=False, max_length=120)
    fault_urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args, task: CheckTask, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["fault_location"].queryset = task.schedule.locations.select_related("building")

    def clean(self):
        data = super().clean()
        if data.get("all_ok") is False and not (data.get("findings") or "").strip():
            self.add_error("findings", _("Describe what was found."))
        if data.get("report_fault"):
            if not data.get("fault_location"):
                self.add_error("fault_location", _("Choose where the fault is."))
            if not (data.get("fault_title") or "").strip():
                self.add_error("fault_title", _("Say in a few words what is wrong."))
        return data
