"""Date pickers keep their dates in Chinese: every date input shows its value in ISO (2026-11-29), the only
form <input type="date"> can show, in both languages; a posted ISO date (what the picker sends) and a
typed 2026/11/29 are both read."""
import datetime
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from assets.forms import movements, register, supplies
from assets.models import Asset
from finance.forms import fees, procurement, purchases
from logistics.forms import DateInput, DateTimeInput

from ..assets._register import category
from ..assets._register import register as register_asset

DAY = datetime.date(2026, 11, 29)

# Every form with a date: (form class, the date field, keyword arguments it needs).
DATE_FORMS = [
    (register.AssetForm, "acquired_on", {}),
    (movements.LoanForm, "due_on", {}),
    (movements.DamageForm, "occurred_on", {}),
    (supplies.PrintRequestForm, "needed_by", {}),
    (purchases.PurchaseForm, "needed_by", {}),
    (purchases.MeetingForm, "meeting_date", {}),
    (procurement.OrderForm, "ordered_on", {}),
    (procurement.InvoiceForm, "issued_on", {}),
    (procurement.LedgerEntryForm, "date", {}),
    (fees.FeeSpendingForm, "date", {}),
]
FORM_MODULES = [register, movements, supplies, purchases, procurement, fees]
LANGUAGES = ["zh-hans", "en"]


def all_form_classes():
    for module in FORM_MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


def test_every_date_field_of_the_modules_forms_is_listed_here_and_uses_the_kernel_picker():
    found = set()
    for form_class in all_form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                assert isinstance(field.widget, DateTimeInput), f"{form_class.__name__}.{name}"
                found.add((form_class, name))
            elif isinstance(field, forms.DateField):
                assert isinstance(field.widget, DateInput), f"{form_class.__name__}.{name}"
                found.add((form_class, name))
    assert found == {(form_class, name) for form_class, name, _ in DATE_FORMS}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_class, name, kwargs", DATE_FORMS, ids=[f"{f.__name__}.{n}" for f, n, _ in DATE_FORMS])
def test_a_date_is_shown_in_iso_in_both_languages(form_class, name, kwargs, language):
    with translation.override(language):
        html = str(form_class(initial={name: DAY}, **kwargs)[name])
    assert 'type="date"' in html
    assert 'value="2026-11-29"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_class, name, kwargs", DATE_FORMS, ids=[f"{f.__name__}.{n}" for f, n, _ in DATE_FORMS])
def test_a_posted_iso_date_is_read_in_both_languages(form_class, name, kwargs, language):
    today = timezone.localdate()  # today passes every form's "not in the past / not in the future" rule
    with translation.override(language):
        form = form_class(data={name: today.isoformat()}, **kwargs)
        form.is_valid()
    assert name not in form.errors
    assert form.cleaned_data[name] == today


@pytest.mark.django_db
def test_a_date_typed_with_slashes_is_still_read_in_chinese():
    today = timezone.localdate()
    with translation.override("zh-hans"):
        form = movements.DamageForm(data={"occurred_on": today.strftime("%Y/%m/%d")})
        form.is_valid()
    assert form.cleaned_data["occurred_on"] == today


def test_a_date_and_time_is_shown_in_iso():
    with translation.override("zh-hans"):
        html = DateTimeInput().render("at", datetime.datetime(2026, 11, 29, 8, 30))
    assert 'type="datetime-local"' in html and 'value="2026-11-29T08:30"' in html


class FormReader(HTMLParser):
    """What a browser sends back for a form it was given, untouched: a date input sends its value only if
    it is an ISO date (a picker cannot show anything else, so it shows and sends nothing)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file", "checkbox", "radio"):
            value = a.get("value") or ""
            if a.get("type") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                value = ""
            self.data[a["name"]] = value
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def test_editing_an_asset_in_chinese_without_retyping_its_date_saves(users, school, login):
    asset = register_asset(users["worker"], school, acquired_on=datetime.date(2025, 3, 1), category=category())
    client = login(users["head"])
    url = reverse("assets:asset_edit", args=[asset.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'value="2025-03-01"' in page.content.decode()
    reader = FormReader()
    reader.feed(page.content.decode())
    data = {k: v for k, v in reader.data.items() if k != "csrfmiddlewaretoken"}
    data["name"] = "台式计算机（教师机）"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302, response.content.decode()
    asset = Asset.objects.get(pk=asset.pk)
    assert asset.name == "台式计算机（教师机）"
    assert asset.acquired_on == datetime.date(2025, 3, 1)
