"""Forms of fees collected on behalf and student aid: they validate input, services change state."""
import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput, MoneyField, VersionForm
from logistics.models import Term

from ..models import AidApplication
from ..selectors.fees import classrooms

_MAX = Decimal("9999999.99")


def _positive_money(label, **kwargs):
    return MoneyField(label=label, maximum=_MAX, **kwargs)


class FeeItemForm(forms.Form):
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all())
    name = forms.CharField(label=_("fee"), max_length=60, help_text=_("E.g. 作业本费"))
    amount_per_pupil = _positive_money(_("per pupil (yuan)"))
    description = forms.CharField(label=_("what it pays for"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    policy = forms.CharField(label=_("waivers and policy"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("E.g. who is exempt; shown on the public notice."))


class FeeClassesForm(forms.Form):
    """One row per classroom: pupils, exempt pupils, money collected."""

    def __init__(self, *args, fee, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {c.location_id: c for c in fee.classes.all()}
        self.locations = list(classrooms())
        known = {loc.pk for loc in self.locations}
        # a class taken out of use keeps its row
        self.locations += [c.location for c in fee.classes.select_related("location__building")
                           if c.location_id not in known]
        self.rows = []
        for loc in self.locations:
            row = existing.get(loc.pk)
            prefix = f"c{loc.pk}"
            self.fields[f"{prefix}_pupils"] = forms.IntegerField(
                label=_("pupils"), min_value=0, max_value=200, initial=row.pupils if row else 0)
            self.fields[f"{prefix}_exempt"] = forms.IntegerField(
                label=_("exempt pupils"), min_value=0, max_value=200, initial=row.exempt if row else 0)
            self.fields[f"{prefix}_collected"] = MoneyField(
                label=_("collected (yuan)"), allow_zero=True, maximum=_MAX,
                initial=row.collected if row else Decimal("0"))
            self.rows.append((loc, self[f"{prefix}_pupils"], self[f"{prefix}_exempt"], self[f"{prefix}_collected"]))

    def clean(self):
        data = super().clean()
        for loc in self.locations:
            p, e = data.get(f"c{loc.pk}_pupils"), data.get(f"c{loc.pk}_exempt")
            if p is not None and e is not None and e > p:
                self.add_error(f"c{loc.pk}_exempt", _("More exempt pupils than pupils."))
        return data

    def cleaned_rows(self):
        d = self.cleaned_data
        return [(loc, d[f"c{loc.pk}_pupils"], d[f"c{loc.pk}_exempt"], d[f"c{loc.pk}_collected"])
                for loc in self.locations]


class FeeSpendingForm(forms.Form):
    date = forms.DateField(label=_("date"), initial=timezone.localdate,
                           widget=DateInput())
    description = forms.CharField(label=_("spent on"), max_length=200)
    amount = _positive_money(_("amount (yuan)"))


class FeeFilterForm(forms.Form):
    STATUS = [("", _("All")), ("draft", _("Not published")), ("published", _("Published")),
              ("settled", _("Settled"))]
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all(), required=False)
    status = forms.ChoiceField(label=_("status"), choices=STATUS, required=False)


class AidApplicationForm(forms.Form):
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all())
    pupil_name = forms.CharField(label=_("pupil"), max_length=30)
    location = forms.ModelChoiceField(label=_("class"), queryset=classrooms())
    category = forms.ChoiceField(label=_("category"), choices=AidApplication.Category.choices)
    amount = _positive_money(_("amount (yuan)"))
    reason = forms.CharField(label=_("situation"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Kept inside the school; never published."))

    def clean_pupil_name(self):
        name = self.cleaned_data["pupil_name"].strip()
        if any(ch.isdigit() for ch in name):
            raise forms.ValidationError(_("A name has no digits."))
        return name

    def clean_reason(self):
        # ID card, bank card and phone numbers are long runs of digits: they are never kept here.
        reason = self.cleaned_data["reason"]
        if re.search(r"\d[\d\s-]{5,}\d", reason):
            raise forms.ValidationError(_("Leave out ID card, bank card and phone numbers."))
        return reason


class AidPublishForm(forms.Form):
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all())


class AidFilterForm(forms.Form):
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all(), required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", _("All"))] + AidApplication.Status.choices,
                               required=False)
    category = forms.ChoiceField(label=_("category"), choices=[("", _("All"))] + AidApplication.Category.choices,
                                 required=False)
    location = forms.ModelChoiceField(label=_("class"), queryset=classrooms(), required=False)


class AidDecideForm(VersionForm):
    decision = forms.ChoiceField(label=_("decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("note"), max_length=200, required=False,
                           help_text=_("Required when rejecting."))
