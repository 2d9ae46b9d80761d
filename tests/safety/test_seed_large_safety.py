"""`seed_demo --size large`: safety's five years, at a tiny scale (the last school days; the roster and pledges in
full)."""
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from logistics import roles
from logistics.demo_large import CAMPUSES
from logistics.models import Building, Finding, Term
from safety.demo.large import CLASS_CHECK, MIN_DAYS
from safety.models import (
    Drill,
    Driver,
    DutyShift,
    EmergencyPlan,
    HandoverEntry,
    Inspection,
    InspectionPlan,
    InspectionResult,
    PlanItem,
    Pledge,
    Route,
    TripCheck,
    Vehicle,
)
from tests.logistics.test_seed_large import seed_large

RECORDS = [InspectionPlan, PlanItem, Inspection, InspectionResult, Vehicle, Driver, Route, TripCheck, EmergencyPlan,
           Drill, DutyShift, HandoverEntry, Pledge]


@pytest.fixture
def large(db):
    return seed_large()


def test_inspections_on_their_schedules(large):
    days = sorted(set(TripCheck.objects.values_list("day", flat=True)))
    assert len(days) == MIN_DAYS  # at a tiny scale, the last five weeks of school days
    # four checklists on each of the three campuses, each building's daily patrol, each classroom's daily check
    buildings = [b for b in Building.objects.all() if b.name.startswith(tuple(CAMPUSES))]
    assert len(buildings) == 15
    classes = Pledge.objects.filter(party=Pledge.Party.CLASS_TEACHER).values("name").distinct().count()
    assert classes == 3  # at least three classes at any scale
    assert InspectionPlan.objects.count() == 12 + len(buildings) + classes
    for plan in InspectionPlan.objects.filter(title__endswith=CLASS_CHECK):
        pledge = Pledge.objects.filter(name=plan.title.removesuffix(CLASS_CHECK)).first()
        assert plan.inspector_id == pledge.signer_id  # the class teacher checks their classroom
    today = timezone.localdate()
    terms = list(Term.objects.all())
    for plan in InspectionPlan.objects.all():
        due = {d for d in days if plan.is_due_on(d, terms)}
        done = set(plan.inspections.filter(status=Inspection.Status.DONE).values_list("due_date", flat=True))
        assert done == due, plan.title
        assert not plan.inspections.filter(status=Inspection.Status.OPEN).exclude(due_date=today).exists()
        for inspection in plan.inspections.filter(status=Inspection.Status.DONE):
            assert inspection.results.count() == plan.items.count()
    assert TripCheck.objects.count() == len(days) * Vehicle.objects.count()
    assert "Safety: " in large


def test_every_state_is_there(large):
    hazards = Finding.objects.filter(area="safety")
    assert set(hazards.values_list("status", flat=True)) == set(Finding.Status.values)
    assert hazards.filter(source_id=None).exists()  # reported by hand
    for result in InspectionResult.objects.filter(outcome=InspectionResult.Outcome.FAIL).select_related("finding"):
        assert result.finding is not None and result.finding.source == result
    assert set(InspectionResult.objects.values_list("outcome", flat=True)) >= {"pass", "fail"}
    assert set(TripCheck.objects.values_list("fit", flat=True)) == {True, False}
    assert set(Pledge.objects.filter(signed_on=None).values_list("year", flat=True)) == {
        Pledge.objects.order_by("-year").values_list("year", flat=True).first()}  # this year's last few
    assert Pledge.objects.exclude(signed_on=None).exists()
    assert set(HandoverEntry.objects.values_list("all_normal", flat=True)) == {True, False}
    assert DutyShift.objects.filter(leader=None).exists()  # the shifts ahead, not yet staffed
    assert set(DutyShift.objects.values_list("kind", flat=True)) == set(DutyShift.Kind.values)
    assert Drill.objects.exists()
    assert EmergencyPlan.objects.filter(version__gt=1).exists()  # revised each year


def test_duty_people_and_their_history(large):
    staffed = DutyShift.objects.exclude(leader=None)
    assert staffed.exists()
    People = apps.get_model("safety", "HistoricalDutyShift_people")
    for shift in staffed.prefetch_related("people"):
        assert shift.people.count() == 2
        rows = list(shift.history.order_by("history_date", "history_id"))
        assert [r.leader_id for r in rows] == [None, shift.leader_id]
        assert set(People.objects.filter(history_id=rows[-1].pk).values_list("user_id", flat=True)) == {
            p.pk for p in shift.people.all()}
        assert not People.objects.filter(history_id=rows[0].pk).exists()
    for entry in HandoverEntry.objects.select_related("shift"):
        assert entry.written_by in entry.shift.people.all()


def test_history_rows_for_every_record_with_business_dates_and_real_people(large):
    for model in RECORDS:
        objects = list(model.objects.all())
        assert objects, model
        counts = {}
        for row in model.history.model.objects.all():
            counts[row.id] = counts.get(row.id, 0) + 1
            if model is Inspection and row.history_type == "+":
                assert row.history_user_id is None  # made by the scheduler in the morning
            else:
                assert row.history_user_id, (model, row.id)
                assert row.history_change_reason.startswith('{"m": '), (model, row.id)
        assert set(counts) == {o.pk for o in objects}, model
        first = 0 if model in (Inspection, Pledge) else 1
        if hasattr(model, "version"):
            assert all(counts[o.pk] == o.version + 1 - first for o in objects), model
    officers = set(User.objects.filter(groups__name=roles.SAFETY).values_list("pk", flat=True))
    workers = set(User.objects.filter(groups__name=roles.LOGISTICS).values_list("pk", flat=True))
    for hazard in Finding.objects.filter(area="safety"):
        rows = list(hazard.history.order_by("history_date", "history_id"))
        assert len(rows) == hazard.version and rows[-1].status == hazard.status
        assert rows[0].history_date == hazard.found_at and rows[0].history_user_id == hazard.found_by_id
        assert hazard.responsible_id in workers
        if hazard.fixed_by_id:
            assert hazard.fixed_by_id == hazard.responsible_id and hazard.fixed_at > hazard.found_at
        if hazard.verified_by_id:
            assert hazard.verified_by_id in officers and hazard.verified_by_id != hazard.fixed_by_id
    for check in TripCheck.objects.all():
        row = check.history.get()
        assert row.history_date == check.checked_at and timezone.localdate(row.history_date) == check.day
        assert row.history_user_id in officers
    for result in InspectionResult.objects.exclude(finding=None):
        rows = list(result.history.order_by("history_date", "history_id"))
        assert [r.finding_id for r in rows] == [None, result.finding_id]


@pytest.mark.parametrize("username", ["safety", "head", "principal"])
def test_the_safety_pages_render_with_the_large_data(large, client, username):
    assert client.login(username=username, password="demo12345")
    hazard = Finding.objects.filter(area="safety").order_by("-found_at").first()
    pages = [reverse("safety:today"), reverse("safety:hazard_list"), reverse("safety:inspection_list"),
             reverse("safety:plan_list"), reverse("safety:duty_roster"), reverse("safety:trip_check_list"),
             reverse("safety:vehicle_list"), reverse("safety:drill_list"), reverse("safety:pledge_list"),
             reverse("safety:emergencyplan_list"), reverse("safety:ledger"),
             reverse("safety:inspection_detail", args=[Inspection.objects.exclude(results=None).first().pk]),
             reverse("safety:shift_detail", args=[DutyShift.objects.exclude(leader=None).first().pk]),
             reverse("findings:detail", args=[hazard.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    content = client.get(reverse("safety:hazard_list")).content.decode()
    assert hazard.title in content

