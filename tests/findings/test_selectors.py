"""What waits for whom, and an area's figures for a term (the canteen's and safety's term_figures)."""
import datetime

from django.utils import timezone

from logistics.findings import selectors, services
from logistics.models import Finding, Term

from .conftest import photo, raise_one

DAY = datetime.timedelta(days=1)


def fix(f, by):
    return services.finding_fix(finding_id=f.pk, by=by, note="已整改", photos=[photo()])


def verify(f, by, ok=True):
    return services.finding_verify(finding_id=f.pk, by=by, ok=ok, comment="" if ok else "仍有问题")


def build(people, school):
    """In safety this term: verified on time, verified late, fixed, open and overdue, reopened; one of the
    canteen's; one of safety's last term."""
    worker, inspector = people["worker"], people["inspector"]
    on_time = verify(fix(raise_one(people, school, title="A"), worker), inspector)
    late = fix(raise_one(people, school, title="B"), worker)
    Finding.objects.filter(pk=late.pk).update(fixed_at=timezone.now() + 10 * DAY)  # after its deadline (7 days)
    verify(late, inspector)
    fix(raise_one(people, school, title="C"), worker)
    overdue = raise_one(people, school, title="D")
    Finding.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - DAY)
    verify(fix(raise_one(people, school, title="E"), worker), inspector, ok=False)
    raise_one(people, school, title="canteen's", area="canteen")
    before = school["term"].start - 30 * DAY
    old = timezone.make_aware(datetime.datetime.combine(before, datetime.time(9)))
    services.finding_raise(area="safety", title="last term", responsible=worker, deadline=before + DAY,
                           by=inspector, now=old)
    return on_time


def test_finding_figures_of_an_area_in_a_term(people, school, django_assert_num_queries):
    build(people, school)
    with django_assert_num_queries(1):
        figures = selectors.finding_figures("safety", school["term"], "hazards", "safety", order=40,
                                            home=("logistics_head",))
    values = {f.key: f.value for f in figures}
    assert values == {"hazards.found": 5, "hazards.fixed": 3, "hazards.verified": 2,
                      "hazards.verified_on_time_percent": 50, "hazards.still_open": 3, "hazards.overdue": 1}
    assert {f.chapter for f in figures} == {"safety"}
    assert [f.order for f in figures] == [40, 41, 42, 43, 44, 45]
    carried = [f for f in figures if f.carry]
    assert [f.key for f in carried] == ["hazards.overdue"] and carried[0].home == ("logistics_head",)
    canteen = {f.key: f.value for f in selectors.finding_figures("canteen", school["term"], "canteen_fix", "x")}
    assert canteen["canteen_fix.found"] == 1 and canteen["canteen_fix.still_open"] == 1


def test_a_module_names_its_figures_in_its_own_words(people, school):
    figures = selectors.finding_figures("safety", school["term"], "hazards", "safety",
                                        labels={"found": "hazards found"})
    assert figures[0].label == "hazards found"


def test_a_term_with_no_findings(people, school):
    build(people, school)
    start = school["term"].start - 400 * DAY
    empty = Term.objects.create(name="前年", start=start, end=start + 100 * DAY)
    values = {f.key: f.value for f in selectors.finding_figures("safety", empty, "hazards", "safety")}
    assert values == {"hazards.found": 0, "hazards.fixed": 0, "hazards.verified": 0,
                      "hazards.verified_on_time_percent": None, "hazards.still_open": 0, "hazards.overdue": 0}


def test_findings_for_a_person(people, school):
    build(people, school)
    mine = selectors.findings_for(people["worker"], area="safety")
    assert sorted(f.title for f in mine["fix"]) == ["D", "E", "last term"]
    assert list(mine["verify"]) == []  # the worker may not verify
    inspector = selectors.findings_for(people["inspector"])
    assert [f.title for f in inspector["verify"]] == ["C"]
    assert list(inspector["fix"]) == []
    # nobody is asked to verify their own fix
    c = Finding.objects.get(title="C")
    Finding.objects.filter(pk=c.pk).update(fixed_by=people["inspector"])
    assert list(selectors.findings_for(people["inspector"])["verify"]) == []


def test_open_and_overdue_per_area(people, school):
    build(people, school)
    assert sorted(f.title for f in selectors.open_findings("safety")) == ["C", "D", "E", "last term"]
    assert [f.title for f in selectors.overdue_findings("safety")] == ["last term", "D"]
    assert [f.title for f in selectors.overdue_findings("canteen")] == []
