"""Reads of the canteen's inspections: what is due and overdue, the today page's status, the term figures (with the
findings' under the canteen's own prefix), who is responsible by default; and the demo."""
import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from canteen.demo.inspections import AREA as DEMO
from canteen.models import CanteenStaff, Checklist, Inspection, InspectionResult
from canteen.selectors import inspections as selectors
from canteen.services import inspections as services
from logistics import roles
from logistics.findings.services import finding_fix, finding_verify
from logistics.models import Finding
from tests.conftest import image_bytes
from tests.demo import demo_builder

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english")

ITEMS = ["留样是否齐全", "冷藏温度是否在0–8℃"]
TODAY = timezone.localdate


@pytest.fixture
def manager(users, canteen_settings):
    CanteenStaff.objects.create(name="周红", post=CanteenStaff.Post.MANAGER, user=users["canteen"])
    return users["canteen"]


@pytest.fixture
def checklist(users, canteen_settings):
    return services.checklist_add(by=users["head"], title="食堂每日检查", items=ITEMS, frequency="daily")


def on(checklist, days_ago):
    return checklist.create_task(TODAY() - datetime.timedelta(days=days_ago))[0]


def do(inspection, by, failed=None):
    return services.inspection_record(inspection_id=inspection.pk, by=by, results=[
        (item, item != failed, "不合格" if item == failed else "") for item in ITEMS])


def test_due_and_overdue_inspections(checklist, users):
    today, yesterday, last_week = on(checklist, 0), on(checklist, 1), on(checklist, 7)
    on(checklist, -1)  # tomorrow's, made ahead
    do(yesterday, users["head"])
    assert list(selectors.inspections_due()) == [last_week, today]
    assert list(selectors.inspections_overdue()) == [last_week]
    assert last_week.is_overdue and not today.is_overdue


def test_the_today_page_status_in_three_queries(checklist, users, manager, django_assert_num_queries):
    today, earlier = on(checklist, 0), on(checklist, 3)
    do(on(checklist, 1), users["head"], failed=ITEMS[0])
    with django_assert_num_queries(3):
        status = selectors.inspection_status()
    assert status["today"] == [today] and status["to_do"] == [earlier, today] and status["overdue"] == 1
    [finding] = status["findings"]
    assert finding.deadline == TODAY() + datetime.timedelta(days=3) and status["overdue_findings"] == 0


def test_results_carry_the_finding_they_raised(checklist, users, manager):
    done = do(on(checklist, 0), users["head"], failed=ITEMS[1])
    passed, failed = selectors.results_with_findings(done)
    assert passed.finding is None and failed.finding == done.findings[0]


def test_the_canteen_manager_is_the_default_responsible_person(users, canteen_settings):
    assert selectors.canteen_manager() is None
    CanteenStaff.objects.create(name="李师傅", post=CanteenStaff.Post.COOK, user=users["worker"])
    CanteenStaff.objects.create(name="周红", post=CanteenStaff.Post.MANAGER, user=users["canteen"])
    assert selectors.canteen_manager() == users["canteen"]
    people = set(selectors.responsible_choices())
    assert {users["canteen"], users["worker"], users["head"], users["safety"]} <= people
    assert users["teacher"] not in people and users["auditor"] not in people
    assert set(selectors.inspectors()) == {users[u] for u in ("canteen", "head", "principal", "safety")}


def test_term_figures_count_inspections_held_when_due_and_the_canteens_problems(checklist, users, manager, school,
                                                                               django_assert_num_queries):
    for n in (1, 2, 3):
        do(on(checklist, n), users["head"], failed=ITEMS[0] if n == 3 else None)
    on(checklist, 4)          # missed
    on(checklist, 0)          # today's, still to do: not counted yet
    finding = Finding.objects.get()
    finding_fix(finding_id=finding.pk, by=manager, note="已补留",
                photos=[SimpleUploadedFile("f.png", image_bytes(), content_type="image/png")])
    finding_verify(finding_id=finding.pk, by=users["safety"], ok=True)
    with django_assert_num_queries(2):
        figures = {f.key: f for f in selectors.term_figures(school["term"])}
    values = {k: f.value for k, f in figures.items()}
    assert values == {
        "inspections.held": 3, "inspections.due": 4, "inspections.held_percent": 75, "inspections.missed": 1,
        "inspections.items_failed": 1, "canteen_findings.found": 1, "canteen_findings.fixed": 1,
        "canteen_findings.verified": 1, "canteen_findings.verified_on_time_percent": 100,
        "canteen_findings.still_open": 0, "canteen_findings.overdue": 0,
    }
    assert all(f.chapter == "canteen" and not f.money for f in figures.values())
    assert figures["inspections.missed"].carry and figures["canteen_findings.overdue"].carry
    assert roles.PRINCIPAL in figures["inspections.held_percent"].home
    assert str(figures["canteen_findings.found"].label) == "problems found in the canteen"


def test_term_figures_of_a_term_without_inspections(school, canteen_settings):
    values = {f.key: f.value for f in selectors.term_figures(school["term"])}
    assert values["inspections.held_percent"] is None and values["inspections.due"] == 0


def test_the_demo_builds_checklists_inspections_and_a_fixed_and_an_open_finding_once(users, school, canteen_settings):
    builder = demo_builder(users=users, current_term=school["term"])
    started = time.monotonic()
    DEMO.seed(builder)
    assert time.monotonic() - started < 10
    assert set(Checklist.objects.values_list("title", flat=True)) == {"食堂每日检查", "每周食品安全自查"}
    assert Inspection.objects.filter(status=Inspection.Status.DONE).count() >= 15
    assert InspectionResult.objects.filter(passed=False).count() == 2
    verified, still_open = (Finding.objects.filter(area="canteen", status=s).get()
                            for s in (Finding.Status.VERIFIED, Finding.Status.OPEN))
    assert verified.fixed_by == users["canteen"] and verified.verified_by == users["head"]
    assert verified.photos.filter(kind="fixed").count() == 1
    assert still_open.deadline >= TODAY()
    counts = (Checklist.objects.count(), Inspection.objects.count(), Finding.objects.count())
    DEMO.seed(builder)
    assert (Checklist.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
    assert "2 checklists" in DEMO.summary()[0]
