"""The duty roster (值班护校): the safety officer lays out the shifts of a period in one go (a night shift on
school days; a day and a night shift on weekends and holidays), puts people and a leader on each, and the
people on a shift write its handover log (交接班记录).

Each change is one transaction that locks its row first, checks the move, and leaves a history entry that
reads as a sentence.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics.history import history_reason
from logistics.services import display_name, lock, require, save_with_history

from ..models.duty import DutyShift, HandoverEntry
from ..selectors import duty as selectors

Kind = DutyShift.Kind
# A roster is laid out for a month or a holiday at a time; more is a typing mistake in the dates.
MAX_RANGE_DAYS = 93
MAX_PEOPLE = 8
TEXT_LENGTH = 2000
NOTE_LENGTH = DutyShift._meta.get_field("note").max_length
# The same handover sent twice within this time (a double click) is saved once.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


def _shift_what():
    return pgettext("record", "duty shift")


def _list(names):
    return pgettext("between list items", ", ").join(names)


def plan_days(first, last, *, terms, holidays=(), day_shift_on_school_days=False):
    """[(day, kind)] the roster of first–last holds: a night shift on school days (and a day shift when asked),
    a holiday (daytime) shift and a night shift on every other day."""
    planned, day = [], first
    while day <= last:
        if selectors.is_school_day(day, terms, holidays):
            planned += [(day, Kind.DAY)] if day_shift_on_school_days else []
            planned.append((day, Kind.NIGHT))
        else:
            planned += [(day, Kind.HOLIDAY), (day, Kind.NIGHT)]
        day += datetime.timedelta(days=1)
    return planned


def _check_range(first, last, today):
    errors = {}
    if first is None:
        errors["first"] = _("Give the first day.")
    if last is None:
        errors["last"] = _("Give the last day.")
    if errors:
        raise ValidationError(errors)
    if last < first:
        raise ValidationError({"last": _("The last day is before the first.")})
    if first < today:
        raise ValidationError({"first": _("Shifts are laid out ahead: the first day cannot be in the past.")})
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError({"last": _("At most %(n)s days at a time (this is %(count)s days).")
                               % {"n": MAX_RANGE_DAYS, "count": (last - first).days + 1}})


def _check_times(times):
    errors = {}
    for kind, (starts, ends) in times.items():
        if starts is None or ends is None:
            errors[f"{kind}_starts"] = _("Give the times of the shift.")
        elif starts == ends:
            errors[f"{kind}_ends"] = _("A shift cannot end when it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def roster_lay_out(*, by, first, last, night=None, holiday=None, day=None, holidays=(),
                   day_shift_on_school_days=False):
    """Lay out the shifts from first to last: a night shift every day, a holiday (daytime) shift on weekends,
    between terms and on the holidays named; a day shift on school days too when asked. Times: (starts, ends)
    for each kind (a night shift ends the next morning). Shifts already laid out are kept as they are, so
    laying out the same period twice adds nothing. Returns (shifts created, number kept)."""
    require(by, selectors.ARRANGE)
    today = timezone.localdate()
    _check_range(first, last, today)
    times = {Kind.NIGHT: night or (None, None), Kind.HOLIDAY: holiday or (None, None)}
    if day_shift_on_school_days:
        times[Kind.DAY] = day or (None, None)
    _check_times(times)
    holidays = set(holidays or ())
    terms = selectors.terms_around(first, last)
    planned = plan_days(first, last, terms=terms, holidays=holidays,
                        day_shift_on_school_days=day_shift_on_school_days)
    existing = set(DutyShift.objects.select_for_update().filter(day__range=(first, last))
                   .values_list("day", "kind"))
    created, kept = [], 0
    reason = history_reason(gettext_noop("laid out in the roster of %(first)s – %(last)s"),
                            first=first.isoformat(), last=last.isoformat())
    for day_, kind in planned:
        if (day_, kind) in existing:
            kept += 1
            continue
        starts, ends = times[kind]
        shift = DutyShift(day=day_, kind=kind, starts=starts, ends=ends)
        try:
            with transaction.atomic():
                save_with_history(shift, by, reason, bump=False)
        except IntegrityError:  # laid out by someone else a moment ago
            kept += 1
            continue
        created.append(shift)
    return created, kept


def _overlap(shift, person, others):
    """The first of others (shifts of person) whose time overlaps shift's, or None."""
    start, end = selectors.shift_bounds(shift)
    for other in others:
        other_start, other_end = selectors.shift_bounds(other)
        if other_start < end and start < other_end:
            return other
    return None


@transaction.atomic
def shift_assign(*, shift_id, by, people, leader=None, note="", expected_version=None):
    """Put people (and a leader on duty) on a shift, replacing those on it. Nobody twice, nobody who has left,
    nobody who is on another shift at the same time; a shift already past keeps who was on it."""
    require(by, selectors.ASSIGN)
    shift = lock(DutyShift, shift_id, expected_version, _shift_what(), by=by)
    today = timezone.localdate()
    if shift.day < today:
        raise ValidationError(_("This shift is over: who was on duty is not changed afterwards."), code="past")
    people = list(people or ())
    errors = []
    seen = set()
    for person in people:
        if person.pk in seen:
            errors.append(_("%(name)s is on the list twice.") % {"name": display_name(person)})
        seen.add(person.pk)
    if len(seen) > MAX_PEOPLE:
        errors.append(_("At most %(n)s people on one shift.") % {"n": MAX_PEOPLE})
    for person in [*people, *([leader] if leader else [])]:
        if not person.is_active:
            errors.append(_("%(name)s no longer works here.") % {"name": display_name(person)})
    note = " ".join((note or "").split())
    if len(note) > NOTE_LENGTH:
        errors.append(_("The note is too long: at most %(n)s characters.") % {"n": NOTE_LENGTH})
    if errors:
        raise ValidationError({"people": list(dict.fromkeys(errors))})
    around = (shift.day - datetime.timedelta(days=1), shift.day + datetime.timedelta(days=1))
    for person in {p.pk: p for p in people}.values():
        other = _overlap(shift, person, selectors.shifts_of(person, *around, exclude=shift.pk))
        if other is not None:
            errors.append(_("%(name)s is already on duty at that time (%(shift)s, %(starts)s–%(ends)s).") % {
                "name": display_name(person), "shift": f"{other.day:%m-%d} {other.get_kind_display()}",
                "starts": f"{other.starts:%H:%M}", "ends": f"{other.ends:%H:%M}"})
    if errors:
        raise ValidationError({"people": errors})
    before = set(shift.people.values_list("pk", flat=True))
    unique = list({p.pk: p for p in people}.values())
    shift.skip_history_when_saving = True  # one history row below, with the people in it
    try:
        shift.people.set(unique)
    finally:
        del shift.skip_history_when_saving
    changed_people = before != {p.pk for p in unique}
    old_leader = shift.leader_id
    shift.leader, shift.note = leader, note
    names = _list([display_name(p) for p in unique])
    if not unique:
        reason = history_reason(gettext_noop("took everybody off the shift"))
    elif changed_people and leader is not None:
        reason = history_reason(gettext_noop("put on duty: %(names)s; leader on duty: %(leader)s"),
                                names=names, leader=display_name(leader))
    elif changed_people:
        reason = history_reason(gettext_noop("put on duty: %(names)s"), names=names)
    elif old_leader != (leader.pk if leader else None):
        reason = history_reason(gettext_noop("changed the leader on duty to %(leader)s"),
                                leader=display_name(leader) if leader else "—")
    else:
        reason = history_reason(gettext_noop("changed the shift's note"))
    return save_with_history(shift, by, reason)


def may_write_handover(user, shift, people_ids=None):
    """The people on the shift, its leader, and whoever keeps the roster (the safety officer)."""
    if not user.is_active:
        return False
    if user.has_perm(selectors.WRITE_ANY) or shift.leader_id == user.pk:
        return True
    ids = people_ids if people_ids is not None else set(shift.people.values_list("pk", flat=True))
    return user.pk in ids


@transaction.atomic
def handover_write(*, shift_id, by, text, all_normal=True, now=None):
    """A handover entry on a shift that has begun: what happened, what is handed over, all normal or not. Written
    by the people on the shift, its leader or the safety officer. The same entry sent twice is saved once."""
    now = now or timezone.now()
    shift = lock(DutyShift, shift_id)
    if not may_write_handover(by, shift):
        raise PermissionDenied(_("Only the people on this shift (or the safety officer) write its handover."))
    start, _end = selectors.shift_bounds(shift)
    if now < start:
        raise ValidationError(_("This shift has not begun yet (it starts %(when)s): the handover is written during "
                                "or after it.") % {"when": f"{timezone.localtime(start):%Y-%m-%d %H:%M}"},
                              code="early")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what happened on the shift (e.g. 巡查校园三次，门窗水电正常).")})
    if len(text) > TEXT_LENGTH:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": TEXT_LENGTH}})
    same = (HandoverEntry.objects.filter(shift=shift, written_by=by, text=text, all_normal=bool(all_normal),
                                         written_at__gte=now - DUPLICATE_WINDOW).first())
    if same is not None:
        same.was_duplicate = True
        return same
    entry = HandoverEntry(shift=shift, written_by=by, written_at=now, text=text, all_normal=bool(all_normal))
    reason = history_reason(gettext_noop("wrote the handover: all normal")) if all_normal else \
        history_reason(gettext_noop("wrote the handover: something to follow up"))
    return save_with_history(entry, by, reason, bump=False)
