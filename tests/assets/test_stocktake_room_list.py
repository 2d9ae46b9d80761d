"""The rooms a stocktake sheet offers to move an item to: labels as the app shows them, unique, read back."""
from assets.forms.stocktake import RoomList
from logistics.models import Building, Location


def _room(pk, building, name):
    return Location(pk=pk, name=name, building=Building(name=building))


def test_each_room_is_labelled_as_the_app_names_it():
    rooms = RoomList([_room(1, "教学楼", "301"), _room(2, "实验楼", "科学室")], exclude=1)
    assert rooms.labels == {1: "教学楼 · 301", 2: "实验楼 · 科学室"}
    assert str(rooms.datalist()) == '<datalist id="rooms-list"><option value="实验楼 · 科学室"></datalist>'
    assert (rooms.resolve("教学楼 · 301"), rooms.resolve("科学室"), rooms.resolve("2")) == (1, 2, 2)


def test_two_rooms_that_would_read_alike_are_told_apart_by_their_id():
    """Names may hold “·” themselves: 教学楼 · 一 · 301 could be either room; each label says which."""
    rooms = RoomList([_room(7, "教学楼 · 一", "301"), _room(8, "教学楼", "一 · 301"), _room(9, "教学楼", "302")])
    assert rooms.labels == {7: "教学楼 · 一 · 301 (#7)", 8: "教学楼 · 一 · 301 (#8)", 9: "教学楼 · 302"}
    assert rooms.resolve("教学楼 · 一 · 301") is None
    assert (rooms.resolve("教学楼 · 一 · 301 (#8)"), rooms.resolve("8")) == (8, 8)


def test_names_and_ids_not_on_the_list_are_not_rooms():
    rooms = RoomList([_room(1, "教学楼", "301"), _room(2, "综合楼", "301")])
    assert rooms.resolve("301") is None  # two rooms are called 301
    assert rooms.resolve("3") is None
    assert rooms.resolve("²") is None
    assert rooms.resolve("教学楼 · 401") is None
    assert rooms.resolve("") is None
