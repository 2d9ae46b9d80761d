"""The menus' pages: the list (shortcuts, filter, query count with few and many weeks), a week typed in its
boxes (saved, bad input kept with the message, a stale page, readers without boxes), copy, publish, the
printed menu, and the parents' page (no login, 404 unless shown, no staff names, its headers, the ticks)."""
import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen.models import CanteenStaff, Meal, MealKind, MenuDish, MenuWeek, MorningCheck, Sample
from canteen.selectors import menus as selectors
from canteen.services import menus as services

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english", "english_pages")

LUNCH = MealKind.LUNCH


def monday(offset_weeks=0):
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=offset_weeks)


def week_url(day, name="canteen:menu_week"):
    return reverse(name, args=[f"{day:%Y-%m-%d}"])


def full_week(user, start, publish=False):
    week = services.week_for(week_start=start, by=user)
    services.set_dishes(week_id=week.pk, by=user, dishes={
        (start + datetime.timedelta(days=n), LUNCH): [f"菜{n}a", f"菜{n}b", "紫菜蛋花汤" if n < 2 else f"汤{n}"]
        for n in range(5)})
    if publish:
        services.publish(week_id=week.pk, by=user)
    return MenuWeek.objects.get(pk=week.pk)


def canteen_menu(users, school):
    """The printed weekly menu (tests/test_print_documents.py)."""
    from canteen.models import CanteenSettings

    CanteenSettings.get()
    user = users["canteen"]
    start = monday()
    week = services.week_for(week_start=start, by=user)
    services.set_dishes(week_id=week.pk, by=user, dishes={
        (start + datetime.timedelta(days=n), LUNCH): ["番茄炒蛋", f"红烧鸡腿{n}", "紫菜蛋花汤"] for n in range(5)})
    return user, week_url(start, "canteen:menu_print"), [
        "番茄炒蛋", "紫菜蛋花汤", "红烧鸡腿4", "周一", "周五"]


@pytest.fixture
def canteen(users, canteen_settings):
    return users["canteen"]


def years_of_weeks(n):
    """n weeks before this one, published, each with five lunches and their samples (bulk: five years of logs
    in a moment); the term stretched back to hold them."""
    from logistics.models import Term

    Term.objects.update(start=monday(-n))
    weeks = MenuWeek.objects.bulk_create([MenuWeek(week_start=monday(-k), published=True) for k in range(1, n + 1)])
    days = [(w, w.week_start + datetime.timedelta(days=d)) for w in weeks for d in range(5)]
    MenuDish.objects.bulk_create([MenuDish(week=w, day=day, meal=LUNCH, name=f"菜{i}", position=i)
                                  for w, day in days for i in range(5)])
    meals = Meal.objects.bulk_create([Meal(date=day, kind=LUNCH) for _w, day in days])
    user = MenuWeek.history.model._meta.get_field("history_user").related_model.objects.get(username="canteen")
    Sample.objects.bulk_create([Sample(meal=m, dish=f"菜{i}", grams=130, taken_by=user, taken_at=timezone.now(),
                                       fridge_c=4) for m in meals for i in range(5)])


# --- the list --------------------------------------------------------------------------------

def test_list_shows_weeks_newest_first_with_shortcuts(canteen, login):
    full_week(canteen, monday(-1), publish=True)
    full_week(canteen, monday())
    response = login(canteen).get(reverse("canteen:menu_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f"{monday():%Y-%m-%d}") < html.index(f"{monday(-1):%Y-%m-%d}")
    assert week_url(monday()) in html and week_url(monday(1)) in html
    only = login(canteen).get(reverse("canteen:menu_list") + "?status=published")
    assert len(only.context["page"].object_list) == 1


def test_list_go_to_a_date_opens_its_week(canteen, login):
    day = monday(3) + datetime.timedelta(days=2)
    response = login(canteen).get(reverse("canteen:menu_list") + f"?day={day:%Y-%m-%d}")
    assert response.status_code == 302 and response.url == week_url(monday(3))


@pytest.mark.parametrize("role, status", [("head", 200), ("principal", 200), ("safety", 200), ("auditor", 200),
                                          ("teacher", 403), ("worker", 403)])
def test_who_reads_the_menus(users, canteen_settings, login, role, status):
    assert login(users[role]).get(reverse("canteen:menu_list")).status_code == status
    assert login(users[role]).get(week_url(monday())).status_code == status


@pytest.mark.parametrize("weeks", [0, 260])
def test_list_and_week_queries_do_not_grow_with_weeks(canteen, login, django_assert_max_num_queries, weeks):
    years_of_weeks(weeks)
    full_week(canteen, monday(), publish=True)
    client = login(canteen)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("canteen:menu_list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(week_url(monday())).status_code == 200


# --- a week -----------------------------------------------------------------------------------

def test_a_week_page_of_any_day_redirects_to_its_monday(canteen, login):
    response = login(canteen).get(week_url(monday() + datetime.timedelta(days=3)))
    assert response.status_code == 302 and response.url == week_url(monday())
    assert login(canteen).get("/canteen/menus/2026-13-45/").status_code == 404


def test_opening_a_week_makes_nothing(canteen, login):
    response = login(canteen).get(week_url(monday(2)))
    assert response.status_code == 200
    assert not MenuWeek.objects.exists()


def test_typing_a_week_saves_it(canteen, login):
    tue = monday(1) + datetime.timedelta(days=1)
    data = {"version": 0, f"{monday(1):%Y-%m-%d}_lunch": "番茄炒蛋\n 清炒西兰花 \n\n紫菜蛋花汤",
            f"{tue:%Y-%m-%d}_lunch": "红烧鸡腿、蒜蓉生菜、番茄炒蛋"}
    response = login(canteen).post(week_url(monday(1)), data)
    assert response.status_code == 302
    assert selectors.dishes_for(monday(1), LUNCH) == ["番茄炒蛋", "清炒西兰花", "紫菜蛋花汤"]
    assert selectors.dishes_for(tue, LUNCH) == ["红烧鸡腿", "蒜蓉生菜", "番茄炒蛋"]
    page = login(canteen).get(week_url(monday(1)))
    html = page.content.decode()
    assert 'data-testid="repeats"' in html and "番茄炒蛋" in html
    assert "清炒西兰花" in page.context["form"][f"{monday(1):%Y-%m-%d}_lunch"].value()


def test_bad_input_is_kept_with_the_message_and_nothing_saved(canteen, login):
    key = f"{monday(1):%Y-%m-%d}_lunch"
    typed = "\n".join(["番茄炒蛋", "番茄炒蛋", "红烧肉"])
    other = f"{monday(1) + datetime.timedelta(days=1):%Y-%m-%d}_lunch"
    response = login(canteen).post(week_url(monday(1)), {"version": 0, key: typed, other: "清炒西兰花"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[key] and "番茄炒蛋" in form.errors[key][0]
    assert form[key].value() == typed and form[other].value() == "清炒西兰花"
    assert not MenuWeek.objects.exists() and not MenuDish.objects.exists()


def test_more_than_twelve_dishes_are_refused_on_the_box(canteen, login):
    key = f"{monday(1):%Y-%m-%d}_lunch"
    response = login(canteen).post(week_url(monday(1)), {"version": 0, key: "\n".join(f"菜{n}" for n in range(13))})
    assert response.status_code == 200 and response.context["form"].errors[key]
    assert not MenuDish.objects.exists()


def test_a_stale_page_keeps_what_was_typed(canteen, login):
    full_week(canteen, monday(1))
    key = f"{monday(1):%Y-%m-%d}_lunch"
    response = login(canteen).post(week_url(monday(1)), {"version": 0, key: "新菜"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert selectors.dishes_for(monday(1), LUNCH) == ["菜0a", "菜0b", "紫菜蛋花汤"]


def test_a_change_after_service_is_said_on_saving(canteen, login):
    week = full_week(canteen, monday())
    meal = Meal.objects.create(date=monday(), kind=LUNCH)
    Sample.objects.create(meal=meal, dish="菜0a", grams=130, taken_by=canteen, taken_at=timezone.now(), fridge_c=4)
    key = f"{monday():%Y-%m-%d}_lunch"
    response = login(canteen).post(week_url(monday()), {"version": week.version, key: "菜0a\n菜0c"}, follow=True)
    assert "history" in " ".join(str(m) for m in response.context["messages"]) or \
        "历史" in " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("role", ["head", "principal", "auditor"])
def test_readers_see_the_grid_without_boxes_and_cannot_post(users, canteen, login, role):
    full_week(canteen, monday())
    client = login(users[role])
    response = client.get(week_url(monday()))
    assert response.context["form"] is None and "菜0a" in response.content.decode()
    assert client.post(week_url(monday()), {"version": 1}).status_code == 403
    assert client.post(week_url(monday(), "canteen:menu_publish"), {"version": 1}).status_code == 403


def test_copy_from_the_week_before(canteen, login):
    full_week(canteen, monday())
    response = login(canteen).post(week_url(monday(1), "canteen:menu_copy"))
    assert response.status_code == 302
    assert selectors.dishes_for(monday(1), LUNCH) == ["菜0a", "菜0b", "紫菜蛋花汤"]
    again = login(canteen).post(week_url(monday(1), "canteen:menu_copy"), follow=True)
    assert any(m.level_tag == "error" for m in again.context["messages"])


def test_publish_from_the_page_and_its_refusal(canteen, login):
    week = services.week_for(week_start=monday(), by=canteen)
    services.set_dishes(week_id=week.pk, by=canteen, dishes={(monday(), LUNCH): ["番茄炒蛋"]})
    client = login(canteen)
    refused = client.post(week_url(monday(), "canteen:menu_publish"), {"version": 1}, follow=True)
    assert any(m.level_tag == "error" for m in refused.context["messages"])
    assert not MenuWeek.objects.get(pk=week.pk).published
    full = full_week(canteen, monday(1))
    client.post(week_url(monday(1), "canteen:menu_publish"), {"version": full.version})
    assert MenuWeek.objects.get(pk=full.pk).published
    page = client.get(week_url(monday(1)))
    assert str(full.public_key) in page.content.decode()
    stale = client.post(week_url(monday(1), "canteen:menu_new_link"), {"version": full.version}, follow=True)
    assert any(m.level_tag == "error" for m in stale.context["messages"])
    assert MenuWeek.objects.get(pk=full.pk).public_key == full.public_key


# --- printed and public --------------------------------------------------------------------------

def test_print_needs_the_week(canteen, login):
    assert login(canteen).get(week_url(monday(5), "canteen:menu_print")).status_code == 404


def test_public_page_is_404_unless_shown(canteen, client):
    week = full_week(canteen, monday())
    url = reverse("canteen:menu_public", args=[week.public_key])
    assert client.get(url).status_code == 404
    assert client.get(reverse("canteen:menu_public", args=[uuid.uuid4()])).status_code == 404
    services.publish(week_id=week.pk, by=canteen)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "max-age=60" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_public_page_shows_the_days_ticks_and_no_names(canteen, kitchen, client, django_assert_max_num_queries):
    week = full_week(canteen, monday(), publish=True)
    today = timezone.localdate()
    # Monday: every dish sampled, everyone checked; Tuesday: one dish missing, one person not checked.
    tue = monday() + datetime.timedelta(days=1)
    for day, dishes in ((monday(), ["菜0a", "菜0b", "紫菜蛋花汤"]), (tue, ["菜1a", "菜1b"])):
        meal = Meal.objects.create(date=day, kind=LUNCH)
        for dish in dishes:
            Sample.objects.create(meal=meal, dish=dish, grams=130, taken_by=canteen, taken_at=timezone.now(),
                                  fridge_c=4)
    staff = list(CanteenStaff.objects.all())
    for person in staff:
        MorningCheck.objects.create(staff=person, date=monday(), fit=True, checked_by=canteen,
                                    checked_at=timezone.now())
    MorningCheck.objects.create(staff=staff[0], date=tue, fit=True, checked_by=canteen, checked_at=timezone.now())
    data = selectors.public_week(week.public_key, today)
    states = {d["day"]: (d["samples"], d["checks"]) for d in data["days"]}
    if today >= tue:
        assert states[monday()] == ("done", "done")
        assert states[tue] == ("incomplete", "incomplete") if today > tue else ("pending", "pending")
    else:
        assert states[tue] == ("future", "future")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("canteen:menu_public", args=[week.public_key]))
    html = response.content.decode()
    assert "菜0a" in html
    for name in ("李师傅", "王阿姨", "赵师傅", "周师傅"):
        assert name not in html


def test_public_page_of_an_old_week_links_to_this_weeks(canteen, client):
    old = full_week(canteen, monday(-1), publish=True)
    response = client.get(reverse("canteen:menu_public", args=[old.public_key]))
    assert 'data-testid="this-week"' not in response.content.decode()
    current = full_week(canteen, monday(), publish=True)
    response = client.get(reverse("canteen:menu_public", args=[old.public_key]))
    assert reverse("canteen:menu_public", args=[current.public_key]) in response.content.decode()


@pytest.mark.parametrize("weeks", [0, 260])
def test_public_page_queries_do_not_grow(canteen, kitchen, client, django_assert_max_num_queries, weeks):
    years_of_weeks(weeks)
    week = full_week(canteen, monday(), publish=True)
    for n in range(5):
        meal = Meal.objects.create(date=monday() + datetime.timedelta(days=n), kind=LUNCH)
        Sample.objects.create(meal=meal, dish=f"菜{n}a", grams=130, taken_by=canteen, taken_at=timezone.now(),
                              fridge_c=4)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("canteen:menu_public", args=[week.public_key])).status_code == 200


def test_term_figures(canteen, school):
    term = school["term"]
    full_week(canteen, monday(), publish=True)
    full_week(canteen, monday(-1))
    figures = {f.key: f for f in selectors.term_figures(term)}
    assert set(figures) == {"menus.published_percent", "menus.distinct_dishes"}
    assert all(f.chapter == "canteen" and not f.money for f in figures.values())
    last = min(term.end, timezone.localdate())
    first = term.start - datetime.timedelta(days=term.start.weekday())
    mondays = [first + datetime.timedelta(weeks=n) for n in range(60)]
    weeks = len([m for m in mondays if m <= last
                 and any(term.start <= m + datetime.timedelta(days=k) <= term.end for k in range(5))])
    assert figures["menus.published_percent"].value == round(100 / weeks)
    distinct = MenuDish.objects.filter(day__lte=timezone.localdate()).values("name").distinct().count()
    assert figures["menus.distinct_dishes"].value == distinct
