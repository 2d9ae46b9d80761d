"""Forms of emergency plans and drills: they check what was typed; the services decide."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, DocumentField, MultiplePhotoField, QuickSelect, SubmitTokenField, VersionForm
from logistics.models import Term
from logistics.services import display_name

from ..models import EmergencyPlan
from ..services.plans import MAX_HEADCOUNT, MAX_PHOTOS, parse_evacuation_time


class PersonChoiceField(forms.ModelChoiceField):
    """People who still work here, by the name colleagues know."""

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "username"),
                         **kwargs)

    def label_from_instance(self, obj):
        return display_name(obj)


class PlanForm(forms.Form):
    """A new plan (title, kind, owner) or a new version of one (editing: the version fields only)."""

    title = forms.CharField(label=_("Title"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 消防应急预案")}))
    kind = forms.ChoiceField(label=_("Plan for"), choices=EmergencyPlan.Kind.choices)
    owner = PersonChoiceField(label=_("Person in charge"), required=False, empty_label=_("— nobody named —"))
    version_label = forms.CharField(label=_("Version"), max_length=20,
                                    help_text=_("As printed on the plan, e.g. 2026版 or 1.2."))
    document = DocumentField(label=_("Document"), help_text=_("The approved plan: a PDF, or a photo of each page "
                                                             "as one image (JPEG, PNG)."))
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    next_review = forms.DateField(label=_("Review by"), widget=DateInput(),
                                  help_text=_("The plan shows as due for review before this day, and as overdue "
                                              "after it."))
    summary = forms.CharField(label=_("What it covers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What the plan covers, who leads it (optional)."))

    def __init__(self, *args, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.revising = revising
        if revising:
            for name in ("title", "kind", "owner"):
                del self.fields[name]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
            self.fields["version_label"].label = _("New version")


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Plan for"), required=False, choices=[("", _("All")), *EmergencyPlan.Kind.choices])
    review = forms.ChoiceField(label=_("Review date"), required=False, choices=[
        ("", _("All")), ("due", _("Due soon or overdue")), ("overdue", _("Overdue"))])
    state = forms.ChoiceField(label=_("In force"), required=False, choices=[
        ("active", _("In force")), ("inactive", _("No longer in force")), ("all", _("All"))])


class RetireForm(VersionForm):
    reason = forms.CharField(label=_("Why is it no longer in force?"), max_length=200)


class EvacuationTimeField(forms.CharField):
    """An evacuation time typed as minutes:seconds (3:12), 3分12秒 or seconds (192); cleaned to seconds."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "3:12",
                                    "maxlength": "12"})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_evacuation_time(text)
        except ValidationError as e:
            raise ValidationError(e.messages, code="evacuation_time") from None

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value // 60}:{value % 60:02d}"
        return value


class DrillForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Emergency plan"), queryset=EmergencyPlan.objects.filter(active=True),
                                  empty_label=_("— choose the plan practised —"))
    title = forms.CharField(label=_("Name of the drill"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 消防疏散演练")}))
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    classes = forms.CharField(label=_("Classes taking part"), max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. 全校 or 一至三年级")}))
    headcount = forms.IntegerField(label=_("People taking part"), min_value=1, max_value=MAX_HEADCOUNT,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                   help_text=_("Pupils and staff together."))
    evacuation_seconds = EvacuationTimeField(
        label=_("Evacuation time"), required=False,
        help_text=_("From the alarm to the last class at the assembly point: minutes:seconds, e.g. 3:12 for 3 "
                    "minutes 12 seconds (or just seconds: 192). Leave empty if it was not timed."))
    went_well = forms.CharField(label=_("What went well"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    to_improve = forms.CharField(label=_("What to improve"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Actions to follow up are added on the drill's page, each with a "
                                             "person and a deadline."))
    photos = MultiplePhotoField(label=_("Photos"), required=False, max_photos=MAX_PHOTOS,
                                help_text=_("Up to %(n)s photos (JPEG, PNG, WebP).") % {"n": MAX_PHOTOS})


class DrillFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    plan = forms.ModelChoiceField(label=_("Emergency plan"), required=False, queryset=EmergencyPlan.objects.all(),
                                  empty_label=_("All plans"), widget=QuickSelect)
    term = forms.ModelChoiceField(label=_("Term"), required=False, queryset=Term.objects.order_by("-start"),
                                  empty_label=_("All terms"), widget=QuickSelect)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())


class FollowUpForm(forms.Form):
    submit_token = SubmitTokenField()
    title = forms.CharField(label=_("What is to be done"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 三楼东侧楼梯加装应急照明")}))
    responsible = PersonChoiceField(label=_("Responsible person"), empty_label=_("— choose —"))
    deadline = forms.DateField(label=_("Done by"), widget=DateInput())
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
