"""A term-end re-check of one room, on a phone (390 px), as the logistics worker does it."""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assets import services
from assets.models import Asset, AssetCategory, StocktakeLine, StocktakeRoom
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_worker_rechecks_a_room_on_a_phone(live_server, roles_ready, users, school, phone, login):
    room, other = school["rooms"]
    category = AssetCategory.objects.create(name="教学设备", code="A02")
    projector = Asset.objects.create(tag="ZC-2026-00001", name="投影仪", location=room, category=category,
                                     unit_price=Decimal("4500.00"))
    speaker = Asset.objects.create(tag="ZC-2026-00002", name="音箱", location=room, category=category,
                                   unit_price=Decimal("300.00"))
    desks = Asset.objects.create(tag="ZC-2026-00003", name="学生课桌椅", location=room, category=category,
                                 unit_price=Decimal("300.00"), quantity=45, unit="套")
    stocktake = services.stocktake_open(by=users["head"], name="期末清查", locations=[room])
    sheet = StocktakeRoom.objects.get(stocktake=stocktake)

    page = login(phone(), "worker", PASSWORD)
    page.get_by_role("link", name="Stocktakes").first.click()
    page.get_by_role("link", name="期末清查").click()
    page.locator(".room-row a").filter(has_text="一(1)班").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("一(1)班")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "pending")

    # Nothing spills sideways on a 390 px phone, and the result buttons are big enough for a thumb.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    projector_line = page.locator(f".sheet-line[data-tag='{projector.tag}']")
    box = projector_line.locator("label.seg").first.bounding_box()
    assert box["height"] >= 44, box

    # The projector is missing; the speaker was moved to 一(2)班; the desks are all there.
    projector_line.locator("label.seg", has_text="Missing").click()
    speaker_line = page.locator(f".sheet-line[data-tag='{speaker.tag}']")
    move_to = speaker_line.locator("input[name$=moved_to]")
    expect(move_to).to_be_hidden()  # only asked for when the item has moved
    speaker_line.locator("label.seg", has_text="Moved").click()
    expect(move_to).to_be_visible()
    # The rooms are offered by the page's one list (the sheet's own room left out), the browser's own chooser.
    expect(move_to).to_have_attribute("list", "rooms-list")
    expect(page.locator("datalist#rooms-list option")).to_have_count(1)
    expect(page.locator("datalist#rooms-list option").first).to_have_attribute("value", f"教学楼 · {other.name}")
    move_to.fill(f"教学楼 · {other.name}")
    speaker_line.locator("input[name$=note]").fill("借给一(2)班上公开课")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the sheet: room checked").click()

    expect(page.locator(".msg-success")).to_contain_text("is checked")
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "checked")
    # The sheet shows what was saved.
    expect(page.locator(f".sheet-line[data-tag='{projector.tag}'] input[value=missing]")).to_be_checked()
    expect(page.locator(f".sheet-line[data-tag='{speaker.tag}'] input[name$=moved_to]")).to_have_value(
        f"教学楼 · {other.name}")
    expect(page.locator(".timeline .what").last).to_contain_text("checked: 3 items, 2 differences")

    lines = {line.asset_id: line for line in StocktakeLine.objects.filter(room=sheet)}
    assert (lines[projector.pk].outcome, lines[projector.pk].counted_quantity) == ("missing", 0)
    assert (lines[speaker.pk].outcome, lines[speaker.pk].moved_to, lines[speaker.pk].note) == (
        "moved", other, "借给一(2)班上公开课")
    assert (lines[desks.pk].outcome, lines[desks.pk].counted_quantity) == ("present", 45)
    sheet.refresh_from_db()
    assert sheet.checked_by == users["worker"]

    # Then the keeper's signature is recorded from the same page.
    page.fill("input[name=keeper_name]", "王丽")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the signatures").click()
    expect(page.locator("[data-testid=status]")).to_have_attribute("data-status", "signed")
