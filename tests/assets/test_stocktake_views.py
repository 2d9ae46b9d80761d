# ruff: noqa: F811 - the stock fixture is imported from the service tests and used as a parameter
"""Stocktake pages: who sees and does what, bad input, the room-sheet PDF, and query counts that do not grow."""
import shutil
import subprocess

import pytest
from django.urls import reverse

from assets import services
from assets.models import Asset, Stocktake, StocktakeLine, StocktakeRoom
from logistics.models import Location

from .test_stocktake_services import (  # noqa: F401
    check,
    check_and_sign,
    line_of,
    make_asset,
    open_school,
    sheet_of,
    stock,
)

Outcome = StocktakeLine.Outcome


def sheet_post(room, overrides=None, found=None, version=None):
    """The POST body the room page sends: every line, present unless overridden."""
    data = {"version": room.version if version is None else version}
    for line in room.lines.filter(asset__isnull=False):
        data[f"l{line.pk}-outcome"] = Outcome.PRESENT
        data[f"l{line.pk}-damage_action"] = "repair"
        for key, value in (overrides or {}).get(line.asset_id, {}).items():
            data[f"l{line.pk}-{key}"] = value
    for i, (name, qty) in enumerate(found or []):
        data[f"f{i}-found_name"] = name
        data[f"f{i}-quantity"] = qty
    return data


# --- list and open ---------------------------------------------------------------------------

@pytest.mark.parametrize("who,status", [("head", 200), ("worker", 200), ("auditor", 200), ("principal", 200),
                                        ("teacher", 403)])
def test_who_sees_the_stocktake_list(users, stock, login, who, status):
    open_school(users["head"])
    response = login(users[who]).get(reverse("assets:stocktake_list"))
    assert response.status_code == status
    if status == 200:
        assert "期末清查" in response.content.decode()


def test_the_list_filters_by_status_and_kind(users, stock, login):
    st = open_school(users["head"], locations=[stock["r1"]])
    check_and_sign(st, users["worker"])
    services.stocktake_close(stocktake_id=st.pk, by=users["head"])
    services.stocktake_open(by=users["head"], name="抽查二班", kind=Stocktake.Kind.SPOT, locations=[stock["r2"]])
    client = login(users["head"])
    html = client.get(reverse("assets:stocktake_list"), {"status": "open"}).content.decode()
    assert "抽查二班" in html and 'class="title">期末清查<' not in html
    html = client.get(reverse("assets:stocktake_list"), {"kind": "term_end"}).content.decode()
    assert 'class="title">期末清查<' in html and "抽查二班" not in html


def test_the_head_opens_a_stocktake_of_chosen_rooms_from_the_page(users, stock, login):
    client = login(users["head"])
    page = client.get(reverse("assets:stocktake_open"))
    assert page.status_code == 200 and "一(1)班" in page.content.decode()
    response = client.post(reverse("assets:stocktake_open"), {
        "name": "二班抽查", "kind": "spot", "term": stock["term"].pk, "scope": "rooms", "locations": [stock["r2"].pk]})
    stocktake = Stocktake.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assets:stocktake_detail",
                                                                          args=[stocktake.pk])
    assert [r.location for r in stocktake.rooms.all()] == [stock["r2"]]


def test_opening_with_no_room_ticked_says_so_and_saves_nothing(users, stock, login):
    response = login(users["head"]).post(reverse("assets:stocktake_open"),
                                         {"name": "x", "kind": "spot", "scope": "rooms"})
    assert response.status_code == 200
    assert "Tick at least one room" in response.content.decode() or "至少" in response.content.decode()
    assert not Stocktake.objects.exists()


def test_a_room_already_in_an_open_stocktake_is_refused_on_the_page(users, stock, login):
    open_school(users["head"])
    response = login(users["head"]).post(reverse("assets:stocktake_open"),
                                         {"name": "again", "kind": "term_end", "scope": "school"})
    assert response.status_code == 200
    assert Stocktake.objects.count() == 1
    assert "一(1)班" in response.content.decode()


@pytest.mark.parametrize("who", ["worker", "auditor", "teacher"])
def test_only_the_head_opens_from_the_page(users, stock, login, who):
    client = login(users[who])
    assert client.get(reverse("assets:stocktake_open")).status_code == 403
    assert client.post(reverse("assets:stocktake_open"), {"name": "x", "kind": "spot", "scope": "school"}
                       ).status_code == 403
    assert not Stocktake.objects.exists()


# --- the room sheet --------------------------------------------------------------------------

def test_worker_records_a_room_in_one_post_and_sees_the_result(users, stock, login):
    st = open_school(users["head"])
    room = sheet_of(st, stock["r1"])
    a = stock["assets"]
    client = login(users["worker"])
    page = client.get(reverse("assets:stocktake_room", args=[room.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "投影仪" in html and "学生课桌椅" in html and "旧录音机" not in html
    data = sheet_post(room, {a["projector"].pk: {"outcome": "moved", "moved_to": "教学楼 · 一(2)班"},
                             a["desks"].pk: {"counted_quantity": 44}}, found=[("折叠椅", 2)])
    response = client.post(reverse("assets:stocktake_room", args=[room.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assets:stocktake_room", args=[room.pk])
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.CHECKED and room.checked_by == users["worker"]
    assert line_of(room, a["projector"]).moved_to == stock["r2"]
    assert line_of(room, a["desks"]).outcome == Outcome.MISSING
    assert room.lines.get(asset__isnull=True).found_name == "折叠椅"
    html = response.content.decode()
    assert "msg-success" in html
    # The same POST again (a double tap that got through): nothing saved twice, and said so.
    again = client.post(reverse("assets:stocktake_room", args=[room.pk]), data, follow=True)
    assert "msg-info" in again.content.decode()
    assert room.lines.filter(asset__isnull=True).count() == 1


@pytest.mark.parametrize("typed", ["999999", "操场边的小屋", "教学楼 · 一(9)班"])
def test_moved_to_a_room_not_on_the_list_is_refused_and_the_sheet_keeps_what_was_typed(users, stock, login, typed):
    """A move to a room that is not an active room (typed by hand, a stale page, a tampered form): a message on
    the line, nothing saved, and the line's choices, the typed room and the note still as sent."""
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    client = login(users["worker"])
    data = sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": typed, "note": "借给二班"}})
    response = client.post(reverse("assets:stocktake_room", args=[room.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    line = line_of(room, projector)
    assert html.count("请从列表中选择房间") == 2  # on the line and in the list of errors at the top
    assert f'name="l{line.pk}-outcome" value="moved" required checked' in html
    assert f'name="l{line.pk}-moved_to" value="{typed}" list="rooms-list"' in html
    assert 'value="借给二班"' in html
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.PENDING and not room.lines.exclude(outcome="").exists()


def test_the_sheet_shows_each_lines_saved_result(users, stock, login):
    """A checked sheet opened again shows each line's result as saved: the radio checked, the room chosen."""
    st = open_school(users["head"])
    room = sheet_of(st, stock["r1"])
    a = stock["assets"]
    client = login(users["worker"])
    client.post(reverse("assets:stocktake_room", args=[room.pk]),
                sheet_post(room, {a["projector"].pk: {"outcome": "moved", "moved_to": stock["r2"].pk}}))
    html = client.get(reverse("assets:stocktake_room", args=[room.pk])).content.decode()
    line = line_of(room, a["projector"])
    assert f'name="l{line.pk}-outcome" value="moved" required checked' in html
    assert f'name="l{line.pk}-moved_to" value="教学楼 · 一(2)班" list="rooms-list"' in html
    desks = line_of(room, a["desks"])
    assert f'name="l{desks.pk}-outcome" value="present" required checked' in html


def test_moved_without_a_place_is_shown_and_nothing_saved(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    client = login(users["worker"])
    data = sheet_post(room, {stock["assets"]["projector"].pk: {"outcome": "moved"}})
    response = client.post(reverse("assets:stocktake_room", args=[room.pk]), data)
    assert response.status_code == 400
    assert "ZC-2026-00001 投影仪: 请说明移到了哪里。" in response.content.decode()
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.PENDING
    assert not room.lines.exclude(outcome="").exists()


@pytest.mark.parametrize("typed", ["教学楼 · 一(2)班", "  教学楼  ·  一(2)班 ", "一(2)班", "{pk}"])
def test_a_move_is_saved_by_the_rooms_label_its_name_or_its_id(users, stock, login, typed):
    """The label the list offers, spaces as a phone keyboard leaves them, a room name no other room has, or the
    room's id (an old page): each lands on the room."""
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    data = sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": typed.format(pk=stock["r2"].pk)}})
    response = login(users["worker"]).post(reverse("assets:stocktake_room", args=[room.pk]), data)
    assert response.status_code == 302
    line = line_of(room, projector)
    assert (line.outcome, line.moved_to) == (Outcome.MOVED, stock["r2"])


def test_a_room_name_two_buildings_share_must_be_chosen_from_the_list(users, stock, login):
    """“一(2)班” alone could be either building's: refused; the label with the building is taken."""
    from logistics.models import Building

    annex = Location.objects.create(building=Building.objects.create(name="综合楼"), name="一(2)班")
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    client = login(users["worker"])
    url = reverse("assets:stocktake_room", args=[room.pk])
    response = client.post(url, sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": "一(2)班"}}))
    assert response.status_code == 400 and "请从列表中选择房间" in response.content.decode()
    client.post(url, sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": "综合楼 · 一(2)班"}}))
    assert line_of(room, projector).moved_to == annex


def test_a_room_typed_under_another_result_is_ignored(users, stock, login):
    """Moved, a room typed, then the result changed back to present: the hidden room is neither checked nor
    saved."""
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    data = sheet_post(room, {projector.pk: {"outcome": "present", "moved_to": "不知道哪里"}})
    response = login(users["worker"]).post(reverse("assets:stocktake_room", args=[room.pk]), data)
    assert response.status_code == 302
    line = line_of(room, projector)
    assert (line.outcome, line.moved_to) == (Outcome.PRESENT, None)


def test_moved_to_the_sheets_own_room_is_refused(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    data = sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": "教学楼 · 一(1)班"}})
    response = login(users["worker"]).post(reverse("assets:stocktake_room", args=[room.pk]), data)
    assert response.status_code == 400
    assert "ZC-2026-00001 投影仪" in response.content.decode()
    assert line_of(room, projector).outcome == ""


def test_the_sheet_lists_the_rooms_once_not_on_every_line(users, stock, login):
    """One <datalist> of every room in use but the sheet's own, which each line's move-to input offers; no
    line carries <option>s of its own."""
    Location.objects.create(building=stock["building"], name="旧仓库", active=False)
    room = sheet_of(open_school(users["head"]), stock["r1"])
    html = login(users["worker"]).get(reverse("assets:stocktake_room", args=[room.pk])).content.decode()
    assert html.count("<datalist") == 1
    datalist = html[html.index('<datalist id="rooms-list">'):html.index("</datalist>")]
    assert datalist.count("<option") == html.count("<option") == 2  # 一(2)班 and 一(3)班
    assert '<option value="教学楼 · 一(2)班">' in datalist and '<option value="教学楼 · 一(3)班">' in datalist
    assert "一(1)班" not in datalist and "旧仓库" not in datalist
    lines = room.lines.filter(asset__isnull=False)
    assert html.count('list="rooms-list"') == lines.count() == 2
    assert "<select" not in html[html.index('<ol class="sheet-lines">'):html.index("</ol>")]


def test_a_move_saved_to_a_room_no_longer_in_use_shows_its_name_and_asks_again(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    projector = stock["assets"]["projector"]
    client = login(users["worker"])
    url = reverse("assets:stocktake_room", args=[room.pk])
    client.post(url, sheet_post(room, {projector.pk: {"outcome": "moved", "moved_to": "教学楼 · 一(2)班"}}))
    Location.objects.filter(pk=stock["r2"].pk).update(active=False)
    line = line_of(room, projector)
    html = client.get(url).content.decode()
    assert f'name="l{line.pk}-moved_to" value="教学楼 · 一(2)班"' in html
    room.refresh_from_db()
    response = client.post(url, sheet_post(room, {projector.pk: {"outcome": "moved",
                                                                 "moved_to": "教学楼 · 一(2)班"}}))
    assert response.status_code == 400 and "请从列表中选择房间" in response.content.decode()


def test_a_stale_sheet_page_is_refused_with_a_message(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    old = room.version
    check(room, users["worker2"])
    data = sheet_post(room, {stock["assets"]["projector"].pk: {"outcome": "missing"}}, version=old)
    response = login(users["worker"]).post(reverse("assets:stocktake_room", args=[room.pk]), data, follow=True)
    assert "msg-error" in response.content.decode()
    assert line_of(room, stock["assets"]["projector"]).outcome == Outcome.PRESENT


@pytest.mark.parametrize("who", ["auditor", "principal"])
def test_readers_see_the_sheet_but_cannot_post_it(users, stock, login, who):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    client = login(users[who])
    page = client.get(reverse("assets:stocktake_room", args=[room.pk]))
    assert page.status_code == 200 and 'name="version"' not in page.content.decode()
    response = client.post(reverse("assets:stocktake_room", args=[room.pk]), sheet_post(room))
    assert response.status_code == 403
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.PENDING


def test_teacher_cannot_see_a_sheet(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    assert login(users["teacher"]).get(reverse("assets:stocktake_room", args=[room.pk])).status_code == 403


def test_signing_from_the_page(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    client = login(users["worker"])
    url = reverse("assets:stocktake_room_sign", args=[room.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"version": room.version, "keeper_name": "王丽"}, follow=True)
    assert "msg-error" in response.content.decode()  # not checked yet
    check(room, users["worker"])
    room.refresh_from_db()
    response = client.post(url, {"version": room.version, "keeper_name": "王丽"}, follow=True)
    room.refresh_from_db()
    assert room.status == StocktakeRoom.Status.SIGNED and room.signed_by == users["worker"]
    assert "王丽" in response.content.decode()
    assert login(users["auditor"]).post(url, {"version": room.version, "keeper_name": "x"}).status_code == 403


# --- summary and close -----------------------------------------------------------------------

def test_close_from_the_summary_names_the_unsigned_rooms_then_closes(users, stock, login):
    st = open_school(users["head"])
    client = login(users["head"])
    response = client.post(reverse("assets:stocktake_close", args=[st.pk]), {"version": st.version}, follow=True)
    html = response.content.decode()
    assert "msg-error" in html and "一(1)班" in html
    check_and_sign(st, users["worker"], overrides={stock["r1"].pk: {stock["assets"]["projector"]: {
        "outcome": "missing"}}})
    st.refresh_from_db()
    response = client.post(reverse("assets:stocktake_close", args=[st.pk]), {"version": st.version}, follow=True)
    st.refresh_from_db()
    assert st.status == Stocktake.Status.CLOSED
    assert 'data-status="closed"' in response.content.decode()
    stock["assets"]["projector"].refresh_from_db()
    assert stock["assets"]["projector"].status == Asset.Status.LOST


@pytest.mark.parametrize("who", ["worker", "auditor"])
def test_only_the_head_closes_from_the_page(users, stock, login, who):
    st = open_school(users["head"])
    check_and_sign(st, users["worker"])
    assert login(users[who]).post(reverse("assets:stocktake_close", args=[st.pk]),
                                  {"version": st.version}).status_code == 403
    st.refresh_from_db()
    assert st.is_open


def test_the_summary_shows_figures_progress_rooms_and_history(users, stock, login):
    st = open_school(users["head"])
    check(sheet_of(st, stock["r1"]), users["worker"], found=[{"found_name": "折叠椅", "quantity": 2}],
          overrides={stock["assets"]["projector"]: {"outcome": "missing"}})
    html = login(users["auditor"]).get(reverse("assets:stocktake_detail", args=[st.pk]),
                                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "¥4,500.00" in html  # the missing projector's value
    assert "折叠椅" in html  # found, to register
    assert "一(1)班" in html and "一(2)班" in html
    assert "opened for 2 rooms" in html or "timeline" in html
    assert "stocktake_close" not in html and "/close/" not in html  # the auditor cannot close


def test_a_room_page_shows_its_history(users, stock, login):
    room = sheet_of(open_school(users["head"]), stock["r1"])
    check(room, users["worker"])
    html = login(users["head"]).get(reverse("assets:stocktake_room", args=[room.pk])).content.decode()
    assert 'class="timeline"' in html and "张师傅" in html


# --- print -----------------------------------------------------------------------------------

def test_the_room_sheet_prints_with_the_chinese_room_name(users, stock, login, tmp_path):
    st = open_school(users["head"])
    room = sheet_of(st, stock["r1"])
    check(room, users["worker"], found=[{"found_name": "折叠椅", "quantity": 2}],
          overrides={stock["assets"]["desks"]: {"outcome": "present", "counted_quantity": 43}})
    services.stocktake_room_sign(room_id=room.pk, by=users["worker"], keeper_name="王丽")
    response = login(users["worker"]).get(reverse("assets:stocktake_room_print", args=[room.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "一(1)班" in text
    assert "学生课桌椅" in text and "折叠椅" in text and "王丽" in text


# --- query counts ----------------------------------------------------------------------------

def _fill(stock, rooms, per_room):
    seq = 100
    for r in range(rooms):
        place = Location.objects.create(building=stock["building"], name=f"功能室{r}")
        for _i in range(per_room):
            seq += 1
            make_asset(seq, f"设备{seq}", place)


@pytest.mark.parametrize("rooms,per_room", [(0, 0), (12, 15)])
def test_summary_and_room_pages_keep_their_query_count(users, stock, login, django_assert_max_num_queries,
                                                       rooms, per_room):
    _fill(stock, rooms, per_room)
    for i in range(per_room):
        make_asset(900 + i, f"课桌{i}", stock["r1"], quantity=3)
    st = open_school(users["head"])
    room = sheet_of(st, stock["r1"])
    check(room, users["worker"], found=[{"found_name": "折叠椅", "quantity": 2}])
    client = login(users["head"])
    # Measured: 13, 11, 9 and 9 queries (the sheet's page header names the school and the term), with 2 rooms
    # of a few assets as with 14 rooms of 15.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("assets:stocktake_detail", args=[st.pk])).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("assets:stocktake_room", args=[room.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("assets:stocktake_list")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("assets:stocktake_room_print", args=[room.pk])).status_code == 200
