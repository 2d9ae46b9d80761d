"""Forms of the meals area: they read what was typed; the services (canteen.services.meals) apply the rules
(minimum weight, refrigerator range, the menu, the retention time, who reviews)."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.forms import DateInput, SubmitTokenField, VersionForm
from logistics.services import display_name

from ..models import AccompaniedMeal, Disinfection, MealKind, Sample

_NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}
_DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class SampleForm(forms.Form):
    """One dish's sample: its weight, the refrigerator and its temperature (the rules: the service)."""

    dish = forms.CharField(label=_("dish"), max_length=60)
    grams = forms.IntegerField(label=_("weight (g)"), min_value=1, max_value=100000,
                               widget=forms.NumberInput(attrs=_NUMERIC))
    fridge = forms.CharField(label=_("refrigerator"), max_length=40, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("e.g. 留样柜1")}))
    fridge_c = forms.DecimalField(label=_("refrigerator °C"), max_digits=4, decimal_places=1,
                                  widget=forms.NumberInput(attrs={**_DECIMAL, "step": "0.1"}))
    taken_time = forms.TimeField(label=_("taken at"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    extra = forms.BooleanField(label=_("not on the menu (an extra dish)"), required=False)
    submit_token = SubmitTokenField()

    def __init__(self, *args, need_time=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_time"].required = need_time


class DisinfectionForm(forms.Form):
    target = forms.ChoiceField(label=_("what"), choices=Disinfection.Target.choices, widget=forms.RadioSelect,
                               initial=Disinfection.Target.TABLEWARE)
    method = forms.ChoiceField(label=_("method"), choices=Disinfection.Method.choices, widget=forms.RadioSelect,
                               initial=Disinfection.Method.CABINET)
    temperature_c = forms.DecimalField(label=_("temperature (°C)"), max_digits=4, decimal_places=1, required=False,
                                       widget=forms.NumberInput(attrs={**_DECIMAL, "step": "0.1"}),
                                       help_text=_("For steam, boiling or a disinfection cabinet."))
    concentration_mg_l = forms.IntegerField(label=_("concentration (mg/L)"), required=False, min_value=0,
                                            max_value=100000, widget=forms.NumberInput(attrs=_NUMERIC),
                                            help_text=_("For a chlorine solution (e.g. 250)."))
    minutes = forms.IntegerField(label=pgettext_lazy("how long", "minutes"), min_value=0, max_value=100000,
                                 widget=forms.NumberInput(attrs=_NUMERIC))
    done_time = forms.TimeField(label=_("done at"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    submit_token = SubmitTokenField()

    def __init__(self, *args, need_time=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_time"].required = need_time


class AccompaniedForm(forms.Form):
    companion = forms.ChoiceField(label=_("who ate with the pupils"), choices=AccompaniedMeal.Companion.choices,
                                  widget=forms.RadioSelect, initial=AccompaniedMeal.Companion.LEADER)
    person = PersonChoiceField(label=_("school leader"), queryset=None, required=False,
                               empty_label=_("— choose —"))
    name = forms.CharField(label=_("name (parent or visitor)"), max_length=40, required=False)
    rating = forms.TypedChoiceField(label=_("rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)], initial=5)
    comments = forms.CharField(label=_("comments"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2,
                                                            "placeholder": _("Taste, portions, hygiene, pupils' "
                                                                             "comments …")}))
    submit_token = SubmitTokenField()

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = leaders


class NotServedForm(VersionForm):
    note = forms.CharField(label=_("why"), max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 春游, a holiday")}))


class DiscardForm(VersionForm):
    reviewer = PersonChoiceField(label=_("reviewer (审核人)"), queryset=None, empty_label=_("— choose —"))

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class DiscardDueForm(forms.Form):
    samples = forms.ModelMultipleChoiceField(label=_("samples"), queryset=Sample.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("Tick the samples to discard.")})
    reviewer = PersonChoiceField(label=_("reviewer (审核人)"), queryset=None, empty_label=_("— choose —"))

    def __init__(self, *args, samples, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        # Any sample may be sent (one discarded meanwhile by a second click is then skipped by the service).
        self.fields["samples"].queryset = samples
        self.fields["reviewer"].queryset = reviewers


# --- lists ---------------------------------------------------------------------------------------

_KINDS = [("", pgettext_lazy("meal", "All meals")), *MealKind.choices]


class _RangeForm(forms.Form):
    first = forms.DateField(label=_("from"), required=False, widget=DateInput)
    last = forms.DateField(label=_("to"), required=False, widget=DateInput)
    kind = forms.ChoiceField(label=_("meal"), choices=_KINDS, required=False)

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            data["first"], data["last"] = data["last"], data["first"]
        return data


class SampleFilterForm(_RangeForm):
    q = forms.CharField(label=_("dish"), required=False, max_length=60)


class DisinfectionFilterForm(_RangeForm):
    method = forms.ChoiceField(label=_("method"), choices=[("", _("All methods")), *Disinfection.Method.choices],
                               required=False)


class AccompaniedFilterForm(forms.Form):
    first = forms.DateField(label=_("from"), required=False, widget=DateInput)
    last = forms.DateField(label=_("to"), required=False, widget=DateInput)
    companion = forms.ChoiceField(label=_("who"), choices=[("", _("Everyone")), *AccompaniedMeal.Companion.choices],
                                  required=False)


class SamplePrintForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), choices=[("day", _("a day")), ("week", _("a week")),
                                                           ("month", _("a month"))], initial="day", required=False)
    date = forms.DateField(label=_("date"), required=False, widget=DateInput)

    def range(self):
        """(first, last, period) of the log to print: the day, its Monday-to-Sunday week or its month."""
        data = self.cleaned_data if self.is_valid() else {}
        day = data.get("date") or timezone.localdate()
        period = data.get("period") or "day"
        if period == "week":
            first = day - datetime.timedelta(days=day.weekday())
            return first, first + datetime.timedelta(days=6), period
        if period == "month":
            first = day.replace(day=1)
            following = (first + datetime.timedelta(days=32)).replace(day=1)
            return first, following - datetime.timedelta(days=1), period
        return day, day, "day"
