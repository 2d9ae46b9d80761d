"""Forms of the canteen's inspections: they only read what was typed or tapped (the rules are the services')."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.forms import DateInput, MultiplePhotoField
from logistics.schedules import WEEKDAYS

from ..models.inspections import Checklist
from ..selectors.inspections import inspectors, responsible_choices
from ..services.inspections import DEFAULT_FIX_DAYS, MAX_PHOTOS_PER_ITEM, NOTE_LENGTH

Frequency = Checklist.Frequency
# The schedules a canteen checklist uses (the kernel's Recurrence has a monthly one too, kept for the admin).
FREQUENCIES = [(Frequency.DAILY, Frequency.DAILY.label), (Frequency.WEEKLY, Frequency.WEEKLY.label),
               (Frequency.MONTHLY, Frequency.MONTHLY.label), (Frequency.TERM_START, Frequency.TERM_START.label)]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ChecklistForm(forms.Form):
    """A checklist: its name, the items one a line, how often it falls due, who usually inspects."""

    title = forms.CharField(label=_("Name"), max_length=80,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. 食堂每日检查")}))
    items = forms.CharField(label=_("What is checked, one item a line"), max_length=6000, widget=forms.Textarea(
        attrs={"rows": 8, "placeholder": "留样是否齐全\n冷藏温度是否在0–8℃\n餐具是否消毒"}))
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCIES, widget=forms.RadioSelect,
                                  initial=Frequency.DAILY)
    weekdays = forms.TypedMultipleChoiceField(label=_("On"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("For “on given weekdays”."))
    day_of_month = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, required=False,
                                      help_text=_("For “monthly”: 1–31; in shorter months the last day."))
    only_in_term = forms.BooleanField(label=_("Only during term (none in the holidays)"), required=False,
                                      initial=True)
    inspector = UserChoiceField(label=_("Usually inspected by"), queryset=None, required=False,
                                empty_label=_("— anyone of the group —"))
    active = forms.BooleanField(label=_("In use (inspections fall due)"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["active"]


class InspectionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("open", _("To do")), ("overdue", _("Overdue")), ("done", _("Done"))])
    checklist = forms.ModelChoiceField(label=_("Checklist"), required=False, queryset=Checklist.objects.all(),
                                       empty_label=_("All checklists"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    failed = forms.BooleanField(label=_("Only with problems found"), required=False)


class StartForm(forms.Form):
    checklist = forms.ModelChoiceField(queryset=Checklist.objects.filter(active=True), error_messages={
        "required": _("Choose a checklist."), "invalid_choice": _("Choose one of the checklists in use.")})


PASS, FAIL = "pass", "fail"


class InspectionForm(forms.Form):
    """One inspection on a phone: for each item a pass/fail toggle; a failed one with what was found, who
    fixes it and by when (the canteen manager and three days from today, prefilled), and photos. Field names
    carry the item's position: passed_<n>, note_<n>, responsible_<n>, deadline_<n>, photos_<n>."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("Remarks (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, manager=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        today = today or timezone.localdate()
        # Read once for every item's chooser (a ModelChoiceField would ask the database per item).
        self.people = {str(u.pk): u for u in responsible_choices()}
        people = [("", _("— the canteen manager —"))] + [
            (pk, u.get_full_name() or u.get_username()) for pk, u in self.people.items()]
        for n, item in enumerate(self.items):
            self.fields[f"passed_{n}"] = forms.ChoiceField(
                label=item, required=False, widget=forms.RadioSelect,
                choices=[(PASS, pgettext_lazy("inspection item", "Passed")),
                         (FAIL, pgettext_lazy("inspection item", "Not passed"))])
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("What was found"), required=False, max_length=NOTE_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. 冷藏柜温度10℃"), "autocomplete": "off"}))
            self.fields[f"responsible_{n}"] = forms.ChoiceField(
                label=_("Who fixes it"), choices=people, required=False,
                initial=str(manager.pk) if manager is not None else "")
            self.fields[f"deadline_{n}"] = forms.DateField(
                label=_("Fix by"), required=False, widget=DateInput(attrs={"min": today.isoformat()}),
                initial=today + datetime.timedelta(days=DEFAULT_FIX_DAYS))
            self.fields[f"photos_{n}"] = MultiplePhotoField(
                label=_("Photo (optional)"), required=False, max_photos=MAX_PHOTOS_PER_ITEM)
            self.fields[f"photos_{n}"].widget.attrs.update({"capture": "environment"})

    def rows(self):
        """[{n, item, passed, note, responsible, deadline, photos, failed}] of bound fields, for the template."""
        rows = []
        for n, item in enumerate(self.items):
            passed = self[f"passed_{n}"]
            rows.append({
                "n": n, "item": item, "passed": passed, "note": self[f"note_{n}"],
                "responsible": self[f"responsible_{n}"], "deadline": self[f"deadline_{n}"],
                "photos": self[f"photos_{n}"], "failed": str(passed.value() or "") == FAIL,
                "has_errors": any(self[f"{name}_{n}"].errors
                                  for name in ("passed", "note", "responsible", "deadline", "photos")),
            })
        return rows

    def service_arguments(self):
        """(results, failed_items) for canteen.services.inspections.inspection_record."""
        data = self.cleaned_data
        results, failed = [], {}
        for n, item in enumerate(self.items):
            answer = data.get(f"passed_{n}")
            passed = {PASS: True, FAIL: False}.get(answer)
            results.append((item, passed, data.get(f"note_{n}") or ""))
            if passed is False:
                failed[item] = {"responsible": self.people.get(data.get(f"responsible_{n}") or ""),
                                "deadline": data.get(f"deadline_{n}"), "photos": data.get(f"photos_{n}") or []}
        return results, failed
