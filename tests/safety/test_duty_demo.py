"""The demo's roster and vehicles: built once through the services, with the one empty shift ahead, handovers on
past shifts, an insurance expiring in about two weeks and one check not fit."""
import datetime

import pytest
from django.utils import timezone

from safety.demo.duty import AREA as DUTY
from safety.demo.vehicles import AREA as VEHICLES
from safety.models import DutyShift, HandoverEntry, Route, TripCheck, Vehicle
from safety.selectors import duty as duty_selectors
from safety.selectors import vehicles as vehicle_selectors
from tests.demo import demo_builder

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def builder(users, school):
    people = dict(users, teacher3=users["worker"], teacher4=users["worker2"], logistics=users["canteen"],
                  logistics2=users["finance"])
    return demo_builder(users=people, current_term=school["term"])


def test_the_demo_roster_has_one_gap_ahead_and_handovers_on_past_shifts(builder):
    DUTY.seed(builder)
    today = timezone.localdate()
    assert DutyShift.objects.filter(day__gt=today + datetime.timedelta(days=20)).exists()
    empty = duty_selectors.empty_shifts_ahead(today, days=30)
    assert len(empty) == 1 and empty[0].day == today + datetime.timedelta(days=4)
    past = DutyShift.objects.filter(day__lt=today - datetime.timedelta(days=1))
    assert past.exists() and not past.filter(handovers__isnull=True).exists()
    assert HandoverEntry.objects.filter(all_normal=False).exists()
    counts = (DutyShift.objects.count(), HandoverEntry.objects.count())
    DUTY.seed(builder)
    assert (DutyShift.objects.count(), HandoverEntry.objects.count()) == counts
    assert "1 ahead with nobody on them" in DUTY.summary()[0]


def test_the_demo_vehicles(builder):
    VEHICLES.seed(builder)
    today = timezone.localdate()
    assert Vehicle.objects.count() == 2 and Route.objects.filter(pupils__gt=0).count() == 2
    expiring = vehicle_selectors.papers_expiring(today)
    assert [(e.paper.key, e.paper.state) for e in expiring] == [("insurance", "expiring")]
    assert TripCheck.objects.filter(fit=False).exclude(note="").count() == 1
    assert TripCheck.objects.filter(fit=True).count() >= 10
    VEHICLES.seed(builder)
    assert Vehicle.objects.count() == 2
