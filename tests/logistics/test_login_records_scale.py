"""The login records page at a school's size: as many queries whatever the number of records, pages and filters
over many records, old records pruned (never the locks), and the indexes that keep reading and pruning fast."""
import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.accounts.records import login_records_prune
from logistics.accounts.views import PER_PAGE

URL = "/accounts/records/"
ROW = re.compile(r'data-outcome="(\w+)"')
WHEN = re.compile(r'<td data-label="[^"]*">(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)</td>')


def _at(model, when, **fields):
    """One record at a given time (axes sets attempt_time to now on create)."""
    record = model.objects.create(user_agent="x", **fields)
    model.objects.filter(pk=record.pk).update(attempt_time=when)
    return record


def _fill(n, start=None):
    """n logins and n failures (every fifth one locked), one a minute back from start, the two kinds
    interleaved in time; a few locks in force."""
    start = start or timezone.now()
    logins = AccessLog.objects.bulk_create(
        AccessLog(username=f"user{i % 40}", ip_address="10.4.0.1", user_agent="x") for i in range(n))
    failures = AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=f"user{i % 40}", ip_address="10.4.0.2", user_agent="x", locked_out=i % 5 == 0)
        for i in range(n))
    for i, record in enumerate(logins):
        record.attempt_time = start - datetime.timedelta(minutes=2 * i)
    for i, record in enumerate(failures):
        record.attempt_time = start - datetime.timedelta(minutes=2 * i + 1)
    AccessLog.objects.bulk_update(logins, ["attempt_time"])
    AccessFailureLog.objects.bulk_update(failures, ["attempt_time"])
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"locked{n}-{i}", ip_address=f"10.5.0.{i}", user_agent="x", failures_since_start=5,
                      get_data="", post_data="") for i in range(3))


def _page(client, **query):
    html = client.get(URL, query).content.decode()
    return ROW.findall(html), WHEN.findall(html)


@pytest.fixture
def head(users, login):
    return login(users["head"])


def test_the_page_is_the_named_one():
    assert reverse("login_records") == URL


@pytest.mark.parametrize("query", [
    {}, {"page": "2"}, {"outcome": "success"}, {"outcome": "locked", "page": "2"}, {"user": "USER3"},
    {"day_from": "2020-01-01", "day_to": "2099-12-31", "outcome": "failure"},
])
def test_the_page_reads_as_many_queries_with_30_and_300_records(head, query, django_assert_max_num_queries):
    counts = []
    for n in (30, 300):
        AccessLog.objects.all().delete()
        AccessFailureLog.objects.all().delete()
        _fill(n)
        head.get(URL, query)  # warm: the session, the content type
        with CaptureQueriesContext(connection) as ctx:
            assert head.get(URL, query).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[1]):
        head.get(URL, query)


def test_pages_go_newest_first_with_no_record_twice_or_left_out(head):
    _fill(60)  # 120 records: pages of 50, 50, 20
    rows, times = [], []
    for number in (1, 2, 3):
        page_rows, page_times = _page(head, page=number)
        rows += page_rows
        times += page_times
    assert [len(_page(head, page=n)[0]) for n in (1, 2, 3)] == [PER_PAGE, PER_PAGE, 120 - 2 * PER_PAGE]
    assert len(rows) == 120 and len(set(times)) == 120
    assert times == sorted(times, reverse=True)
    assert rows[:2] == ["success", "locked"]  # the newest login, then the failure a minute before it (locked)
    assert _page(head, page=99)[1] == _page(head, page=3)[1]  # past the end: the last page


def test_a_filtered_page_links_to_its_next_page_with_the_filter(head):
    _fill(150)
    html = head.get(URL, {"outcome": "failure"}).content.decode()
    assert "outcome=failure&amp;page=2" in html
    rows, _ = _page(head, outcome="failure", page=3)
    assert len(rows) == 150 - 2 * PER_PAGE and set(rows) == {"failure", "locked"}


def test_the_filters_pick_by_user_outcome_and_days_among_many(head):
    _fill(200)  # 200 logins and 200 failures over 400 minutes; 40 failures locked; user0 … user39
    now = timezone.now()
    old_day = timezone.localdate() - datetime.timedelta(days=30)
    _at(AccessLog, now - datetime.timedelta(days=30), username="user3", ip_address="10.9.9.9")
    _at(AccessFailureLog, now - datetime.timedelta(days=30), username="user3", ip_address="10.9.9.9")

    rows, _ = _page(head, user="USER3")  # any case
    assert len(rows) == 5 + 5 + 2 and rows.count("success") == 6
    assert _page(head, outcome="success")[0] == ["success"] * PER_PAGE
    assert set(_page(head, outcome="locked", page=1)[0]) == {"locked"}
    assert head.get(URL, {"outcome": "locked"}).context["page"].paginator.count == 40
    rows, times = _page(head, day_from=old_day.isoformat(), day_to=old_day.isoformat())
    assert sorted(rows) == ["failure", "success"] and all(t.startswith(old_day.isoformat()) for t in times)
    rows, _ = _page(head, user="user3", day_to=old_day.isoformat())
    assert len(rows) == 2


def test_a_long_address_or_typed_name_may_wrap_on_a_phone_and_stays_escaped(head):
    address = "2408:8207:2c4a:1d90:a1b2:c3d4:e5f6:7788"
    _at(AccessFailureLog, timezone.now(), username="<b>" + "x" * 30, ip_address=address)
    html = head.get(URL).content.decode()
    assert "2408:<wbr>8207:<wbr>2c4a:" in html and address not in html
    assert "&lt;b&gt;xxxxxxxxxxxxxxxxx<wbr>xxxxxxxxxxxxx" in html and "<b>" not in html


def test_pruning_deletes_only_old_records_and_keeps_the_locks(db):
    now = timezone.now()
    old_login = _at(AccessLog, now - datetime.timedelta(days=400), username="a")
    old_failure = _at(AccessFailureLog, now - datetime.timedelta(days=366), username="a", locked_out=True)
    recent_login = _at(AccessLog, now - datetime.timedelta(days=364), username="b")
    recent_failure = _at(AccessFailureLog, now - datetime.timedelta(hours=1), username="b")
    lock = _at(AccessAttempt, now - datetime.timedelta(days=400), username="a", failures_since_start=5,
               get_data="", post_data="")

    assert login_records_prune(older_than=now - datetime.timedelta(days=365)) == (1, 1)
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent_login.pk]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [recent_failure.pk]
    assert AccessAttempt.objects.filter(pk=lock.pk).exists()
    assert not AccessLog.objects.filter(pk=old_login.pk).exists()
    assert not AccessFailureLog.objects.filter(pk=old_failure.pk).exists()


def test_the_command_keeps_the_days_the_settings_say(db, settings, capsys):
    now = timezone.now()
    for days in (10, 40, 400):
        _at(AccessLog, now - datetime.timedelta(days=days), username=f"u{days}")
        _at(AccessFailureLog, now - datetime.timedelta(days=days), username=f"u{days}")
    AccessAttempt.objects.create(username="u400", user_agent="x", failures_since_start=5, get_data="", post_data="")

    call_command("prune_login_records")  # 365 by default
    assert AccessLog.objects.count() == 2 and AccessFailureLog.objects.count() == 2
    assert "Deleted 1 login(s) and 1 failed login(s) older than 365 day(s)." in capsys.readouterr().out
    settings.LOGIN_RECORDS_DAYS = 0  # keeps everything
    call_command("prune_login_records")
    assert AccessLog.objects.count() == 2
    settings.LOGIN_RECORDS_DAYS = 30
    call_command("prune_login_records")
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"u10"}
    call_command("prune_login_records", days=5)
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    assert AccessAttempt.objects.filter(username="u400").exists()


def test_pruning_many_records_takes_two_statements(db, django_assert_num_queries):
    _fill(300, start=timezone.now() - datetime.timedelta(days=400))
    with django_assert_num_queries(2 + 2):  # a savepoint and its release around the two deletes
        assert login_records_prune(older_than=timezone.now()) == (300, 300)


@pytest.mark.parametrize("table", ["axes_accesslog", "axes_accessfailurelog"])
@pytest.mark.parametrize(("name", "column"), [("attempt_time", "(attempt_time)"), ("username_upper", "upper(")])
def test_the_records_time_and_user_name_are_indexed(db, table, name, column):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                           [table, f"{table}_{name}_idx"])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND name = %s",
                           [table, f"{table}_{name}_idx"])
        definition = cursor.fetchone()
    assert definition is not None and column in definition[0].lower()
