"""Form pieces every module shares. Forms only validate what the user typed; services change state."""
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import files, images
from .models import Location
from .services import MAX_AMOUNT, display_name, parse_money


class VersionForm(forms.Form):
    """The version of the record the page showed. Required: a post without it is a stale page (or a
    forged one), never a move that skips the check."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Where to go back to (the inbox, a list); only a path on this site is followed (see logistics.web).
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


def new_submit_token():
    """The initial value of a form's SubmitTokenField."""
    return uuid.uuid4()


class SubmitTokenField(forms.UUIDField):
    """The hidden token that makes a double click save one record (see logistics.services.insert_once)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": _("The form was incomplete; please send it again."),
                                             "invalid": _("The form was incomplete; please send it again.")})
        super().__init__(**kwargs)


class MoneyField(forms.CharField):
    """An amount in yuan as people type it (1,200.50, ¥35, 12元), checked by logistics.services.parse_money."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "money"})

    def __init__(self, *, allow_zero=False, maximum=MAX_AMOUNT, **kwargs):
        self.allow_zero, self.maximum = allow_zero, maximum
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "32")

    def prepare_value(self, value):
        return "" if value is None else str(value)

    def to_python(self, value):
        text = super().to_python(value)[:64]
        if text in self.empty_values:
            return None
        try:
            return parse_money(text, allow_zero=self.allow_zero, maximum=self.maximum)
        except ValidationError as e:
            raise ValidationError(e.messages, code=getattr(e, "code", "invalid")) from None


# --- dates -----------------------------------------------------------------------------------------

class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (2026-11-29), whatever the language: the
    Chinese input formats put 2026/11/29 first, which <input type="date"> cannot show, so the field
    would look empty. What people type by hand is still read in the language's formats."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, its value always ISO (2026-11-29T08:30); see DateInput."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%dT%H:%M")


# --- places ---------------------------------------------------------------------------------------

class GroupedLocationIterator(ModelChoiceIterator):
    """Rooms grouped under their building (an <optgroup> each), so a long list stays easy on a phone."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for obj in self.queryset:
            groups.setdefault(obj.building.name, []).append(self.choice(obj))
        yield from groups.items()


class LocationChoiceField(forms.ModelChoiceField):
    """The place chooser: rooms in use, grouped by building."""

    iterator = GroupedLocationIterator

    def __init__(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = Location.objects.filter(active=True).select_related("building")
        kwargs.setdefault("label", _("Where"))
        kwargs.setdefault("empty_label", _("— choose the room or place —"))
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


def location_field(**kwargs):
    return LocationChoiceField(**kwargs)


# --- photos ---------------------------------------------------------------------------------------

class QuickSelect(forms.Select):
    """A <select> written in Python: the HTML of Django's template (optgroups included) without a template
    rendered per option. The register's filter drew 333 rooms, 200 people and 20 departments through about 600
    template renders on every page; this takes a millisecond or two. Every long chooser of a
    filter uses it."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]

        def option(key, label):
            key = "" if key is None else str(key)
            selected = " selected" if key in chosen else ""
            parts.append(f'\n  <option value="{escape(key)}"{selected}>{escape(label)}</option>')

        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{escape(key)}">')
                for sub_key, sub_label in label:
                    option(sub_key, sub_label)
                parts.append("\n  </optgroup>")
            else:
                option(key, label)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label above is escaped


class QuickChoiceIterator(ModelChoiceIterator):
    """Choices read as plain values (no model instances): (pk, label) rows from the field's rows()."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.rows(self.queryset)


class QuickLocationField(LocationChoiceField):
    """The place filter: rooms grouped by building, read as values in one query."""

    iterator = QuickChoiceIterator
    widget = QuickSelect

    def rows(self, queryset):
        groups = {}
        for pk, building, room in queryset.values_list("pk", "building__name", "name"):
            groups.setdefault(building, []).append((pk, room))
        return groups.items()


class QuickPersonField(forms.ModelChoiceField):
    """A person filter: names read as values in one query (the label display_name gives)."""

    iterator = QuickChoiceIterator
    widget = QuickSelect

    def rows(self, queryset):
        for pk, first, last, username in queryset.values_list("pk", "first_name", "last_name", "username"):
            yield pk, f"{first} {last}".strip() or username

    def label_from_instance(self, obj):
        return display_name(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to max_photos photos, each checked and re-encoded (see logistics.images)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *, max_photos=None, **kwargs):
        self.max_photos = max_photos or settings.REPAIR_MAX_PHOTOS
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_photos:
            raise ValidationError(_("At most %(n)s photos.") % {"n": self.max_photos})
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(images.clean_photo(f))
            except ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class DocumentField(forms.FileField):
    """One document: a PDF or an image, told by its content, within the size limit, stored under a random
    name (see logistics.files)."""

    widget = forms.ClearableFileInput(attrs={"accept": files.ACCEPT})

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if not data or data is initial:
            return data
        return files.clean_document(data)
