"""The safety module's term figures (safety.figures.term_figures) on known data: exact counts, the chapter, the
open items carried into the summary's last chapter, the leaders' dashboards, and six queries at any size.

build() is shared with the hub's and the ledger's tests: the records are written with the ORM and the kernel's
findings services (the areas' own services are other helpers' work)."""
import datetime

import pytest
from django.utils import timezone

from logistics import roles
from logistics.findings import services as findings
from logistics.models import Finding
from safety.figures import term_figures
from safety.models import (
    Drill,
    Driver,
    DutyShift,
    EmergencyPlan,
    HandoverEntry,
    Inspection,
    InspectionPlan,
    InspectionResult,
    Pledge,
    TripCheck,
    Vehicle,
)
from safety.selectors.ledger import school_year

D = datetime.timedelta(days=1)
Outcome = InspectionResult.Outcome


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def hazard(users, title, *, source=None, location=None, deadline=None):
    """A hazard raised by the safety officer for the worker to fix (within a week unless told)."""
    return findings.finding_raise(area="safety", title=title, responsible=users["worker"],
                                  deadline=deadline or timezone.localdate() + 7 * D, by=users["safety"],
                                  source=source, location=location, description=f"{title}，需整改")


def build(users, school, n=1, extra=True):
    """n times: a checklist done 5 days ago (3 passed, 1 failed raising a hazard, 1 not applicable), one missed
    3 days ago, one due today; hazards: the failed item's (open), one verified, one past its deadline, a drill's
    follow-up (open); a drill (n×300 people, 120 s), a day shift with someone and a handover and a night shift
    with nobody, a vehicle with a fit and an unfit pre-trip check, two pledges of the term's school year (one
    signed). extra: records outside the term (which no figure counts)."""
    today = timezone.localdate()
    safety, worker, principal = users["safety"], users["worker"], users["principal"]
    term = school["term"]
    year = school_year(term)
    emergency = EmergencyPlan.objects.create(title="消防应急疏散预案", kind=EmergencyPlan.Kind.FIRE,
                                             next_review=today + 100 * D, owner=safety)
    driver = Driver.objects.create(name="钱师傅", licence_expires=today + 400 * D)
    built = []
    for i in range(n):
        plan = InspectionPlan.objects.create(title=f"每周安全巡查{i + 1}", kind=InspectionPlan.Kind.ROUTINE,
                                             frequency="weekly", weekdays=[0], inspector=safety)
        done = Inspection.objects.create(plan=plan, due_date=today - 5 * D, status=Inspection.Status.DONE,
                                         inspector=safety, done_by=safety, done_at=timezone.now() - 5 * D)
        for k, outcome in enumerate([Outcome.PASS, Outcome.PASS, Outcome.PASS, Outcome.NA]):
            InspectionResult.objects.create(inspection=done, area="fire", item=f"灭火器{k}", outcome=outcome)
        failed = InspectionResult.objects.create(inspection=done, area="electrics", item="配电箱", outcome=Outcome.FAIL,
                                                 note="配电箱门锁损坏")
        failed.finding = hazard(users, f"配电箱门锁损坏{i}", source=failed, location=school["room"])
        failed.save()
        Inspection.objects.create(plan=plan, due_date=today - 3 * D, inspector=safety)
        Inspection.objects.create(plan=plan, due_date=today, inspector=safety)
        closed = hazard(users, f"楼梯扶手松动{i}")
        findings.finding_fix(finding_id=closed.pk, by=worker, note="已加固", photo_required=False)
        findings.finding_verify(finding_id=closed.pk, by=principal, ok=True)
        late = hazard(users, f"围墙破损{i}")
        Finding.objects.filter(pk=late.pk).update(deadline=today - D)
        drill = Drill.objects.create(plan=emergency, title="消防疏散演练", held_on=today - 20 * D, classes="全校",
                                     headcount=300, evacuation_seconds=120, recorded_by=safety)
        hazard(users, f"二楼东侧楼梯口拥堵{i}", source=drill)
        day_shift = DutyShift.objects.create(day=today + i * D, kind=DutyShift.Kind.DAY, starts=datetime.time(8),
                                             ends=datetime.time(17), leader=principal)
        day_shift.people.add(safety)
        HandoverEntry.objects.create(shift=day_shift, written_by=safety, text="校园巡查一切正常")
        DutyShift.objects.create(day=today + i * D, kind=DutyShift.Kind.NIGHT, starts=datetime.time(17),
                                 ends=datetime.time(8))
        vehicle = Vehicle.objects.create(plate=f"浙A{i:05d}", seats=19, inspection_expires=today + 200 * D,
                                         insurance_expires=today + 200 * D)
        TripCheck.objects.create(vehicle=vehicle, day=today - D, driver=driver, fit=True, checked_by=safety)
        TripCheck.objects.create(vehicle=vehicle, day=today - 2 * D, driver=driver, fit=False, checked_by=safety,
                                 note="刹车异响")
        Pledge.objects.create(year=year, party=Pledge.Party.CLASS_TEACHER, name=f"一({i + 1})班", signer=safety,
                              signed_on=term.start + 3 * D)
        Pledge.objects.create(year=year, party=Pledge.Party.DEPARTMENT, name=f"部门{i + 1}")
        built.append({"plan": plan, "done": done, "failed": failed, "closed": closed, "late": late, "drill": drill,
                      "vehicle": vehicle})
    if extra:
        before = term.start - 10 * D
        old = InspectionPlan.objects.create(title="上学期检查", frequency="weekly", weekdays=[0], inspector=safety)
        Inspection.objects.create(plan=old, due_date=before, status=Inspection.Status.DONE, done_by=safety)
        Inspection.objects.create(plan=old, due_date=before + D)
        Drill.objects.create(plan=emergency, title="上学期演练", held_on=before, classes="全校", headcount=500,
                             recorded_by=safety)
        DutyShift.objects.create(day=before, kind=DutyShift.Kind.HOLIDAY, starts=datetime.time(8),
                                 ends=datetime.time(17))
        Pledge.objects.create(year=year - 1, party=Pledge.Party.OTHER, name="去年")
    return built


def values(term):
    return {f.key: f.value for f in term_figures(term)}


def test_figures_count_the_terms_safety_work(users, school):
    build(users, school)
    assert values(school["term"]) == {
        "safety.inspections.held": 1, "safety.inspections.due": 2, "safety.inspections.missed": 1,
        "safety.inspections.items_checked": 4, "safety.inspections.items_failed": 1,
        "safety.hazards.found": 4, "safety.hazards.fixed": 1, "safety.hazards.verified": 1,
        "safety.hazards.verified_on_time_percent": 100, "safety.hazards.still_open": 3,
        "safety.hazards.overdue": 1,
        "safety.drills.held": 1, "safety.drills.people": 300, "safety.drills.evacuation_seconds": 120,
        "safety.duty.shifts": 2, "safety.duty.staffed_percent": 50, "safety.duty.handovers": 1,
        "safety.vehicles.checks": 2, "safety.vehicles.not_fit": 1,
        "safety.pledges.signed": 1, "safety.pledges.total": 2,
    }


def test_figures_of_a_term_with_nothing_are_zero_or_none(users, school):
    v = values(school["term"])
    assert v["safety.inspections.held"] == 0 and v["safety.hazards.found"] == 0
    assert v["safety.drills.evacuation_seconds"] is None and v["safety.duty.staffed_percent"] is None
    assert v["safety.hazards.verified_on_time_percent"] is None and v["safety.pledges.total"] == 0


def test_the_average_evacuation_time_counts_only_timed_drills(users, school):
    build(users, school, n=2, extra=False)
    Drill.objects.filter(pk=Drill.objects.order_by("pk")[0].pk).update(evacuation_seconds=181)
    Drill.objects.create(plan=EmergencyPlan.objects.get(), title="未计时", held_on=timezone.localdate(),
                         classes="三年级", headcount=100, recorded_by=users["safety"])
    v = values(school["term"])
    assert v["safety.drills.evacuation_seconds"] == 150  # (181 + 120) / 2, rounded
    assert v["safety.drills.people"] == 700 and v["safety.drills.held"] == 3


def test_keys_are_unique_prefixed_and_in_the_safety_chapter(users, school):
    figures = term_figures(school["term"])
    keys = [f.key for f in figures]
    assert len(keys) == len(set(keys)) and all(k.startswith("safety.") for k in keys)
    assert {f.chapter for f in figures} == {"safety"}


def test_open_hazards_and_missed_inspections_are_carried(users, school):
    figures = term_figures(school["term"])
    assert {f.key for f in figures if f.carry} == {
        "safety.hazards.still_open", "safety.hazards.overdue", "safety.inspections.missed"}


def test_the_leaders_dashboards_show_open_and_overdue_hazards(users, school):
    home = {f.key: f.home for f in term_figures(school["term"]) if f.home}
    for key in ("safety.hazards.still_open", "safety.hazards.overdue"):
        assert roles.PRINCIPAL in home[key] and roles.LOGISTICS_HEAD in home[key]


def test_hazards_are_labelled_as_hazards(users, school, english):
    labels = {f.key: str(f.label) for f in term_figures(school["term"])}
    assert labels["safety.hazards.found"] == "hazards found"
    assert labels["safety.hazards.still_open"] == "hazards not yet closed"


@pytest.mark.parametrize("n", [1, 8])
def test_figures_take_six_queries_at_any_size(users, school, django_assert_num_queries, n):
    build(users, school, n=n)
    with django_assert_num_queries(6):
        figures = term_figures(school["term"])
    assert {f.key: f.value for f in figures}["safety.hazards.found"] == 4 * n
