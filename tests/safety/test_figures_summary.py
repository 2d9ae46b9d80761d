"""Safety in the term summary: chapter 四 (安全工作) holds the safety figures, the open hazards and the missed
inspections are carried into the last chapter (存在的不足与下学期打算), a figure may be quoted in the head's
words, and the principal's and the head's dashboards show the open and overdue hazards."""
import pytest
from django.urls import reverse
from django.utils import translation

from logistics import dashboard
from logistics.summary import document, services

from .test_figures import build

pytestmark = pytest.mark.usefixtures("english", "english_pages")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def layout(summary, lang):
    with translation.override(lang):
        return document.layout(document.collect(summary))


def chapter(doc, key):
    return next(c for c in doc.chapters if c.key == key)


def test_the_summary_has_the_safety_chapter_fourth_before_the_outlook(users, school):
    summary = services.start(school["term"], users["head"])
    doc = layout(summary, "zh-hans")
    keys = [c.key for c in doc.chapters]
    assert keys.index("safety") == keys.index("canteen") + 1 == keys.index("outlook") - 1
    assert chapter(doc, "safety").number == "四"
    with translation.override("en"):
        assert chapter(layout(summary, "en"), "safety").title == "Safety work"


def test_the_safety_chapter_holds_the_safety_figures(users, school):
    build(users, school)
    doc = layout(services.start(school["term"], users["head"]), "en")
    rows = {f.key: (f.label, f.value, f.unit) for f in chapter(doc, "safety").figures}
    assert all(key.startswith("safety.") for key in rows)
    assert rows["safety.inspections.held"][1] == "1"
    assert rows["safety.hazards.found"] == ("hazards found", "4", "")
    assert rows["safety.drills.evacuation_seconds"] == ("average evacuation time", "120", "seconds")
    assert rows["safety.duty.staffed_percent"][1] == "50%"
    assert rows["safety.pledges.signed"][1] == "1" and rows["safety.pledges.total"][1] == "2"
    # no safety figure strays into another chapter
    others = [f.key for c in doc.chapters if c.key != "safety" for f in c.figures]
    assert not [k for k in others if k.startswith("safety.")]


def test_open_hazards_are_carried_into_the_last_chapter(users, school):
    build(users, school)
    doc = layout(services.start(school["term"], users["head"]), "en")
    carried = chapter(doc, "outlook").carried
    assert "hazards not yet closed: 3" in carried
    assert "hazards past their deadline: 1" in carried
    assert "safety inspections not held on their day: 1" in carried


def test_nothing_of_safety_is_carried_when_everything_is_closed(users, school):
    doc = layout(services.start(school["term"], users["head"]), "en")
    assert not [line for line in chapter(doc, "outlook").carried if "hazard" in line or "safety" in line]


def test_the_head_may_quote_a_safety_figure_in_the_chapter(users, school):
    build(users, school)
    summary = services.start(school["term"], users["head"])
    part = summary.chapters.get(key="safety")
    part.narrative = "本学期共排查隐患{safety.hazards.found}处，开展应急演练{safety.drills.held}次。"
    part.save()
    doc = layout(summary, "zh-hans")
    assert chapter(doc, "safety").points == ["本学期共排查隐患4处，开展应急演练1次。"]
    assert "safety" not in doc.errors


@pytest.mark.parametrize("who", ["principal", "head"])
def test_the_leaders_dashboards_show_the_open_and_overdue_hazards(users, school, client, who):
    build(users, school)
    board = dashboard.dashboard(users[who], school["term"])
    tiles = {t.key: t for t in board.tiles}
    assert tiles["safety.hazards.still_open"].value == "3" and tiles["safety.hazards.still_open"].warn
    assert tiles["safety.hazards.overdue"].value == "1" and tiles["safety.hazards.overdue"].warn
    client.force_login(users[who])
    page = client.get(reverse("home")).content.decode()
    assert str(tiles["safety.hazards.still_open"].label) in page


def test_finance_sees_no_safety_figures(users, school):
    build(users, school)
    board = dashboard.dashboard(users["finance"], school["term"])
    assert not [t for t in (board.tiles if board else []) if t.key.startswith("safety.")]
