# ruff: noqa: F811 - the stock fixture is imported from the service tests and used as a parameter
"""The demo stocktakes: built through the services when the register has assets, once, and never without."""

from django.utils import timezone

from assets.demo import stocktake as demo
from assets.models import Asset, Stocktake, StocktakeRoom
from tests.demo import demo_builder

from .test_stocktake_services import make_asset, stock  # noqa: F401


def builder(users, term):
    people = {"head": users["head"], "logistics": users["worker"], "logistics2": users["worker2"]}
    return demo_builder(users=people, current_term=term)


def test_demo_builds_a_closed_registration_and_an_open_recheck_once(users, stock):
    make_asset(20, "音箱", stock["r1"])
    b = builder(users, stock["term"])
    note = demo.seed(b)
    assert "closed term-start registration of 2 rooms" in note
    start = Stocktake.objects.get(kind=Stocktake.Kind.TERM_START)
    assert start.status == Stocktake.Status.CLOSED and start.opened_at < timezone.now()
    assert set(start.rooms.values_list("status", flat=True)) == {StocktakeRoom.Status.SIGNED}
    assert start.rooms.filter(lines__outcome="moved").count() == 1
    recheck = Stocktake.objects.get(kind=Stocktake.Kind.TERM_END)
    assert recheck.is_open
    assert list(recheck.rooms.values_list("status", flat=True).order_by("pk")) == ["checked", "pending"]
    # Run again: nothing added.
    assert demo.seed(b) == "Stocktakes are already there: left as they are."
    assert Stocktake.objects.count() == 2


def test_demo_without_assets_does_nothing(users, school):
    assert "no assets" in demo.seed(builder(users, school["term"]))
    assert not Stocktake.objects.exists() and not Asset.objects.exists()
