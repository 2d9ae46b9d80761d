"""Forms of the safety inspections: they only read what was typed or tapped (the rules are the services')."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.forms import DateInput, QuickPersonField, QuickSelect, VersionForm
from logistics.freshness import fresh
from logistics.models import Finding
from logistics.services import display_name

from ..models.inspections import InspectionPlan, InspectionResult
from ..selectors.inspections import by_area, inspectors, people, places

Outcome = InspectionResult.Outcome
NOTE_LENGTH = InspectionResult._meta.get_field("note").max_length
OUTCOMES = [(Outcome.PASS, pgettext_lazy("inspection item", "Pass")),
            (Outcome.FAIL, pgettext_lazy("inspection item", "Fail")),
            (Outcome.NA, pgettext_lazy("inspection item", "N/A"))]
FIELDS = ("outcome", "note", "photo", "severity", "responsible", "deadline", "location")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class InspectorFilterField(QuickPersonField):
    """The list filter's inspectors: everyone named on a checklist or an inspection, found among five years of
    inspections, so the names are kept until a record changes (logistics.freshness)."""

    def rows(self, queryset):
        return fresh("safety.inspector_choices", compute=lambda: list(QuickPersonField.rows(self, queryset)))


class InspectionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("open", _("To do")), ("overdue", _("Overdue")), ("done", _("Done"))])
    plan = forms.ModelChoiceField(label=_("Checklist"), required=False, queryset=InspectionPlan.objects.all(),
                                  empty_label=_("All checklists"), widget=QuickSelect)
    inspector = InspectorFilterField(label=_("Inspector"), required=False, queryset=None, empty_label=_("Anyone"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    failed = forms.BooleanField(label=_("Only with failed items"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()


class TypicalItemsForm(VersionForm):
    """Add the typical checklist's items to a checklist (the version of the checklist page)."""


class InspectionForm(forms.Form):
    """One inspection on a phone: for each item pass / fail / not applicable (a big three-way switch), a note
    (required for a fail) and a photo; for a failed one how serious it is, who fixes it, by when and where (the
    safety settings' receiver and days when left empty). Field names carry the item's id: outcome_<id>,
    note_<id>, photo_<id>, severity_<id>, responsible_<id>, deadline_<id>, location_<id>."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("Remarks on the whole inspection (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, receiver=None, today=None, may_name=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        # An inspector who may not name who fixes a hazard leaves it to the receiver (no chooser shown).
        self.names = FIELDS if may_name else tuple(f for f in FIELDS if f not in ("responsible", "deadline"))
        today = today or timezone.localdate()
        # Read once for every item's choosers (a ModelChoiceField would ask the database per item).
        self.people = {str(u.pk): u for u in people()}
        if receiver is not None:
            self.people.setdefault(str(receiver.pk), receiver)
        self.places = {str(p.pk): p for p in places()}
        people_choices = [("", _("— the safety officer —"))] + [
            (pk, display_name(u)) for pk, u in self.people.items()]
        buildings = {}
        for pk, place in self.places.items():
            buildings.setdefault(place.building.name, []).append((pk, place.name))
        place_choices = [("", _("— no particular place —"))] + list(buildings.items())
        for item in self.items:
            n = item.pk
            self.fields[f"outcome_{n}"] = forms.ChoiceField(label=item.text, required=False, choices=OUTCOMES,
                                                            widget=forms.RadioSelect)
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("Note"), required=False, max_length=NOTE_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": _("Required for a fail: what was found"),
                                              "autocomplete": "off"}))
            self.fields[f"photo_{n}"] = forms.FileField(
                label=_("Photo (optional)"), required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                       "capture": "environment"}))
            self.fields[f"severity_{n}"] = forms.ChoiceField(
                label=_("Severity"), required=False, choices=Finding.Severity.choices,
                initial=Finding.Severity.GENERAL, widget=forms.RadioSelect)
            if not may_name:
                self.fields[f"location_{n}"] = forms.ChoiceField(label=_("Where"), required=False,
                                                                 choices=place_choices)
                continue
            self.fields[f"responsible_{n}"] = forms.ChoiceField(
                label=_("Who fixes it"), required=False, choices=people_choices,
                initial=str(receiver.pk) if receiver is not None else "")
            self.fields[f"deadline_{n}"] = forms.DateField(
                label=_("Fix by"), required=False, widget=DateInput(attrs={"min": today.isoformat()}),
                help_text=_("Empty: the days the safety settings give for its severity."))
            self.fields[f"location_{n}"] = forms.ChoiceField(label=_("Where"), required=False, choices=place_choices)

    def rows(self):
        """[(area, area label, [row])] of bound fields by area, for the template; a row: {item, n, fields by name,
        failed, has_errors}."""
        rows = []
        for item in self.items:
            bound = {name: self[f"{name}_{item.pk}"] for name in self.names}
            rows.append({"item": item, **bound, "failed": str(bound["outcome"].value() or "") == Outcome.FAIL,
                         "has_errors": any(field.errors for field in bound.values())})
        groups = by_area(rows, area=lambda row: row["item"].area)
        for number, row in enumerate((row for _area, _label, group in groups for row in group), start=1):
            row["number"] = number
        return groups

    def service_arguments(self):
        """The results for safety.services.inspections.record_inspection: {item id: answer}."""
        data = self.cleaned_data
        results = {}
        for item in self.items:
            n = item.pk
            results[n] = {
                "outcome": data.get(f"outcome_{n}") or "", "note": data.get(f"note_{n}") or "",
                "photo": data.get(f"photo_{n}"), "severity": data.get(f"severity_{n}") or Finding.Severity.GENERAL,
                "responsible": self.people.get(data.get(f"responsible_{n}") or ""),
                "deadline": data.get(f"deadline_{n}"), "location": self.places.get(data.get(f"location_{n}") or ""),
            }
        return results
