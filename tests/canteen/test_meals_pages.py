"""The meals area's pages: the meal (take a sample, disinfection, accompanied meal, not served), samples due for
discard, the logs; who may; bad input shown with what was typed and nothing saved; query counts that do not
grow with the logs."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from canteen.models import AccompaniedMeal, Disinfection, Meal, Sample
from canteen.services import meals as services

from .test_meals_services import at, menu

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english", "english_pages")


def meal_url(day=None, kind="lunch", action=""):
    day = day or timezone.localdate()
    if action:
        return reverse(f"canteen:meal_{action}", kwargs={"date": day, "kind": kind})
    return reverse("canteen:meal_detail", kwargs={"date": day, "kind": kind})


@pytest.fixture
def today_menu(canteen_settings):
    menu(timezone.localdate(), "红烧肉", "炒青菜")


def post_sample(client, dish="红烧肉", grams="150", c="4", **extra):
    data = {"dish": dish, "grams": grams, "fridge": "留样柜1", "fridge_c": c, "submit_token": str(uuid.uuid4()),
            **extra}
    return client.post(meal_url(action="sample_take"), data)


def test_the_meal_page_shows_each_dish_with_a_sample_form(login, users, today_menu):
    response = login(users["canteen"]).get(meal_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "红烧肉" in text and "炒青菜" in text
    assert text.count('name="grams"') == 3  # two dishes and the extra dish
    assert 'value="125"' in text  # the minimum, prefilled
    assert not Meal.objects.exists()  # reading the page writes nothing


def test_the_canteen_takes_a_sample_from_the_meal_page(login, users, today_menu):
    client = login(users["canteen"])
    response = post_sample(client)
    assert response.status_code == 302 and response["Location"].endswith("#samples")
    s = Sample.objects.get()
    assert (s.dish, s.grams, s.fridge_c) == ("红烧肉", 150, Decimal("4"))
    # the refrigerator and its temperature are remembered for the next sample
    text = client.get(meal_url()).content.decode()
    assert 'value="留样柜1"' in text and 'value="4.0"' in text


def test_a_light_sample_is_refused_with_what_was_typed_kept_and_nothing_saved(login, users, today_menu):
    response = post_sample(login(users["canteen"]), grams="100", c="3.5")
    assert response.status_code == 400
    text = response.content.decode()
    assert "at least 125 g" in text and 'value="100"' in text and 'value="3.5"' in text
    assert not Sample.objects.exists() and not Meal.objects.exists()


def test_a_warm_refrigerator_is_refused_on_the_page(login, users, today_menu):
    response = post_sample(login(users["canteen"]), c="10")
    assert response.status_code == 400 and "between 0 and 8 °C" in response.content.decode()


def test_an_extra_dish_needs_the_tick(login, users, today_menu):
    client = login(users["canteen"])
    response = post_sample(client, dish="炸鸡腿", extra_form="1")
    assert response.status_code == 400 and "not on this meal&#x27;s menu" in response.content.decode()
    response = post_sample(client, dish="炸鸡腿", extra_form="1", extra="on")
    assert response.status_code == 302 and Sample.objects.get().dish == "炸鸡腿"


def test_a_double_click_saves_one_sample(login, users, today_menu):
    client = login(users["canteen"])
    token = str(uuid.uuid4())
    post_sample(client, submit_token=token)
    response = post_sample(client, submit_token=token)
    assert response.status_code == 302 and Sample.objects.count() == 1


@pytest.mark.parametrize("name", ["head", "principal", "auditor", "safety"])
def test_readers_see_the_meal_but_cannot_take_samples(login, users, today_menu, name):
    client = login(users[name])
    text = client.get(meal_url()).content.decode()
    assert 'name="grams"' not in text
    assert post_sample(client).status_code == 403


def test_teachers_cannot_see_the_meal(login, users, today_menu):
    assert login(users["teacher"]).get(meal_url()).status_code == 403


def test_a_meal_the_canteen_does_not_serve_is_not_found(login, users, today_menu):
    assert login(users["canteen"]).get(meal_url(kind="dinner")).status_code == 404
    assert login(users["canteen"]).get(meal_url(kind="supper")).status_code == 404
    assert login(users["canteen"]).get("/canteen/meals/2026-02-30/lunch/").status_code == 404


def test_disinfection_from_the_meal_page(login, users, today_menu):
    client = login(users["canteen"])
    data = {"target": "tableware", "method": "chemical", "minutes": "15", "submit_token": str(uuid.uuid4())}
    response = client.post(meal_url(action="disinfection"), data)
    assert response.status_code == 400 and "concentration" in response.content.decode()
    assert not Disinfection.objects.exists()
    response = client.post(meal_url(action="disinfection"), {**data, "concentration_mg_l": "250"})
    assert response.status_code == 302 and Disinfection.objects.get().concentration_mg_l == 250


def test_a_past_day_needs_the_time(login, users, canteen_settings):
    day = timezone.localdate() - datetime.timedelta(days=1)
    menu(day, "红烧肉")
    client = login(users["canteen"])
    data = {"dish": "红烧肉", "grams": "150", "fridge_c": "4", "submit_token": str(uuid.uuid4())}
    assert client.post(meal_url(day, action="sample_take"), data).status_code == 400
    response = client.post(meal_url(day, action="sample_take"), {**data, "taken_time": "11:05"})
    assert response.status_code == 302
    assert Sample.objects.get().taken_at == at(day, 11, 5)


def test_the_head_records_an_accompanied_meal_from_the_meal_page(login, users, today_menu):
    client = login(users["head"])
    data = {"companion": "leader", "person": users["principal"].pk, "rating": "5", "comments": "好",
            "submit_token": str(uuid.uuid4())}
    response = client.post(meal_url(action="accompanied"), data)
    assert response.status_code == 302
    a = AccompaniedMeal.objects.get()
    assert (a.person, a.recorded_by) == (users["principal"], users["head"])


def test_a_parent_without_a_name_is_refused_on_the_page(login, users, today_menu):
    response = login(users["principal"]).post(meal_url(action="accompanied"), {
        "companion": "parent", "rating": "4", "comments": "孩子喜欢", "submit_token": str(uuid.uuid4())})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Write the name" in text and "孩子喜欢" in text
    assert not AccompaniedMeal.objects.exists()


def test_not_served_and_served_again_from_the_page(login, users, today_menu):
    client = login(users["canteen"])
    assert client.post(meal_url(action="not_served"), {"version": "0", "note": ""}).status_code == 400
    assert client.post(meal_url(action="not_served"), {"version": "0", "note": "春游"}).status_code == 302
    meal = Meal.objects.get()
    assert not meal.served
    text = client.get(meal_url()).content.decode()
    assert "春游" in text and 'name="grams"' not in text
    client.post(meal_url(action="served"), {"version": meal.version})
    meal.refresh_from_db()
    assert meal.served


def test_the_meal_page_shows_the_history_of_its_records(login, users, today_menu):
    client = login(users["canteen"])
    post_sample(client)
    text = client.get(meal_url()).content.decode()
    assert "meal opened" in text and "sample taken: 红烧肉, 150 g, refrigerator 4 °C" in text


# --- discard ----------------------------------------------------------------------------------------

def old_samples(users, n_days=1, dishes=("红烧肉", "炒青菜")):
    samples = []
    for back in range(3, 3 + n_days):
        day = timezone.localdate() - datetime.timedelta(days=back)
        menu(day, *dishes)
        meal = services.meal_for(day, "lunch", users["canteen"])
        for i, dish in enumerate(dishes):
            samples.append(services.take_sample(meal, dish, 150, "留样柜1", 4, users["canteen"],
                                                taken_at=at(day, 11, i)))
    return samples


def test_the_canteen_discards_the_due_samples_in_one_tap(login, users, canteen_settings):
    a, b = old_samples(users)
    client = login(users["canteen"])
    text = client.get(reverse("canteen:sample_discard_due")).content.decode()
    assert "红烧肉" in text and "炒青菜" in text
    response = client.post(reverse("canteen:sample_discard_due"), {"samples": [a.pk, b.pk],
                                                                   "reviewer": users["head"].pk})
    assert response.status_code == 302
    assert Sample.objects.filter(discarded_at__isnull=False, reviewed_by=users["head"]).count() == 2


def test_discarding_without_a_reviewer_keeps_the_ticks(login, users, canteen_settings):
    a, b = old_samples(users)
    response = login(users["canteen"]).post(reverse("canteen:sample_discard_due"), {"samples": [a.pk]})
    assert response.status_code == 400
    assert f'value="{a.pk}" checked' in response.content.decode()
    assert f'value="{b.pk}" checked' not in response.content.decode()
    assert not Sample.objects.filter(discarded_at__isnull=False).exists()


def test_readers_cannot_open_the_discard_page(login, users, canteen_settings):
    for name in ("head", "principal", "auditor"):
        assert login(users[name]).get(reverse("canteen:sample_discard_due")).status_code == 403


# --- logs -------------------------------------------------------------------------------------------

def test_the_sample_log_filters_by_dish_and_date(login, users, canteen_settings):
    old_samples(users, n_days=2)
    client = login(users["auditor"])
    text = client.get(reverse("canteen:sample_log") + "?q=青菜").content.decode()
    assert text.count("炒青菜") >= 2 and "红烧肉" not in text
    day = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = client.get(reverse("canteen:sample_log") + f"?first={day}&last={day}")
    assert response.context["page"].paginator.count == 2


def test_the_disinfection_log_and_the_accompanied_list(login, users, canteen_settings):
    day = timezone.localdate() - datetime.timedelta(days=1)
    meal = services.meal_for(day, "lunch", users["canteen"])
    services.record_disinfection(meal, "tableware", "cabinet", 120, None, 30, users["canteen"], done_at=at(day, 13))
    services.record_accompanied(meal, "leader", person=users["principal"], rating=5, comments="饭菜可口",
                                by=users["principal"])
    client = login(users["principal"])
    assert "Heat disinfection cabinet" in client.get(reverse("canteen:disinfection_log")).content.decode()
    text = client.get(reverse("canteen:accompanied_list")).content.decode()
    assert "饭菜可口" in text and "5/5" in text


def test_the_principal_adds_todays_accompanied_meal_from_the_list(login, users, canteen_settings):
    client = login(users["principal"])
    response = client.post(reverse("canteen:accompanied_list"), {
        "companion": "leader", "person": users["principal"].pk, "rating": "4", "comments": "",
        "submit_token": str(uuid.uuid4())})
    assert response.status_code == 302
    assert AccompaniedMeal.objects.get().meal.date == timezone.localdate()
    assert login(users["safety"]).post(reverse("canteen:accompanied_list"), {}).status_code == 403


# --- query counts -----------------------------------------------------------------------------------

def many_logs(users, days):
    """A lunch a day with two samples (discarded), a disinfection and an accompanied meal, in bulk."""
    today = timezone.localdate()
    meals = Meal.objects.bulk_create([Meal(date=today - datetime.timedelta(days=n), kind="lunch")
                                      for n in range(3, 3 + days)])
    canteen, head = users["canteen"], users["head"]
    samples, dis, acc = [], [], []
    for meal in meals:
        for i, dish in enumerate(["红烧肉", "炒青菜"]):
            samples.append(Sample(meal=meal, dish=dish, grams=150, taken_by=canteen, taken_at=at(meal.date, 11, i),
                                  fridge_c=4, discarded_at=at(meal.date, 13) + datetime.timedelta(days=2),
                                  discarded_by=canteen, reviewed_by=head))
        dis.append(Disinfection(meal=meal, minutes=30, temperature_c=120, done_by=canteen, done_at=at(meal.date, 13)))
        acc.append(AccompaniedMeal(meal=meal, person=users["principal"], rating=5, recorded_by=head,
                                   recorded_at=at(meal.date, 13), comments="好"))
    Sample.objects.bulk_create(samples)
    Disinfection.objects.bulk_create(dis)
    AccompaniedMeal.objects.bulk_create(acc)


PAGES = ["canteen:sample_log", "canteen:disinfection_log", "canteen:accompanied_list", "canteen:sample_discard_due"]


@pytest.mark.parametrize("days", [7, 5 * 365])
def test_list_pages_take_the_same_queries_for_a_week_and_five_years(login, users, canteen_settings,
                                                                    django_assert_max_num_queries, days):
    many_logs(users, days)
    client = login(users["canteen"])
    for name in PAGES:
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(meal_url(timezone.localdate() - datetime.timedelta(days=3))).status_code == 200


# --- print ------------------------------------------------------------------------------------------

def canteen_sample_log(users, school):
    """The printed sample log (留样记录表) of a week: tests/test_print_documents.py prints it."""
    a, b = old_samples(users)
    services.discard_due(users["canteen"], users["head"], [a.pk])
    day = a.meal.date
    return users["canteen"], reverse("canteen:sample_log_print") + f"?period=week&date={day.isoformat()}", [
        "留样记录表", "红烧肉", "炒青菜", "150", "周师傅", "陈主任", f"{day:%Y-%m-%d}"]


def test_the_sample_log_prints_a_day_a_week_or_a_month(login, users, canteen_settings):
    old_samples(users, n_days=2)
    client = login(users["safety"])
    day = timezone.localdate() - datetime.timedelta(days=3)
    for period in ("day", "week", "month"):
        response = client.get(reverse("canteen:sample_log_print") + f"?period={period}&date={day.isoformat()}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(users["teacher"]).get(reverse("canteen:sample_log_print")).status_code == 403
