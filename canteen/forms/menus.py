"""Forms of the weekly menus: the week's dishes typed one per line, a meal to a box. They only read what was
typed; the service checks it against the week and the canteen's meals."""
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, VersionForm

from ..services.menus import MAX_DISHES, slot_key

# What people put between dishes when they type them on one line: 、 ， , ； ; (and the line break).
_SEPARATORS = re.compile(r"[\n\r、，,；;]+")


def split_dishes(text):
    """The dish names typed in one box, in order: one a line (or separated by 、 ， ；), blanks dropped."""
    return [name.strip() for name in _SEPARATORS.split(text or "") if name.strip()]


class WeekMenuForm(VersionForm):
    """One box per served meal of each day shown; its field name is the service's slot_key (2026-03-02_lunch),
    so the service's errors land on the box they are about."""

    def __init__(self, *args, days, served, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {}
        for day in days:
            for meal in served:
                name = slot_key(day, meal)
                self.fields[name] = forms.CharField(
                    label=meal.label, required=False, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "autocapitalize": "off",
                                                 "spellcheck": "false",
                                                 "placeholder": _("One dish per line")}))
                self.slots[name] = (day, meal)

    def bound(self, day, meal):
        return self[slot_key(day, meal)]

    def dishes(self):
        """{(day, meal): [names]} from the cleaned boxes."""
        return {slot: split_dishes(self.cleaned_data.get(name)) for name, slot in self.slots.items()}

    def clean(self):
        data = super().clean()
        for name in self.slots:
            if name in data and len(split_dishes(data[name])) > MAX_DISHES:
                self.add_error(name, _("At most %(max)s dishes per meal.") % {"max": MAX_DISHES})
        return data


def initial_text(names):
    return "\n".join(names)


class GoToWeekForm(forms.Form):
    """Open the menu of the week holding a date."""

    day = forms.DateField(label=_("week of"), widget=DateInput)


class MenuFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("shown to parents"), required=False, choices=[
        ("", _("All")), ("published", _("Shown to parents")), ("draft", _("Not shown yet"))])
