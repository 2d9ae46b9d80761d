"""Demo stocktakes, called by manage.py seed_demo (see assets/demo/__init__.py): a finished term-start
registration of the current term, and an open term-end re-check part-way through. Built through the
services, each step at the moment it would have happened (builder.clock)."""
import datetime

from ..models import Stocktake, StocktakeLine

# Who signs for each kind of room: the class teacher of a class, else the room's keeper.
KEEPERS = ["王丽", "刘洋", "陈静", "杨帆", "黄敏", "周杰", "吴芳", "徐磊", "孙悦", "马超", "朱琳", "胡军"]


def seed(builder):
    """Add this area's demo records; return a line for the command's summary, or None."""
    from .. import services

    if Stocktake.objects.exists():
        return "Stocktakes are already there: left as they are."
    rooms = list(services.rooms_with_assets().select_related("building").order_by("building__sort_order", "pk"))
    if not rooms:
        return "No stocktakes built: the register has no assets in rooms yet."
    head = builder.users["head"]
    checkers = [builder.users[u] for u in ("logistics", "logistics2") if u in builder.users] or [head]
    term = builder.current_term
    today = builder.today

    def day(date, hour, minutes=0):
        return builder.working_time(builder.at(date, hour) + datetime.timedelta(minutes=minutes))

    # 1. The term-start registration: every room checked and signed, mostly present, one item moved.
    start_day = min(max(term.start, today - datetime.timedelta(days=120)) + datetime.timedelta(days=2), today)
    opened = day(start_day, 8, 30)
    with builder.clock(opened):
        start = services.stocktake_open(by=head, name=f"{term.name} 期初校产登记", kind=Stocktake.Kind.TERM_START,
                                        term=term)
    moved = _move_one(start, rooms)
    for i, room in enumerate(_rooms_of(start)):
        checker = checkers[i % len(checkers)]
        with builder.clock(opened + datetime.timedelta(hours=2, minutes=10 * i)):
            services.stocktake_room_save(room_id=room.pk, by=checker, lines=_sheet(room, moved), found=())
        signed = day(opened.date() + datetime.timedelta(days=1), 10, 5 * i)
        with builder.clock(signed):
            services.stocktake_room_sign(room_id=room.pk, by=checker, keeper_name=KEEPERS[i % len(KEEPERS)])
    with builder.clock(day(signed.date() + datetime.timedelta(days=1), 16)):
        services.stocktake_close(stocktake_id=start.pk, by=head)

    # 2. The term-end re-check, under way: some rooms signed, some checked, the rest to do.
    recheck = max(today - datetime.timedelta(days=4), opened.date() + datetime.timedelta(days=3))
    opened = day(recheck, 8, 30)
    with builder.clock(opened):
        end = services.stocktake_open(by=head, name=f"{term.name} 期末校产清查", kind=Stocktake.Kind.TERM_END,
                                      term=term)
    sheets = _rooms_of(end)
    n = len(sheets)
    to_check = sheets[: max(1, (n * 2) // 3)] if n > 1 else []
    to_sign = to_check[: max(1, len(to_check) // 2)] if len(to_check) > 1 else []
    differences = iter(["missing_part", "damaged", "found", "damaged_record"])
    for i, room in enumerate(to_check):
        checker = checkers[i % len(checkers)]
        lines = _sheet(room, {})
        found = ()
        difference = next(differences, None)
        if difference:
            lines, found = _with_difference(room, lines, difference)
        with builder.clock(opened + datetime.timedelta(hours=1, minutes=15 * i)):
            services.stocktake_room_save(room_id=room.pk, by=checker, lines=lines, found=found)
        if room in to_sign:
            with builder.clock(day(opened.date() + datetime.timedelta(days=1), 9, 10 * i)):
                services.stocktake_room_sign(room_id=room.pk, by=checker, keeper_name=KEEPERS[i % len(KEEPERS)])
    signed = len(to_sign)
    return (f"Stocktakes: a closed term-start registration of {len(rooms)} rooms; a term-end re-check with "
            f"{signed} rooms signed, {len(to_check) - signed} checked, {n - len(to_check)} to do.")


def _rooms_of(stocktake):
    return list(stocktake.rooms.select_related("location").order_by("location__building__sort_order", "pk"))


def _sheet(room, moved):
    """Every line present, except the one chosen to have moved."""
    lines = {}
    for line in room.lines.filter(asset__isnull=False):
        if line.pk in moved:
            lines[line.pk] = {"outcome": StocktakeLine.Outcome.MOVED, "moved_to": moved[line.pk],
                              "note": "学期初调整到此处使用"}
        else:
            lines[line.pk] = {"outcome": StocktakeLine.Outcome.PRESENT}
    return lines


def _move_one(stocktake, rooms):
    """{line_id: Location}: one single item moved to another room that holds assets."""
    if len(rooms) < 2:
        return {}
    line = (StocktakeLine.objects.filter(room__stocktake=stocktake, expected_quantity=1, asset__isnull=False)
            .select_related("room").order_by("room__pk", "pk").first())
    if line is None:
        return {}
    target = next(r for r in rooms if r.pk != line.room.location_id)
    return {line.pk: target}


def _with_difference(room, lines, kind):
    registered = list(room.lines.filter(asset__isnull=False).select_related("asset").order_by("pk"))
    found = ()
    batch = next((line for line in registered if line.expected_quantity > 2), None)
    single = next((line for line in registered if line.expected_quantity == 1), None)
    if kind == "missing_part" and batch:
        lines[batch.pk] = {"outcome": StocktakeLine.Outcome.PRESENT, "counted_quantity": batch.expected_quantity - 2,
                           "note": "少两件，已问班主任"}
    elif kind in ("damaged", "damaged_record") and (single or batch):
        line = single or batch
        lines[line.pk] = {
            "outcome": StocktakeLine.Outcome.DAMAGED,
            "damage_action": (StocktakeLine.DamageAction.RECORD if kind == "damaged_record"
                              else StocktakeLine.DamageAction.REPAIR),
            "note": "外壳破损" if kind == "damaged" else "学生课间碰坏"}
    else:
        found = [{"found_name": "折叠椅", "quantity": 2, "note": "未贴标签"}]
    return lines, found
