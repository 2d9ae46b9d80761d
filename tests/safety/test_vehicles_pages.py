"""The school vehicles' pages: the list (every paper with its warning, tabs, the same number of queries for a few
and many records), keeping a vehicle (bad input kept, stale page), the pre-trip check on a phone (fit, refused with
the reason shown and what was typed kept, a driver on their own account, others refused), the checks' list and the
home sections."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.home import vehicles as vehicles_home
from safety.models import Driver, Route, TripCheck, Vehicle
from safety.selectors.vehicles import ITEMS

pytestmark = pytest.mark.usefixtures("english_pages")

D = datetime.timedelta
TODAY = timezone.localdate


def make_vehicle(plate, insurance=100, inspection=100, active=True):
    today = TODAY()
    return Vehicle.objects.create(plate=plate, seats=19, inspection_expires=today + D(inspection),
                                  insurance_expires=today + D(insurance), active=active)


def make_driver(name, licence=500, user=None):
    today = TODAY()
    return Driver.objects.create(name=name, licence_expires=today + D(licence), school_agreement_until=today + D(200),
                                 parent_agreement_until=today + D(200), user=user)


@pytest.fixture
def fleet(school, users):
    bus = make_vehicle("皖A·D5821", insurance=13)
    other = make_vehicle("皖A·F3306")
    zhou = make_driver("周德明", user=users["teacher2"])
    qian = make_driver("钱立平", licence=-2)
    Route.objects.create(name="东线", vehicle=bus, driver=zhou, classes="一(1)班、二(1)班", pupils=17)
    Route.objects.create(name="西线", vehicle=other, driver=qian, classes="四(1)班", pupils=21)
    return {"bus": bus, "other": other, "zhou": zhou, "qian": qian}


def check_data(fleet, fit="yes", **changes):
    data = {"vehicle": fleet["bus"].pk, "driver": fleet["zhou"].pk, "fit": fit, "note": ""}
    data.update({f"item_{key}": "ok" for key, _label in ITEMS})
    data.update(changes)
    return data


# --- the list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["safety", "principal", "head", "auditor"])
def test_readers_see_every_paper_with_its_warning(login, users, fleet, who):
    page = login(users[who]).get(reverse("safety:vehicle_list")).content.decode()
    assert "皖A·D5821" in page and 'data-state="expiring"' in page and "(13 days left)" in page
    drivers = login(users[who]).get(reverse("safety:vehicle_list"), {"tab": "drivers"}).content.decode()
    assert 'data-state="expired"' in drivers and "钱立平" in drivers
    routes = login(users[who]).get(reverse("safety:vehicle_list"), {"tab": "routes"}).content.decode()
    assert "一(1)班、二(1)班" in routes and "17 pupils" in routes


def test_teachers_do_not_read_the_vehicles(login, users, fleet):
    assert login(users["teacher"]).get(reverse("safety:vehicle_list")).status_code == 403


def test_the_list_is_filtered(login, users, fleet):
    make_vehicle("皖A·99999", active=False)
    client = login(users["safety"])
    page = client.get(reverse("safety:vehicle_list"), {"q": "F33"}).content.decode()
    assert "皖A·F3306" in page and "皖A·D5821" not in page
    stopped = client.get(reverse("safety:vehicle_list"), {"show": "stopped"}).content.decode()
    assert "皖A·99999" in stopped and "皖A·F3306" not in stopped


@pytest.mark.parametrize("tab", ["vehicles", "drivers", "routes"])
@pytest.mark.parametrize("count", [3, 30])
def test_the_lists_read_in_the_same_number_of_queries(login, users, school, django_assert_max_num_queries, tab, count):
    for n in range(count):
        v = make_vehicle(f"皖A·{n:05d}")
        d = make_driver(f"司机{n}")
        Route.objects.create(name=f"线路{n}", vehicle=v, driver=d, classes="一(1)班", pupils=10,
                             escort=users["teacher"])
    client = login(users["safety"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("safety:vehicle_list"), {"tab": tab})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_checks_list_reads_in_the_same_number_of_queries(login, users, fleet, django_assert_max_num_queries,
                                                              count):
    for n in range(count):
        TripCheck.objects.create(vehicle=fleet["bus"], driver=fleet["zhou"], day=TODAY() - D(n), fit=n % 5 != 0,
                                 items={}, checked_by=users["safety"])
    client = login(users["safety"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("safety:trip_check_list"))
    assert response.status_code == 200
    not_fit = client.get(reverse("safety:trip_check_list"), {"fit": "no"}).content.decode()
    assert not_fit.count('data-testid="check"') == len([n for n in range(count) if n % 5 == 0])


# --- keeping -------------------------------------------------------------------------------------------

def test_a_vehicle_is_added_and_changed_on_its_pages(login, users, school):
    client = login(users["safety"])
    data = {"plate": "皖a·k 1234", "seats": 19, "inspection_expires": (TODAY() + D(90)).isoformat(),
            "insurance_expires": (TODAY() + D(90)).isoformat(), "active": "on", "version": ""}
    response = client.post(reverse("safety:vehicle_add"), data)
    vehicle = Vehicle.objects.get()
    assert response.status_code == 302 and vehicle.plate == "皖A·K 1234"
    response = client.post(reverse("safety:vehicle_edit", args=[vehicle.pk]), dict(data, seats=22, version=0))
    page = client.get(reverse("safety:vehicle_detail", args=[vehicle.pk])).content.decode()
    assert "changed the vehicle&#x27;s details" in page or "changed the vehicle's details" in page
    # A stale page changes nothing.
    response = client.post(reverse("safety:vehicle_edit", args=[vehicle.pk]), dict(data, seats=30, version=0),
                           follow=True)
    assert "changed" in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.seats == 22


def test_bad_input_is_kept_and_nothing_saved(login, users, school):
    response = login(users["safety"]).post(reverse("safety:vehicle_add"), {
        "plate": "皖A·K1234", "seats": 200, "inspection_expires": "not a date", "insurance_expires": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "Between 1 and 80 seats." in page and "皖A·K1234" in page
    assert not Vehicle.objects.exists()


def test_a_route_with_more_pupils_than_seats_is_refused(login, users, fleet):
    response = login(users["safety"]).post(reverse("safety:route_add"), {
        "name": "南线", "vehicle": fleet["bus"].pk, "driver": fleet["zhou"].pk, "classes": "三(1)班", "pupils": 40,
        "active": "on"})
    assert response.status_code == 400 and "more pupils than seats" in response.content.decode()


def test_readers_cannot_keep_vehicles(login, users, fleet):
    assert login(users["principal"]).get(reverse("safety:vehicle_add")).status_code == 403
    assert login(users["auditor"]).get(reverse("safety:vehicle_edit", args=[fleet["bus"].pk])).status_code == 403


# --- the pre-trip check ---------------------------------------------------------------------------------

def test_a_fit_check_on_the_phone_page(login, users, fleet):
    client = login(users["safety"])
    response = client.post(reverse("safety:trip_check"), check_data(fleet))
    check = TripCheck.objects.get()
    assert response.status_code == 302 and check.fit and check.items["brakes"] is True
    page = client.get(reverse("safety:trip_check_detail", args=[check.pk])).content.decode()
    assert "Fit for the trip" in page and "checked before the trip: fit, driver 周德明" in page


def test_fit_with_an_item_not_in_order_is_refused_and_the_page_kept(login, users, fleet):
    response = login(users["safety"]).post(reverse("safety:trip_check"), check_data(fleet, item_tyres="not_ok"))
    page = response.content.decode()
    assert response.status_code == 400 and "Not fit for the trip: not in order — Tyres." in page
    assert 'value="not_ok" required id="id_item_tyres_1" checked' in page or "checked" in page
    assert not TripCheck.objects.exists()


def test_fit_with_an_expired_licence_is_refused_naming_it(login, users, fleet):
    response = login(users["safety"]).post(reverse("safety:trip_check"),
                                           check_data(fleet, vehicle=fleet["other"].pk, driver=fleet["qian"].pk))
    assert response.status_code == 400
    assert "the driving licence of 钱立平 expired on" in response.content.decode()
    assert not TripCheck.objects.exists()


def test_a_second_check_the_same_day_is_refused(login, users, fleet):
    client = login(users["safety"])
    client.post(reverse("safety:trip_check"), check_data(fleet))
    response = client.post(reverse("safety:trip_check"), check_data(fleet, fit="no", note="复查", item_lights="not_ok"))
    assert response.status_code == 400 and "was already recorded by" in response.content.decode()
    assert TripCheck.objects.count() == 1


def test_an_inactive_vehicle_is_refused(login, users, fleet):
    Vehicle.objects.filter(pk=fleet["bus"].pk).update(active=False)
    response = login(users["safety"]).post(reverse("safety:trip_check"), check_data(fleet))
    assert response.status_code == 400 and "is out of use" in response.content.decode()


def test_a_driver_checks_on_their_own_account_only_as_themselves(login, users, fleet):
    client = login(users["teacher2"])
    page = client.get(reverse("safety:trip_check")).content.decode()
    assert "周德明" in page and "钱立平" not in page
    assert client.post(reverse("safety:trip_check"), check_data(fleet)).status_code == 302
    other = check_data(fleet, vehicle=fleet["other"].pk, driver=fleet["qian"].pk)
    assert client.post(reverse("safety:trip_check"), other).status_code == 403


def test_others_cannot_open_the_check(login, users, fleet):
    assert login(users["teacher"]).get(reverse("safety:trip_check")).status_code == 403
    assert login(users["principal"]).get(reverse("safety:trip_check")).status_code == 403


# --- home --------------------------------------------------------------------------------------------------

def test_the_safety_officer_sees_papers_expiring_and_vehicles_unchecked(users, fleet, monkeypatch):
    monkeypatch.setattr("safety.selectors.vehicles.is_school_day", lambda day: True)
    sections = {s.key: s for s in vehicles_home.sections(users["safety"], timezone.now())}
    titles = [r.title for r in sections["safety_vehicle_papers"].rows]
    assert titles == ["钱立平 · driving licence", "皖A·D5821 · insurance"]
    assert [r.title for r in sections["safety_trip_checks"].rows] == ["皖A·D5821", "皖A·F3306"]
    TripCheck.objects.create(vehicle=fleet["bus"], driver=fleet["zhou"], day=TODAY(), fit=True, items={},
                             checked_by=users["safety"])
    sections = {s.key: s for s in vehicles_home.sections(users["safety"], timezone.now())}
    assert [r.title for r in sections["safety_trip_checks"].rows] == ["皖A·F3306"]


def test_no_checks_asked_for_on_a_day_off(users, fleet, monkeypatch):
    monkeypatch.setattr("safety.selectors.vehicles.is_school_day", lambda day: False)
    keys = {s.key for s in vehicles_home.sections(users["safety"], timezone.now())}
    assert "safety_trip_checks" not in keys and "safety_vehicle_papers" in keys


def test_a_driver_sees_their_check_to_do_and_others_see_nothing(users, fleet, monkeypatch):
    monkeypatch.setattr("safety.selectors.vehicles.is_school_day", lambda day: True)
    sections = {s.key: s for s in vehicles_home.sections(users["teacher2"], timezone.now())}
    assert [r.title for r in sections["safety_my_trip_checks"].rows] == ["皖A·D5821"]
    assert vehicles_home.sections(users["teacher"], timezone.now()) == []


# --- the records' pages -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["safety", "auditor"])
def test_each_records_page_shows_its_papers_and_history(login, users, fleet, who):
    from safety.services import vehicles as services

    services.keep(Vehicle, by=users["safety"], data={"seats": 20}, pk=fleet["bus"].pk, expected_version=0)
    client = login(users[who])
    page = client.get(reverse("safety:vehicle_detail", args=[fleet["bus"].pk])).content.decode()
    assert "(13 days left)" in page and "changed the vehicle" in page and "东线" in page
    page = client.get(reverse("safety:driver_detail", args=[fleet["qian"].pk])).content.decode()
    assert 'data-state="expired"' in page
    route = Route.objects.get(name="东线")
    assert "一(1)班、二(1)班" in client.get(reverse("safety:route_detail", args=[route.pk])).content.decode()


def test_a_check_is_read_by_its_driver_and_the_readers_only(login, users, fleet):
    check = TripCheck.objects.create(vehicle=fleet["bus"], driver=fleet["zhou"], day=TODAY(), fit=True,
                                     items={key: True for key, _label in ITEMS}, checked_by=users["safety"])
    url = reverse("safety:trip_check_detail", args=[check.pk])
    assert login(users["teacher2"]).get(url).status_code == 200
    assert login(users["principal"]).get(url).status_code == 200
    assert login(users["teacher"]).get(url).status_code == 403


def test_the_check_page_offers_the_routes_driver_for_the_vehicle(login, users, fleet):
    page = login(users["safety"]).get(reverse("safety:trip_check"), {"vehicle": fleet["bus"].pk}).content.decode()
    assert f'<option value="{fleet["zhou"].pk}" selected>' in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_home_sections_read_in_the_same_number_of_queries(users, school, django_assert_max_num_queries,
                                                              monkeypatch, count):
    monkeypatch.setattr("safety.selectors.vehicles.is_school_day", lambda day: True)
    for n in range(count):
        v = make_vehicle(f"皖A·{n:05d}", insurance=n % 40 - 5)
        d = make_driver(f"司机{n}", licence=n % 40 - 5)
        Route.objects.create(name=f"线路{n}", vehicle=v, driver=d, classes="一(1)班", pupils=10)
    with django_assert_max_num_queries(8):
        sections = vehicles_home.sections(users["safety"], timezone.now())
    assert {s.key for s in sections} == {"safety_vehicle_papers", "safety_trip_checks"}


def test_the_admin_reads_and_keeps_vehicles(client, users, fleet):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    for name, obj in (("vehicle", fleet["bus"]), ("driver", fleet["zhou"]), ("route", Route.objects.first())):
        assert client.get(reverse(f"admin:safety_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:safety_{name}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse("admin:safety_tripcheck_changelist")).status_code == 200
