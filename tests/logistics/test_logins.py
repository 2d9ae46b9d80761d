"""Logins and passwords (issue 13): failed logins are throttled by user name and by address (the admin's login
too) with a message that says how long to wait; the head reads every login and unlocks; passwords follow rules
for people who are not IT staff; sessions end after the school's idle time, and a password change or "log out
my other sessions" ends the other sessions."""
import datetime
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.accounts.sessions import ACTIVITY_COOKIE, LAST_ACTIVITY
from logistics.models import SchoolProfile
from logistics.passwords import DemoPasswordValidator

from ..conftest import PASSWORD

HOME = "/"
LOCKED_ZH = "登录失败次数过多"
LOCKED_EN = "Too many failed logins"


@pytest.fixture
def throttling(settings):
    """django-axes switched on (the suite runs with it off: the test client's login has no request), with the
    limits production starts with."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    return settings


def attempt(client, username, password, address="10.0.0.1", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1", url=None):
    return [attempt(client, username, "wrong-password", address, url).status_code for _ in range(times)]


def signed_in(client):
    return SESSION_KEY in client.session


# --- throttling -------------------------------------------------------------------------------------------------

def test_five_failures_lock_the_user_name_even_with_the_right_password(users, throttling, client):
    assert fail(client, "teacher", 4) == [200] * 4  # the form again, with its error
    response = attempt(client, "teacher", "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_ZH in html and "15 分钟" in html and 'data-lockout-minutes="15"' in html
    assert 'name="password"' in html  # the login page, not axes' bare text

    response = attempt(client, "teacher", PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    assert AccessFailureLog.objects.filter(username="teacher", locked_out=True).exists()


def test_a_locked_user_name_stays_locked_from_another_address(users, throttling):
    fail(Client(), "teacher", 5, address="10.0.0.1")
    other = Client()
    assert attempt(other, "teacher", PASSWORD, address="10.9.9.9").status_code == 429
    assert not signed_in(other)
    # another person at the first address is not locked by the teacher's mistakes
    assert attempt(Client(), "worker", PASSWORD, address="10.0.0.1").status_code == 302


def test_an_address_is_locked_after_its_own_limit_of_failures_across_names(users, throttling, client):
    throttling.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for name in ("ghost1", "ghost2", "ghost3"):
        assert fail(client, name, 2, address="10.0.0.7") == [200, 200]  # no name reaches its own limit of 5 …
    assert fail(client, "ghost4", 1, address="10.0.0.7") == [200]
    assert fail(client, "ghost5", 1, address="10.0.0.7") == [429]  # … the address does, at its 8th failure
    response = attempt(client, "head", PASSWORD, address="10.0.0.7")
    assert response.status_code == 429 and LOCKED_ZH in response.content.decode()
    assert attempt(Client(), "head", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lockout_message_is_in_english_for_an_english_reader(users, throttling, english_pages):
    fail(english_pages, "teacher", 5)
    response = attempt(english_pages, "teacher", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_EN in html and "try again in 15 minutes" in html


def test_the_wait_shown_is_what_is_left_of_the_lock(users, throttling, client):
    fail(client, "teacher", 5)
    AccessAttempt.objects.filter(username="teacher").update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=11))
    response = attempt(client, "teacher", PASSWORD)
    assert response.status_code == 429 and 'data-lockout-minutes="4"' in response.content.decode()


def test_a_lock_ends_after_the_cool_off(users, throttling, client):
    fail(client, "teacher", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(client, "teacher", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_admin_login_is_throttled_too(users, throttling, client):
    User.objects.create_superuser("root", password=PASSWORD)
    url = reverse("admin:login") + "?next=/admin/"
    assert fail(client, "root", 4, url=url) == [200] * 4
    response = attempt(client, "root", "nope", url=url)
    assert response.status_code == 429 and LOCKED_ZH in response.content.decode()
    assert attempt(client, "root", PASSWORD, url=url).status_code == 429
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_a_successful_login_forgets_earlier_mistakes(users, throttling, client):
    fail(client, "teacher", 4)
    assert attempt(client, "teacher", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, "teacher", 4) == [200] * 4  # counted from zero again
    assert attempt(client, "teacher", PASSWORD).status_code == 302


# --- the login records -----------------------------------------------------------------------------------------

def test_the_head_reads_logins_and_failures_with_who_when_and_from_where(users, throttling, client):
    attempt(Client(), "teacher", PASSWORD, address="10.1.1.1")
    fail(Client(), "worker", 5, address="10.2.2.2")
    head = Client()
    head.force_login(users["head"])  # a login too, recorded like the teacher's
    page = head.get(reverse("login_records"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-outcome="success"') == 2
    assert 'data-outcome="locked"' in html and html.count('data-outcome="failure"') == 4
    assert "10.1.1.1" in html and "10.2.2.2" in html and "王丽" in html
    assert 'data-lock="username"' in html and "worker" in html


def test_others_are_refused_the_login_records(users, client):
    for username in ("teacher", "worker", "principal", "finance", "canteen", "safety", "auditor"):
        client.force_login(users[username])
        assert client.get(reverse("login_records")).status_code == 403, username
        assert client.post(reverse("login_unlock"), {"kind": "username", "value": "x"}).status_code == 403
    client.logout()
    assert client.get(reverse("login_records")).status_code == 302


def test_a_superuser_reads_the_login_records(db, client):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    assert client.get(reverse("login_records")).status_code == 200


def test_the_records_filter_by_user_outcome_and_day(users, throttling, login):
    attempt(Client(), "teacher", PASSWORD)
    fail(Client(), "worker", 2, address="10.3.3.3")
    old = AccessFailureLog.objects.create(username="worker", ip_address="10.3.3.4", user_agent="x")
    AccessFailureLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=40))
    client = login(users["head"])
    url = reverse("login_records")

    def outcomes(**query):
        html = client.get(url, query).content.decode()
        return html.count('data-outcome="success"'), html.count('data-outcome="failure"')

    assert outcomes(user="WORKER") == (0, 3)
    assert outcomes(user="teacher") == (1, 0)
    assert outcomes(outcome="failure") == (0, 3)
    today = timezone.localdate().isoformat()
    assert outcomes(user="worker", day_from=today, day_to=today) == (0, 2)
    assert outcomes(outcome="locked") == (0, 0)


def _fill_records(n):
    AccessLog.objects.bulk_create(AccessLog(username=f"user{i}", ip_address="10.4.0.1", user_agent="x")
                                  for i in range(n))
    AccessFailureLog.objects.bulk_create(AccessFailureLog(username=f"user{i}", ip_address="10.4.0.2",
                                                          user_agent="x", locked_out=i % 5 == 0)
                                         for i in range(n))
    AccessAttempt.objects.bulk_create(AccessAttempt(username=f"locked{n}-{i}", ip_address=f"10.5.0.{i % 250}",
                                                    user_agent=str(i), failures_since_start=5, get_data="",
                                                    post_data="") for i in range(n // 10))
    head = User.objects.get(username="head")
    content_type = ContentType.objects.get_for_model(AccessAttempt)
    LogEntry.objects.bulk_create(LogEntry(user=head, content_type=content_type, object_id="", object_repr=f"u{i}",
                                          action_flag=DELETION, change_message='{"unlock": "username"}')
                                 for i in range(n // 20))


@pytest.mark.parametrize("query", [{}, {"outcome": "failure", "page": "2"}, {"user": "user3"}])
def test_the_records_page_reads_as_many_queries_at_two_sizes(users, login, query, django_assert_max_num_queries):
    client = login(users["head"])
    url = reverse("login_records")
    counts = []
    for n in (10, 150):
        _fill_records(n)
        client.get(url, query)  # warm: the session, the content type
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query)
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        client.get(url, query)


def test_the_head_unlocks_a_user_name_and_the_unlock_is_kept(users, throttling, login):
    fail(Client(), "teacher", 5)
    head = login(users["head"])
    response = head.post(reverse("login_unlock"), {"kind": "username", "value": "teacher"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="teacher").exists()
    entry = LogEntry.objects.get(object_repr="teacher")
    assert entry.user == users["head"] and '"unlock": "username"' in entry.change_message
    assert "teacher" in head.get(reverse("login_records")).content.decode()
    assert attempt(Client(), "teacher", PASSWORD).status_code == 302


def test_the_head_unlocks_an_address(users, throttling, login):
    throttling.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for name in ("a", "b", "c"):
        fail(Client(), name, 1, address="10.6.6.6")
    assert attempt(Client(), "teacher", PASSWORD, address="10.6.6.6").status_code == 429
    head = login(users["head"])
    assert 'data-lock="address"' in head.get(reverse("login_records")).content.decode()
    head.post(reverse("login_unlock"), {"kind": "address", "value": "10.6.6.6"})
    assert attempt(Client(), "teacher", PASSWORD, address="10.6.6.6").status_code == 302


def test_an_unlock_with_nothing_named_unlocks_nobody(users, throttling, login):
    fail(Client(), "teacher", 5)
    head = login(users["head"])
    for data in ({"kind": "username", "value": ""}, {"kind": "address", "value": "not-an-address"},
                 {"kind": "other", "value": "teacher"}):
        head.post(reverse("login_unlock"), data)
    assert AccessAttempt.objects.filter(username="teacher").exists()
    assert head.get(reverse("login_unlock")).status_code == 405


# --- passwords ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("new, message", [
    ("Qx7#pa9", "密码太短，至少需要 10 个字符。"),
    ("8473629105", "密码只包含数字。"),
    ("qwertyuiop", "这个密码太常见了。"),
    ("Demo-12345!", "演示"),
])
def test_each_password_rule_refuses_with_a_chinese_message(users, login, new, message):
    client = login(users["teacher"])
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "This password" not in html
    users["teacher"].refresh_from_db()
    assert users["teacher"].check_password(PASSWORD)


def test_a_long_plain_sentence_is_accepted(users, login):
    client = login(users["teacher"])
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "tea at four by the river", "new_password2":
        "tea at four by the river"})
    assert response.status_code == 302
    users["teacher"].refresh_from_db()
    assert users["teacher"].check_password("tea at four by the river")


@pytest.mark.parametrize("password", ["demo12345", "Demo12345", "DEMO-12345!", "demo123456", "12345demo",
                                      "demo 1234 5", "mydemo12345", "demo2026", "demo12354"])
def test_the_demo_password_and_its_variants_are_refused(password):
    with pytest.raises(ValidationError):
        DemoPasswordValidator().validate(password)


@pytest.mark.parametrize("password", ["tea at four by the river", "democracy-2026-ok", "12345 apples"])
def test_passwords_far_from_the_demo_one_pass_its_rule(password):
    DemoPasswordValidator().validate(password)


# --- the idle timeout ---------------------------------------------------------------------------------------------

def idle_for(client, minutes):
    """Time travel: the session's idle clock started that long ago, and no later activity is on record."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - int(minutes * 60)
    session.save()
    client.cookies.pop(ACTIVITY_COOKIE, None)


def test_a_session_idle_longer_than_the_school_allows_is_ended(users, school, login):
    client = login(users["teacher"])
    assert LAST_ACTIVITY in client.session  # the idle clock starts at login
    key = client.cookies["sessionid"].value
    idle_for(client, 121)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url == reverse("login") + "?next=/"
    assert not signed_in(client)
    assert not Session.objects.filter(session_key=key).exists()  # ended on the server, not only in the browser
    page = client.get(response.url)
    assert "120 分钟" in page.content.decode()


def test_a_session_used_within_the_idle_time_goes_on_and_its_clock_restarts(users, school, login):
    client = login(users["teacher"])
    idle_for(client, 119)
    assert client.get(HOME).status_code == 200
    assert ACTIVITY_COOKIE in client.cookies  # the activity just now is on record …
    session = client.session
    session[LAST_ACTIVITY] -= 60 * 60
    session.save()
    assert client.get(HOME).status_code == 200  # … so an hour more since login is not idleness


def test_activity_on_record_cannot_be_forged_or_borrowed(users, school, login):
    client = login(users["teacher"])
    idle_for(client, 3)
    client.get(HOME)
    borrowed = client.cookies[ACTIVITY_COOKIE].value
    other = Client()
    other.force_login(users["teacher"])
    idle_for(other, 121)
    other.cookies[ACTIVITY_COOKIE] = borrowed  # another session's record
    assert other.get(HOME).status_code == 302
    idle_for(client, 121)
    client.cookies[ACTIVITY_COOKIE] = borrowed.rsplit(":", 2)[0] + ":9999999999:forged"
    assert client.get(HOME).status_code == 302


def test_the_school_sets_the_idle_time(users, school, login):
    profile = SchoolProfile.objects.get()
    assert SchoolProfile.session_idle() == 120 * 60
    profile.session_idle_minutes = 30
    profile.save()
    assert SchoolProfile.session_idle() == 30 * 60  # the cached value is forgotten on save
    client = login(users["teacher"])
    idle_for(client, 29)
    assert client.get(HOME).status_code == 200
    idle_for(client, 31)
    assert client.get(HOME).status_code == 302


@pytest.mark.parametrize("minutes, valid", [(4, False), (5, True), (1440, True), (1441, False)])
def test_the_idle_time_stays_between_5_minutes_and_a_day(school, minutes, valid):
    profile = SchoolProfile.objects.get()
    profile.session_idle_minutes = minutes
    if valid:
        profile.full_clean()
    else:
        with pytest.raises(ValidationError):
            profile.full_clean()


def test_the_idle_time_is_edited_with_the_school_profile_in_the_admin(school, client):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    profile = SchoolProfile.objects.get()
    response = client.get(reverse("admin:logistics_schoolprofile_change", args=[profile.pk]))
    assert 'name="session_idle_minutes"' in response.content.decode()
    client.post(reverse("admin:logistics_schoolprofile_change", args=[profile.pk]), {
        "name": profile.name, "session_idle_minutes": "45"})
    assert SchoolProfile.session_idle() == 45 * 60


def test_the_idle_check_costs_no_query_of_its_own(users, school, login):
    client = login(users["teacher"])
    client.get(HOME)
    idle_for(client, 3)  # long enough for the activity to be written down, too short to read the setting
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    assert ACTIVITY_COOKIE in client.cookies
    assert not [q for q in ctx.captured_queries if "session_idle_minutes" in q["sql"] or "django_session" in q["sql"]
                and not q["sql"].startswith("SELECT")]
    idle_for(client, 10)  # idle long enough to ask the school's setting: once, then from the cache
    client.get(HOME)
    idle_for(client, 10)
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    assert not [q for q in ctx.captured_queries if "session_idle_minutes" in q["sql"]]


# --- ending sessions -----------------------------------------------------------------------------------------------

def test_logging_out_is_post_only_and_deletes_the_session(users, school, login):
    client = login(users["teacher"])
    key = client.cookies["sessionid"].value
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(HOME).status_code == 302


def test_changing_ones_password_ends_ones_other_sessions(users, school):
    here, there = Client(), Client()
    here.force_login(users["teacher"])
    there.force_login(users["teacher"])
    new = "tea at four by the river"
    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert there.get(HOME).status_code == 302 and not signed_in(there)


def test_a_new_password_set_in_the_admin_ends_that_persons_sessions(users, school):
    phone = Client()
    phone.force_login(users["teacher"])
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password=PASSWORD))
    new = "a new one for the new term"
    response = admin.post(reverse("admin:auth_user_password_change", args=[users["teacher"].pk]),
                          {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    assert phone.get(HOME).status_code == 302 and not signed_in(phone)


def test_log_out_my_other_sessions(users, school):
    here, there, someone_else = Client(), Client(), Client()
    here.force_login(users["teacher"])
    there.force_login(users["teacher"])
    someone_else.force_login(users["worker"])
    response = here.post(reverse("end_other_sessions"))
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert there.get(HOME).status_code == 302
    assert someone_else.get(HOME).status_code == 200
    assert not Session.objects.filter(session_key=there.cookies["sessionid"].value).exists()
    assert here.get(reverse("end_other_sessions")).status_code == 405
