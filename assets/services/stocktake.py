"""State changes of stocktakes (清查): open, check a room on a phone, sign it, close with follow-ups.

Each is one transaction that locks its row first, checks the move is allowed for this user and this
state, and leaves history that reads as a sentence (stored untranslated, shown in the reader's language).
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from simple_history.utils import bulk_create_with_history

from logistics.history import history_reason
from logistics.models import Location
from logistics.services import check_version, format_money, join_list, lock, require, save_with_history

from ..models import Asset, DamageRecord, RepairCategory, Stocktake, StocktakeLine, StocktakeRoom
from .repairs import repair_report

Outcome = StocktakeLine.Outcome
RoomStatus = StocktakeRoom.Status


# --- helpers ---------------------------------------------------------------------------------

def _room_names(rooms):
    return join_list(r.location.name for r in rooms)


def _lock_room(room_id):
    # The version is checked later: the same sheet sent twice is not a stale page (see stocktake_room_save).
    room = lock(StocktakeRoom.objects.select_related("location__building"), room_id)
    # The stocktake row is locked too, so a room is never saved while the stocktake closes.
    room.stocktake = lock(Stocktake, room.stocktake_id)
    return room


def money(value):
    """An amount for a history sentence that writes the ¥ itself: 4,500.00 (the school's one format)."""
    return format_money(Decimal(value or 0), sign="")


# --- open ------------------------------------------------------------------------------------

def rooms_with_assets():
    """Active rooms that hold at least one active asset: what a whole-school stocktake covers."""
    held = Asset.objects.exclude(status__in=Asset.INACTIVE_STATUSES).values("location_id")
    return Location.objects.filter(active=True, pk__in=held)


@transaction.atomic
def stocktake_open(*, by, name, kind=Stocktake.Kind.TERM_END, term=None, locations=None, now=None):
    """Open a stocktake of the whole school (locations=None) or of chosen rooms: one sheet per room,
    one line per active asset in it, its book quantity as expected."""
    require(by, "assets.open_stocktake", _("Only the head of logistics opens stocktakes."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the stocktake a name.")})
    if kind not in Stocktake.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of stocktake.")})
    if locations is None:
        room_ids = list(rooms_with_assets().values_list("pk", flat=True))
    else:
        room_ids = sorted({loc.pk for loc in locations})
    if not room_ids:
        raise ValidationError(_("There is nothing to count: no room in use holds registered assets."),
                              code="empty")
    # Lock the rooms so two heads opening stocktakes at once cannot both cover one room.
    rooms = list(Location.objects.select_for_update().filter(pk__in=room_ids).order_by("pk"))
    inactive = [r for r in rooms if not r.active]
    if inactive:
        raise ValidationError(_("These places are no longer in use: %(rooms)s.")
                              % {"rooms": join_list(r.name for r in inactive)}, code="location")
    busy = list(StocktakeRoom.objects.filter(location_id__in=room_ids, stocktake__status=Stocktake.Status.OPEN)
                .select_related("location", "stocktake").order_by("location__name"))
    if busy:
        raise ValidationError(
            _("These rooms are already in an open stocktake: %(rooms)s. Close that one first, or leave them out.")
            % {"rooms": join_list(f"{b.location.name} ({b.stocktake.name})" for b in busy)}, code="busy")
    now = now or timezone.now()
    stocktake = Stocktake(name=name, kind=kind, term=term, opened_by=by, opened_at=now)
    save_with_history(stocktake, by, history_reason(gettext_noop("opened for %(n)s rooms"), n=len(rooms)), bump=False)
    assets_by_room = {}
    for asset_id, location_id, quantity in (
            Asset.objects.filter(location_id__in=room_ids).exclude(status__in=Asset.INACTIVE_STATUSES)
            .order_by("tag").values_list("pk", "location_id", "quantity")):
        assets_by_room.setdefault(location_id, []).append((asset_id, quantity))
    # Sheets and lines are written in bulk with their history rows (a constant number of queries however many
    # assets the rooms hold), each history row signed by the head and dated now, as a save would.
    sheets = _bulk_with_history(
        [StocktakeRoom(stocktake=stocktake, location=location) for location in rooms], StocktakeRoom, by,
        history_reason(gettext_noop("sheet made")))
    _bulk_with_history(
        [StocktakeLine(room=room, asset_id=asset_id, expected_quantity=quantity)
         for room in sheets for asset_id, quantity in assets_by_room.get(room.location_id, [])],
        StocktakeLine, by, history_reason(gettext_noop("put on the sheet")))
    return stocktake


def _bulk_with_history(objs, model, by, reason):
    """Insert objs (in order) and a "created" history row for each, by `by` with reason, dated now: as many rows a
    query as the database takes."""
    if not objs:
        return []
    return bulk_create_with_history(objs, model, default_user=by,
                                    default_change_reason=reason, default_date=timezone.now())


# --- the room sheet --------------------------------------------------------------------------

def _clean_line(line, data, room, locations):
    """The line's new values from the sheet; raises ValidationError with the asset named."""
    label = f"{line.asset.tag} {line.asset.name}"
    outcome = data.get("outcome") or ""
    if outcome not in (Outcome.PRESENT, Outcome.MISSING, Outcome.DAMAGED, Outcome.MOVED):
        raise ValidationError(_("%(item)s: say whether it is present, missing, damaged or moved.") % {"item": label})
    expected = line.expected_quantity
    counted = data.get("counted_quantity")
    if counted is not None:
        counted = int(counted)
        if counted < 0:
            raise ValidationError(_("%(item)s: the count cannot be negative.") % {"item": label})
    moved_to = data.get("moved_to")
    if outcome == Outcome.MOVED:
        if moved_to is None:
            raise ValidationError(_("%(item)s: say where it was moved to.") % {"item": label})
        if isinstance(moved_to, int | str):
            moved_to = locations.get(int(moved_to))
        if moved_to is None or not moved_to.active:
            raise ValidationError(_("%(item)s: choose a place in use to move it to.") % {"item": label})
        if moved_to.pk == room.location_id:
            raise ValidationError(_("%(item)s: it cannot be moved to the room it is in.") % {"item": label})
        counted = expected  # the whole record moves; the count is the new room's to make
    else:
        moved_to = None
    if outcome == Outcome.MISSING:
        counted = 0 if counted is None else counted
        if counted >= expected:
            raise ValidationError(_("%(item)s: marked missing but %(n)s counted; mark it present.")
                                  % {"item": label, "n": counted})
    elif counted is None:
        counted = expected
    elif outcome == Outcome.PRESENT and counted < expected:
        outcome = Outcome.MISSING  # a batch with fewer than the books say: part of it is missing
    damage_action = data.get("damage_action") or StocktakeLine.DamageAction.REPAIR
    if damage_action not in StocktakeLine.DamageAction.values:
        damage_action = StocktakeLine.DamageAction.REPAIR
    return {
        "outcome": outcome, "counted_quantity": counted, "moved_to": moved_to,
        "note": (data.get("note") or "").strip()[:200],
        "damage_action": damage_action if outcome == Outcome.DAMAGED else StocktakeLine.DamageAction.REPAIR,
    }


def _clean_found(item):
    name = (item.get("found_name") or "").strip()[:100]
    quantity = item.get("quantity")
    quantity = 1 if quantity in (None, "") else int(quantity)
    if name and quantity < 1:
        raise ValidationError(_("%(item)s: the quantity found must be at least 1.") % {"item": name})
    return {"found_name": name, "counted_quantity": quantity, "note": (item.get("note") or "").strip()[:200]}


def _line_state(line):
    return (line.outcome, line.counted_quantity, line.moved_to_id, line.note, line.damage_action)


@transaction.atomic
def stocktake_room_save(*, room_id, by, lines, found=(), expected_version=None):
    """Save a whole room sheet in one go and mark the room checked (who, when).

    lines: {line_id: {outcome, counted_quantity, moved_to (Location or id), note, damage_action}} for every
    registered line; found: [{id (optional), found_name, quantity, note}] for items found but not
    registered (an existing one with its name cleared is removed). The same sheet sent twice is saved once.
    """
    require(by, "assets.change_stocktakeroom", _("Only logistics staff record stocktake sheets."))
    require(by, "assets.change_stocktakeline", _("Only logistics staff record stocktake sheets."))
    room = _lock_room(room_id)
    if not room.stocktake.is_open:
        raise ValidationError(_("This stocktake is closed; its sheets can no longer change."), code="closed")
    if room.status == RoomStatus.SIGNED:
        raise ValidationError(_("This sheet is already signed; it can no longer change."), code="signed")
    existing = {line.pk: line for line in room.lines.select_related("asset", "moved_to")}
    registered = {pk: line for pk, line in existing.items() if line.asset_id}
    found_lines = {pk: line for pk, line in existing.items() if not line.asset_id}
    lines = {int(k): v for k, v in (lines or {}).items()}
    unknown = set(lines) - set(registered)
    if unknown:
        raise ValidationError(_("The sheet does not match this room; open it again."), code="mismatch")
    missing = [registered[pk] for pk in registered if pk not in lines]
    if missing:
        raise ValidationError(
            _("Mark every item on the sheet; not marked yet: %(items)s.")
            % {"items": join_list(f"{m.asset.tag} {m.asset.name}" for m in missing[:5])}, code="incomplete")
    locations = {}
    wanted_moves = {int(v["moved_to"]) for v in lines.values()
                    if v.get("outcome") == Outcome.MOVED and isinstance(v.get("moved_to"), int | str)
                    and str(v.get("moved_to")).isdigit()}
    if wanted_moves:
        locations = Location.objects.select_related("building").in_bulk(wanted_moves)
    cleaned = {pk: _clean_line(registered[pk], data, room, locations) for pk, data in lines.items()}
    found_cleaned = []
    for item in found or ():
        pk = item.get("id")
        if pk not in (None, "") and int(pk) not in found_lines:
            raise ValidationError(_("The sheet does not match this room; open it again."), code="mismatch")
        values = _clean_found(item)
        if values["found_name"] or pk not in (None, ""):
            found_cleaned.append((int(pk) if pk not in (None, "") else None, values))

    # What would change: a double submit of the same sheet changes nothing and is not an error.
    changes = []
    for pk, values in cleaned.items():
        line = registered[pk]
        new = (values["outcome"], values["counted_quantity"], getattr(values["moved_to"], "pk", None),
               values["note"], values["damage_action"])
        if new != _line_state(line):
            changes.append((line, values))
    found_changes = []
    for pk, values in found_cleaned:
        if pk is None:
            # A found item already on the sheet with the same name and count is the same item sent twice.
            twin = next((f for f in found_lines.values() if f.found_name == values["found_name"]
                         and f.counted_quantity == values["counted_quantity"] and f.note == values["note"]), None)
            if twin is None:
                found_changes.append((None, values))
        else:
            line = found_lines[pk]
            if (line.found_name, line.counted_quantity, line.note) != (
                    values["found_name"], values["counted_quantity"], values["note"]):
                found_changes.append((line, values))
    if expected_version is not None and int(expected_version) != room.version:
        if not changes and not found_changes and room.status != RoomStatus.PENDING:
            room.was_duplicate = True
            return room
        check_version(room, expected_version, pgettext("record", "room sheet"), by=by)

    line_reason = {
        Outcome.PRESENT: gettext_noop("counted: present"),
        Outcome.MISSING: gettext_noop("counted: %(counted)s of %(expected)s, missing"),
        Outcome.DAMAGED: gettext_noop("counted: damaged"),
        Outcome.MOVED: gettext_noop("counted: moved to %(place)s"),
    }
    for line, values in changes:
        for field, value in values.items():
            setattr(line, field, value)
        params = {}
        if line.outcome == Outcome.MISSING:
            params = {"counted": line.counted_quantity, "expected": line.expected_quantity}
        elif line.outcome == Outcome.MOVED:
            params = {"place": str(line.moved_to)}
        save_with_history(line, by, history_reason(line_reason[line.outcome], **params), bump=False)
    for line, values in found_changes:
        if line is None:
            line = StocktakeLine(room=room, outcome=Outcome.FOUND, expected_quantity=0, asset=None, **values)
            require(by, "assets.add_stocktakeline")
            save_with_history(line, by, history_reason(gettext_noop("found, not registered")), bump=False)
        elif not values["found_name"]:
            line._change_reason = history_reason(gettext_noop("removed from the sheet"))
            line._history_user = by
            line.delete()
        else:
            for field, value in values.items():
                setattr(line, field, value)
            save_with_history(line, by, history_reason(gettext_noop("found item corrected")), bump=False)
    was = room.status
    room.status = RoomStatus.CHECKED
    room.checked_by = by
    room.checked_at = timezone.now()
    differences = sum(1 for pk, v in cleaned.items() if v["outcome"] != Outcome.PRESENT
                      or v["counted_quantity"] != registered[pk].expected_quantity)
    found_total = StocktakeLine.objects.filter(room=room, asset__isnull=True).count()
    reason = gettext_noop("checked: %(n)s items, %(d)s differences, %(f)s found") if was == RoomStatus.PENDING \
        else gettext_noop("checked again: %(n)s items, %(d)s differences, %(f)s found")
    save_with_history(room, by, history_reason(reason, n=len(cleaned), d=differences, f=found_total))
    room.was_duplicate = False
    return room


@transaction.atomic
def stocktake_room_sign(*, room_id, by, keeper_name, expected_version=None):
    """Record that the printed sheet was signed by the room keeper (typed name) and by logistics (by)."""
    require(by, "assets.change_stocktakeroom", _("Only logistics staff record signatures."))
    room = _lock_room(room_id)
    if expected_version is not None and int(expected_version) != room.version:
        if room.status == RoomStatus.SIGNED and room.keeper_name == (keeper_name or "").strip():
            room.was_duplicate = True
            return room
        check_version(room, expected_version, pgettext("record", "room sheet"), by=by)
    if not room.stocktake.is_open:
        raise ValidationError(_("This stocktake is closed; its sheets can no longer change."), code="closed")
    if room.status == RoomStatus.PENDING:
        raise ValidationError(_("Check the room first; a sheet is signed after it is checked."), code="unchecked")
    if room.status == RoomStatus.SIGNED:
        raise ValidationError(_("This sheet is already signed."), code="signed")
    keeper_name = (keeper_name or "").strip()
    if not keeper_name:
        raise ValidationError({"keeper_name": _("Type the name of the class teacher or room keeper who signed.")})
    room.keeper_name = keeper_name[:50]
    room.signed_by = by
    room.signed_at = timezone.now()
    room.status = RoomStatus.SIGNED
    save_with_history(room, by, history_reason(gettext_noop("signed, with %(keeper)s"), keeper=room.keeper_name))
    room.was_duplicate = False
    return room


# --- close -----------------------------------------------------------------------------------

_REPAIR_CATEGORY_BY_CODE = (
    ("A0201", RepairCategory.IT), ("A0202", RepairCategory.IT), ("A05", RepairCategory.FURNITURE),
)


def repair_category_for(asset):
    """The repair category a damaged asset most likely needs, from its classification code."""
    code = asset.category.code or ""
    for prefix, category in _REPAIR_CATEGORY_BY_CODE:
        if code.startswith(prefix):
            return category
    return RepairCategory.OTHER


@transaction.atomic
def stocktake_close(*, stocktake_id, by, expected_version=None):
    """Close a stocktake whose rooms are all checked and signed, turning each difference into a follow-up:
    missing → lost (or a batch reduced), damaged → a repair request or damage record, moved → new place,
    found → listed for logistics to register."""
    require(by, "assets.open_stocktake", _("Only the head of logistics closes stocktakes."))
    stocktake = lock(Stocktake, stocktake_id, expected_version, _("stocktake"), by=by)
    if not stocktake.is_open:
        raise ValidationError(_("This stocktake is already closed."), code="closed")
    rooms = list(stocktake.rooms.select_related("location__building"))
    unchecked = [r for r in rooms if r.status == RoomStatus.PENDING]
    if unchecked:
        raise ValidationError(_("Not every room is checked yet: %(rooms)s.") % {"rooms": _room_names(unchecked)},
                              code="unchecked")
    unsigned = [r for r in rooms if r.status != RoomStatus.SIGNED]
    if unsigned:
        raise ValidationError(_("Not every sheet is signed yet: %(rooms)s.") % {"rooms": _room_names(unsigned)},
                              code="unsigned")
    now = timezone.now()
    today = timezone.localdate(now)
    lines = list(StocktakeLine.objects.filter(room__stocktake=stocktake)
                 .select_related("room__location__building", "moved_to__building")
                 .order_by("room__location__name", "pk"))
    asset_ids = [line.asset_id for line in lines if line.asset_id]
    assets = {a.pk: a for a in Asset.objects.select_for_update().filter(pk__in=asset_ids)
              .select_related("category", "location__building").order_by("pk")}
    summary = {"lost": 0, "reduced": 0, "repairs": 0, "damage_records": 0, "moved": 0, "found": 0}
    for line in lines:
        follow_up = _follow_up(line, assets.get(line.asset_id), stocktake, by, today, now, summary)
        if follow_up:
            line.follow_up = follow_up
            save_with_history(line, by, history_reason(gettext_noop("followed up when the stocktake closed")),
                              bump=False)
    stocktake.status = Stocktake.Status.CLOSED
    stocktake.closed_by = by
    stocktake.closed_at = now
    save_with_history(stocktake, by, history_reason(
        gettext_noop("closed: %(lost)s lost, %(reduced)s batches reduced, %(repairs)s repairs, "
                     "%(damage_records)s damage records, %(moved)s moved, %(found)s found to register"), **summary))
    stocktake.follow_up_summary = summary
    return stocktake


def _note(msgid, **params):
    return history_reason(msgid, **params)


def _follow_up(line, asset, stocktake, by, today, now, summary):
    """Carry out one line's consequence; return what to write on the line (untranslated, one per line)."""
    if line.outcome == Outcome.FOUND:
        summary["found"] += 1
        return _note(gettext_noop("surplus for logistics to register: %(item)s × %(n)s"),
                     item=line.found_name[:40], n=line.counted_quantity)
    counted = line.counted_quantity if line.counted_quantity is not None else line.expected_quantity
    if asset is None or (line.outcome == Outcome.PRESENT and counted == line.expected_quantity):
        return ""
    if not asset.is_active or asset.location_id != line.room.location_id:
        return _note(gettext_noop("left as it is: the asset changed since the count (%(status)s, %(place)s)"),
                     status=Asset.Status(asset.status).label, place=asset.location.name[:20])
    parts = []
    shortfall = max(line.expected_quantity - counted, 0)
    name = stocktake.name
    if shortfall and shortfall >= asset.quantity:
        # All of it is gone: it leaves the active register with its value.
        asset.status = Asset.Status.LOST
        asset.disposed_on = today
        asset.disposed_value = asset.unit_price * asset.quantity
        save_with_history(asset, by, history_reason(
            gettext_noop("recorded lost by stocktake %(name)s, value ¥%(value)s"),
            name=name, value=money(asset.disposed_value)), bump=False)
        summary["lost"] += 1
        return _note(gettext_noop("shortfall: all missing, recorded lost, ¥%(value)s"),
                     value=money(asset.disposed_value))
    if shortfall:
        before = asset.quantity
        value = asset.unit_price * shortfall
        asset.quantity = before - shortfall
        save_with_history(asset, by, history_reason(
            gettext_noop("quantity %(before)s → %(after)s by stocktake %(name)s: %(n)s missing, ¥%(value)s"),
            before=before, after=asset.quantity, name=name, n=shortfall, value=money(value)), bump=False)
        summary["reduced"] += 1
        parts.append(_note(gettext_noop("shortfall %(n)s: quantity %(before)s → %(after)s, ¥%(value)s"),
                           n=shortfall, before=before, after=asset.quantity, value=money(value)))
    if line.outcome == Outcome.DAMAGED:
        if line.damage_action == StocktakeLine.DamageAction.RECORD:
            description = _("Found damaged in stocktake %(name)s (%(place)s).") % {
                "name": name, "place": line.room.location}
            if line.note:
                description += " " + line.note
            record = DamageRecord(asset=asset, occurred_on=today, responsible=_("unknown"),
                                  assessed_amount=Decimal("0"), recorded_by=by, recorded_at=now,
                                  description=description)
            record._change_reason = history_reason(gettext_noop("recorded by stocktake %(name)s"), name=name)
            record._history_user = by
            record.save()
            asset.status = Asset.Status.DAMAGED
            save_with_history(asset, by, history_reason(
                gettext_noop("found damaged by stocktake %(name)s; damage record made"), name=name), bump=False)
            summary["damage_records"] += 1
            parts.append(_note(gettext_noop("damage record #%(pk)s made"), pk=record.pk))
        else:
            repair = repair_report(
                reporter=by, category=repair_category_for(asset), location=asset.location,
                title=(_("Found damaged in stocktake: %(tag)s %(name)s")
                       % {"tag": asset.tag, "name": asset.name})[:120],
                description=line.note or "", now=now)
            # repair_report takes no asset (yet): link it here, with history.
            repair.asset = asset
            repair._change_reason = history_reason(gettext_noop("linked to asset %(tag)s"), tag=asset.tag)
            repair._history_user = by
            repair.save(update_fields=["asset"])
            asset.status = Asset.Status.UNDER_REPAIR
            save_with_history(asset, by, history_reason(
                gettext_noop("found damaged by stocktake %(name)s; repair %(number)s opened"),
                name=name, number=repair.number), bump=False)
            summary["repairs"] += 1
            parts.append(_note(gettext_noop("repair %(number)s opened"), number=repair.number))
    elif line.outcome == Outcome.MOVED and line.moved_to_id:
        before = asset.location
        asset.location = line.moved_to
        save_with_history(asset, by, history_reason(
            gettext_noop("moved to %(to)s by stocktake %(name)s (was %(from)s)"),
            **{"from": str(before), "to": str(line.moved_to), "name": name}), bump=False)
        summary["moved"] += 1
        parts.append(_note(gettext_noop("moved to %(place)s"), place=line.moved_to.name[:20]))
    if counted > line.expected_quantity:
        parts.append(_note(gettext_noop("surplus: %(n)s more than the books, for logistics to check"),
                           n=counted - line.expected_quantity))
    # The line holds 200 characters: keep whole notes only (a cut one could not be read back).
    kept = []
    for part in parts:
        if len("\n".join([*kept, part])) <= 200:
            kept.append(part)
    return "\n".join(kept)
