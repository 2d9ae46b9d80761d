"""Two clicks arriving at the same moment: a drill recorded once, the year's pledges put on the list once.

Two real transactions on two database connections (two threads). It runs on PostgreSQL, which CI uses;
SQLite locks the whole database for a writer, so there the race cannot happen in the first place."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from safety.models import Drill, EmergencyPlan, Pledge
from safety.services import plans as services
from safety.services import pledges as pledge_services
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def postgresql_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_click_on_record_the_drill_records_one(users, school, attempt):
    plan = services.plan_add(by=users["safety"], title="消防应急预案", kind=EmergencyPlan.Kind.FIRE,
                             version_label="2026版", approved_on=TODAY, next_review=TODAY.replace(year=TODAY.year + 1),
                             document=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))

    def click():
        return services.drill_record(by=users["safety"], plan=plan, title="消防疏散演练", held_on=TODAY,
                                     classes="全校", headcount=1200, evacuation_seconds="3:12")
    results = race(click, click)
    assert all(isinstance(r, Drill) for r in results), results
    assert results[0].pk == results[1].pk
    assert Drill.objects.count() == 1


def test_the_years_list_put_together_twice_at_once_holds_each_name_once(users, school):
    def click():
        return pledge_services.pledge_year_create(by=users["safety"], year=pledge_services.school_year(TODAY),
                                                  classes="一(1)班 王丽\n一(2)班\n二(1)班")
    results = race(click, click)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(len(created) for created, _kept in results) == [0, 3]
    assert Pledge.objects.count() == 3
