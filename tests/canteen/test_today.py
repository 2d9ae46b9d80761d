"""The canteen's day page, its home sections, and its chapter of the term summary: what the canteen manager,
the head and the principal see, built from records made in the test."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from canteen import home
from canteen.models import Meal, MealKind, MenuDish, MenuWeek, MorningCheck, Sample
from logistics.models import TermSummary
from logistics.summary.document import collect, layout


@pytest.fixture(autouse=True)
def english():
    """The sections' words in English, to compare; the pages are read in Chinese in the browser tests."""
    with translation.override("en"):
        yield


def _weekday(days_back=0):
    """A Monday-to-Friday date at or before today - days_back."""
    day = timezone.localdate() - datetime.timedelta(days=days_back)
    while day.weekday() > 4:
        day -= datetime.timedelta(days=1)
    return day


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _lunch(day, dishes, sampled=(), by=None):
    monday = day - datetime.timedelta(days=day.weekday())
    week, _ = MenuWeek.objects.get_or_create(week_start=monday)
    for n, name in enumerate(dishes):
        MenuDish.objects.create(week=week, day=day, meal=MealKind.LUNCH, name=name, position=n)
    meal = Meal.objects.create(date=day, kind=MealKind.LUNCH)
    for name in sampled:
        Sample.objects.create(meal=meal, dish=name, grams=130, taken_by=by, taken_at=_at(day, 12, 10),
                              fridge_c=Decimal("4.0"))
    return meal


def test_the_day_page_shows_each_dish_still_to_sample(users, kitchen, client):
    day = _weekday()
    _lunch(day, ["番茄炒蛋", "红烧鸡腿"], sampled=["番茄炒蛋"], by=users["canteen"])
    client.force_login(users["canteen"])
    response = client.get(reverse("canteen:today"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "今日食堂" in page and "晨检" in page  # the page reads in Chinese, the school's language
    if day == timezone.localdate():
        assert "红烧鸡腿" in page  # the dish still without a sample is named
        assert response.context["current"].kind == MealKind.LUNCH
    assert "李师傅" in page or day != timezone.localdate()  # the people still to check on a school day


def test_readers_see_the_day_and_teachers_do_not(users, canteen_settings, client):
    client.force_login(users["principal"])
    assert client.get(reverse("canteen:today")).status_code == 200
    client.force_login(users["teacher"])
    assert client.get(reverse("canteen:today")).status_code == 403


def test_after_lunch_the_head_and_principal_see_what_is_missing(users, kitchen):
    day = _weekday(1)
    _lunch(day, ["番茄炒蛋", "红烧鸡腿"], sampled=["番茄炒蛋"], by=users["canteen"])
    after = _at(day, 15)
    for who in ("head", "principal"):
        sections = {s.key: s for s in home.sections(users[who], after)}
        rows = sections["canteen_missing"].rows
        assert len(rows) == 1
        assert "红烧鸡腿" in " ".join(rows[0].detail)
        assert {b[0] for b in rows[0].badges} >= {"samples missing", "disinfection missing",
                                                   "no accompanied meal"}
    # The teacher has no canteen sections at all; the canteen manager sees the same missing meal.
    assert not [s for s in home.sections(users["teacher"], after) if s.key.startswith("canteen")]
    manager = {s.key: s for s in home.sections(users["canteen"], after)}
    assert [r.url for r in manager["canteen_missing"].rows] == [rows[0].url]


def test_the_managers_home_lists_todays_open_tasks(users, kitchen):
    day = _weekday()
    _lunch(day, ["番茄炒蛋"], by=users["canteen"])
    now = _at(day, 11)  # before lunch ends: to do, not yet missing
    today = next(s for s in home.sections(users["canteen"], now) if s.key == "canteen_today")
    titles = [r.title for r in today.rows]
    assert "Lunch" in titles
    lunch = today.rows[titles.index("Lunch")]
    assert ("1 dish to sample", "b-open") in lunch.badges
    assert not lunch.overdue


def test_the_morning_checks_wait_only_on_school_days(users, kitchen):
    monday = _weekday()
    while monday.weekday() != 0:
        monday -= datetime.timedelta(days=1)
    sunday = monday - datetime.timedelta(days=1)
    on_sunday = next(s for s in home.sections(users["canteen"], _at(sunday, 9)) if s.key == "canteen_today")
    assert not [r for r in on_sunday.rows if "晨检" in r.title]
    on_monday = next(s for s in home.sections(users["canteen"], _at(monday, 9)) if s.key == "canteen_today")
    checks = next(r for r in on_monday.rows if "晨检" in r.title)
    assert ("3 people to check", "b-open") in checks.badges
    # the people still to check, listed in the reader's language
    assert checks.detail[0].count(", ") == 2 and "、" not in checks.detail[0]
    with translation.override("zh-hans"):
        in_chinese = next(s for s in home.sections(users["canteen"], _at(monday, 9)) if s.key == "canteen_today")
    assert next(r for r in in_chinese.rows if "晨检" in r.title).detail[0].count("、") == 2
    MorningCheck.objects.create(staff=kitchen["li"], date=monday, symptoms=[1], fit=False,
                                checked_by=users["canteen"], checked_at=_at(monday, 7))
    rows = next(s for s in home.sections(users["canteen"], _at(monday, 9)) if s.key == "canteen_today").rows
    assert any(r.title == "李师傅" and ("off kitchen duty", "b-overdue") in r.badges for r in rows)


@pytest.mark.parametrize("days", [5, 60])
def test_the_day_page_costs_the_same_whatever_the_logs(users, kitchen, client, django_assert_max_num_queries, days):
    for n in range(days):
        day = _weekday(n + 1)
        if not Meal.objects.filter(date=day).exists():
            _lunch(day, ["米饭", "青菜"], sampled=["米饭"], by=users["canteen"])
    client.force_login(users["canteen"])
    with django_assert_max_num_queries(40):
        assert client.get(reverse("canteen:today")).status_code == 200


def test_the_term_summary_has_the_canteen_chapter(users, kitchen, school):
    day = _weekday(1)
    _lunch(day, ["番茄炒蛋", "红烧鸡腿"], sampled=["番茄炒蛋", "红烧鸡腿"], by=users["canteen"])
    summary = TermSummary(term=school["term"])
    doc = layout(collect(summary))
    canteen = next(c for c in doc.chapters if c.key == "canteen")
    figures = {f.key: f.value for f in canteen.figures}
    assert figures["meals.served"] == "1"
    assert figures["samples.complete_percent"] == "100%"
    keys = [c.key for c in doc.chapters]
    assert keys.index("finance_assets") < keys.index("canteen") < keys.index("outlook")


def test_the_canteen_managers_dashboard_shows_the_certificates_and_licences_to_renew(users, kitchen, supplier,
                                                                                    client):
    client.force_login(users["canteen"])
    tiles = {t.key: t.value for t in client.get(reverse("home")).context["dashboard"].tiles}
    # 王阿姨's certificate expires in 20 days (within the 30 of the settings), 赵师傅's expired 3 days ago.
    assert tiles["certificates.expiring"] == "1" and tiles["certificates.expired"] == "1"
    assert tiles["suppliers.expiring"] == "0" and tiles["suppliers.expired"] == "0"
    assert "samples.complete_percent" not in tiles  # the principal's and the head's reading
    client.force_login(users["safety"])
    assert client.get(reverse("home")).context["dashboard"] is None
