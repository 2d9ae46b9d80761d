"""Forms of the responsibility pledges: they check what was typed; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, DocumentField, VersionForm
from logistics.models import Department

from ..models import Pledge


class PledgeYearForm(forms.Form):
    year = forms.IntegerField(label=_("School year starting"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                              help_text=_("2026 for the school year 2026–2027."))
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), required=False, queryset=Department.objects.select_related("head").order_by("name"),
        widget=forms.CheckboxSelectMultiple, help_text=_("The head of each department signs its pledge."))
    classes = forms.CharField(
        label=_("Classes and their teachers"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "一(1)班 王丽\n一(2)班 陈静"}),
        help_text=_("One a line: the class, a space, the class teacher, e.g. 一(1)班 王丽."))


class PledgeSignForm(VersionForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    scan = DocumentField(label=_("Signed scan"), help_text=_("A PDF or a photo (JPEG, PNG) of the signed pledge."))


class PledgeFilterForm(forms.Form):
    party = forms.ChoiceField(label=_("Signed with"), required=False, choices=[("", _("All")), *Pledge.Party.choices])
    state = forms.ChoiceField(label=_("Signed"), required=False, choices=[
        ("", _("All")), ("signed", _("Signed")), ("unsigned", _("Not signed"))])
