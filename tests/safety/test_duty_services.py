"""The duty roster's rules: laying out a period (school days, weekends and holidays, kept shifts, bad ranges), putting
people on a shift (twice, overlapping, left, past, stale page, wrong role), the handover log (who, when, a double
click), what the history says, and the ledger's coverage."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from logistics.history import history_timeline
from logistics.models import Term
from safety.models import DutyShift, HandoverEntry
from safety.selectors import duty as selectors
from safety.services import duty as services

pytestmark = pytest.mark.usefixtures("english")

T = datetime.time
NIGHT_STARTS, NIGHT_ENDS = T(17, 30), T(7, 30)
NIGHT = (T(17, 30), T(7, 30))
HOLIDAY = (T(7, 30), T(17, 30))


def next_weekday(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


@pytest.fixture
def monday(school):
    return next_weekday(timezone.localdate(), 0)


def lay_out(by, first, last, **kw):
    kw.setdefault("night", NIGHT)
    kw.setdefault("holiday", HOLIDAY)
    return services.roster_lay_out(by=by, first=first, last=last, **kw)


def shift(day, kind="night", starts=NIGHT_STARTS, ends=NIGHT_ENDS):
    return DutyShift.objects.create(day=day, kind=kind, starts=starts, ends=ends)


# --- laying out -------------------------------------------------------------------------------------

def test_a_week_gets_night_shifts_on_school_days_and_day_and_night_on_the_weekend(users, monday):
    created, kept = lay_out(users["safety"], monday, monday + datetime.timedelta(days=6))
    kinds = [(s.day.weekday(), s.kind) for s in created]
    assert kinds == [(0, "night"), (1, "night"), (2, "night"), (3, "night"), (4, "night"),
                     (5, "holiday"), (5, "night"), (6, "holiday"), (6, "night")]
    assert kept == 0
    saturday = DutyShift.objects.get(day=monday + datetime.timedelta(days=5), kind="holiday")
    assert (saturday.starts, saturday.ends) == HOLIDAY


def test_public_holidays_named_and_days_between_terms_get_holiday_shifts(users, monday, school):
    Term.objects.filter(pk=school["term"].pk).update(end=monday + datetime.timedelta(days=1))
    created, _kept = lay_out(users["safety"], monday, monday + datetime.timedelta(days=3),
                             holidays={monday + datetime.timedelta(days=1)})
    by_day = {}
    for s in created:
        by_day.setdefault(s.day.weekday(), []).append(s.kind)
    assert by_day[0] == ["night"]                     # a school day
    assert by_day[1] == ["holiday", "night"]          # a public holiday named
    assert by_day[2] == ["holiday", "night"]          # after the term: the winter holiday


def test_a_day_shift_on_school_days_when_asked(users, monday):
    created, _kept = lay_out(users["safety"], monday, monday, day_shift_on_school_days=True, day=(T(7), T(17)))
    assert [s.kind for s in created] == ["day", "night"]


def test_laying_out_twice_keeps_what_is_there(users, monday):
    lay_out(users["safety"], monday, monday + datetime.timedelta(days=2))
    first = DutyShift.objects.get(day=monday, kind="night")
    services.shift_assign(shift_id=first.pk, by=users["safety"], people=[users["teacher"]])
    created, kept = lay_out(users["safety"], monday, monday + datetime.timedelta(days=4), night=(T(18), T(8)))
    assert len(created) == 2 and kept == 3
    first.refresh_from_db()
    assert first.starts == T(17, 30) and list(first.people.all()) == [users["teacher"]]
    assert DutyShift.objects.count() == 5


@pytest.mark.parametrize("first, last, field, message", [
    (-1, 3, "first", "cannot be in the past"),
    (3, 1, "last", "before the first"),
    (0, 93, "last", "At most 93 days"),
])
def test_bad_ranges_are_refused(users, school, first, last, field, message):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        lay_out(users["safety"], today + datetime.timedelta(days=first), today + datetime.timedelta(days=last))
    assert message in " ".join(e.value.message_dict[field])
    assert not DutyShift.objects.exists()


def test_missing_dates_and_times_are_refused(users, monday):
    with pytest.raises(ValidationError) as e:
        services.roster_lay_out(by=users["safety"], first=None, last=None)
    assert set(e.value.message_dict) == {"first", "last"}
    with pytest.raises(ValidationError) as e:
        services.roster_lay_out(by=users["safety"], first=monday, last=monday, night=(T(8), T(8)), holiday=HOLIDAY)
    assert "cannot end when it starts" in str(e.value)
    assert not DutyShift.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_lays_out_the_roster(users, monday, who):
    with pytest.raises(PermissionDenied):
        lay_out(users[who], monday, monday)


def test_laying_out_reads_in_the_history(users, monday):
    created, _kept = lay_out(users["safety"], monday, monday)
    entry = history_timeline(created[0])[0]
    assert entry["who"] == "吴老师"
    assert entry["reason"] == f"laid out in the roster of {monday} – {monday}"


# --- people on a shift -----------------------------------------------------------------------------------

def test_people_and_a_leader_are_put_on_a_shift_with_history(users, monday):
    s = shift(monday)
    services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher"], users["teacher2"]],
                          leader=users["head"], expected_version=0)
    s.refresh_from_db()
    assert set(s.people.all()) == {users["teacher"], users["teacher2"]}
    assert s.leader == users["head"] and s.version == 1
    last = history_timeline(s)[-1]
    assert last["reason"] == "put on duty: 王丽, 刘洋; leader on duty: 陈主任"
    assert s.history.count() == 2  # created, then one row for the change with the people in it


def test_the_same_person_twice_is_refused(users, monday):
    s = shift(monday)
    with pytest.raises(ValidationError) as e:
        services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher"], users["teacher"]])
    assert "王丽 is on the list twice." in e.value.message_dict["people"]
    assert not s.people.exists()


def test_a_person_on_an_overlapping_shift_is_refused(users, monday):
    saturday = monday + datetime.timedelta(days=5)
    night = shift(saturday - datetime.timedelta(days=1))  # Friday 17:30 → Saturday 07:30
    day = shift(saturday, "holiday", T(7), T(17, 30))      # Saturday from 07:00: overlaps half an hour
    services.shift_assign(shift_id=night.pk, by=users["safety"], people=[users["teacher"]])
    with pytest.raises(ValidationError) as e:
        services.shift_assign(shift_id=day.pk, by=users["safety"], people=[users["teacher"], users["teacher2"]])
    assert "王丽 is already on duty at that time" in str(e.value)
    # Back to back (the day shift from 07:30) is fine.
    DutyShift.objects.filter(pk=day.pk).update(starts=T(7, 30))
    services.shift_assign(shift_id=day.pk, by=users["safety"], people=[users["teacher"]])


def test_someone_who_left_is_refused(users, monday):
    users["teacher2"].is_active = False
    users["teacher2"].save()
    s = shift(monday)
    with pytest.raises(ValidationError) as e:
        services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher2"]])
    assert "刘洋 no longer works here." in e.value.message_dict["people"]


def test_a_past_shift_keeps_who_was_on_it(users, school):
    s = shift(timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher"]])
    assert e.value.code == "past"


def test_a_stale_page_is_refused(users, monday):
    s = shift(monday)
    services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher"]], expected_version=0)
    with pytest.raises(ValidationError) as e:
        services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher2"]], expected_version=0)
    assert e.value.code == "stale"
    assert list(s.people.all()) == [users["teacher"]]


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor"])
def test_only_the_safety_officer_puts_people_on_duty(users, monday, who):
    s = shift(monday)
    with pytest.raises(PermissionDenied):
        services.shift_assign(shift_id=s.pk, by=users[who], people=[users["teacher"]])


def test_taking_everybody_off_reads_in_the_history(users, monday):
    s = shift(monday)
    services.shift_assign(shift_id=s.pk, by=users["safety"], people=[users["teacher"]])
    services.shift_assign(shift_id=s.pk, by=users["safety"], people=[])
    assert history_timeline(s)[-1]["reason"] == "took everybody off the shift"


# --- the handover log ------------------------------------------------------------------------------------

@pytest.fixture
def last_night(users, school):
    s = shift(timezone.localdate() - datetime.timedelta(days=1))
    s.people.add(users["teacher"])
    return s


def test_the_person_on_duty_writes_the_handover(users, last_night):
    entry = services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="巡查三次，一切正常")
    assert entry.all_normal and entry.written_by == users["teacher"]
    assert history_timeline(entry)[0]["reason"] == "wrote the handover: all normal"
    other = services.handover_write(shift_id=last_night.pk, by=users["safety"], text="围墙路灯不亮", all_normal=False)
    assert history_timeline(other)[0]["reason"] == "wrote the handover: something to follow up"
    assert HandoverEntry.objects.filter(shift=last_night).count() == 2


def test_the_leader_on_duty_writes_too(users, last_night):
    DutyShift.objects.filter(pk=last_night.pk).update(leader=users["principal"])
    services.handover_write(shift_id=last_night.pk, by=users["principal"], text="检查值班情况")


@pytest.mark.parametrize("who", ["teacher2", "head", "auditor"])
def test_someone_not_on_the_shift_cannot_write_its_handover(users, last_night, who):
    with pytest.raises(PermissionDenied):
        services.handover_write(shift_id=last_night.pk, by=users[who], text="正常")
    assert not HandoverEntry.objects.exists()


def test_a_shift_that_has_not_begun_has_no_handover(users, monday):
    s = shift(monday)
    s.people.add(users["teacher"])
    with pytest.raises(ValidationError) as e:
        services.handover_write(shift_id=s.pk, by=users["teacher"], text="正常")
    assert e.value.code == "early"


def test_an_empty_or_too_long_handover_is_refused(users, last_night):
    with pytest.raises(ValidationError) as e:
        services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="  ")
    assert "text" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="很" * 2001)
    assert "At most 2000 characters." in e.value.message_dict["text"]


def test_a_double_click_saves_one_handover(users, last_night):
    first = services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="正常")
    second = services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="正常")
    assert second.pk == first.pk and second.was_duplicate
    assert HandoverEntry.objects.count() == 1


# --- reads -----------------------------------------------------------------------------------------------

def test_empty_shifts_ahead_within_the_lookahead(users, school):
    today = timezone.localdate()
    soon, later, staffed = (shift(today + datetime.timedelta(days=3)), shift(today + datetime.timedelta(days=30)),
                            shift(today + datetime.timedelta(days=2)))
    staffed.people.add(users["teacher"])
    assert selectors.empty_shifts_ahead(today) == [soon]
    assert later not in selectors.empty_shifts_ahead(today, days=14)


def test_duty_coverage_counts_the_terms_shifts_staffed_and_handovers(users, school, last_night):
    shift(timezone.localdate() + datetime.timedelta(days=1))
    shift(school["term"].end + datetime.timedelta(days=5))  # after the term: not counted
    services.handover_write(shift_id=last_night.pk, by=users["teacher"], text="正常")
    services.handover_write(shift_id=last_night.pk, by=users["safety"], text="复查正常")
    coverage = selectors.duty_coverage(school["term"])
    assert (coverage.shifts, coverage.staffed, coverage.handovers, coverage.shifts_with_handover) == (2, 1, 2, 1)
    assert coverage.empty == 1


def test_next_shifts_of_a_person_as_one_of_the_people_or_the_leader(users, school):
    today = timezone.localdate()
    a, b, past = shift(today + datetime.timedelta(days=1)), shift(today + datetime.timedelta(days=2)), \
        shift(today - datetime.timedelta(days=1))
    a.people.add(users["teacher"])
    past.people.add(users["teacher"])
    DutyShift.objects.filter(pk=b.pk).update(leader=users["teacher"])
    assert [s.pk for s in selectors.next_shifts(users["teacher"], today)] == [a.pk, b.pk]
