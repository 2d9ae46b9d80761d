"""Reads of the morning check for the today page, the home sections and the term summary: the day's status,
certificates expiring, the month's grid and the term's figures, each in a fixed number of queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from canteen.models import CanteenStaff, MorningCheck
from canteen.selectors import staff as selectors
from canteen.services import staff as services
from logistics.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


def test_checks_status_shows_who_is_off_duty_and_why(users, kitchen, today):
    li, wang, zhao = kitchen["li"], kitchen["wang"], kitchen["zhao"]
    services.record_check(staff=wang, date=today, by=users["canteen"], symptoms=[1], temperature_c="38.2",
                          fit_requested=None)
    services.record_check(staff=li, date=today, by=users["canteen"])
    with CaptureQueriesContext(connection) as queries:
        status = selectors.checks_status(today)
        rows = {r.staff.name: r for r in status.rows}
        texts = {name: r.reason_text for name, r in rows.items()}
    assert len(queries) == 2
    assert [r.staff for r in status.to_check] == [zhao]
    assert texts == {"李师傅": "", "王阿姨": "fever (1), 38.2 °C",
                     "赵师傅": f"health certificate expired on {zhao.certificate_expires.isoformat()}"}
    assert {r.staff.name for r in status.off_duty} == {"王阿姨", "赵师傅"}
    assert rows["王阿姨"].check.checked_by == users["canteen"] and not status.all_checked


def test_someone_who_left_is_not_in_the_day(users, kitchen, today):
    services.staff_deactivate(staff_id=kitchen["zhao"].pk, by=users["canteen"])
    assert {r.staff.name for r in selectors.checks_status(today).rows} == {"李师傅", "王阿姨"}


def test_certificates_expiring_lists_expired_missing_and_soon(kitchen, today):
    missing = CanteenStaff.objects.create(name="新人", post="helper")
    warnings = selectors.certificates_expiring(today)
    assert [(w.staff, w.days_left, w.expired) for w in warnings] == [
        (missing, None, True), (kitchen["zhao"], -3, True), (kitchen["wang"], 20, False)]
    assert [w.staff for w in selectors.certificates_expiring(today, days=10)] == [missing, kitchen["zhao"]]


def test_certificate_warning_days_come_from_the_settings(kitchen, canteen_settings, today):
    canteen_settings.certificate_warning_days = 10
    canteen_settings.save()
    assert kitchen["wang"] not in [w.staff for w in selectors.certificates_expiring(today)]


def test_month_grid_has_codes_blank_days_and_off_duty_marks(users, kitchen, today):
    first = today.replace(day=1)
    canteen = users["canteen"]
    services.record_check(staff=kitchen["li"], date=first, by=canteen)
    services.record_check(staff=kitchen["wang"], date=first, by=canteen, symptoms=[1, 10], fit_requested=None)
    left = CanteenStaff.objects.create(name="钱师傅", post="cook", certificate_expires=today)
    services.record_check(staff=left, date=first, by=canteen)
    left.active = False
    left.save()
    CanteenStaff.objects.create(name="孙师傅", post="cook", active=False)  # left before: not on the grid
    with CaptureQueriesContext(connection) as queries:
        grid = selectors.month_grid(first.year, first.month)
    assert len(queries) == 2
    rows = {r.staff.name: r for r in grid.rows}
    assert list(rows) == ["李师傅", "王阿姨", "赵师傅", "钱师傅"]
    assert len(grid.days) == 31 and all(len(r.cells) == 31 for r in grid.rows)
    assert rows["李师傅"].cells[0].code == "0" and not rows["李师傅"].cells[0].off_duty
    assert rows["王阿姨"].cells[0].code == "1,10" and rows["王阿姨"].cells[0].off_duty
    assert rows["赵师傅"].cells[0].code == ""


def test_a_short_month_has_no_day_31():
    grid = selectors.month_grid(2027, 2)
    assert [d.date for d in grid.days[27:]] == [datetime.date(2027, 2, 28), None, None, None]
    assert grid.previous == (2027, 1) and grid.next == (2027, 3)


def _figures(term):
    return {f.key: f for f in selectors.term_figures(term)}


def test_term_figures_count_school_days_from_joining(users, kitchen, today, school):
    """Three staff joined today (their records' first day): today is the only day expected of them."""
    term = school["term"]
    canteen = users["canteen"]
    if today.weekday() < 5:
        services.record_check(staff=kitchen["li"], date=today, by=canteen)
        services.record_check(staff=kitchen["zhao"], date=today, by=canteen, fit_requested=False)
    with CaptureQueriesContext(connection) as queries:
        figures = _figures(term)
    assert len(queries) <= 6
    if today.weekday() < 5:
        assert figures["morning.done_percent"].value == 67  # two of three
        assert figures["morning.off_duty"].value == 1 and figures["morning.people_off"].value == 1
    else:
        assert figures["morning.done_percent"].value is None  # no school day yet
    assert figures["morning.done_percent"].home and figures["morning.done_percent"].chapter == "canteen"
    assert (figures["certificates.valid"].value, figures["certificates.expiring"].value,
            figures["certificates.expired"].value) == (1, 1, 1)
    assert figures["certificates.expired"].carry
    assert not any(k.startswith("checks.") for k in figures)


def test_term_figures_over_weeks_of_checks(users, canteen_settings, today, school):
    """Two people checked every school day for four weeks but one day each: 2 × 20 − 2 of 2 × 20."""
    term = school["term"]
    canteen = users["canteen"]
    start = today - datetime.timedelta(days=28)
    people = [CanteenStaff.objects.create(name=n, post="cook", certificate_expires=today + datetime.timedelta(days=99))
              for n in ("甲", "乙")]
    CanteenStaff.history.filter(history_type="+").update(
        history_date=timezone.make_aware(datetime.datetime.combine(start, datetime.time(8))))
    days = [start + datetime.timedelta(days=n) for n in range(28) if (start + datetime.timedelta(days=n)).weekday() < 5]
    for i, day in enumerate(days):
        for j, person in enumerate(people):
            if (i, j) not in {(3, 0), (7, 1)}:
                services.record_check(staff=person, date=day, by=canteen)
    MorningCheck.objects.create(staff=people[0], date=today - datetime.timedelta(days=400), symptoms=[0], fit=True,
                                checked_by=canteen, checked_at=timezone.now())  # another term
    expected = 2 * (len(days) + (1 if today.weekday() < 5 else 0))
    figures = _figures(term)
    assert figures["morning.done_percent"].value == round(100 * (expected - 2 - (2 if today.weekday() < 5 else 0))
                                                          / expected)
    assert figures["morning.checks"].value == 2 * len(days) - 2


def test_a_term_to_come_has_no_percentage(canteen_settings, kitchen, today):
    term = Term.objects.create(name="下学期", start=today + datetime.timedelta(days=100),
                               end=today + datetime.timedelta(days=200))
    assert _figures(term)["morning.done_percent"].value is None
