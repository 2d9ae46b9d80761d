"""`manage.py seed_demo --size large`: a central school's five years, at a tiny scale."""
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from assets.models import Asset, AssetCategory, RepairCategory, RepairRequest
from assets.services.register import asset_register
from assets.services.repairs import repair_report
from logistics import roles
from logistics.demo_large import MARKER
from logistics.models import Location, Term

SCALE = 0.002
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_large(*args, scale=SCALE):
    out = io.StringIO()
    with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", "--size", "large", "--scale", str(scale), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def large(db):
    return seed_large()


@pytest.mark.parametrize("scale", [0.002, 0.004])
def test_counts_follow_the_scale(db, scale):
    output = seed_large(scale=scale)
    assert Asset.objects.count() == round(50_000 * scale)
    assert RepairRequest.objects.count() == round(20_000 * scale)
    assert Term.objects.count() == 10  # five school years, whatever the scale
    assert Location.objects.count() > 250  # the campuses' rooms, whatever the scale
    assert User.objects.filter(username__startswith="u0").count() >= 9  # at least one of each role
    assert f"Repairs: {round(20_000 * scale)} requests" in output


def test_every_repair_status_is_there_with_its_moments_in_order(large):
    repairs = list(RepairRequest.objects.all())
    assert {r.status for r in repairs} == set(RepairRequest.Status.values)
    for r in repairs:
        moments = [m for m in (r.reported_at, r.assigned_at, r.started_at, r.completed_at, r.closed_at) if m]
        assert moments == sorted(moments), r.number
        assert max(moments) <= timezone.now()
        if r.status in RepairRequest.CLOSED_STATUSES:
            assert r.closed_at is not None
        if r.status in (RepairRequest.Status.DONE, RepairRequest.Status.CONFIRMED):
            assert r.completed_at and r.started_at and r.assignee_id and r.work_done
        if r.status == RepairRequest.Status.REPORTED:
            assert r.assignee_id is None and r.closed_at is None


def test_history_carries_the_business_dates_and_people(large):
    for repair in RepairRequest.objects.all():
        rows = list(repair.history.order_by("history_date", "history_id"))
        assert rows[0].history_type == "+"
        assert rows[0].history_date == repair.reported_at
        assert rows[0].history_user_id == repair.reporter_id
        assert rows[0].status == RepairRequest.Status.REPORTED
        assert rows[-1].status == repair.status
        assert len(rows) == repair.version
        assert all(row.history_user_id for row in rows)
        assert '"m": "reported"' in rows[0].history_change_reason
    for asset in Asset.objects.all():
        rows = list(asset.history.order_by("history_date", "history_id"))
        assert rows[0].history_type == "+" and rows[0].history_date == asset.created_at
        assert rows[-1].status == asset.status and rows[-1].location_id == asset.location_id
        assert all(row.history_user.groups.filter(name=roles.LOGISTICS).exists() for row in rows)
    # the people the data names are members of the roles they act in
    workers = set(User.objects.filter(groups__name=roles.LOGISTICS).values_list("pk", flat=True))
    assert set(RepairRequest.objects.exclude(assignee=None).values_list("assignee_id", flat=True)) <= workers


def test_numbers_continue_after_the_seeded_ones(large):
    year = timezone.localdate().year
    seeded_repairs = set(RepairRequest.objects.values_list("number", flat=True))
    seeded_tags = set(Asset.objects.values_list("tag", flat=True))
    assert len(seeded_repairs) == RepairRequest.objects.count()
    reporter = User.objects.get(username="teacher")
    repair = repair_report(reporter=reporter, category=RepairCategory.LIGHTING, location=Location.objects.first(),
                           title="灯管不亮")
    this_year = [n for n in seeded_repairs if n.startswith(f"WX-{year}-")]
    assert this_year  # the newest requests are this year's
    assert repair.number > max(this_year)
    assert repair.number.startswith(f"WX-{year}-")
    asset = asset_register(by=User.objects.get(username="head"), name="投影仪",
                           category=AssetCategory.objects.get(name="投影仪"), location=Location.objects.first(),
                           unit_price="4200.00")
    assert asset.tag > max((t for t in seeded_tags if t.startswith(f"ZC-{year}-")), default="")


def test_running_it_twice_is_refused_and_changes_nothing(large):
    before = (Asset.objects.count(), RepairRequest.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="already holds the large demo data"):
        seed_large()
    assert (Asset.objects.count(), RepairRequest.objects.count(), User.objects.count()) == before
    assert User.objects.filter(username=MARKER).count() == 1


def test_the_named_demo_people_can_sign_in(large, client):
    assert client.login(username="head", password="demo12345")
    assert User.objects.get(username="u0001").check_password("demo12345")


def test_scale_is_only_for_the_large_data(db):
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="--scale only applies"):
        call_command("seed_demo", "--scale", "0.5", stdout=io.StringIO())
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="greater than 0"):
        call_command("seed_demo", "--size", "large", "--scale", "0", stdout=io.StringIO())
    assert not Asset.objects.exists()


def test_refused_unless_debug_or_force(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--size", "large", "--scale", str(SCALE), stdout=io.StringIO())
    assert not User.objects.exists()


def test_the_term_summaries_quote_the_large_data(large):
    from logistics.models import TermSummary

    summaries = {s.term.name: s for s in TermSummary.objects.select_related("term")}
    current = Term.objects.current()
    assert summaries[current.name].status == TermSummary.Status.DRAFT
    signed = [s for s in summaries.values() if s.status == TermSummary.Status.SIGNED]
    assert len(signed) == 1 and signed[0].term.end < current.start
    assert signed[0].history.filter(history_user__username="principal").exists()
    assert "Term summaries:" in large


def test_this_terms_stocktake_is_open_with_a_line_for_each_asset_of_its_rooms(large):
    from assets.models import Stocktake, StocktakeLine

    stocktake = Stocktake.objects.get()
    assert stocktake.status == Stocktake.Status.OPEN and stocktake.term == Term.objects.order_by("start").last()
    rooms = [room.location_id for room in stocktake.rooms.all()]
    assert len({Location.objects.get(pk=pk).building_id for pk in rooms}) == 1  # one building
    on_books = Asset.objects.exclude(status__in=Asset.INACTIVE_STATUSES).filter(location__in=rooms).count()
    assert StocktakeLine.objects.filter(room__stocktake=stocktake).count() == on_books > 0
    assert stocktake.history.get().history_user.groups.filter(name=roles.LOGISTICS_HEAD).exists()
