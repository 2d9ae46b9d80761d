"""Stocktakes (清查): every rule and refusal of open, save a room sheet, sign, close, and the history each leaves."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assets import selectors, services
from assets.models import (
    Asset,
    AssetCategory,
    DamageRecord,
    RepairRequest,
    Stocktake,
    StocktakeLine,
    StocktakeRoom,
)
from logistics.history import history_timeline
from logistics.models import Location

Outcome = StocktakeLine.Outcome


def make_asset(seq, name, location, *, quantity=1, price="100.00", unit="台", status=Asset.Status.IN_USE,
               category=None, spec=""):
    category = category or AssetCategory.objects.get_or_create(name="通用设备", defaults={"code": "A02"})[0]
    return Asset.objects.create(tag=f"ZC-2026-{seq:05d}", name=name, location=location, quantity=quantity,
                                unit_price=Decimal(price), unit=unit, status=status, category=category, spec=spec)


@pytest.fixture
def stock(school):
    """Two classrooms with assets, a third with none; a lost asset that must not be counted."""
    r1, r2 = school["rooms"]
    empty = Location.objects.create(building=school["building"], name="一(3)班", floor=1)
    furniture = AssetCategory.objects.create(name="课桌椅", code="A05010203", is_fixed_asset=False)
    assets = {
        "projector": make_asset(1, "投影仪", r1, price="4500.00", spec="EB-X51"),
        "desks": make_asset(2, "学生课桌椅", r1, quantity=45, price="300.00", unit="套", category=furniture),
        "computer": make_asset(3, "班班通一体机", r2, price="6000.00"),
        "bookcase": make_asset(4, "书柜", r2, price="800.00", unit="个", category=furniture),
        "lost": make_asset(5, "旧录音机", r1, price="200.00", status=Asset.Status.LOST),
    }
    return {**school, "assets": assets, "empty": empty, "r1": r1, "r2": r2}


def open_school(head, **kwargs):
    return services.stocktake_open(by=head, name="期末清查", kind=Stocktake.Kind.TERM_END, **kwargs)


def sheet_of(stocktake, location):
    return StocktakeRoom.objects.get(stocktake=stocktake, location=location)


def line_of(room, asset):
    return StocktakeLine.objects.get(room=room, asset=asset)


def all_present(room, overrides=None):
    """The whole sheet with every line present, except the overrides {asset: {...}}."""
    lines = {}
    for line in room.lines.filter(asset__isnull=False):
        lines[line.pk] = {"outcome": Outcome.PRESENT}
        for asset, values in (overrides or {}).items():
            if line.asset_id == asset.pk:
                lines[line.pk] = values
    return lines


def check(room, by, found=(), overrides=None):
    room.refresh_from_db()
    return services.stocktake_room_save(room_id=room.pk, by=by, lines=all_present(room, overrides),
                                        found=found, expected_version=room.version)


def check_and_sign(stocktake, by, overrides=None, found=None):
    for room in stocktake.rooms.all():
        check(room, by, found=(found or {}).get(room.location_id, ()),
              overrides=(overrides or {}).get(room.location_id))
        room.refresh_from_db()
        services.stocktake_room_sign(room_id=room.pk, by=by, keeper_name="王丽", expected_version=room.version)



@pytest.fixture(autouse=True)
def english():
    """Follow-ups and reasons are stored untranslated; these tests read them in English."""
    with translation.override("en"):
        yield

def reasons(obj):
    """The timeline's sentences, read in English (they are stored untranslated)."""
    with translation.override("en"):
        return [e["reason"] for e in history_timeline(obj)]


# --- open ------------------------------------------------------------------------------------

def test_head_opens_a_whole_school_stocktake_with_a_line_per_active_asset(users, stock):
    stocktake = open_school(users["head"], term=stock["term"])
    rooms = {r.location: r for r in stocktake.rooms.all()}
    assert set(rooms) == {stock["r1"], stock["r2"]}  # the room without assets is left out
    r1 = rooms[stock["r1"]]
    assert {(line.asset.name, line.expected_quantity) for line in r1.lines.all()} == {("投影仪", 1), ("学生课桌椅", 45)}
    assert r1.status == StocktakeRoom.Status.PENDING
    assert stocktake.opened_by == users["head"] and stocktake.is_open and stocktake.term == stock["term"]
    assert reasons(stocktake) == ["opened for 2 rooms"]
    assert reasons(r1) == ["sheet made"]
    assert reasons(line_of(r1, stock["assets"]["desks"])) == ["put on the sheet"]


def test_head_opens_a_stocktake_of_chosen_rooms(users, stock):
    stocktake = open_school(users["head"], locations=[stock["r2"]])
    assert [r.location for r in stocktake.rooms.all()] == [stock["r2"]]
    assert StocktakeLine.objects.filter(room__stocktake=stocktake).count() == 2


def test_a_chosen_room_without_assets_gets_an_empty_sheet(users, stock):
    stocktake = open_school(users["head"], locations=[stock["empty"]])
    assert sheet_of(stocktake, stock["empty"]).lines.count() == 0


@pytest.mark.parametrize("who", ["worker", "teacher", "auditor", "principal"])
def test_only_the_head_opens_stocktakes(users, stock, who):
    with pytest.raises(PermissionDenied):
        open_school(users[who])
    assert not Stocktake.objects.exists()


def test_a_second_open_stocktake_of_the_same_room_is_refused(users, stock):
    open_school(users["head"], locations=[stock["r1"]])
    with pytest.raises(ValidationError) as e:
        open_school(users["head"])
    assert "一(1)班" in str(e.value) and "一(2)班" not in str(e.value)
    assert Stocktake.objects.count() == 1
    # Another room is free; and once the first is closed, its room is free again.
    open_school(users["head"], locations=[stock["r2"]])
    assert Stocktake.objects.count() == 2


def test_a_stocktake_needs_a_name_and_something_to_count(users, school):
    with pytest.raises(ValidationError):
        services.stocktake_open(by=users["head"], name="  ")
    with pytest.raises(ValidationError) as e:
        services.stocktake_open(by=users["head"], name="期末清查")  # no assets anywhere
    assert e.value.code == "empty"


# --- the room sheet --------------------------------------------------------------------------

def test_worker_saves_a_room_sheet_and_the_room_is_checked(users, stock):
    stocktake = open_school(users["head"])
    room = sheet_of(stocktake, stock["r1"])
    a = stock["assets"]
    saved = check(room, users["worker"], found=[{"found_name": "折叠椅", "quantity": 2, "note": "无标签"}],
                  overrides={a["projector"]: {"outcome": Outcome.MOVED, "moved_to": stock["r2"], "note": "借给二班"}})
    assert not saved.was_duplicate
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.CHECKED
    assert room.checked_by == users["worker"] and room.checked_at is not None
    projector = line_of(room, a["projector"])
    assert (projector.outcome, projector.moved_to, projector.note, projector.counted_quantity) == (
        Outcome.MOVED, stock["r2"], "借给二班", 1)
    desks = line_of(room, a["desks"])
    assert (desks.outcome, desks.counted_quantity) == (Outcome.PRESENT, 45)
    found = room.lines.get(asset__isnull=True)
    assert (found.found_name, found.counted_quantity, found.outcome) == ("折叠椅", 2, Outcome.FOUND)
    assert reasons(room)[-1] == "checked: 2 items, 1 differences, 1 found"
    assert reasons(projector)[-1] == "counted: moved to 教学楼 · 一(2)班"
    assert reasons(found) == ["found, not registered"]
    assert history_timeline(room)[-1]["who"] == "张师傅"


def test_a_batch_counted_short_is_part_missing(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"],
          overrides={stock["assets"]["desks"]: {"outcome": Outcome.PRESENT, "counted_quantity": 43}})
    desks = line_of(room, stock["assets"]["desks"])
    assert (desks.outcome, desks.counted_quantity, desks.difference) == (Outcome.MISSING, 43, -2)
    assert reasons(desks)[-1] == "counted: 43 of 45, missing"


def test_missing_counts_zero_unless_told_and_cannot_exceed_the_books(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"], overrides={stock["assets"]["projector"]: {"outcome": Outcome.MISSING}})
    assert line_of(room, stock["assets"]["projector"]).counted_quantity == 0
    with pytest.raises(ValidationError) as e:
        check(room, users["worker"],
              overrides={stock["assets"]["desks"]: {"outcome": Outcome.MISSING, "counted_quantity": 45}})
    assert "ZC-2026-00002" in str(e.value)


@pytest.mark.parametrize("moved_to", [None, "same", "inactive"])
def test_moved_needs_another_place_in_use(users, stock, moved_to):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    place = {"same": stock["r1"], "inactive": Location.objects.create(
        building=stock["building"], name="旧仓库", active=False), None: None}[moved_to]
    with pytest.raises(ValidationError) as e:
        check(room, users["worker"],
              overrides={stock["assets"]["projector"]: {"outcome": Outcome.MOVED, "moved_to": place}})
    assert "投影仪" in str(e.value)
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.PENDING
    assert not room.lines.exclude(outcome="").exists()


def test_a_sheet_with_an_unmarked_line_is_refused(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    lines = all_present(room)
    lines.pop(line_of(room, stock["assets"]["desks"]).pk)
    with pytest.raises(ValidationError) as e:
        services.stocktake_room_save(room_id=room.pk, by=users["worker"], lines=lines)
    assert e.value.code == "incomplete" and "学生课桌椅" in str(e.value)


def test_a_line_of_another_room_is_refused(users, stock):
    stocktake = open_school(users["head"])
    room = sheet_of(stocktake, stock["r1"])
    other = sheet_of(stocktake, stock["r2"])
    lines = {**all_present(room), **all_present(other)}
    with pytest.raises(ValidationError) as e:
        services.stocktake_room_save(room_id=room.pk, by=users["worker"], lines=lines)
    assert e.value.code == "mismatch"


@pytest.mark.parametrize("who", ["teacher", "auditor", "principal"])
def test_only_logistics_records_sheets(users, stock, who):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    with pytest.raises(PermissionDenied):
        services.stocktake_room_save(room_id=room.pk, by=users[who], lines=all_present(room))


def test_the_head_may_record_a_sheet_too(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["head"])
    room.refresh_from_db()
    assert room.checked_by == users["head"]


def test_the_same_sheet_sent_twice_is_saved_once(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    version = room.version
    found = [{"found_name": "折叠椅", "quantity": 2}]
    lines = all_present(room, {stock["assets"]["desks"]: {"outcome": Outcome.PRESENT, "counted_quantity": 44}})
    services.stocktake_room_save(room_id=room.pk, by=users["worker"], lines=lines, found=found,
                                 expected_version=version)
    history_before = StocktakeRoom.history.count() + StocktakeLine.history.count()
    again = services.stocktake_room_save(room_id=room.pk, by=users["worker"], lines=lines, found=found,
                                         expected_version=version)
    assert again.was_duplicate
    assert StocktakeRoom.history.count() + StocktakeLine.history.count() == history_before
    assert room.lines.filter(asset__isnull=True).count() == 1


def test_a_different_sheet_on_a_stale_page_is_refused(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    version = room.version
    services.stocktake_room_save(room_id=room.pk, by=users["worker"], lines=all_present(room),
                                 expected_version=version)
    stale = all_present(room, {stock["assets"]["projector"]: {"outcome": Outcome.MISSING}})
    with pytest.raises(ValidationError) as e:
        services.stocktake_room_save(room_id=room.pk, by=users["worker2"], lines=stale, expected_version=version)
    assert e.value.code == "stale"
    assert line_of(room, stock["assets"]["projector"]).outcome == Outcome.PRESENT


def test_a_checked_sheet_can_be_corrected_and_a_found_item_removed(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"], found=[{"found_name": "折叠椅", "quantity": 2}])
    found = room.lines.get(asset__isnull=True)
    check(room, users["worker2"], found=[{"id": found.pk, "found_name": "", "quantity": None}],
          overrides={stock["assets"]["projector"]: {"outcome": Outcome.DAMAGED, "note": "屏幕裂"}})
    room.refresh_from_db()
    assert room.checked_by == users["worker2"]
    assert not room.lines.filter(asset__isnull=True).exists()
    assert reasons(room)[-1] == "checked again: 2 items, 1 differences, 0 found"
    assert StocktakeLine.history.filter(id=found.pk, history_type="-").exists()


# --- sign ------------------------------------------------------------------------------------

def test_a_sheet_is_signed_only_after_it_is_checked(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    with pytest.raises(ValidationError) as e:
        services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽")
    assert e.value.code == "unchecked"
    check(room, users["worker"])
    with pytest.raises(ValidationError):
        services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name=" ")
    room.refresh_from_db()
    services.stocktake_room_sign(room_id=room.pk, by=users["worker2"], keeper_name="王丽",
                                 expected_version=room.version)
    room.refresh_from_db()
    assert (room.status, room.keeper_name, room.signed_by) == (StocktakeRoom.Status.SIGNED, "王丽", users["worker2"])
    assert room.signed_at is not None
    assert reasons(room)[-1] == "signed, with 王丽"  # the row's who is 李师傅


def test_signing_twice_from_the_same_page_is_one_signature(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"])
    room.refresh_from_db()
    services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽", expected_version=room.version)
    again = services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽",
                                         expected_version=room.version)
    assert again.was_duplicate
    assert StocktakeRoom.history.filter(id=room.pk, keeper_name="王丽").count() == 1


def test_a_signed_sheet_no_longer_changes(users, stock):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"])
    services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽")
    with pytest.raises(ValidationError) as e:
        check(room, users["worker"])
    assert e.value.code == "signed"
    with pytest.raises(ValidationError):
        services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="刘洋")


@pytest.mark.parametrize("who", ["teacher", "auditor"])
def test_only_logistics_records_signatures(users, stock, who):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"])
    with pytest.raises(PermissionDenied):
        services.stocktake_room_sign(room_id=room.pk, by=users[who], keeper_name="王丽")


# --- close -----------------------------------------------------------------------------------

def test_close_is_refused_while_a_room_is_unchecked_or_unsigned_naming_the_rooms(users, stock):
    stocktake = open_school(users["head"])
    with pytest.raises(ValidationError) as e:
        services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    assert e.value.code == "unchecked" and "一(1)班" in str(e.value) and "一(2)班" in str(e.value)
    check(sheet_of(stocktake, stock["r1"]), users["worker"])
    check(sheet_of(stocktake, stock["r2"]), users["worker"])
    services.stocktake_room_sign(room_id=sheet_of(stocktake, stock["r1"]).pk, by=users["worker"], keeper_name="王丽")
    with pytest.raises(ValidationError) as e:
        services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    assert e.value.code == "unsigned" and "一(2)班" in str(e.value) and "一(1)班" not in str(e.value)
    stocktake.refresh_from_db()
    assert stocktake.is_open


@pytest.mark.parametrize("who", ["worker", "auditor", "principal"])
def test_only_the_head_closes(users, stock, who):
    stocktake = open_school(users["head"])
    check_and_sign(stocktake, users["worker"])
    with pytest.raises(PermissionDenied):
        services.stocktake_close(stocktake_id=stocktake.pk, by=users[who])


def test_close_turns_each_difference_into_its_follow_up(users, stock):
    a = stock["assets"]
    a["printer"] = make_asset(6, "打印机", stock["r2"], price="1500.00")
    a["chairs"] = make_asset(7, "椅子", stock["r2"], quantity=10, price="50.00", unit="把")
    stocktake = open_school(users["head"])
    r1, r2 = stock["r1"].pk, stock["r2"].pk
    check_and_sign(stocktake, users["worker"], overrides={
        r1: {a["projector"]: {"outcome": Outcome.MISSING},
             a["desks"]: {"outcome": Outcome.PRESENT, "counted_quantity": 43}},
        r2: {a["computer"]: {"outcome": Outcome.DAMAGED, "note": "开不了机"},
             a["printer"]: {"outcome": Outcome.DAMAGED, "damage_action": "record", "note": "学生碰坏"},
             a["bookcase"]: {"outcome": Outcome.MOVED, "moved_to": stock["r1"]},
             a["chairs"]: {"outcome": Outcome.PRESENT, "counted_quantity": 11}},
    }, found={r2: [{"found_name": "折叠椅", "quantity": 2}]})
    stocktake.refresh_from_db()
    closed = services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"],
                                      expected_version=stocktake.version)
    assert closed.status == Stocktake.Status.CLOSED and closed.closed_by == users["head"]
    assert closed.follow_up_summary == {"lost": 1, "reduced": 1, "repairs": 1, "damage_records": 1, "moved": 1,
                                        "found": 1}
    for asset in a.values():
        asset.refresh_from_db()
    today = timezone.localdate()

    # Missing, all of it: lost, with the day and its value.
    assert (a["projector"].status, a["projector"].disposed_on, a["projector"].disposed_value) == (
        Asset.Status.LOST, today, Decimal("4500.00"))
    assert reasons(a["projector"])[-1] == "recorded lost by stocktake 期末清查, value ¥4,500.00"
    r1_sheet, r2_sheet = sheet_of(stocktake, stock["r1"]), sheet_of(stocktake, stock["r2"])
    assert line_of(r1_sheet, a["projector"]).follow_up_text == "shortfall: all missing, recorded lost, ¥4,500.00"

    # Part of a batch missing: the quantity drops, the shortfall's value noted.
    assert (a["desks"].quantity, a["desks"].status) == (43, Asset.Status.IN_USE)
    assert reasons(a["desks"])[-1] == "quantity 45 → 43 by stocktake 期末清查: 2 missing, ¥600.00"
    assert line_of(r1_sheet, a["desks"]).follow_up_text == "shortfall 2: quantity 45 → 43, ¥600.00"

    # Damaged, the default: a repair request for the asset, reported by the head; the asset under repair.
    repair = RepairRequest.objects.get(asset=a["computer"])
    assert (repair.reporter, repair.location, repair.status) == (users["head"], stock["r2"], "reported")
    assert "班班通一体机" in repair.title and repair.description == "开不了机"
    assert a["computer"].status == Asset.Status.UNDER_REPAIR
    assert reasons(a["computer"])[-1] == f"found damaged by stocktake 期末清查; repair {repair.number} opened"
    assert reasons(repair)[-1] == "linked to asset ZC-2026-00003"
    assert line_of(r2_sheet, a["computer"]).follow_up_text == f"repair {repair.number} opened"

    # Damaged, a damage record chosen: responsible unknown, nothing assessed yet.
    record = DamageRecord.objects.get(asset=a["printer"])
    assert (record.responsible, record.assessed_amount, record.recorded_by) == (
        "unknown", Decimal("0"), users["head"])
    assert "学生碰坏" in record.description and record.history.count() == 1
    assert a["printer"].status == Asset.Status.DAMAGED
    assert not RepairRequest.objects.filter(asset=a["printer"]).exists()

    # Moved: the asset's place changes, with history saying by which stocktake.
    assert a["bookcase"].location == stock["r1"]
    assert reasons(a["bookcase"])[-1] == "moved to 教学楼 · 一(1)班 by stocktake 期末清查 (was 教学楼 · 一(2)班)"
    assert history_timeline(a["bookcase"])[-1]["who"] == "陈主任"

    # Counted more than the books: noted for logistics, the books left alone.
    assert a["chairs"].quantity == 10
    assert "1 more than the books" in line_of(r2_sheet, a["chairs"]).follow_up_text

    # Found, not registered: listed as surplus, nothing registered automatically.
    found = r2_sheet.lines.get(asset__isnull=True)
    assert found.follow_up_text == "surplus for logistics to register: 折叠椅 × 2"
    assert Asset.objects.count() == 7
    assert a["lost"].status == Asset.Status.LOST  # untouched: it was never on the sheet

    # Present lines get no follow-up, and the stocktake's history sums it up.
    assert reasons(closed)[-1] == ("closed: 1 lost, 1 batches reduced, 1 repairs, 1 damage records, 1 moved, "
                                   "1 found to register")


def test_a_second_close_is_refused(users, stock):
    stocktake = open_school(users["head"])
    check_and_sign(stocktake, users["worker"])
    services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    with pytest.raises(ValidationError) as e:
        services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    assert e.value.code == "closed"
    # And its sheets no longer change.
    with pytest.raises(ValidationError):
        check(sheet_of(stocktake, stock["r1"]), users["worker"])


def test_close_from_a_stale_page_is_refused(users, stock):
    stocktake = open_school(users["head"])
    check_and_sign(stocktake, users["worker"])
    with pytest.raises(ValidationError) as e:
        services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"], expected_version=stocktake.version + 5)
    assert e.value.code == "stale"


def test_an_asset_changed_since_the_count_is_left_alone(users, stock):
    a = stock["assets"]
    stocktake = open_school(users["head"])
    check_and_sign(stocktake, users["worker"], overrides={stock["r1"].pk: {a["projector"]: {"outcome": "missing"}}})
    Asset.objects.filter(pk=a["projector"].pk).update(location=stock["r2"])  # moved meanwhile by the register
    services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    a["projector"].refresh_from_db()
    assert a["projector"].status == Asset.Status.IN_USE
    assert "changed since the count" in line_of(sheet_of(stocktake, stock["r1"]), a["projector"]).follow_up_text


def test_a_closed_stocktake_frees_its_rooms(users, stock):
    stocktake = open_school(users["head"])
    check_and_sign(stocktake, users["worker"])
    services.stocktake_close(stocktake_id=stocktake.pk, by=users["head"])
    assert open_school(users["head"]).rooms.count() == 2


# --- figures ---------------------------------------------------------------------------------

def test_figures_count_and_value_each_outcome(users, stock):
    a = stock["assets"]
    stocktake = open_school(users["head"])
    check(sheet_of(stocktake, stock["r1"]), users["worker"],
          overrides={a["desks"]: {"outcome": Outcome.PRESENT, "counted_quantity": 40}})
    check(sheet_of(stocktake, stock["r2"]), users["worker"], found=[{"found_name": "折叠椅", "quantity": 3}],
          overrides={a["computer"]: {"outcome": Outcome.DAMAGED}, a["bookcase"]: {"outcome": Outcome.MOVED,
                                                                           "moved_to": stock["r1"]}})
    f = selectors.stocktake_figures(stocktake)
    by = {o["outcome"]: o for o in f["by_outcome"]}
    assert (by["present"]["lines"], by["present"]["value"]) == (1, Decimal("4500.00"))
    assert (by["missing"]["lines"], by["missing"]["quantity"], by["missing"]["value"]) == (1, 5, Decimal("1500.00"))
    assert (by["damaged"]["lines"], by["damaged"]["value"]) == (1, Decimal("6000.00"))
    assert (by["moved"]["lines"], by["moved"]["value"]) == (1, Decimal("800.00"))
    assert (by["found"]["lines"], by["found"]["quantity"], by["found"]["value"]) == (1, 3, None)
    assert (f["shortfall_quantity"], f["shortfall_value"]) == (5, Decimal("1500.00"))
    assert f["unmarked"] == 0 and f["lines"] == 5
    assert selectors.room_progress(stocktake) == {"total": 2, "pending": 0, "checked": 2, "signed": 0, "done": 2}
