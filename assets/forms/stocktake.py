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
    # A room's id, one of the page's rooms: the <select> is drawn once for the whole sheet (moved_options), so the
    # field holds no choices of its own (a sheet of 200 lines had built and checked 300 rooms' choices 200 times).
    moved_to = forms.IntegerField(label=_("Moved to"), required=False)
    damage_action = forms.ChoiceField(label=_("For damage"), required=False,
                                      choices=StocktakeLine.DamageAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, line, place_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.place_ids = place_ids

    def clean_moved_to(self):
        value = self.cleaned_data.get("moved_to")
        if value is not None and value not in self.place_ids:
            raise forms.ValidationError(_("Choose a room from the list."), code="invalid_choice")
        return value

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
        place_ids = frozenset(p.pk for p in places)
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
        """Each line with its form and its HTML, written here rather than by the template (a sheet of 200 lines
        drew some 1,400 radio buttons through widget templates and 12,000 template nodes: 1.6 s; now 0.2 s)."""
        texts = {
            "result": _("Result"), "counted": _("Counted"), "moved": _("Moved to"), "then": _("Then"),
            "note": _("Note"), "books": _("on the books"), "choose": _("— choose the room —"),
            "fewer": _("Fewer than on the books means part is missing."),
            "outcomes": [(v, str(label)) for v, label in SHEET_OUTCOMES],
            "damage": [(v, str(label)) for v, label in StocktakeLine.DamageAction.choices],
        }
        return [{"line": form.line, "form": form, "html": _line_html(form, self.moved_options(form), texts)}
                for form in self.line_forms]


def _radios(form, name, choices, label_class, required=False):
    """<label class=…><input type="radio" …><span>label</span></label> for each choice, the form's value checked."""
    value = form[name].value()
    value = "" if value is None else str(value)
    field = form.add_prefix(name)
    return format_html_join(
        "", '<label class="{}"><input type="radio" name="{}" value="{}"{}{}><span>{}</span></label>',
        ((label_class.format(v), field, v, mark_safe(" required") if required else "",
          mark_safe(" checked") if v == value else "", label) for v, label in choices))


def _line_html(form, options, t):
    """One line of the sheet (an <li>): the asset, its result, and what a result other than "present" asks."""
    line, asset = form.line, form.line.asset
    counted = form["counted_quantity"].value()
    count = ""
    if line.expected_quantity > 1 or (line.counted_quantity is not None
                                      and line.counted_quantity != line.expected_quantity):
        count = format_html(
            '<label class="inline-field if-count">{}<input type="number" inputmode="numeric" min="0" name="{}" '
            'value="{}" placeholder="{}"><small class="help">{}</small></label>',
            t["counted"], form.add_prefix("counted_quantity"), "" if counted is None else counted,
            line.expected_quantity, t["fewer"])
    errors = format_html_join("", '<p class="error" role="alert">{}</p>',
                              ((e,) for errs in form.errors.values() for e in errs))
    note = form["note"].value()
    return format_html(
        '<li class="sheet-line card{}" data-line="{}" data-tag="{}"><div class="line-head">'
        '<strong class="title">{}</strong><span class="row-meta small"><span class="num">{}</span>{}'
        '<span>{}: <b>{}</b> {}</span>{}</span></div>'
        '<fieldset class="outcomes"><legend class="visually-hidden">{}</legend>{}</fieldset>'
        '<div class="line-more">{}'
        '<label class="inline-field if-moved">{}<select name="{}"><option value="">{}</option>{}</select></label>'
        '<fieldset class="if-damaged"><legend>{}</legend><div class="chips">{}</div></fieldset>'
        '<label class="inline-field note">{}<input type="text" name="{}" value="{}" maxlength="200"></label>{}'
        '</div></li>',
        " has-error" if form.errors else "", line.pk, asset.tag,
        asset.name, asset.tag, format_html("<span>{}</span>", asset.spec) if asset.spec else "",
        t["books"], line.expected_quantity, asset.unit,
        format_html(' <span class="badge">{}</span>', asset.get_status_display()) if asset.status != "in_use" else "",
        t["result"], _radios(form, "outcome", t["outcomes"], "seg o-{}", required=True),
        count, t["moved"], form.add_prefix("moved_to"), t["choose"], options,
        t["then"], _radios(form, "damage_action", t["damage"], "chip"),
        t["note"], form.add_prefix("note"), "" if note is None else note, errors)


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
