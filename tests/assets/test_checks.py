"""Recurring checks: when a schedule is due, the daily task generation, recording a check, its pages."""
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from assets import services
from assets.models import CheckSchedule, CheckTask, RepairRequest
from logistics.history import reason_text
from logistics.models import Building, Location

D = datetime.date


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The conftest's ten users would take seconds per test with the production hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def monthly(day, **kwargs):
    return CheckSchedule(title="下水道/排水检查", category="plumbing", frequency="monthly", day_of_month=day, **kwargs)


def weekly(days, **kwargs):
    return CheckSchedule(title="教室照明检查", category="lighting", frequency="weekly", weekdays=days, **kwargs)


def first_weekday_after(day, weekday):
    """The first date after `day` that falls on `weekday` (0 = Monday)."""
    day += datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def reason(record):
    with translation.override("en"):
        return reason_text(record.history_change_reason)


# --- CheckSchedule.is_due_on -------------------------------------------------------------------

def test_weekly_schedule_is_due_on_its_weekdays_only():
    schedule = weekly([1, 3])  # Tuesday and Thursday
    week = [D(2026, 11, 23) + datetime.timedelta(days=i) for i in range(7)]  # Monday 23 … Sunday 29
    assert [d for d in week if schedule.is_due_on(d)] == [D(2026, 11, 24), D(2026, 11, 26)]
    assert weekly(["1", "3"]).is_due_on(D(2026, 11, 24))  # weekdays typed in by hand as text
    assert not any(weekly([]).is_due_on(d) for d in week)


@pytest.mark.parametrize("day_of_month, due, not_due", [
    (31, D(2026, 11, 30), D(2026, 11, 29)),  # 30-day month: the last day
    (31, D(2026, 12, 31), D(2026, 12, 30)),
    (31, D(2027, 2, 28), D(2027, 2, 27)),
    (30, D(2028, 2, 29), D(2028, 2, 28)),  # leap year
    (29, D(2027, 2, 28), D(2027, 3, 1)),
    (1, D(2026, 12, 1), D(2026, 12, 2)),
    (15, D(2026, 11, 15), D(2026, 11, 30)),
])
def test_monthly_schedule_falls_on_the_last_day_of_short_months(day_of_month, due, not_due):
    schedule = monthly(day_of_month)
    assert schedule.is_due_on(due)
    assert not schedule.is_due_on(not_due)


def test_monthly_schedule_is_due_once_a_month():
    schedule = monthly(31)
    days = [D(2027, 1, 1) + datetime.timedelta(days=i) for i in range(365)]
    due = [d for d in days if schedule.is_due_on(d)]
    assert len(due) == 12 and len({d.month for d in due}) == 12


def test_inactive_or_incomplete_schedules_are_never_due():
    assert not weekly([1, 3], active=False).is_due_on(D(2026, 11, 24))
    assert not monthly(24, active=False).is_due_on(D(2026, 11, 24))
    assert not monthly(None).is_due_on(D(2026, 11, 24))


@pytest.mark.parametrize("schedule, field", [
    (weekly("1,3"), "weekdays"),  # JSON text, not a list: would stop the daily run for every schedule
    (weekly(["周二"]), "weekdays"),
    (weekly([1, 7]), "weekdays"),
    (weekly([]), "weekdays"),
    (weekly([True]), "weekdays"),
    (monthly(None), "day_of_month"),
    (monthly(0), "day_of_month"),
    (monthly(32), "day_of_month"),
])
def test_a_schedule_that_could_never_be_due_is_refused(schedule, field):
    with pytest.raises(ValidationError) as caught:
        schedule.full_clean(exclude=["locations"])
    assert list(caught.value.message_dict) == [field]


def test_a_valid_schedule_is_tidied(db):
    schedule = weekly(["3", 1, 3])
    schedule.full_clean()
    assert schedule.weekdays == [1, 3]
    monthly(31).full_clean()


# --- generate_due_checks -----------------------------------------------------------------------

@pytest.fixture
def lighting(school, worker):
    schedule = CheckSchedule.objects.create(
        title="教室照明检查", category="lighting", frequency="weekly", weekdays=[1, 3],
        part_of_day="afternoon", assignee=worker, instructions="每周二、四下午检修各教室照明线路。")
    schedule.locations.set(school["rooms"])
    return schedule


@pytest.fixture
def in_term_tuesday(school):
    return first_weekday_after(school["term"].start, 1)


@pytest.fixture
def holiday_tuesday(school):
    return first_weekday_after(school["term"].end, 1)


def test_generates_the_tasks_due_that_day(lighting, in_term_tuesday, worker):
    drains = CheckSchedule.objects.create(title="下水道/排水检查", category="plumbing", frequency="monthly",
                                          day_of_month=in_term_tuesday.day)
    wednesday = in_term_tuesday + datetime.timedelta(days=1)
    CheckSchedule.objects.create(title="配电箱检查", category="lighting", frequency="weekly", weekdays=[2])

    created = services.generate_due_checks(day=in_term_tuesday)

    assert {t.schedule for t in created} == {lighting, drains}
    task = CheckTask.objects.get(schedule=lighting)
    assert task.due_date == in_term_tuesday and task.status == "open" and task.assignee == worker
    assert CheckTask.objects.get(schedule=drains).assignee is None
    assert [t.schedule.title for t in services.generate_due_checks(day=wednesday)] == ["配电箱检查"]


def test_generating_twice_creates_nothing_more(lighting, in_term_tuesday):
    assert len(services.generate_due_checks(day=in_term_tuesday)) == 1
    assert services.generate_due_checks(day=in_term_tuesday) == []
    assert CheckTask.objects.count() == 1
    assert CheckTask.history.count() == 1


def test_holidays_are_skipped_only_for_term_time_schedules(lighting, holiday_tuesday):
    flowers = CheckSchedule.objects.create(title="校园花卉浇灌养护", category="other", frequency="weekly",
                                           weekdays=[1], only_in_term=False)
    created = services.generate_due_checks(day=holiday_tuesday)
    assert [t.schedule for t in created] == [flowers]
    assert not CheckTask.objects.filter(schedule=lighting).exists()


def test_inactive_schedules_make_no_tasks(lighting, in_term_tuesday):
    lighting.active = False
    lighting.save()
    assert services.generate_due_checks(day=in_term_tuesday) == []


def test_without_a_day_it_is_today(school, worker):
    daily = CheckSchedule.objects.create(title="每日巡查", category="other", frequency="weekly",
                                         weekdays=list(range(7)), assignee=worker)
    [task] = services.generate_due_checks()
    assert task.schedule == daily and task.due_date == timezone.localdate()


def test_the_command_creates_the_days_tasks_and_is_safe_to_repeat(lighting, in_term_tuesday):
    out = io.StringIO()
    call_command("generate_due_checks", "--date", in_term_tuesday.isoformat(), stdout=out)
    assert "1 check task(s) created" in out.getvalue()
    assert "教室照明检查" in out.getvalue()
    assert CheckTask.objects.get().due_date == in_term_tuesday

    out = io.StringIO()
    call_command("generate_due_checks", "--date", in_term_tuesday.isoformat(), stdout=out)
    assert "0 check task(s) created" in out.getvalue()
    assert CheckTask.objects.count() == 1


def test_the_command_on_a_holiday_creates_nothing(lighting, holiday_tuesday):
    out = io.StringIO()
    call_command("generate_due_checks", f"--date={holiday_tuesday.isoformat()}", stdout=out)
    assert "0 check task(s) created" in out.getvalue()


@pytest.mark.parametrize("bad", ["2026-02-30", "24/11/2026", "tomorrow", "2026-13-01"])
def test_the_command_refuses_a_date_it_cannot_read(db, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_due_checks", "--date", bad, stdout=io.StringIO())
    assert not CheckTask.objects.exists()


# --- check_complete ----------------------------------------------------------------------------

@pytest.fixture
def task(lighting, worker):
    return CheckTask.objects.create(schedule=lighting, due_date=timezone.localdate(), assignee=worker)


@pytest.fixture
def elsewhere(db):
    """A place the lighting check does not cover."""
    return Location.objects.create(building=Building.objects.create(name="食堂"), name="操作间", kind="canteen")


def test_all_in_order(task, worker):
    done, repair = services.check_complete(task_id=task.pk, by=worker, all_ok=True, findings="  灯具正常。 ")
    assert repair is None
    task.refresh_from_db()
    assert task.status == "done" and task.all_ok is True and task.findings == "灯具正常。"
    assert task.completed_by == worker and task.completed_at is not None
    assert task.version == 2 and not task.can_complete
    latest = task.history.first()
    assert reason(latest) == "checked, all in order"
    assert latest.history_user == worker
    assert not RepairRequest.objects.exists()


def test_problems_found_must_be_described(task, worker):
    with pytest.raises(ValidationError) as caught:
        services.check_complete(task_id=task.pk, by=worker, all_ok=False, findings="   ")
    assert "findings" in caught.value.message_dict
    task.refresh_from_db()
    assert task.status == "open" and task.version == 1


def test_problems_fixed_on_the_spot_open_no_repair(task, worker):
    done, repair = services.check_complete(task_id=task.pk, by=worker, all_ok=False,
                                           findings="一(2)班一根灯管启辉慢,已当场更换启辉器。")
    assert repair is None
    assert done.all_ok is False
    assert reason(task.history.first()) == "checked, problems found"


def test_a_fault_opens_a_repair_linked_to_the_check(task, worker, school):
    room = school["rooms"][1]
    done, repair = services.check_complete(
        task_id=task.pk, by=worker, all_ok=False, findings="一(2)班后排两根灯管不亮。",
        fault={"location": room, "category": task.schedule.category, "title": "后排两根灯管不亮",
               "description": "一(2)班后排两根灯管不亮。", "urgency": "urgent"})
    repair.refresh_from_db()
    assert repair.check_task == done
    assert list(done.repair_requests.all()) == [repair]
    assert repair.location == room and repair.category == "lighting" and repair.urgency == "urgent"
    assert repair.reporter == worker and repair.status == "reported"
    assert repair.title == "后排两根灯管不亮" and repair.number.startswith("WX-")
    assert repair.reported_at == done.completed_at
    assert repair.due_at == repair.reported_at + datetime.timedelta(hours=services.target_hours("urgent"))
    assert reason(repair.history.get()) == "reported"
    assert reason(done.history.first()) == "checked, problems found"


def test_a_fault_means_problems_were_found(task, worker, school):
    """Opening a repair from a check that says “all in order” would hide the fault from the figures."""
    done, repair = services.check_complete(
        task_id=task.pk, by=worker, all_ok=True, findings="一(1)班讲台灯管闪烁。",
        fault={"location": school["room"], "category": "lighting", "title": "讲台灯管闪烁",
               "description": "", "urgency": "normal"})
    assert repair is not None
    done.refresh_from_db()
    assert done.all_ok is False
    assert reason(done.history.first()) == "checked, problems found"


def test_a_fault_needs_findings_even_when_all_in_order_was_ticked(task, worker, school):
    with pytest.raises(ValidationError) as caught:
        services.check_complete(
            task_id=task.pk, by=worker, all_ok=True, findings="",
            fault={"location": school["room"], "category": "lighting", "title": "讲台灯管闪烁",
                   "description": "", "urgency": "normal"})
    assert "findings" in caught.value.message_dict
    assert not RepairRequest.objects.exists()


def test_a_fault_elsewhere_is_refused(task, worker, elsewhere):
    with pytest.raises(ValidationError) as caught:
        services.check_complete(
            task_id=task.pk, by=worker, all_ok=False, findings="操作间灯不亮",
            fault={"location": elsewhere, "category": "lighting", "title": "灯不亮", "description": "",
                   "urgency": "normal"})
    assert "fault_location" in caught.value.message_dict
    task.refresh_from_db()
    assert task.status == "open"
    assert not RepairRequest.objects.exists()


def test_a_check_is_recorded_once(task, worker, users):
    services.check_complete(task_id=task.pk, by=worker, all_ok=True)
    with pytest.raises(ValidationError) as caught:
        services.check_complete(task_id=task.pk, by=users["worker2"], all_ok=False, findings="又查了一遍")
    assert caught.value.code == "not_allowed"
    task.refresh_from_db()
    assert task.completed_by == worker and task.all_ok is True and task.history.count() == 2


def test_a_stale_page_is_refused(task, worker):
    with pytest.raises(ValidationError) as caught:
        services.check_complete(task_id=task.pk, by=worker, all_ok=True, expected_version=task.version + 1)
    assert caught.value.code == "stale"
    services.check_complete(task_id=task.pk, by=worker, all_ok=True, expected_version=task.version)


@pytest.mark.parametrize("username", ["teacher", "auditor", "finance"])
def test_people_without_the_role_cannot_record_checks(task, users, username):
    assert not users[username].has_perm("assets.change_checktask")
    with pytest.raises(PermissionDenied):
        services.check_complete(task_id=task.pk, by=users[username], all_ok=True)
    task.refresh_from_db()
    assert task.status == "open"


def test_the_head_may_record_a_check_too(task, head):
    done, _repair = services.check_complete(task_id=task.pk, by=head, all_ok=True)
    assert done.completed_by == head


# --- pages -------------------------------------------------------------------------------------

def test_the_checks_page(task, lighting, login, users):
    client = login(users["worker"])
    response = client.get(reverse("assets:schedule_list"))
    assert response.status_code == 200
    assert "教室照明检查" in response.content.decode()
    assert reverse("assets:check_task_detail", args=[task.pk]) in response.content.decode()
    assert client.get(reverse("assets:schedule_list"), {"status": "done"}).status_code == 200
    assert login(users["head"]).get(reverse("assets:schedule_list")).status_code == 200
    assert login(users["auditor"]).get(reverse("assets:schedule_list")).status_code == 200


def test_staff_cannot_open_the_checks_pages(task, login, teacher):
    client = login(teacher)
    assert client.get(reverse("assets:schedule_list")).status_code == 403
    assert client.get(reverse("assets:check_task_detail", args=[task.pk])).status_code == 403
    response = client.post(reverse("assets:check_task_detail", args=[task.pk]),
                           {"all_ok": "yes", "findings": "", "version": task.version})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "open"


def test_anonymous_visitors_are_sent_to_sign_in(task, client):
    response = client.get(reverse("assets:check_task_detail", args=[task.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_auditor_reads_a_check_but_cannot_record_it(task, login, auditor):
    client = login(auditor)
    response = client.get(reverse("assets:check_task_detail", args=[task.pk]))
    assert response.status_code == 200
    assert 'name="all_ok"' not in response.content.decode()
    response = client.post(reverse("assets:check_task_detail", args=[task.pk]),
                           {"all_ok": "yes", "findings": "", "version": task.version})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "open"


def test_worker_records_a_fault_through_the_page_and_lands_on_the_new_repair(task, login, worker, school):
    client = login(worker)
    url = reverse("assets:check_task_detail", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="report_fault"' in page.content.decode()
    response = client.post(url, {
        "all_ok": "no", "findings": "一(2)班讲台上方灯管闪烁,灯座接触不良。", "report_fault": "on",
        "fault_location": school["rooms"][1].pk, "fault_title": "讲台上方灯管闪烁", "fault_urgency": "normal",
        "version": task.version,
    })
    repair = RepairRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:repair_detail", args=[repair.pk])
    assert repair.check_task_id == task.pk and repair.location == school["rooms"][1]
    assert repair.description == "一(2)班讲台上方灯管闪烁,灯座接触不良。"
    task.refresh_from_db()
    assert task.status == "done" and task.all_ok is False and task.completed_by == worker
    page = client.get(response["Location"])
    assert page.status_code == 200 and "讲台上方灯管闪烁" in page.content.decode()
    # the check's page now lists the repair it opened, and offers no second recording
    page = client.get(url).content.decode()
    assert repair.number in page and 'name="report_fault"' not in page


def test_worker_records_all_in_order_and_returns_to_the_list(task, login, worker):
    client = login(worker)
    response = client.post(reverse("assets:check_task_detail", args=[task.pk]),
                           {"all_ok": "yes", "findings": "", "fault_urgency": "normal", "version": task.version})
    assert response.status_code == 302 and response["Location"] == reverse("assets:schedule_list")
    task.refresh_from_db()
    assert task.status == "done" and task.all_ok is True
    assert not RepairRequest.objects.exists()


def test_the_page_refuses_a_fault_without_place_or_title(task, login, worker):
    client = login(worker)
    response = client.post(reverse("assets:check_task_detail", args=[task.pk]), {
        "all_ok": "no", "findings": "有灯管不亮", "report_fault": "on", "fault_location": "",
        "fault_title": "", "fault_urgency": "normal", "version": task.version})
    assert response.status_code == 200
    form = response.context["form"]
    assert "fault_location" in form.errors and "fault_title" in form.errors
    task.refresh_from_db()
    assert task.status == "open" and not RepairRequest.objects.exists()


def test_the_page_refuses_a_fault_at_a_place_the_check_does_not_cover(task, login, worker, elsewhere):
    client = login(worker)
    response = client.post(reverse("assets:check_task_detail", args=[task.pk]), {
        "all_ok": "no", "findings": "操作间灯不亮", "report_fault": "on", "fault_location": elsewhere.pk,
        "fault_title": "灯不亮", "fault_urgency": "normal", "version": task.version})
    assert response.status_code == 200
    assert "fault_location" in response.context["form"].errors
    task.refresh_from_db()
    assert task.status == "open" and not RepairRequest.objects.exists()


def test_a_second_recording_from_a_stale_page_is_refused(task, login, worker, users):
    stale_version = task.version
    services.check_complete(task_id=task.pk, by=users["worker2"], all_ok=True)
    response = login(worker).post(reverse("assets:check_task_detail", args=[task.pk]),
                                  {"all_ok": "no", "findings": "灯管闪", "version": stale_version,
                                   "fault_urgency": "normal"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    task.refresh_from_db()
    assert task.completed_by == users["worker2"] and task.all_ok is True
