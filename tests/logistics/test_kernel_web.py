"""The kernel's forms, web helpers, PDF response and recurring schedules, each on its own."""
import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from assets.models import CheckSchedule, CheckTask
from logistics import web
from logistics.forms import LocationChoiceField, MoneyField, VersionForm
from logistics.models import Building, Location, Term
from logistics.pdf import pdf_response
from logistics.schedules import Recurrence, generate_due

D = datetime.date


@pytest.fixture(autouse=True)
def in_english():
    """The messages these tests read are the English msgids (Chinese is the default language)."""
    with translation.override("en"):
        yield



def post(data, path="/x/"):
    request = RequestFactory().post(path, data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def shown(request):
    return [str(m) for m in get_messages(request)]


# --- forms -----------------------------------------------------------------------------------------

def test_a_missing_version_is_a_stale_page_never_a_skipped_check():
    assert not VersionForm({}).is_valid()
    assert not VersionForm({"version": "x"}).is_valid()
    assert VersionForm({"version": "3"}).is_valid()


class Price(forms.Form):
    price = MoneyField(label="Price")


def test_money_field_keeps_what_was_typed_and_says_what_is_wrong():
    form = Price({"price": "12.345"})
    assert not form.is_valid()
    assert "two decimal places" in form.errors["price"][0]
    assert 'value="12.345"' in str(form["price"])
    form = Price({"price": "1,200.5"})
    assert form.is_valid() and form.cleaned_data["price"] == Decimal("1200.50")


@pytest.mark.django_db
def test_place_chooser_groups_rooms_in_use_by_building(school):
    other = Building.objects.create(name="综合楼", sort_order=2)
    Location.objects.create(building=other, name="图书室")
    Location.objects.create(building=other, name="旧仓库", active=False)
    choices = list(LocationChoiceField().choices)
    assert choices[0][0] == ""
    groups = {name: [label for _v, label in rooms] for name, rooms in choices[1:]}
    assert groups == {"教学楼": ["一(1)班", "一(2)班"], "综合楼": ["图书室"]}


# --- run_move and friends --------------------------------------------------------------------------

class Reason(VersionForm):
    reason = forms.CharField(label="Reason")


def test_run_move_calls_the_service_and_goes_back_to_a_safe_next():
    seen = []
    request = post({"version": "2", "reason": "ok", "next": "/inbox/"})
    response = web.run_move(request, type("O", (), {"pk": 7})(), Reason, lambda o, d: seen.append((o.pk, d["reason"])),
                            "Done.", "/back/")
    assert seen == [(7, "ok")]
    assert response.url == "/inbox/"
    assert shown(request) == ["Done."]


def test_run_move_shows_a_service_refusal_and_ignores_a_foreign_next():
    def refuse(obj, data):
        raise ValidationError("Not now.")

    request = post({"version": "2", "reason": "ok", "next": "https://evil.example/"})
    response = web.run_move(request, type("O", (), {"pk": 7})(), Reason, refuse, "Done.", "/back/")
    assert response.url == "/back/"
    assert shown(request) == ["Not now."]


def test_run_move_with_a_stale_or_incomplete_form_says_so_and_calls_nothing():
    called = []
    request = post({"reason": ""})
    web.run_move(request, type("O", (), {"pk": 7})(), Reason, lambda o, d: called.append(1), "Done.", "/back/")
    assert called == []
    messages = shown(request)
    assert "The page was out of date; it has been reloaded." in messages
    assert any(m.startswith("Reason:") for m in messages)


@pytest.mark.django_db
def test_paginate_and_query_string(school):
    for n in range(30):
        Term.objects.create(name=f"T{n}", start=D(2000 + n, 9, 1), end=D(2001 + n, 1, 20))
    request = RequestFactory().get("/x/", {"page": "2", "q": "秋"})
    page = web.paginate(request, Term.objects.order_by("start"), size=25)
    assert page.number == 2 and len(page.object_list) == 6
    assert web.paginate(RequestFactory().get("/x/", {"page": "abc"}), Term.objects.all()).number == 1
    assert web.query_string(request) == "q=%E7%A7%8B"


# --- pdf_response ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pdf_response_is_a_pdf_with_its_file_name(school):
    request = RequestFactory().get("/x/")
    response = pdf_response("print/base.html", {}, request, "term.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="term.pdf"'
    assert response.content.startswith(b"%PDF")
    assert pdf_response("print/base.html", {}, request, "t.pdf", inline=False)["Content-Disposition"].startswith(
        "attachment")


# --- recurring schedules ---------------------------------------------------------------------------

def schedule(**kwargs):
    return CheckSchedule(title="检查", category="lighting", **kwargs)


def test_every_school_day_and_the_first_day_of_term():
    terms = [Term(name="秋", start=D(2026, 9, 1), end=D(2027, 1, 22))]
    daily = schedule(frequency=Recurrence.Frequency.DAILY)
    assert daily.is_due_on(D(2026, 11, 27), terms) and not daily.is_due_on(D(2026, 11, 28), terms)  # Fri, Sat
    assert not daily.is_due_on(D(2026, 8, 31), terms)  # holidays: only during term
    term_start = schedule(frequency=Recurrence.Frequency.TERM_START)
    assert term_start.is_due_on(D(2026, 9, 1), terms)
    assert not term_start.is_due_on(D(2026, 9, 2), terms)
    assert not term_start.is_due_on(D(2026, 9, 1))  # without the calendar nothing is "term start"


def test_a_bad_weekday_typed_in_the_admin_is_refused():
    with pytest.raises(ValidationError):
        schedule(frequency=Recurrence.Frequency.WEEKLY, weekdays=[7]).clean()
    ok = schedule(frequency=Recurrence.Frequency.WEEKLY, weekdays=["3", 1])
    ok.clean()
    assert ok.weekdays == [1, 3]
    assert "Tuesday" in ok.when_display


@pytest.mark.django_db
def test_the_kernel_generator_creates_each_modules_tasks_once(users, school):
    s = schedule(frequency=Recurrence.Frequency.DAILY, assignee=users["worker"])
    s.save()
    s.locations.set([school["room"]])
    day = school["term"].start + datetime.timedelta(days=(7 - school["term"].start.weekday()) % 7)  # a Monday
    created = generate_due(day=day)
    assert [(t.schedule_id, t.due_date, t.assignee_id) for t in created] == [(s.pk, day, users["worker"].pk)]
    assert generate_due(day=day) == []
    assert CheckTask.objects.count() == 1


@pytest.mark.django_db
def test_generate_due_tasks_runs_from_cron_and_refuses_a_bad_date(users, school):
    import io

    from django.core.management import CommandError, call_command

    s = schedule(frequency=Recurrence.Frequency.DAILY, assignee=users["worker"])
    s.save()
    day = school["term"].start + datetime.timedelta(days=(7 - school["term"].start.weekday()) % 7)
    out = io.StringIO()
    call_command("generate_due_tasks", "--date", day.isoformat(), stdout=out)
    assert "1 task(s) created" in out.getvalue() and "check schedules" in out.getvalue()
    call_command("generate_due_tasks", "--date", day.isoformat(), stdout=out)
    assert "0 task(s) created" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_due_tasks", "--date", "28.11.2026", stdout=io.StringIO())


def test_the_headers_school_name_is_kept_a_minute_and_a_new_one_shows_at_once(users, school, login,
                                                                               django_assert_num_queries):
    from django.urls import reverse

    from logistics.models import SchoolProfile

    client = login(users["teacher"])
    assert "实验小学" in client.get(reverse("assets:repair_mine")).content.decode()
    with django_assert_num_queries(0):
        assert SchoolProfile.school_name() == "实验小学"  # from the cache
    profile = SchoolProfile.get()
    profile.name = "城南实验小学"
    profile.save()
    assert "城南实验小学" in client.get(reverse("assets:repair_mine")).content.decode()
