"""The pre-trip check's rules (every refusal with its message: an item not in order, an expired inspection,
insurance, licence or agreement, a second check the same day, a vehicle out of use, the wrong person, bad days),
keeping vehicles (history, stale page), the papers expiring and the ledger's figures."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from logistics.history import history_timeline
from safety.models import Driver, Route, TripCheck, Vehicle
from safety.selectors import vehicles as selectors
from safety.services import vehicles as services

pytestmark = pytest.mark.usefixtures("english")

D = datetime.timedelta
ALL_OK = {key: True for key, _label in selectors.ITEMS}


@pytest.fixture
def bus(school):
    today = timezone.localdate()
    return Vehicle.objects.create(plate="皖A·D5821", seats=19, inspection_expires=today + D(100),
                                  insurance_expires=today + D(100))


@pytest.fixture
def driver(school, users):
    today = timezone.localdate()
    return Driver.objects.create(name="周德明", licence_expires=today + D(500), school_agreement_until=today + D(200),
                                 parent_agreement_until=today + D(200), user=users["teacher2"])


def record(by, bus, driver, items=None, fit=True, **kw):
    return services.trip_check_record(by=by, vehicle_id=bus.pk, driver_id=driver.pk, items=items or ALL_OK,
                                      fit=fit, **kw)


def test_a_fit_check_is_recorded_with_history(users, bus, driver):
    check = record(users["safety"], bus, driver)
    assert check.fit and check.day == timezone.localdate() and check.checked_by == users["safety"]
    assert history_timeline(check)[0]["reason"] == "checked before the trip: fit, driver 周德明"


def test_the_driver_checks_on_their_own_account(users, bus, driver):
    check = record(users["teacher2"], bus, driver)
    assert check.checked_by == users["teacher2"]


@pytest.mark.parametrize("who", ["teacher", "head", "auditor", "canteen"])
def test_someone_else_cannot_record_a_check(users, bus, driver, who):
    with pytest.raises(PermissionDenied):
        record(users[who], bus, driver)
    assert not TripCheck.objects.exists()


def test_fit_is_refused_with_an_item_not_in_order(users, bus, driver):
    items = dict(ALL_OK, brakes=False, seat_belts=False)
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver, items=items)
    assert e.value.message_dict["fit"] == ["Not fit for the trip: not in order — Brakes, Seat belts."]
    check = record(users["safety"], bus, driver, items=items, fit=False, note="刹车偏软，送修")
    assert not check.fit
    assert history_timeline(check)[0]["reason"] == "checked before the trip: not fit (Brakes, Seat belts)"


def test_not_fit_needs_a_note(users, bus, driver):
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver, fit=False)
    assert "note" in e.value.message_dict


@pytest.mark.parametrize("model, field, message", [
    ("vehicle", "inspection_expires", "the annual inspection of 皖A·D5821 expired on"),
    ("vehicle", "insurance_expires", "the insurance of 皖A·D5821 expired on"),
    ("driver", "licence_expires", "the driving licence of 周德明 expired on"),
    ("driver", "school_agreement_until", "the agreement with the school of 周德明 expired on"),
    ("driver", "parent_agreement_until", "the agreement with the parents of 周德明 expired on"),
])
def test_fit_is_refused_when_anything_has_expired(users, bus, driver, model, field, message):
    yesterday = timezone.localdate() - D(1)
    obj = bus if model == "vehicle" else driver
    type(obj).objects.filter(pk=obj.pk).update(**{field: yesterday})
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver)
    assert e.value.error_dict["fit"][0].code == "expired"
    assert f"{message} {yesterday.isoformat()}" in e.value.message_dict["fit"][0]
    assert not TripCheck.objects.exists()
    # Recorded as not fit, it is kept.
    assert not record(users["safety"], bus, driver, fit=False, note="证件过期，停运").fit


def test_papers_valid_until_today_are_still_valid(users, bus, driver):
    today = timezone.localdate()
    Vehicle.objects.filter(pk=bus.pk).update(insurance_expires=today)
    assert record(users["safety"], bus, driver).fit


def test_a_missing_agreement_is_refused(users, bus, driver):
    Driver.objects.filter(pk=driver.pk).update(parent_agreement_until=None)
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver)
    assert "周德明 has no agreement with the parents on record" in e.value.message_dict["fit"][0]


def test_one_check_per_vehicle_per_day(users, bus, driver):
    first = record(users["safety"], bus, driver)
    again = record(users["safety"], bus, driver)  # the same page sent twice
    assert again.pk == first.pk and again.was_duplicate
    with pytest.raises(ValidationError) as e:
        record(users["teacher2"], bus, driver, items=dict(ALL_OK, tyres=False), fit=False, note="胎压低")
    assert e.value.code == "duplicate"
    assert "was already recorded by 吴老师" in e.value.messages[0]
    assert TripCheck.objects.count() == 1


def test_a_vehicle_out_of_use_or_a_driver_who_left_is_refused(users, bus, driver):
    Vehicle.objects.filter(pk=bus.pk).update(active=False)
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver)
    assert e.value.message_dict["vehicle"] == ["皖A·D5821 is out of use."]
    Vehicle.objects.filter(pk=bus.pk).update(active=True)
    Driver.objects.filter(pk=driver.pk).update(active=False)
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver)
    assert e.value.message_dict["driver"] == ["周德明 no longer drives for the school."]


def test_every_item_must_be_answered(users, bus, driver):
    items = dict(ALL_OK)
    del items["brakes"]
    items["lights"] = "yes"
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver, items=items)
    assert set(e.value.message_dict) == {"item_brakes", "item_lights"}


@pytest.mark.parametrize("days, message", [(1, "not before"), (-8, "too late")])
def test_bad_days_are_refused(users, bus, driver, days, message):
    with pytest.raises(ValidationError) as e:
        record(users["safety"], bus, driver, day=timezone.localdate() + D(days))
    assert message in e.value.message_dict["day"][0]


def test_a_check_a_few_days_late_is_recorded_for_its_day(users, bus, driver):
    day = timezone.localdate() - D(2)
    assert record(users["safety"], bus, driver, day=day).day == day


# --- keeping vehicles, drivers, routes ---------------------------------------------------------------

def test_keeping_a_vehicle_reads_in_the_history(users, school):
    today = timezone.localdate()
    data = {"plate": "皖A·F3306", "seats": 24, "inspection_expires": today + D(90), "insurance_expires": today + D(90),
            "active": True}
    v = services.keep(Vehicle, by=users["safety"], data=data)
    v = services.keep(Vehicle, by=users["safety"], data=dict(data, seats=22), pk=v.pk, expected_version=0)
    v = services.keep(Vehicle, by=users["safety"], data=dict(data, active=False), pk=v.pk, expected_version=1)
    assert [e["reason"] for e in history_timeline(v)] == [
        "added the vehicle", "changed the vehicle's details", "took the vehicle out of use"]
    with pytest.raises(ValidationError) as e:
        services.keep(Vehicle, by=users["safety"], data=data, pk=v.pk, expected_version=1)
    assert e.value.code == "stale"
    with pytest.raises(ValidationError) as e:
        services.keep(Vehicle, by=users["safety"], data=data)
    assert "plate" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        services.keep(Vehicle, by=users["head"], data=dict(data, plate="皖A·00001"))


def test_keeping_a_route(users, bus, driver):
    route = services.keep(Route, by=users["safety"], data={
        "name": "东线", "vehicle": bus, "driver": driver, "classes": "一(1)班", "pupils": 12, "active": True})
    assert history_timeline(route)[0]["reason"] == "added the route"


# --- reads ---------------------------------------------------------------------------------------------

def test_papers_expiring_within_the_warning_days_and_expired(users, bus, driver):
    today = timezone.localdate()
    Vehicle.objects.filter(pk=bus.pk).update(insurance_expires=today + D(10))
    Driver.objects.filter(pk=driver.pk).update(licence_expires=today - D(1))
    found = [(e.obj.pk, e.paper.key, e.paper.state) for e in selectors.papers_expiring(today)]
    assert found == [(driver.pk, "licence", "expired"), (bus.pk, "insurance", "expiring")]


def test_trip_checks_of_the_term(users, bus, driver, school):
    record(users["safety"], bus, driver, day=timezone.localdate() - D(1))
    record(users["safety"], bus, driver, items=dict(ALL_OK, tyres=False), fit=False, note="胎压低")
    figures = selectors.trip_checks(school["term"])
    assert (figures.checks, figures.fit, figures.not_fit) == (2, 1, 1)
