"""`seed_demo --size large`: the canteen's five years of daily records, at a tiny scale (the last school days)."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from canteen.demo.inspections import DAILY
from canteen.demo.large import MIN_DAYS
from canteen.models import (
    AccompaniedMeal,
    CanteenSettings,
    CanteenStaff,
    Delivery,
    DeliveryItem,
    Disinfection,
    Inspection,
    InspectionResult,
    Meal,
    MenuDish,
    MenuWeek,
    MorningCheck,
    Sample,
    Supplier,
)
from logistics import roles
from logistics.models import Finding
from tests.logistics.test_seed_large import seed_large

RECORDS = [CanteenStaff, Supplier, Delivery, DeliveryItem, MenuWeek, MenuDish, Meal, Sample, Disinfection,
           AccompaniedMeal, MorningCheck, Inspection, InspectionResult]


@pytest.fixture
def large(db):
    return seed_large()


def school_days():
    """The school days the canteen's large data covers at the tests' scale (the last of the builder's)."""
    return sorted(set(Meal.objects.values_list("date", flat=True)))


def test_every_school_day_has_its_records(large):
    days = school_days()
    assert len(days) == MIN_DAYS  # at a tiny scale, the last five weeks of school days
    profile = CanteenSettings.get()
    assert profile.served_meals() == ["breakfast", "lunch", "dinner"]  # a boarding central school
    changed = profile.history.order_by("history_date", "history_id").last()  # by the principal, once
    assert changed.history_user.username == "principal" and changed.serves_dinner
    assert profile.history.filter(serves_dinner=True).count() == 1
    assert Meal.objects.count() == len(days) * 3
    for day in days:
        assert MorningCheck.objects.filter(date=day).count() >= 3
        assert Delivery.objects.filter(date=day).exists()
        assert Inspection.objects.filter(due_date=day, checklist__title=DAILY).count() == 1
    # every dish of a served meal was sampled, each at least the set grams; every menu dish is a served dish
    for meal in Meal.objects.filter(served=True).prefetch_related("samples"):
        dishes = set(MenuDish.objects.filter(day=meal.date, meal=meal.kind).values_list("name", flat=True))
        assert {s.dish for s in meal.samples.all()} == dishes
        assert all(s.grams >= profile.sample_min_grams for s in meal.samples.all())
    assert "Canteen: " in large and "history rows" in large


def test_every_state_is_there(large):
    assert set(Meal.objects.values_list("served", flat=True)) == {True, False}
    assert set(Delivery.objects.values_list("status", flat=True)) == set(Delivery.Status.values)
    assert set(MorningCheck.objects.values_list("fit", flat=True)) == {True, False}
    assert MorningCheck.objects.filter(version=2).exists()  # a correction after a second measurement
    assert set(MenuWeek.objects.values_list("published", flat=True)) == {True, False}
    assert Sample.objects.filter(discarded_at=None).exists() and Sample.objects.exclude(discarded_at=None).exists()
    assert set(AccompaniedMeal.objects.values_list("companion", flat=True)) == {"leader", "parent"}
    assert set(CanteenStaff.objects.values_list("active", flat=True)) == {True, False}
    assert set(Supplier.objects.values_list("active", flat=True)) == {True, False}
    assert set(InspectionResult.objects.values_list("passed", flat=True)) == {True, False}
    findings = Finding.objects.filter(area="canteen")
    assert set(findings.values_list("status", flat=True)) == set(Finding.Status.values)
    for finding in findings:
        assert isinstance(finding.source, InspectionResult) and not finding.source.passed
    today = timezone.localdate()
    assert not Inspection.objects.filter(status=Inspection.Status.OPEN, due_date__lt=today).exists()  # on schedule


def test_no_one_works_in_the_kitchen_without_a_valid_health_certificate(large):
    for staff in CanteenStaff.objects.all():
        rows = list(staff.history.order_by("history_date", "history_id"))
        for check in staff.checks.all():
            held = [r for r in rows if r.history_date <= check.checked_at][-1]  # their record on that morning
            assert held.active and held.certificate_expires >= check.date, (staff.name, check.date)


def test_samples_kept_48_hours_and_reviewed_by_someone_else(large):
    hours = CanteenSettings.get().sample_hours
    for sample in Sample.objects.exclude(discarded_at=None):
        assert (sample.discarded_at - sample.taken_at).total_seconds() >= hours * 3600
        assert sample.reviewed_by_id not in (sample.taken_by_id, sample.discarded_by_id)
    now = timezone.now()
    for sample in Sample.objects.filter(discarded_at=None):
        assert now - sample.taken_at < timezone.timedelta(hours=hours + 24 * 4)  # the newest, still in the fridge


def test_history_rows_for_every_record_with_business_dates_and_real_people(large):
    canteen_people = set(User.objects.filter(groups__name=roles.CANTEEN).values_list("pk", flat=True))
    for model in RECORDS:
        objects = list(model.objects.all())
        assert objects, model
        historical = model.history.model
        counts = {}
        for row in historical.objects.all():
            counts[row.id] = counts.get(row.id, 0) + 1
            if model is Inspection and row.history_type == "+":
                assert row.history_user_id is None  # made by the scheduler in the morning
            else:
                assert row.history_user_id, (model, row.id)
                assert row.history_change_reason.startswith('{"m": '), (model, row.id)
        assert set(counts) == {o.pk for o in objects}, model
        # a record's version counts its moves: from 1 when made through save_with_history, from 0 otherwise
        first = 0 if model in (Meal, Sample, Delivery, MenuWeek, Supplier, Inspection) else 1
        if hasattr(model, "version"):
            assert all(counts[o.pk] == o.version + 1 - first for o in objects), model
    for sample in Sample.objects.all():
        rows = list(sample.history.order_by("history_date", "history_id"))
        assert rows[0].history_date == sample.taken_at and rows[0].history_user_id == sample.taken_by_id
        assert rows[0].discarded_at is None
        assert len(rows) == 1 + (sample.discarded_at is not None)
        if sample.discarded_at:
            assert rows[1].history_date == sample.discarded_at
    for check in MorningCheck.objects.all():
        rows = list(check.history.order_by("history_date", "history_id"))
        assert rows[0].history_date == check.checked_at and timezone.localdate(rows[0].history_date) == check.date
        assert rows[0].history_user_id in canteen_people
        assert rows[-1].fit == check.fit
    for delivery in Delivery.objects.all():
        row = delivery.history.get()
        assert row.history_date == delivery.checked_at and row.history_user_id == delivery.checked_by_id
        assert row.history_user_id in canteen_people
    for finding in Finding.objects.filter(area="canteen"):
        rows = list(finding.history.order_by("history_date", "history_id"))
        assert len(rows) == finding.version and rows[-1].status == finding.status
        assert rows[0].history_date == finding.found_at
        assert [r.history_date for r in rows] == sorted(r.history_date for r in rows)


def test_numbers_continue_after_the_seeded_ones(large):
    numbers = list(Delivery.objects.order_by("checked_at", "pk").values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    year = timezone.localdate().year
    this_year = sorted(n for n in numbers if n.startswith(f"JH-{year}-"))
    assert this_year == [f"JH-{year}-{i:05d}" for i in range(1, len(this_year) + 1)]


@pytest.mark.parametrize("username", ["canteen", "head", "principal"])
def test_the_canteen_pages_render_with_the_large_data(large, client, username):
    assert client.login(username=username, password="demo12345")
    week = MenuWeek.objects.order_by("-week_start").first()
    meal = Meal.objects.filter(served=True).order_by("-date").first()
    today = timezone.localdate()
    pages = [reverse("canteen:today"), reverse("canteen:sample_log"), reverse("canteen:inspection_list"),
             reverse("canteen:delivery_list"), reverse("canteen:supplier_list"), reverse("canteen:staff_list"),
             reverse("canteen:menu_list"), reverse("canteen:accompanied_list"), reverse("canteen:disinfection_log"),
             reverse("canteen:check_grid", args=[today.year, today.month]),
             reverse("canteen:meal_detail", args=[meal.date, meal.kind]), f"/canteen/menus/{week.week_start}/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    content = client.get(reverse("canteen:delivery_list")).content.decode()
    assert Delivery.objects.order_by("-date", "-number").first().number in content
