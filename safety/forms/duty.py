"""Forms of the duty roster: laying out a period, the people on a shift, a handover entry, the month shown.
Forms only validate what was typed; the services decide."""
import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, VersionForm
from logistics.services import display_name

from ..services.duty import NOTE_LENGTH, TEXT_LENGTH

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_HOLIDAYS = 60
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:\.\.|~|～|至|–|—)\s*(\d{4}-\d{1,2}-\d{1,2}))?$")


def parse_holidays(text):
    """The dates named in text: one date (2026-10-01) or a range (2026-10-01..2026-10-07) a line or comma."""
    days = set()
    for part in re.split(r"[\n,，、;；]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _RANGE.match(part)
        if not match:
            raise ValidationError(_("“%(text)s” is not a date: write 2026-10-01, or 2026-10-01..2026-10-07.")
                                  % {"text": part[:30]})
        try:
            first = datetime.date.fromisoformat("-".join(f"{int(n):02d}" for n in match[1].split("-")))
            last = datetime.date.fromisoformat("-".join(f"{int(n):02d}" for n in match[2].split("-"))) \
                if match[2] else first
        except ValueError:
            raise ValidationError(_("“%(text)s” is not a date: write 2026-10-01, or 2026-10-01..2026-10-07.")
                                  % {"text": part[:30]}) from None
        if last < first or (last - first).days >= MAX_HOLIDAYS:
            raise ValidationError(_("“%(text)s”: the range is backwards or too long.") % {"text": part[:30]})
        # by offsets: stepping past the last day would overflow on 9999-12-31
        days.update(first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    if len(days) > MAX_HOLIDAYS:
        raise ValidationError(_("At most %(n)s holidays.") % {"n": MAX_HOLIDAYS})
    return days


def people_queryset():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class LayOutForm(forms.Form):
    first = forms.DateField(label=_("First day"), widget=DateInput)
    last = forms.DateField(label=_("Last day"), widget=DateInput)
    night_starts = forms.TimeField(label=_("Night shift from"), widget=TIME, initial=datetime.time(17, 30))
    night_ends = forms.TimeField(label=_("Night shift to (next morning)"), widget=TIME, initial=datetime.time(7, 30))
    holiday_starts = forms.TimeField(label=_("Holiday day shift from"), widget=TIME, initial=datetime.time(7, 30))
    holiday_ends = forms.TimeField(label=_("Holiday day shift to"), widget=TIME, initial=datetime.time(17, 30))
    day_shift = forms.BooleanField(label=_("A day shift on school days too"), required=False)
    day_starts = forms.TimeField(label=_("School day shift from"), widget=TIME, required=False,
                                 initial=datetime.time(7, 0))
    day_ends = forms.TimeField(label=_("School day shift to"), widget=TIME, required=False,
                               initial=datetime.time(17, 30))
    holidays = forms.CharField(
        label=_("Public holidays on weekdays"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-10-01..2026-10-07"}),
        help_text=_("Days off inside the term that fall on weekdays (国庆, 元旦…): they get holiday shifts. Weekends "
                    "and the days between terms always do."))

    def clean_holidays(self):
        return parse_holidays(self.cleaned_data["holidays"])

    def clean(self):
        data = super().clean()
        if data.get("day_shift") and (data.get("day_starts") is None or data.get("day_ends") is None):
            self.add_error("day_starts", _("Give the times of the school day shift."))
        return data

    def service_arguments(self):
        d = self.cleaned_data
        return {"first": d["first"], "last": d["last"], "night": (d["night_starts"], d["night_ends"]),
                "holiday": (d["holiday_starts"], d["holiday_ends"]), "day": (d["day_starts"], d["day_ends"]),
                "day_shift_on_school_days": d["day_shift"], "holidays": d["holidays"]}


class AssignForm(VersionForm):
    people = PeopleChoiceField(label=_("On duty"), queryset=people_queryset(), required=False,
                               widget=forms.CheckboxSelectMultiple)
    leader = PersonChoiceField(label=_("Leader on duty"), queryset=people_queryset(), required=False,
                               empty_label=_("— nobody —"))
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people_queryset()
        self.fields["leader"].queryset = people_queryset()


class HandoverForm(forms.Form):
    all_normal = forms.TypedChoiceField(
        label=_("How was it?"), choices=[("yes", _("All normal")), ("no", _("Something to follow up"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect, initial="yes")
    text = forms.CharField(
        label=_("What happened, what is handed over"), max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("e.g. 巡查校园三次，门窗水电正常")}))


def parse_month(value, today):
    """(year, month) from "2026-11", else today's month."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    return today.year, today.month
