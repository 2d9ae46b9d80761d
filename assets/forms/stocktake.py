"""Forms of stocktakes. They only read and check input; the services change state."""
from collections import Counter

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


class RoomList:
    """The rooms a sheet can move an item to, drawn once per page as a <datalist> of their labels.

    Each line has a text input tied to the list (the browser offers it natively, no JavaScript); what comes back
    is a label, a room's id, or a room name only one room of the list has. A <select> of 309 rooms on each of
    187 lines made a sheet of 2.8 MB."""

    DATALIST_ID = "rooms-list"

    def __init__(self, places, *, exclude=None):
        self.ids = frozenset(p.pk for p in places)
        self.labels = _place_labels(places)
        self.exclude = exclude
        self._by_key = {_key(label): pk for pk, label in self.labels.items()}
        names = {}
        for place in places:
            names.setdefault(_key(place.name), []).append(place.pk)
        self._by_name = {key: pks[0] for key, pks in names.items() if len(pks) == 1}

    def resolve(self, text):
        """The id of the room the text names (a label, an id, or a room name no other room has), else None."""
        text = (text or "").strip()
        if text.isdecimal():
            return int(text) if int(text) in self.ids else None
        key = _key(text)
        return self._by_key.get(key, self._by_name.get(key))

    def label_of(self, location):
        """A saved move's room as the input shows it (a room no longer in use still by its name)."""
        if location is None:
            return ""
        return self.labels.get(location.pk) or str(location)

    def datalist(self):
        """The one <datalist> of the page: every room but the sheet's own."""
        return format_html('<datalist id="{}">{}</datalist>', self.DATALIST_ID, format_html_join(
            "", '<option value="{}">', ((label,) for pk, label in self.labels.items() if pk != self.exclude)))


def _key(text):
    return " ".join(text.split()).casefold()


def _place_labels(places):
    """{id: label}: the room as the app names it (教学楼 · 301), made unique with its id should two read alike."""
    labels = {p.pk: str(p) for p in places}
    counts = Counter(_key(label) for label in labels.values())
    return {pk: f"{label} (#{pk})" if counts[_key(label)] > 1 else label for pk, label in labels.items()}


class SheetLineForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=SHEET_OUTCOMES, widget=forms.RadioSelect)
    counted_quantity = forms.IntegerField(label=_("Counted"), required=False, min_value=0, max_value=1_000_000)
    # A room's label typed or picked from the page's one <datalist> (RoomList), read back as the room's id in
    # clean(). Only asked for, and only checked, when the item has moved: a hidden leftover is ignored.
    moved_to = forms.CharField(label=_("Moved to"), required=False)
    damage_action = forms.ChoiceField(label=_("For damage"), required=False,
                                      choices=StocktakeLine.DamageAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, line, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.rooms = rooms

    def clean(self):
        data = super().clean()
        text = data.get("moved_to") or ""
        data["moved_to"] = None
        if data.get("outcome") == Outcome.MOVED:
            if not text:
                self.add_error("moved_to", _("Say where it was moved to."))
            else:
                data["moved_to"] = self.rooms.resolve(text)
                if data["moved_to"] is None:
                    self.add_error("moved_to", forms.ValidationError(_("Choose a room from the list."),
                                                                     code="invalid_choice"))
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
        self.rooms = RoomList(places, exclude=room.location_id)
        self.version = data.get("version") if data is not None else room.version
        self.line_forms = []
        for line in lines:
            initial = {"outcome": line.outcome or Outcome.PRESENT, "counted_quantity": line.counted_quantity,
                       "moved_to": self.rooms.label_of(line.moved_to), "note": line.note,
                       "damage_action": line.damage_action}
            form = SheetLineForm(data, prefix=f"l{line.pk}", line=line, rooms=self.rooms, initial=initial)
            self.line_forms.append(form)
        self.found_forms = []
        for i, line in enumerate(found):
            self.found_forms.append(FoundForm(data, prefix=f"f{i}", initial={
                "id": line.pk, "found_name": line.found_name, "quantity": line.counted_quantity, "note": line.note}))
        for i in range(len(found), len(found) + EXTRA_FOUND_ROWS):
            self.found_forms.append(FoundForm(data, prefix=f"f{i}"))
        self.errors = []

    def datalist(self):
        """The page's one list of rooms that every line's "moved to" input offers."""
        return self.rooms.datalist()

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
        # Translated once here, not once per line (each lazy text costs a translation lookup where it is used).
        texts = {key: str(text) for key, text in {
            "result": _("Result"), "counted": _("Counted"), "moved": _("Moved to"), "then": _("Then"),
            "note": _("Note"), "books": _("on the books"), "choose": _("Type or pick a room"),
            "fewer": _("Fewer than on the books means part is missing."),
        }.items()}
        texts["outcomes"] = [(v, str(label)) for v, label in SHEET_OUTCOMES]
        texts["damage"] = [(v, str(label)) for v, label in StocktakeLine.DamageAction.choices]
        return [{"line": form.line, "form": form, "html": _line_html(form, texts)}
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


def _line_html(form, t):
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
    note, moved_to = form["note"].value(), form["moved_to"].value()
    return format_html(
        '<li class="sheet-line card{}" data-line="{}" data-tag="{}"><div class="line-head">'
        '<strong class="title">{}</strong><span class="row-meta small"><span class="num">{}</span>{}'
        '<span>{}: <b>{}</b> {}</span>{}</span></div>'
        '<fieldset class="outcomes"><legend class="visually-hidden">{}</legend>{}</fieldset>'
        '<div class="line-more">{}'
        '<label class="inline-field if-moved">{}<input type="text" name="{}" value="{}" list="{}" '
        'autocomplete="off" placeholder="{}"{}></label>'
        '<fieldset class="if-damaged"><legend>{}</legend><div class="chips">{}</div></fieldset>'
        '<label class="inline-field note">{}<input type="text" name="{}" value="{}" maxlength="200"></label>{}'
        '</div></li>',
        " has-error" if form.errors else "", line.pk, asset.tag,
        asset.name, asset.tag, format_html("<span>{}</span>", asset.spec) if asset.spec else "",
        t["books"], line.expected_quantity, asset.unit,
        format_html(' <span class="badge">{}</span>', asset.get_status_display()) if asset.status != "in_use" else "",
        t["result"], _radios(form, "outcome", t["outcomes"], "seg o-{}", required=True),
        count, t["moved"], form.add_prefix("moved_to"), moved_to or "", RoomList.DATALIST_ID, t["choose"],
        mark_safe(' aria-invalid="true"') if "moved_to" in form.errors else "",
        t["then"], _radios(form, "damage_action", t["damage"], "chip"),
        t["note"], form.add_prefix("note"), "" if note is None else note, errors)


__all__ = ["CloseForm", "FoundForm", "RoomSheetForm", "SheetLineForm", "SignForm",
           "StocktakeFilterForm", "StocktakeOpenForm"]
