"""The weekly menus' services: a week made once for any of its days, dishes checked (the week, the meals the
school serves, blanks, at most 12, twice in a meal), a change after a meal was served noted in the history,
copying a week, showing it to parents only when every school day has its dishes, a new link; who may."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from canteen.models import CanteenSettings, Meal, MealKind, MenuDish, MenuWeek, Sample
from canteen.selectors import menus as selectors
from canteen.services import menus as services
from logistics.history import history_timeline

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english")

LUNCH = MealKind.LUNCH


def monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def week_of_lunches(user, start=None, names=("番茄炒蛋", "清炒西兰花", "紫菜蛋花汤")):
    """A week with the same three dishes every school day (so repeats are everywhere; tests that mind pass
    their own)."""
    start = services.monday_of(start or monday())
    week = services.week_for(week_start=start, by=user)
    services.set_dishes(week_id=week.pk, by=user, dishes={
        (start + datetime.timedelta(days=n), LUNCH): [f"{name}{n}" for name in names] for n in range(5)})
    return MenuWeek.objects.get(pk=week.pk)


@pytest.fixture
def canteen(users, canteen_settings):
    return users["canteen"]


def test_week_for_moves_any_day_to_its_monday_and_makes_the_week_once(canteen):
    wednesday = monday() + datetime.timedelta(days=2)
    week = services.week_for(week_start=wednesday, by=canteen)
    assert week.week_start == monday()
    assert services.week_for(week_start=monday() + datetime.timedelta(days=6), by=canteen).pk == week.pk
    assert MenuWeek.objects.count() == 1
    assert selectors.week_of(wednesday) == week
    assert selectors.week_of(monday() - datetime.timedelta(days=1)) is None


@pytest.mark.parametrize("role", ["head", "principal", "safety", "auditor", "teacher"])
def test_only_the_canteen_makes_and_changes_menus(users, canteen_settings, role):
    with pytest.raises(PermissionDenied):
        services.week_for(week_start=monday(), by=users[role])
    week = services.week_for(week_start=monday(), by=users["canteen"])
    with pytest.raises(PermissionDenied):
        services.set_dishes(week_id=week.pk, by=users[role], dishes={(monday(), LUNCH): ["米饭"]})
    with pytest.raises(PermissionDenied):
        services.publish(week_id=week.pk, by=users[role])


def test_set_dishes_trims_drops_blanks_keeps_order_and_says_it_in_the_history(canteen):
    week = services.week_for(week_start=monday(), by=canteen)
    services.set_dishes(week_id=week.pk, by=canteen, expected_version=0,
                        dishes={(monday(), LUNCH): ["  红烧  鸡腿 ", "", "番茄炒蛋", "   "]})
    assert selectors.dishes_for(monday(), LUNCH) == ["红烧 鸡腿", "番茄炒蛋"]
    services.set_dishes(week_id=week.pk, by=canteen, expected_version=1,
                        dishes={(monday(), LUNCH): ["番茄炒蛋", "清炒西兰花"]})
    assert selectors.dishes_for(monday(), LUNCH) == ["番茄炒蛋", "清炒西兰花"]
    week.refresh_from_db()
    assert week.version == 2
    with translation.override("en"):
        reasons = [e["reason"] for e in history_timeline(week)]
    assert reasons[0] == "started the weekly menu"
    assert reasons[-1] == f"set Lunch on {monday():%Y-%m-%d}: 番茄炒蛋、清炒西兰花"
    with translation.override("zh-hans"):
        assert "番茄炒蛋" in history_timeline(week)[-1]["reason"]


def test_the_same_dishes_again_change_nothing(canteen):
    week = week_of_lunches(canteen)
    dishes = {(monday(), LUNCH): selectors.dishes_for(monday(), LUNCH)}
    assert services.set_dishes(week_id=week.pk, by=canteen, dishes=dishes) == []
    week.refresh_from_db()
    assert week.version == 1


def test_clearing_a_meal_removes_its_dishes(canteen):
    week = week_of_lunches(canteen)
    services.set_dishes(week_id=week.pk, by=canteen, dishes={(monday(), LUNCH): []})
    assert selectors.dishes_for(monday(), LUNCH) == []
    with translation.override("en"):
        assert history_timeline(MenuWeek.objects.get(pk=week.pk))[-1]["reason"] == \
            f"cleared Lunch on {monday():%Y-%m-%d}"


@pytest.mark.parametrize("dishes, message", [
    ({(monday() + datetime.timedelta(days=7), LUNCH): ["番茄炒蛋"]}, "is not in the week of"),
    ({(monday(), MealKind.BREAKFAST): ["豆浆"]}, "does not serve Breakfast"),
    ({(monday(), LUNCH): [f"菜{n}" for n in range(13)]}, "13 dishes: at most 12"),
    ({(monday(), LUNCH): ["番茄炒蛋", "番茄炒蛋 "]}, "番茄炒蛋 is listed twice"),
    ({(monday(), LUNCH): ["长" * 61]}, "at most 60 characters"),
])
def test_bad_dishes_are_refused_with_the_limit_and_nothing_is_saved(canteen, dishes, message):
    week = services.week_for(week_start=monday(), by=canteen)
    good = {(monday() + datetime.timedelta(days=1), LUNCH): ["红烧鸡腿"]}
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.set_dishes(week_id=week.pk, by=canteen, dishes={**good, **dishes})
    assert any(message in m for m in e.value.messages), e.value.messages
    assert not MenuDish.objects.exists()
    week.refresh_from_db()
    assert week.version == 0


def test_breakfast_is_accepted_when_the_school_serves_it(canteen):
    CanteenSettings.objects.update(serves_breakfast=True)
    week = services.week_for(week_start=monday(), by=canteen)
    services.set_dishes(week_id=week.pk, by=canteen, dishes={(monday(), MealKind.BREAKFAST): ["豆浆", "包子"]})
    assert selectors.dishes_for(monday(), MealKind.BREAKFAST) == ["豆浆", "包子"]


def test_a_stale_page_is_refused(canteen):
    week = week_of_lunches(canteen)
    with pytest.raises(ValidationError) as e:
        services.set_dishes(week_id=week.pk, by=canteen, expected_version=0, dishes={(monday(), LUNCH): ["汤"]})
    assert e.value.code == "stale"


def test_a_meal_changed_after_it_was_served_is_allowed_and_the_history_says_so(canteen):
    week = week_of_lunches(canteen)
    meal = Meal.objects.create(date=monday(), kind=LUNCH)
    Sample.objects.create(meal=meal, dish="番茄炒蛋0", grams=130, taken_by=canteen, taken_at=timezone.now(),
                          fridge_c=4)
    late = services.set_dishes(week_id=week.pk, by=canteen, dishes={
        (monday(), LUNCH): ["番茄炒蛋0", "蒜蓉生菜"], (monday() + datetime.timedelta(days=1), LUNCH): ["红烧肉"]})
    assert late == [(monday(), LUNCH)]
    with translation.override("en"):
        reason = history_timeline(MenuWeek.objects.get(pk=week.pk))[-1]["reason"]
    assert f"changed Lunch on {monday():%Y-%m-%d} after it was served (its samples were already taken)" in reason
    assert "set Lunch on" in reason  # the Tuesday, not yet served, reads as usual


def test_repeats_are_flagged_by_meal_and_staples_are_not(canteen):
    week = services.week_for(week_start=monday(), by=canteen)
    tue, thu = monday() + datetime.timedelta(days=1), monday() + datetime.timedelta(days=3)
    services.set_dishes(week_id=week.pk, by=canteen, dishes={
        (monday(), LUNCH): ["番茄炒蛋", "米饭"], (tue, LUNCH): ["红烧肉", "米饭"], (thu, LUNCH): ["番茄炒蛋", "米饭"]})
    repeats = selectors.repeats(week)
    assert [(r["name"], r["meal"], r["days"]) for r in repeats] == [("番茄炒蛋", LUNCH, [monday(), thu])]


def test_copy_week_starts_next_week_day_for_day(canteen):
    week = week_of_lunches(canteen)
    nxt = monday() + datetime.timedelta(days=7)
    copied = services.copy_week(from_week_id=week.pk, to_week_start=nxt + datetime.timedelta(days=3), by=canteen)
    assert copied.week_start == nxt
    assert selectors.dishes_for(nxt + datetime.timedelta(days=2), LUNCH) == selectors.dishes_for(
        monday() + datetime.timedelta(days=2), LUNCH)
    with translation.override("en"):
        assert history_timeline(copied)[-1]["reason"] == f"copied from the week of {monday():%Y-%m-%d}"


def test_copy_week_refuses_a_week_that_has_dishes_or_itself_or_an_empty_source(canteen):
    week = week_of_lunches(canteen)
    nxt = week_of_lunches(canteen, monday() + datetime.timedelta(days=7))
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already has dishes"):
            services.copy_week(from_week_id=week.pk, to_week_start=nxt.week_start, by=canteen)
        with pytest.raises(ValidationError, match="onto itself"):
            services.copy_week(from_week_id=week.pk, to_week_start=monday(), by=canteen)
        empty = services.week_for(week_start=monday() - datetime.timedelta(days=7), by=canteen)
        with pytest.raises(ValidationError, match="no dishes to copy"):
            services.copy_week(from_week_id=empty.pk, to_week_start=monday() + datetime.timedelta(days=14),
                               by=canteen)
    assert not MenuWeek.objects.filter(week_start=monday() + datetime.timedelta(days=14)).exists()


def test_publish_needs_every_school_day(canteen):
    week = services.week_for(week_start=monday(), by=canteen)
    services.set_dishes(week_id=week.pk, by=canteen, dishes={
        (monday() + datetime.timedelta(days=n), LUNCH): ["番茄炒蛋"] for n in range(4)})
    friday = monday() + datetime.timedelta(days=4)
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.publish(week_id=week.pk, by=canteen)
    assert f"add the dishes of {friday:%Y-%m-%d} Lunch first" in e.value.messages[0]
    # A meal recorded as not served (an outing) needs no dishes.
    Meal.objects.create(date=friday, kind=LUNCH, served=False)
    services.publish(week_id=week.pk, by=canteen)
    week.refresh_from_db()
    assert week.published
    with pytest.raises(ValidationError, match="already shown"):
        services.publish(week_id=week.pk, by=canteen)


def test_publish_refuses_a_week_without_school_days(canteen, school):
    week = week_of_lunches(canteen, school["term"].end + datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as e:
        services.publish(week_id=week.pk, by=canteen)
    assert e.value.code == "no_school"


def test_unpublish_and_a_new_link(canteen):
    week = week_of_lunches(canteen)
    services.publish(week_id=week.pk, by=canteen, expected_version=1)
    old_key = MenuWeek.objects.get(pk=week.pk).public_key
    services.regenerate_link(week_id=week.pk, by=canteen, expected_version=2)
    week.refresh_from_db()
    assert week.public_key != old_key
    assert selectors.public_week(old_key, timezone.localdate()) is None
    assert selectors.public_week(week.public_key, timezone.localdate()) is not None
    services.unpublish(week_id=week.pk, by=canteen, expected_version=3)
    assert selectors.public_week(week.public_key, timezone.localdate()) is None
    with pytest.raises(ValidationError, match="not shown"):
        services.unpublish(week_id=week.pk, by=canteen)
    with translation.override("en"):
        reasons = [e["reason"] for e in history_timeline(MenuWeek.objects.get(pk=week.pk))]
    assert reasons[-3:] == ["showed the menu to parents",
                            "made a new link for parents (the old one no longer works)",
                            "took the menu off the parents' page"]


def test_set_week_dishes_makes_nothing_when_refused(canteen):
    with pytest.raises(ValidationError):
        services.set_week_dishes(week_start=monday(), by=canteen, dishes={(monday(), LUNCH): ["a", "a"]})
    assert not MenuWeek.objects.exists()
