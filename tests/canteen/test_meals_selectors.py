"""What the today page, the home sections and the term summary read of the meals: a day's meals and what is
missing once they end, samples due for discard, the term's figures; in a constant number of queries."""
import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from canteen.models import CanteenSettings, Sample
from canteen.selectors import meals as selectors
from canteen.services import meals as services

from .test_meals_pages import many_logs
from .test_meals_services import at, menu


def day_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def test_day_status_lists_the_served_meals_with_their_dishes_and_what_is_missing(users, canteen_settings):
    day = day_ago(1)
    menu(day, "红烧肉", "炒青菜", "番茄蛋汤")
    meal = services.meal_for(day, "lunch", users["canteen"])
    services.take_sample(meal, "红烧肉", 150, "", 4, users["canteen"], taken_at=at(day, 11))
    [lunch] = selectors.day_status(day, timezone.now())
    assert lunch.kind == "lunch" and lunch.meal == meal
    assert lunch.dishes == ["红烧肉", "炒青菜", "番茄蛋汤"]
    assert [s.dish for s in lunch.samples] == ["红烧肉"]
    assert lunch.missing_samples == ["炒青菜", "番茄蛋汤"] and lunch.samples_missing
    assert lunch.disinfection_missing and lunch.accompanied_expected and lunch.accompanied_missing
    assert lunch.url == f"/canteen/meals/{day.isoformat()}/lunch/"


def test_nothing_is_missing_before_the_meal_ends(users, canteen_settings):
    day = timezone.localdate()
    menu(day, "红烧肉")
    [lunch] = selectors.day_status(day, at(day, 11, 0))
    assert lunch.meal is None and lunch.missing_samples == ["红烧肉"]
    assert not (lunch.samples_missing or lunch.disinfection_missing or lunch.accompanied_missing)
    # disinfection is missing only once the set minutes after the meal's end have passed (12:40 + 90)
    [lunch] = selectors.day_status(day, at(day, 14, 0))
    assert lunch.samples_missing and lunch.accompanied_missing and not lunch.disinfection_missing
    [lunch] = selectors.day_status(day, at(day, 14, 11))
    assert lunch.disinfection_missing


def test_breakfast_and_dinner_when_the_school_serves_them(users, canteen_settings):
    CanteenSettings.objects.update(serves_breakfast=True, serves_dinner=True)
    assert [s.kind for s in selectors.day_status(timezone.localdate())] == ["breakfast", "lunch", "dinner"]
    [breakfast, lunch, dinner] = selectors.day_status(timezone.localdate())
    assert lunch.accompanied_expected and not breakfast.accompanied_expected


def test_a_meal_not_served_misses_nothing(users, canteen_settings):
    day = day_ago(1)
    menu(day, "红烧肉")
    meal = services.meal_for(day, "lunch", users["canteen"])
    services.mark_not_served(meal, users["canteen"], "春游", meal.version)
    [lunch] = selectors.day_status(day)
    assert not lunch.served and not lunch.anything_missing
    assert selectors.missing_after_meals(timezone.now()) == []


def test_missing_after_meals_names_the_days_and_what_is_missing(users, canteen_settings):
    menu(day_ago(2), "红烧肉", "炒青菜")
    menu(day_ago(1), "红烧肉")
    meal = services.meal_for(day_ago(1), "lunch", users["canteen"])
    services.take_sample(meal, "红烧肉", 150, "", 4, users["canteen"], taken_at=at(day_ago(1), 11))
    services.record_disinfection(meal, "tableware", "cabinet", 120, None, 30, users["canteen"],
                                 done_at=at(day_ago(1), 13))
    services.record_accompanied(meal, "leader", person=users["head"], rating=5, by=users["head"])
    # a day with nothing on the menu and nothing logged (a weekend) expects nothing
    missing = selectors.missing_after_meals(timezone.now(), days=7)
    assert [(m.date, m.missing_samples) for m in missing] == [(day_ago(2), ["红烧肉", "炒青菜"])]
    assert missing[0].disinfection_missing and missing[0].accompanied_missing


def test_samples_due_are_those_kept_long_enough_and_not_discarded(users, canteen_settings):
    for n in (1, 3, 4):
        menu(day_ago(n), "红烧肉")
        meal = services.meal_for(day_ago(n), "lunch", users["canteen"])
        services.take_sample(meal, "红烧肉", 150, "", 4, users["canteen"], taken_at=at(day_ago(n), 11))
    due = list(selectors.samples_due(timezone.now()))
    assert [s.meal.date for s in due] == [day_ago(4), day_ago(3)]
    services.discard_sample(due[0].pk, users["canteen"], users["head"])
    assert [s.meal.date for s in selectors.samples_due(timezone.now())] == [day_ago(3)]


@pytest.mark.parametrize("days", [7, 5 * 365])
def test_the_day_and_the_home_read_in_constant_queries(users, canteen_settings, django_assert_num_queries, days):
    many_logs(users, days)
    with django_assert_num_queries(6):
        selectors.day_status(day_ago(3), timezone.now())
    with django_assert_num_queries(6):
        selectors.missing_after_meals(timezone.now(), days=7)
    with django_assert_num_queries(2):
        list(selectors.samples_due(timezone.now()))


# --- the term -------------------------------------------------------------------------------------

def figures(term, now=None):
    return {f.key: f for f in selectors.term_figures(term, now)}


def test_term_figures(users, canteen_settings, school):
    canteen, head = users["canteen"], users["head"]
    # Three lunches on the menu: one complete, one missing a sample and disinfection, one not logged at all.
    for n in (10, 9, 8):
        menu(day_ago(n), "红烧肉", "炒青菜")
    complete = services.meal_for(day_ago(10), "lunch", canteen)
    for dish in ("红烧肉", "炒青菜"):
        services.take_sample(complete, dish, 150, "", 4, canteen, taken_at=at(day_ago(10), 11))
    services.record_disinfection(complete, "tableware", "cabinet", 120, None, 30, canteen, done_at=at(day_ago(10), 13))
    services.record_accompanied(complete, "leader", person=head, rating=5, by=head)
    partial = services.meal_for(day_ago(9), "lunch", canteen)
    late = services.take_sample(partial, "红烧肉", 150, "", 4, canteen, taken_at=at(day_ago(9), 11))
    services.record_accompanied(partial, "parent", name="家长", rating=4, by=head)
    # discards: the complete day's two on time (the day after they became due), the other late, still kept
    on_time = selectors.discard_deadline(complete.samples.first().taken_at + datetime.timedelta(hours=48))
    Sample.objects.filter(meal=complete).update(discarded_at=on_time - datetime.timedelta(hours=1),
                                                discarded_by=canteen, reviewed_by=head)
    # a meal marked not served counts nowhere
    menu(day_ago(7), "红烧肉")
    off = services.meal_for(day_ago(7), "lunch", canteen)
    services.mark_not_served(off, canteen, "春游", off.version)
    figs = figures(school["term"])
    values = {k: f.value for k, f in figs.items()}
    assert values == {
        "meals.served": 3, "samples.taken": 3, "samples.complete_percent": 33,
        "samples.discarded_on_time_percent": 67, "disinfection.logged_percent": 33,
        "accompanied.held_percent": 67, "accompanied.parents": 1, "samples.not_discarded": 1,
    }
    assert all(f.chapter == "canteen" and not f.money for f in figs.values())
    assert figs["samples.not_discarded"].carry and "principal" in figs["samples.complete_percent"].home
    assert late.discarded_at is None


def test_term_figures_of_an_empty_term_say_nothing_applies(canteen_settings, school):
    values = {k: f.value for k, f in figures(school["term"]).items()}
    assert values["meals.served"] == 0 and values["samples.complete_percent"] is None


@pytest.mark.parametrize("days", [7, 5 * 365])
def test_term_figures_take_constant_queries(users, canteen_settings, django_assert_num_queries, days):
    many_logs(users, days)
    term = SimpleNamespace(start=day_ago(120), end=day_ago(-30))
    with django_assert_num_queries(6):
        selectors.term_figures(term)
