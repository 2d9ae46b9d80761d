"""Forms of stocktakes. They only read and check input; the services change state."""
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from logistics.forms import VersionForm
from logistics.models import Location, Term

from ..models import Stocktake, StocktakeLine

Outcome = StocktakeLine.Outcome
SHEET_OUTCOMES = [(v, label) for v, label in Outcome.choices if v != Outcome.FOUND]
EXTRA_FOUND_ROWS = 3


class StocktakeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(Stocktake.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any kind"))] + list(Stocktake.Kind.choices))
    term = forms.ModelChoiceField(label=_("Term"), required=False, empty_label=_("Any term"),
                                  queryset=Term.objects.all())


class RoomsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class StocktakeOpenForm(forms.Form):
    SCHOOL = "school"
    ROOMS = "rooms"

    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("E.g. “Term-end re-check, spring 2026”."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Stocktake.Kind.choices, widget=forms.RadioSelect,
                             initial=Stocktake.Kind.TERM_END)
    term = forms.ModelChoiceField(label=_("Term"), required=False, queryset=Term.objects.all(),
                                  empty_label=_("— none —"))
    scope = forms.ChoiceField(label=_("Which rooms"), widget=forms.RadioSelect, initial=SCHOOL,
                              choices=[(SCHOOL, _("The whole school: every room that holds assets")),
                                       (ROOMS, _("Only the rooms ticked below"))])
    locations = RoomsField(label=_("Rooms"), required=False, widget=forms.CheckboxSelectMultiple,
                           queryset=Location.objects.none())

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rooms is not None:
            self.fields["locations"].queryset = rooms

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.ROOMS and not data.get("locations"):
            self.add_error("locations", _("Tick at least one room, or choose the whole school."))
        return data


class SignForm(VersionForm):
    keeper_name = forms.CharField(
        label=_("Class teacher / room keeper who signed"), max_length=50,
        help_text=_("Type the name as signed on the printed sheet; you sign for logistics."))


class CloseForm(VersionForm):
    pass


class SheetLineForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=SHEET_OUTCOMES, widget=forms.RadioSelect)
    counted_quantity = forms.IntegerField(label=_("Counted"), required=False, min_value=0, max_value=1_000_000)
    moved_to = forms.TypedChoiceField(label=_("Moved to"), required=False, coerce=int, empty_value=None)
    damage_action = forms.ChoiceField(label=_("For damage"), required=False,
                                      choices=StocktakeLine.DamageAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, line, place_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["moved_to"].choices = [("", "")] + [(pk, pk) for pk in place_ids]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.MOVED and not data.get("moved_to"):
            self.add_error("moved_to", _("Say where it was moved to."))
        return data


class FoundForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    found_name = forms.CharField(label=_("Item found, not on the sheet"), required=False, max_length=100)
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class RoomSheetForm:
    """The whole sheet of a room as one form: one small form per line, and rows for items found."""

    def __init__(self, data=None, *, room, lines, found, places):
        self.room = room
        self.data = data
        place_ids = [p.pk for p in places]
        self._options = _place_options(places, exclude=room.location_id)
        self.version = data.get("version") if data is not None else room.version
        self.line_forms = []
        for line in lines:
            initial = {"outcome": line.outcome or Outcome.PRESENT, "counted_quantity": line.counted_quantity,
                       "moved_to": line.moved_to_id, "note": line.note, "damage_action": line.damage_action}
            form = SheetLineForm(data, prefix=f"l{line.pk}", line=line, place_ids=place_ids, initial=initial)
            self.line_forms.append(form)
        self.found_forms = []
        for i, line in enumerate(found):
            self.found_forms.append(FoundForm(data, prefix=f"f{i}", initial={
                "id": line.pk, "found_name": line.found_name, "quantity": line.counted_quantity, "note": line.note}))
        for i in range(len(found), len(found) + EXTRA_FOUND_ROWS):
            self.found_forms.append(FoundForm(data, prefix=f"f{i}"))
        self.errors = []

    def moved_options(self, form):
        """The <option>s of the move-to list with this line's choice selected (built once per page)."""
        value = form["moved_to"].value()
        html = self._options
        if value not in (None, ""):
            html = html.replace(f'value="{value}"', f'value="{value}" selected', 1)
        return mark_safe(html)  # noqa: S308 - built with format_html from escaped names

    def is_valid(self):
        if self.data is None:
            return False
        try:
            int(self.data.get("version", ""))
        except ValueError:
            self.errors.append(_("This form could not be read; please open it again."))
        ok = not self.errors
        for form in self.line_forms + self.found_forms:
            ok = form.is_valid() and ok
        return ok

    def line_errors(self):
        """Each line's errors named by its asset, for the message at the top of the sheet."""
        for form in self.line_forms:
            for errors in form.errors.values():
                for e in errors:
                    yield f"{form.line.asset.tag} {form.line.asset.name}: {e}"
        for form in self.found_forms:
            for errors in form.errors.values():
                for e in errors:
                    yield e

    @property
    def cleaned_lines(self):
        return {form.line.pk: form.cleaned_data for form in self.line_forms}

    @property
    def cleaned_found(self):
        return [form.cleaned_data for form in self.found_forms
                if form.cleaned_data.get("id") or form.cleaned_data.get("found_name")]

    @property
    def rows(self):
        return [{"line": form.line, "form": form, "options": self.moved_options(form)} for form in self.line_forms]


def _place_options(places, exclude=None):
    groups = {}
    for place in places:
        if place.pk != exclude:
            groups.setdefault(place.building.name, []).append(place)
    return format_html_join(
        "", "{}",
        ((format_html('<optgroup label="{}">{}</optgroup>', building,
                      format_html_join("", '<option value="{}">{}</option>', ((p.pk, p.name) for p in rooms))),)
         for building, rooms in groups.items()))


__all__ = ["CloseForm", "FoundForm", "RoomSheetForm", "SheetLineForm", "SignForm",
           "StocktakeFilterForm", "StocktakeOpenForm"]
