"""The demo's term of safety inspections: the term-start full check, the weekly patrols, the monthly spot checks and
the daily gate patrols, with hazards in every state, built once through the services at their business moments."""
import pytest
from django.utils import timezone

from logistics.models import Finding
from safety.demo.inspections import AREA as DEMO
from safety.demo.inspections import FULL, WEEKLY
from safety.models import Inspection, InspectionPlan
from tests.demo import demo_builder

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def builder(users, school):
    people = {**users, "logistics": users["worker"], "logistics2": users["worker2"]}
    return demo_builder(users=people, current_term=school["term"])


def test_the_demo_builds_a_term_of_inspections_with_hazards_in_every_state_once(builder, users):
    DEMO.seed(builder)
    full = Inspection.objects.get(plan__title=FULL)
    term_start = builder.term_defs[1][1]
    assert full.due_date == term_start and full.done_by == users["safety"]
    assert full.history.earliest("history_date").history_date <= full.history.latest("history_date").history_date
    weekly = Inspection.objects.filter(plan__title=WEEKLY)
    assert weekly.filter(status="done").count() >= 1
    assert all(i.due_date.weekday() == 0 for i in weekly)
    hazards = Finding.objects.filter(area="safety", source_type__model="inspectionresult")
    states = {f.status for f in hazards}
    assert states == {"open", "fixed", "verified", "reopened"}
    verified = hazards.get(status="verified")
    assert verified.fixed_by != verified.verified_by and verified.photos.filter(kind="fixed").exists()
    assert any(f.is_overdue for f in hazards.filter(status="open"))
    assert any(not f.is_overdue for f in hazards.filter(status="open"))
    today = timezone.localdate(builder.days_ago(0, 7))
    assert Inspection.objects.filter(status="open", due_date=today).exists()
    counts = (InspectionPlan.objects.count(), Inspection.objects.count(), Finding.objects.count())
    DEMO.seed(builder)
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
    assert "4 checklists" in DEMO.summary()[0]
