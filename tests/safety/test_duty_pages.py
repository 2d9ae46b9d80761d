"""The duty roster's pages: the month (empty shifts marked, filters, the same number of queries for a few and many
shifts), laying out (bad input kept, nothing saved), a shift's page (people put on it, a stale page, a handover
written by the person on duty, refused to others), the printed roster and the home sections."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from safety.home import duty as duty_home
from safety.models import DutyShift, HandoverEntry

pytestmark = pytest.mark.usefixtures("english_pages")

T = datetime.time
NIGHT_STARTS, NIGHT_ENDS = T(17, 30), T(7, 30)
TODAY = timezone.localdate


def shift(day, kind="night", starts=NIGHT_STARTS, ends=NIGHT_ENDS, people=()):
    s = DutyShift.objects.create(day=day, kind=kind, starts=starts, ends=ends)
    s.people.set(people)
    return s


def month(day):
    return f"{day:%Y-%m}"


def fill_month(first, count, people):
    for n in range(count):
        shift(first + datetime.timedelta(days=n), people=people if n % 3 else ())


# --- the roster ------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["teacher", "safety", "principal", "auditor"])
def test_everyone_reads_the_roster(login, users, school, who):
    shift(TODAY(), people=[users["teacher"]])
    page = login(users[who]).get(reverse("safety:duty_roster")).content.decode()
    assert "王丽" in page


def test_an_empty_shift_is_marked_and_filtered(login, users, school):
    day = TODAY().replace(day=1)
    shift(day, people=[users["teacher"]])
    shift(day + datetime.timedelta(days=1))
    client = login(users["safety"])
    page = client.get(reverse("safety:duty_roster"), {"month": month(day)}).content.decode()
    assert page.count("class=\"empty-shift") == 1 and "Nobody on duty" in page
    only_empty = client.get(reverse("safety:duty_roster"), {"month": month(day), "show": "empty"}).content.decode()
    assert only_empty.count('data-testid="shift"') == 1
    mine = login(users["teacher"]).get(reverse("safety:duty_roster"), {"month": month(day), "show": "mine"})
    assert mine.content.decode().count('data-testid="shift"') == 1


def test_a_bad_month_shows_this_month(login, users, school):
    response = login(users["safety"]).get(reverse("safety:duty_roster"), {"month": "2026-13"})
    assert response.status_code == 200 and month(TODAY()) in response.content.decode()


@pytest.mark.parametrize("count", [3, 28])
def test_the_roster_reads_in_the_same_number_of_queries(login, users, school, django_assert_max_num_queries, count):
    first = TODAY().replace(day=1)
    fill_month(first, count, [users["teacher"], users["teacher2"]])
    client = login(users["safety"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("safety:duty_roster"), {"month": month(first)})
    assert response.content.decode().count('data-testid="shift"') == count


@pytest.mark.parametrize("count", [3, 28])
def test_the_roster_prints_as_a_pdf(login, users, school, django_assert_max_num_queries, count):
    first = TODAY().replace(day=1)
    fill_month(first, count, [users["teacher"]])
    client = login(users["safety"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("safety:duty_roster_print"), {"month": month(first)})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- laying out --------------------------------------------------------------------------------------

def lay_out_data(first, until, **extra):
    data = {"first": first.isoformat(), "last": until.isoformat(), "night_starts": "17:30", "night_ends": "07:30",
            "holiday_starts": "07:30", "holiday_ends": "17:30", "holidays": ""}
    data.update(extra)
    return data


def test_the_safety_officer_lays_out_a_week(login, users, school):
    first = TODAY() + datetime.timedelta(days=1)
    response = login(users["safety"]).post(reverse("safety:duty_lay_out"),
                                           lay_out_data(first, first + datetime.timedelta(days=6)))
    assert response.status_code == 302
    assert DutyShift.objects.filter(kind="night").count() == 7
    assert DutyShift.objects.filter(kind="holiday").count() == 2


@pytest.mark.parametrize("change, message", [
    ({"last": "2020-01-01"}, "The last day is before the first."),
    ({"holidays": "十月一日"}, "is not a date"),
    ({"night_starts": "25:00"}, "Enter a valid time."),
])
def test_bad_input_is_shown_with_what_was_typed_and_nothing_saved(login, users, school, change, message):
    first = TODAY() + datetime.timedelta(days=1)
    data = lay_out_data(first, first + datetime.timedelta(days=6), **change)
    response = login(users["safety"]).post(reverse("safety:duty_lay_out"), data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert first.isoformat() in page
    assert not DutyShift.objects.exists()


def test_a_range_too_long_is_refused(login, users, school):
    first = TODAY() + datetime.timedelta(days=1)
    response = login(users["safety"]).post(reverse("safety:duty_lay_out"),
                                           lay_out_data(first, first + datetime.timedelta(days=120)))
    assert response.status_code == 400 and "At most 93 days" in response.content.decode()


@pytest.mark.parametrize("who", ["teacher", "principal"])
def test_others_cannot_lay_out(login, users, school, who):
    assert login(users[who]).get(reverse("safety:duty_lay_out")).status_code == 403


# --- a shift's page ------------------------------------------------------------------------------------

def test_people_are_put_on_a_shift_from_its_page(login, users, school):
    s = shift(TODAY() + datetime.timedelta(days=2))
    client = login(users["safety"])
    response = client.post(reverse("safety:shift_assign", args=[s.pk]), {
        "version": 0, "people": [users["teacher"].pk, users["teacher2"].pk], "leader": users["head"].pk})
    assert response.status_code == 302
    page = client.get(reverse("safety:shift_detail", args=[s.pk])).content.decode()
    assert "put on duty: 刘洋, 王丽; leader on duty: 陈主任" in page


def test_a_stale_page_changes_nothing(login, users, school):
    s = shift(TODAY() + datetime.timedelta(days=2), people=[users["teacher"]])
    DutyShift.objects.filter(pk=s.pk).update(version=3)
    client = login(users["safety"])
    response = client.post(reverse("safety:shift_assign", args=[s.pk]),
                           {"version": 0, "people": [users["teacher2"].pk]}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert list(s.people.all()) == [users["teacher"]]


def test_an_overlapping_shift_is_shown_on_the_form(login, users, school):
    day = TODAY() + datetime.timedelta(days=3)
    shift(day - datetime.timedelta(days=1), people=[users["teacher"]])
    s = shift(day, "holiday", T(7), T(17))
    response = login(users["safety"]).post(reverse("safety:shift_assign", args=[s.pk]),
                                           {"version": 0, "people": [users["teacher"].pk]})
    assert response.status_code == 400 and "already on duty at that time" in response.content.decode()


def test_teachers_cannot_change_who_is_on_duty(login, users, school):
    s = shift(TODAY() + datetime.timedelta(days=2))
    response = login(users["teacher"]).post(reverse("safety:shift_assign", args=[s.pk]),
                                            {"version": 0, "people": [users["teacher"].pk]})
    assert response.status_code == 403


def test_the_person_on_duty_writes_the_handover_on_the_page(login, users, school):
    s = shift(TODAY() - datetime.timedelta(days=1), people=[users["teacher"]])
    client = login(users["teacher"])
    assert "Save the handover" in client.get(reverse("safety:shift_detail", args=[s.pk])).content.decode()
    response = client.post(reverse("safety:handover_write", args=[s.pk]),
                           {"all_normal": "no", "text": "围墙路灯不亮，已报修"})
    assert response.status_code == 302
    page = client.get(reverse("safety:shift_detail", args=[s.pk])).content.decode()
    assert "围墙路灯不亮" in page and "Something to follow up" in page
    # An empty handover is shown again, nothing saved.
    response = client.post(reverse("safety:handover_write", args=[s.pk]), {"all_normal": "yes", "text": ""})
    assert response.status_code == 400
    assert HandoverEntry.objects.count() == 1


def test_someone_not_on_the_shift_cannot_write_it(login, users, school):
    s = shift(TODAY() - datetime.timedelta(days=1), people=[users["teacher"]])
    client = login(users["teacher2"])
    assert "Save the handover" not in client.get(reverse("safety:shift_detail", args=[s.pk])).content.decode()
    assert client.post(reverse("safety:handover_write", args=[s.pk]),
                       {"all_normal": "yes", "text": "x"}).status_code == 403


# --- home --------------------------------------------------------------------------------------------------

def test_an_empty_shift_ahead_is_on_the_safety_officers_home(users, school):
    soon = shift(TODAY() + datetime.timedelta(days=4))
    shift(TODAY() + datetime.timedelta(days=5), people=[users["teacher"]])
    shift(TODAY() + datetime.timedelta(days=40))
    sections = {s.key: s for s in duty_home.sections(users["safety"], timezone.now())}
    rows = sections["safety_duty_empty"].rows
    assert [r.url for r in rows] == [reverse("safety:shift_detail", args=[soon.pk])]
    assert "safety_duty_empty" not in {s.key for s in duty_home.sections(users["teacher"], timezone.now())}


def test_each_person_sees_their_next_shifts(users, school):
    mine = shift(TODAY() + datetime.timedelta(days=1), people=[users["teacher"], users["teacher2"]])
    sections = {s.key: s for s in duty_home.sections(users["teacher"], timezone.now())}
    rows = sections["safety_duty_mine"].rows
    assert rows[0].url == reverse("safety:shift_detail", args=[mine.pk])
    assert "刘洋" in rows[0].detail[0]


def test_the_others_on_a_shift_are_listed_in_the_readers_language(users, school):
    shift(TODAY() + datetime.timedelta(days=1), people=[users["teacher"], users["teacher2"], users["worker"]])
    for language, separator in (("en", ", "), ("zh-hans", "、")):
        with translation.override(language):
            sections = {s.key: s for s in duty_home.sections(users["teacher"], timezone.now())}
        assert sections["safety_duty_mine"].rows[0].detail[0].count(separator) == 1, language


def test_the_lay_out_page_starts_after_the_last_shift_laid_out(login, users, school):
    shift(TODAY() + datetime.timedelta(days=10))
    page = login(users["safety"]).get(reverse("safety:duty_lay_out")).content.decode()
    assert (TODAY() + datetime.timedelta(days=11)).isoformat() in page


@pytest.mark.parametrize("count", [3, 30])
def test_a_shifts_page_reads_in_the_same_number_of_queries(login, users, school, django_assert_max_num_queries,
                                                           count):
    from safety.services import duty as services

    s = shift(TODAY() - datetime.timedelta(days=1), people=[users["teacher"], users["teacher2"]])
    for n in range(count):
        services.handover_write(shift_id=s.pk, by=users["teacher"], text=f"第{n}次巡查正常")
    client = login(users["safety"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("safety:shift_detail", args=[s.pk]))
    assert response.content.decode().count('data-testid="handover"') == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_home_sections_read_in_the_same_number_of_queries(users, school, django_assert_max_num_queries, count):
    for n in range(count):
        shift(TODAY() + datetime.timedelta(days=1 + n % 10), kind=["night", "holiday", "day"][n // 10 % 3],
              people=[users["teacher"]] if n % 2 else [])
    with django_assert_max_num_queries(6):
        sections = duty_home.sections(users["safety"], timezone.now())
    assert sections


def test_the_admin_reads_shifts_and_handovers(client, school, users):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    s = shift(TODAY() - datetime.timedelta(days=1), people=[users["teacher"]])
    HandoverEntry.objects.create(shift=s, written_by=users["teacher"], text="正常")
    client.force_login(admin)
    for name in ("dutyshift", "handoverentry"):
        assert client.get(reverse(f"admin:safety_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:safety_dutyshift_change", args=[s.pk])).status_code == 200


def safety_duty_roster(users, school):
    """The printed 值班安排表 of this month: a builder of tests/test_print_documents.py (DOCUMENTS)."""
    first = TODAY().replace(day=1)
    shift(first, people=[users["teacher"]])
    shift(first + datetime.timedelta(days=1))
    return users["safety"], f"{reverse('safety:duty_roster_print')}?month={month(first)}", [
        "值班安排表", "王丽", "无人值班", "安全员（签字）", "校长（签字）"]
