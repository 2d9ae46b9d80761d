"""The demo of emergency plans, drills and pledges: five plans (one past its review date, the fire plan in its
second version), an earthquake drill last term and this term's whole-school evacuation with one follow-up
action verified and one open, this year's pledges with three unsigned; built once, at business moments."""
import pytest
from django.utils import timezone

from logistics.history import history_timeline
from logistics.models import Department, Finding
from safety.demo import plans as plans_demo
from safety.demo import pledges as pledges_demo
from safety.models import Drill, EmergencyPlan, Pledge
from safety.selectors import plans as selectors
from tests.demo import demo_builder

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_plans_and_pledges_demo_is_built_once(users, school):
    for name in ("教导处", "总务处", "语文组", "食堂"):
        Department.objects.create(name=name, head=users["head"] if name == "总务处" else None)
    builder = demo_builder(users={**users, "logistics": users["worker"]}, current_term=school["term"])
    plans_demo.AREA.seed(builder)
    pledges_demo.AREA.seed(builder)

    plans = {p.title: p for p in EmergencyPlan.objects.all()}
    assert len(plans) == 5 and all(p.document for p in plans.values())
    assert {p.kind for p in plans.values()} >= {"fire", "evacuation", "food_safety", "activities",
                                                "natural_disaster"}
    assert [p.title for p in plans.values() if p.review_overdue] == ["自然灾害应急预案"]
    fire = plans["消防应急预案"]
    assert fire.version_label == "2026版" and [v.version_label for v in selectors.plan_versions(fire)] == [
        "2026版", "2025版"]

    drill = Drill.objects.get(title="消防安全疏散演练")
    assert drill.headcount == 1186 and drill.evacuation_seconds == 192 and "全校" in drill.classes
    assert drill.photos.count() == 2
    today = timezone.localdate()
    earthquake = Drill.objects.get(plan=plans["自然灾害应急预案"])
    assert builder.term_defs[0][1] <= earthquake.held_on < builder.term_defs[1][1] <= drill.held_on <= today
    states = sorted(f.status for f in selectors.drill_follow_ups(drill))
    assert states == [Finding.Status.OPEN, Finding.Status.VERIFIED]
    assert all(f.deadline >= today for f in selectors.drill_follow_ups(drill) if f.status == "open")
    # The history is dated on the drill's day, not when the demo was built.
    assert {timezone.localtime(e["when"]).date() for e in history_timeline(drill)} == {drill.held_on}

    pledges = Pledge.objects.all()
    assert pledges.count() == 4 + 12
    assert set(pledges.filter(signed_on=None).values_list("name", flat=True)) == {"五(2)班", "六(1)班", "食堂"}
    assert all(p.scan for p in pledges.exclude(signed_on=None))

    counts = (EmergencyPlan.objects.count(), Drill.objects.count(), Finding.objects.count(), pledges.count())
    plans_demo.AREA.seed(builder)
    pledges_demo.AREA.seed(builder)
    assert (EmergencyPlan.objects.count(), Drill.objects.count(), Finding.objects.count(),
            Pledge.objects.count()) == counts
    assert "5 in force (1 past review)" in plans_demo.AREA.summary()[0]
    assert "13 of 16 signed" in pledges_demo.AREA.summary()[0]
