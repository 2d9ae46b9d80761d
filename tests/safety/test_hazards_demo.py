"""The hazards' demo, built through the services at business moments: the handrail reported, repaired, fixed and
re-checked (the repair linked to it), the wall past its deadline, the exposed wires open; built once."""
import pytest

from assets.models import RepairRequest
from logistics.history import history_timeline
from logistics.models import Finding, Location
from safety.demo import hazards as demo
from tests.conftest import make_user
from tests.demo import demo_builder

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_hazards(users, school):
    people = {**users, "teacher4": make_user("teacher4", "staff", "何强"), "logistics": users["worker"]}
    rooms = {name: Location.objects.create(building=school["building"], name=name)
             for name in ("楼梯间", "围墙", "微机室")}
    builder = demo_builder(users=people, current_term=school["term"], rooms=rooms)
    demo.AREA.seed(builder)
    handrail, wall, wire = (Finding.objects.get(title=t) for t in (demo.HANDRAIL, demo.WALL, demo.WIRE))
    assert handrail.status == Finding.Status.VERIFIED and handrail.found_by == people["teacher"]
    assert handrail.fixed_by == people["safety"] and handrail.verified_by == people["head"]
    repair = RepairRequest.objects.get(finding=handrail)
    assert repair.status == RepairRequest.Status.CONFIRMED and repair.assignee == people["worker"]
    assert wall.is_overdue and wall.severity == "serious"
    assert wire.status == Finding.Status.OPEN and wire.severity == "serious"
    # the history reads in business order, every moment before now
    whens = [e["when"] for e in history_timeline(handrail)]
    assert whens == sorted(whens) and whens[0] == handrail.found_at < repair.reported_at < handrail.fixed_at
    assert any("opened repair" in str(e["reason"]) for e in history_timeline(handrail))
    demo.AREA.seed(builder)  # a second run adds nothing
    assert Finding.objects.filter(area="safety").count() == 3 and RepairRequest.objects.count() == 1
    assert "3 (1 verified, 1 with a repair, 1 overdue)" in demo.AREA.summary()[0]
