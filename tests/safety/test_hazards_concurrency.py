"""Two people opening a repair for the same hazard at the same moment (the safety officer and the person responsible,
each from their phone): one repair is opened, the other is told it is already open. Two real transactions on two
connections; PostgreSQL only (SQLite serialises all writers)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets.models import RepairCategory, RepairRequest, Urgency
from logistics.models import Finding
from safety.models import SafetySettings
from safety.services import hazards as services
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


@pytest.mark.parametrize("attempt", range(3))
def test_two_people_opening_a_repair_for_one_hazard_open_one(users, school, attempt):
    settings = SafetySettings.get()
    settings.hazard_receiver = users["head"]
    settings.save()
    h = services.report_hazard(by=users["teacher"], title="楼梯扶手松动", location=school["room"])

    def open_by(who):
        return lambda: services.open_repair_for_hazard(finding_id=h.pk, by=users[who], urgency=Urgency.NORMAL,
                                                       category=RepairCategory.BUILDING, expected_version=1)

    results = race(open_by("safety"), open_by("head"))
    wins = [r for r in results if isinstance(r, RepairRequest)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert RepairRequest.objects.filter(finding=h).count() == 1
    assert Finding.objects.get(pk=h.pk).version == 2
