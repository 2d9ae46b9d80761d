"""The meals area's rules: samples (weight, refrigerator, the menu, one per dish, double clicks), their discard
(not before the retention time, a reviewer who did not take it), disinfection, accompanied meals, a meal not
served; who may; what the history says."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from canteen.models import AccompaniedMeal, CanteenSettings, Disinfection, Meal, MenuDish, MenuWeek, Sample
from canteen.services import meals as services
from logistics.history import history_timeline

from ..conftest import make_user

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english")

Method, Target = Disinfection.Method, Disinfection.Target


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def menu(day, *dishes, kind="lunch"):
    week = MenuWeek.objects.get_or_create(week_start=day - datetime.timedelta(days=day.weekday()))[0]
    for i, name in enumerate(dishes):
        MenuDish.objects.create(week=week, day=day, meal=kind, name=name, position=i)


@pytest.fixture
def meal(users, canteen_settings):
    today = timezone.localdate()
    menu(today, "红烧肉", "炒青菜", "番茄蛋汤")
    return services.meal_for(today, "lunch", users["canteen"])


def sample(meal, users, dish="红烧肉", grams=150, c="4", **kw):
    kw.setdefault("taken_at", at(meal.date, 11, 0) if meal.date != timezone.localdate() else None)
    return services.take_sample(meal, dish, grams, "留样柜1", Decimal(c), users["canteen"], **kw)


def message(excinfo):
    return " ".join(excinfo.value.messages)


# --- the meal --------------------------------------------------------------------------------------

def test_meal_for_gets_or_creates_the_days_meal(users, canteen_settings):
    day = timezone.localdate()
    first = services.meal_for(day, "lunch", users["canteen"])
    assert services.meal_for(day, "lunch", users["canteen"]) == first
    assert Meal.objects.count() == 1
    # the head may open it too (to record an accompanied meal)
    assert services.meal_for(day, "lunch", users["head"]) == first


def test_a_meal_the_canteen_does_not_serve_is_refused(users, canteen_settings):
    with pytest.raises(ValidationError) as e:
        services.meal_for(timezone.localdate(), "dinner", users["canteen"])
    assert "Dinner" in message(e) and "Lunch" in message(e)
    assert not Meal.objects.exists()


def test_only_the_canteen_and_leaders_open_a_meal(users, canteen_settings):
    for name in ("teacher", "auditor", "safety"):
        with pytest.raises(PermissionDenied):
            services.meal_for(timezone.localdate(), "lunch", users[name])


def test_a_meal_not_served_and_served_again(meal, users):
    with pytest.raises(ValidationError):
        services.mark_not_served(meal, users["canteen"], "  ", meal.version)
    meal = services.mark_not_served(meal, users["canteen"], "春游", meal.version)
    assert not meal.served and meal.note == "春游"
    with pytest.raises(ValidationError) as e:
        sample(meal, users)
    assert "not served" in message(e)
    meal = services.mark_served(meal, users["canteen"], meal.version)
    assert meal.served and meal.note == ""
    reasons = [e["reason"] for e in history_timeline(meal)]
    assert reasons == ["meal opened", "marked not served: 春游", "marked served again"]


def test_a_meal_with_samples_cannot_be_marked_not_served(meal, users):
    sample(meal, users)
    with pytest.raises(ValidationError):
        services.mark_not_served(meal, users["canteen"], "春游", meal.version)


def test_not_served_from_a_stale_page_is_refused(meal, users):
    services.mark_not_served(meal, users["canteen"], "春游", meal.version)
    with pytest.raises(ValidationError) as e:
        services.mark_served(meal, users["canteen"], 0)
    assert e.value.code == "stale"


def test_teachers_cannot_mark_a_meal_not_served(meal, users):
    with pytest.raises(PermissionDenied):
        services.mark_not_served(meal, users["head"], "春游", meal.version)


# --- samples ----------------------------------------------------------------------------------------

def test_the_canteen_takes_a_sample_of_a_menu_dish(meal, users):
    s = sample(meal, users, grams=150, c="3.5")
    assert (s.dish, s.grams, s.fridge, s.fridge_c, s.taken_by) == ("红烧肉", 150, "留样柜1", Decimal("3.5"),
                                                                    users["canteen"])
    assert s.discarded_at is None
    assert [e["reason"] for e in history_timeline(s)] == ["sample taken: 红烧肉, 150 g, refrigerator 3.5 °C"]
    with translation.override("zh-hans"):
        assert history_timeline(s)[0]["who"] == "周师傅"


def test_a_sample_lighter_than_the_minimum_is_refused_naming_it(meal, users):
    with pytest.raises(ValidationError) as e:
        sample(meal, users, grams=100)
    assert "at least 125 g" in message(e) and "100 g" in message(e)
    assert e.value.error_dict.keys() == {"grams"}
    s = sample(meal, users, grams=125)
    assert s.grams == 125


def test_the_minimum_weight_is_the_schools_setting(meal, users):
    CanteenSettings.objects.update(sample_min_grams=200)
    with pytest.raises(ValidationError) as e:
        sample(meal, users, grams=150)
    assert "at least 200 g" in message(e)


@pytest.mark.parametrize("c", ["-1", "8.5", "12"])
def test_a_refrigerator_outside_the_range_is_refused_naming_it(meal, users, c):
    with pytest.raises(ValidationError) as e:
        sample(meal, users, c=c)
    assert "between 0 and 8 °C" in message(e)
    assert not Sample.objects.exists()


def test_the_refrigerator_range_is_the_schools_setting(meal, users):
    CanteenSettings.objects.update(fridge_min_c=2)
    with pytest.raises(ValidationError) as e:
        sample(meal, users, c="1")
    assert "between 2 and 8 °C" in message(e)
    assert sample(meal, users, c="8").fridge_c == 8


def test_a_dish_not_on_the_menu_needs_the_extra_flag(meal, users):
    with pytest.raises(ValidationError) as e:
        sample(meal, users, dish="炸鸡腿")
    assert e.value.error_dict.keys() == {"dish"} and "not on the menu" in message(e)
    s = sample(meal, users, dish="炸鸡腿", extra=True)
    assert "(not on the menu)" in history_timeline(s)[0]["reason"]


def test_one_sample_per_dish(meal, users):
    first = sample(meal, users)
    with pytest.raises(ValidationError) as e:
        sample(meal, users, grams=200)
    assert "already taken" in message(e) and "周师傅" in message(e)
    assert Sample.objects.get() == first


def test_a_double_click_returns_the_first_sample(meal, users):
    token = uuid.uuid4()
    first = sample(meal, users, submit_token=token)
    again = sample(meal, users, submit_token=token)
    assert again.pk == first.pk and again.was_duplicate
    assert Sample.objects.count() == 1


def test_a_sample_is_taken_on_its_meals_day_and_not_in_the_future(meal, users):
    with pytest.raises(ValidationError) as e:
        sample(meal, users, taken_at=timezone.now() + datetime.timedelta(hours=2))
    assert "future" in message(e)
    with pytest.raises(ValidationError):
        sample(meal, users, taken_at=timezone.now() - datetime.timedelta(days=2))


def test_only_the_canteen_takes_samples(meal, users):
    for name in ("head", "principal", "safety", "auditor", "teacher"):
        with pytest.raises(PermissionDenied):
            services.take_sample(meal, "炒青菜", 150, "", 4, users[name])


# --- discard ----------------------------------------------------------------------------------------

@pytest.fixture
def old_meal(users, canteen_settings):
    day = timezone.localdate() - datetime.timedelta(days=3)
    menu(day, "红烧肉", "炒青菜")
    return services.meal_for(day, "lunch", users["canteen"])


def test_a_sample_cannot_be_discarded_before_its_hours_saying_when(meal, users):
    s = sample(meal, users)
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, users["canteen"], users["head"], s.version)
    due = timezone.localtime(s.taken_at + datetime.timedelta(hours=48))
    assert e.value.code == "too_early"
    assert f"may be discarded from {due:%Y-%m-%d %H:%M}" in message(e)
    s.refresh_from_db()
    assert s.discarded_at is None


def test_a_sample_kept_long_enough_is_discarded_with_a_reviewer(old_meal, users):
    s = sample(old_meal, users)
    done = services.discard_sample(s.pk, users["canteen"], users["head"], s.version)
    assert done.discarded_by == users["canteen"] and done.reviewed_by == users["head"] and done.discarded_at
    assert history_timeline(done)[-1]["reason"] == "sample discarded: 红烧肉, reviewed by 陈主任"


def test_the_reviewer_is_not_the_person_who_took_the_sample(old_meal, users):
    s = sample(old_meal, users)
    other_cook = make_user("cook2", "canteen", "钱师傅")
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, other_cook, users["canteen"], s.version)
    assert "周师傅 took the sample of 红烧肉" in message(e)
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, users["canteen"], users["canteen"], s.version)
    assert "other than yourself" in message(e)
    assert services.discard_sample(s.pk, other_cook, users["principal"], s.version).reviewed_by == users["principal"]


@pytest.mark.parametrize("name", ["teacher", "auditor", "worker"])
def test_the_reviewer_is_of_the_canteen_or_a_leader(old_meal, users, name):
    s = sample(old_meal, users)
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, users["canteen"], users[name], s.version)
    assert "cannot review" in message(e)


def test_an_inactive_reviewer_is_refused(old_meal, users):
    s = sample(old_meal, users)
    users["head"].is_active = False
    users["head"].save()
    with pytest.raises(ValidationError):
        services.discard_sample(s.pk, users["canteen"], users["head"], s.version)


def test_a_sample_is_discarded_once_and_a_stale_page_is_refused(old_meal, users):
    s = sample(old_meal, users)
    services.discard_sample(s.pk, users["canteen"], users["head"], s.version)
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, users["canteen"], users["head"], s.version)
    assert e.value.code == "stale"
    with pytest.raises(ValidationError) as e:
        services.discard_sample(s.pk, users["canteen"], users["head"], None)
    assert "already discarded" in message(e)


def test_readers_cannot_discard(old_meal, users):
    s = sample(old_meal, users)
    for name in ("head", "principal", "auditor"):
        with pytest.raises(PermissionDenied):
            services.discard_sample(s.pk, users[name], users["safety"], s.version)


def test_discard_due_discards_several_at_once_and_a_second_click_adds_nothing(old_meal, meal, users):
    a, b = sample(old_meal, users), sample(old_meal, users, dish="炒青菜")
    done = services.discard_due(users["canteen"], users["head"], [a.pk, b.pk])
    assert {s.pk for s in done} == {a.pk, b.pk}
    assert services.discard_due(users["canteen"], users["head"], [a.pk, b.pk]) == []
    assert Sample.objects.filter(discarded_at__isnull=False, reviewed_by=users["head"]).count() == 2


def test_discard_due_is_all_or_nothing(old_meal, meal, users):
    old, fresh = sample(old_meal, users), sample(meal, users)
    with pytest.raises(ValidationError) as e:
        services.discard_due(users["canteen"], users["head"], [old.pk, fresh.pk])
    assert "may be discarded from" in message(e)
    assert not Sample.objects.filter(discarded_at__isnull=False).exists()


def test_discard_due_needs_a_reviewer_and_samples(old_meal, users):
    s = sample(old_meal, users)
    with pytest.raises(ValidationError):
        services.discard_due(users["canteen"], None, [s.pk])
    with pytest.raises(ValidationError):
        services.discard_due(users["canteen"], users["head"], [])


# --- disinfection -----------------------------------------------------------------------------------

def test_the_canteen_logs_disinfection_in_a_cabinet(meal, users):
    d = services.record_disinfection(meal, Target.TABLEWARE, Method.CABINET, "120", None, 30, users["canteen"])
    assert (d.temperature_c, d.minutes, d.concentration_mg_l) == (Decimal("120"), 30, None)
    assert history_timeline(d)[0]["reason"] == ("disinfection logged: Tableware (bowls, plates, chopsticks), "
                                                 "Heat disinfection cabinet, 30 min")


@pytest.mark.parametrize("method", [Method.STEAM, Method.BOILING, Method.CABINET])
def test_heat_needs_a_temperature(meal, users, method):
    with pytest.raises(ValidationError) as e:
        services.record_disinfection(meal, Target.TABLEWARE, method, None, None, 30, users["canteen"])
    assert e.value.error_dict.keys() == {"temperature_c"}


def test_chemical_needs_a_concentration(meal, users):
    with pytest.raises(ValidationError) as e:
        services.record_disinfection(meal, Target.SURFACES, Method.CHEMICAL, None, None, 15, users["canteen"])
    assert e.value.error_dict.keys() == {"concentration_mg_l"} and "mg/L" in message(e)
    d = services.record_disinfection(meal, Target.SURFACES, Method.CHEMICAL, None, 250, 15, users["canteen"])
    assert d.concentration_mg_l == 250


@pytest.mark.parametrize("minutes", [0, -5, None])
def test_minutes_must_be_more_than_zero(meal, users, minutes):
    with pytest.raises(ValidationError) as e:
        services.record_disinfection(meal, Target.TABLEWARE, Method.UV, None, None, minutes, users["canteen"])
    assert "minutes" in e.value.error_dict
    assert not Disinfection.objects.exists()


def test_a_disinfection_sent_twice_is_logged_once(meal, users):
    token = uuid.uuid4()
    first = services.record_disinfection(meal, "tableware", "cabinet", 120, None, 30, users["canteen"],
                                         submit_token=token)
    again = services.record_disinfection(meal, "tableware", "cabinet", 120, None, 30, users["canteen"],
                                         submit_token=token)
    assert again.pk == first.pk and Disinfection.objects.count() == 1


def test_only_the_canteen_logs_disinfection(meal, users):
    with pytest.raises(PermissionDenied):
        services.record_disinfection(meal, "tableware", "cabinet", 120, None, 30, users["head"])


# --- accompanied meals ------------------------------------------------------------------------------

def test_a_leader_records_an_accompanied_meal(meal, users):
    a = services.record_accompanied(meal, "leader", person=users["principal"], rating=5, comments="饭菜可口",
                                    by=users["principal"])
    assert (a.person, a.rating, a.recorded_by) == (users["principal"], 5, users["principal"])
    assert history_timeline(a)[0]["reason"] == "accompanied meal recorded: 赵校长 (School leader), rating 5"
    with pytest.raises(ValidationError) as e:
        services.record_accompanied(meal, "leader", person=users["principal"], rating=4, by=users["canteen"])
    assert "already recorded" in message(e)


@pytest.mark.parametrize("name", ["canteen", "teacher", "safety"])
def test_the_leader_must_be_the_principal_or_the_head(meal, users, name):
    with pytest.raises(ValidationError) as e:
        services.record_accompanied(meal, "leader", person=users[name], rating=5, by=users["head"])
    assert "not a school leader" in message(e)


def test_a_leader_must_be_chosen_and_a_parent_named(meal, users):
    with pytest.raises(ValidationError) as e:
        services.record_accompanied(meal, "leader", rating=5, by=users["head"])
    assert e.value.error_dict.keys() == {"person"}
    with pytest.raises(ValidationError) as e:
        services.record_accompanied(meal, "parent", name="  ", rating=5, by=users["head"])
    assert e.value.error_dict.keys() == {"name"}
    a = services.record_accompanied(meal, "parent", name="李明轩家长", rating=4, by=users["canteen"])
    assert a.person is None and a.name == "李明轩家长"


@pytest.mark.parametrize("rating", [0, 6, None, "x"])
def test_the_rating_is_one_to_five(meal, users, rating):
    with pytest.raises(ValidationError) as e:
        services.record_accompanied(meal, "leader", person=users["head"], rating=rating, by=users["head"])
    assert e.value.error_dict.keys() == {"rating"}
    assert not AccompaniedMeal.objects.exists()


def test_readers_without_the_grant_cannot_record_accompanied_meals(meal, users):
    for name in ("safety", "auditor", "teacher"):
        with pytest.raises(PermissionDenied):
            services.record_accompanied(meal, "leader", person=users["head"], rating=5, by=users[name])


def test_an_accompanied_meal_sent_twice_is_recorded_once(meal, users):
    token = uuid.uuid4()
    first = services.record_accompanied(meal, "leader", person=users["head"], rating=5, by=users["head"],
                                        submit_token=token)
    again = services.record_accompanied(meal, "leader", person=users["head"], rating=5, by=users["head"],
                                        submit_token=token)
    assert first.pk == again.pk and AccompaniedMeal.objects.count() == 1
