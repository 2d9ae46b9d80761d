"""Every move of a repair request through assets.services: allowed, refused, and what history says."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assets import services
from assets.models import AssetSettings, RepairRequest, Urgency
from logistics.history import reason_text

Status = RepairRequest.Status


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Messages and history reasons read in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


def report(users, school, reporter="teacher", **kwargs):
    data = {"category": "lighting", "location": school["room"], "title": "灯不亮", "urgency": Urgency.NORMAL}
    data.update(kwargs)
    return services.repair_report(reporter=users[reporter], **data)


def bring_to(state, users, school):
    """A request reported by the teacher and moved, through the services, into the given state."""
    repair = report(users, school)
    pk = repair.pk
    if state in ("assigned", "in_progress", "done", "confirmed", "rejected_after_assign"):
        services.repair_assign(request_id=pk, by=users["head"], assignee=users["worker"])
    if state in ("in_progress", "done", "confirmed"):
        services.repair_start(request_id=pk, worker=users["worker"])
    if state in ("done", "confirmed"):
        services.repair_complete(request_id=pk, worker=users["worker"], work_done="换了两根灯管")
    if state == "confirmed":
        services.repair_confirm(request_id=pk, by=users["teacher"])
    if state in ("rejected", "rejected_after_assign"):
        services.repair_reject(request_id=pk, by=users["head"], reason="重复申报")
    if state == "cancelled":
        services.repair_cancel(request_id=pk, by=users["teacher"])
    return RepairRequest.objects.get(pk=pk)


def latest(repair):
    return repair.history.order_by("-history_date", "-history_id").first()


def reason(record):
    """The history entry's reason as a reader sees it (in the active language)."""
    return reason_text(record.history_change_reason)


def snapshot(repair):
    """Everything stored about the request: the row and the number of history entries."""
    return RepairRequest.objects.filter(pk=repair.pk).values().get(), repair.history.count()


# --- report ----------------------------------------------------------------------------------

def test_teacher_reports_a_fault(users, school):
    repair = report(users, school, title="  两盏灯闪烁 ", description=" 靠窗一侧 ", urgency=Urgency.URGENT)
    repair = RepairRequest.objects.get(pk=repair.pk)
    assert repair.status == Status.REPORTED
    assert repair.title == "两盏灯闪烁"
    assert repair.description == "靠窗一侧"
    assert repair.reporter == users["teacher"]
    assert repair.assignee is None
    assert repair.version == 1
    record = latest(repair)
    assert record.history_type == "+"
    assert reason(record) == "reported"
    assert record.history_user == users["teacher"]


def test_numbers_count_up_within_the_year(users, school):
    now = timezone.now()
    year = timezone.localtime(now).year
    numbers = [report(users, school, now=now).number for _ in range(3)]
    assert numbers == [f"WX-{year}-00001", f"WX-{year}-00002", f"WX-{year}-00003"]


def test_numbers_start_again_in_the_school_new_year(users, school):
    # 16:30 UTC on 31 December is already 1 January in Shanghai.
    old_year = datetime.datetime(2025, 12, 31, 8, 0, tzinfo=datetime.UTC)
    new_year = datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert report(users, school, now=old_year).number == "WX-2025-00001"
    assert report(users, school, now=old_year).number == "WX-2025-00002"
    assert report(users, school, now=new_year).number == "WX-2026-00001"


@pytest.mark.parametrize(("urgency", "hours"), [(Urgency.URGENT, 4), (Urgency.NORMAL, 48), (Urgency.LOW, 100)])
def test_target_time_is_reported_time_plus_the_school_target(users, school, urgency, hours):
    AssetSettings.objects.update(repair_target_urgent_hours=4, repair_target_normal_hours=48,
                                 repair_target_low_hours=100)
    now = timezone.now().replace(microsecond=0)
    repair = RepairRequest.objects.get(pk=report(users, school, urgency=urgency, now=now).pk)
    assert repair.reported_at == now
    assert repair.due_at == now + datetime.timedelta(hours=hours)


def test_same_form_sent_twice_makes_one_request(users, school):
    token = uuid.uuid4()
    first = report(users, school, submit_token=token)
    second = report(users, school, submit_token=token, title="另一个标题")
    assert second.pk == first.pk
    assert second.was_duplicate is True
    assert not getattr(first, "was_duplicate", False)
    assert RepairRequest.objects.count() == 1
    assert RepairRequest.objects.get().title == "灯不亮"
    assert first.history.count() == 1


def test_someone_else_cannot_reuse_a_form_token(users, school):
    token = uuid.uuid4()
    report(users, school, submit_token=token)
    with pytest.raises(ValidationError) as exc:
        report(users, school, reporter="teacher2", submit_token=token)
    assert exc.value.code == "token"
    assert RepairRequest.objects.count() == 1


def test_auditor_cannot_report(users, school):
    with pytest.raises(PermissionDenied):
        report(users, school, reporter="auditor")
    assert not RepairRequest.objects.exists()


@pytest.mark.parametrize("role", ["teacher", "worker", "head", "principal", "finance", "canteen", "safety"])
def test_every_employee_can_report(users, school, role):
    assert report(users, school, reporter=role).reporter == users[role]


def test_a_place_no_longer_in_use_is_refused(users, school):
    school["room"].active = False
    school["room"].save()
    with pytest.raises(ValidationError) as exc:
        report(users, school)
    assert exc.value.code == "location"
    assert not RepairRequest.objects.exists()


# --- allowed moves, and the history they leave -----------------------------------------------

def test_head_assigns_to_a_worker(users, school):
    repair = bring_to("reported", users, school)
    before = timezone.now()
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"],
                           expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.ASSIGNED
    assert repair.assignee == users["worker"]
    assert repair.assigned_at >= before
    assert repair.version == 2
    record = latest(repair)
    assert reason(record) == "assigned to 张师傅"
    assert record.history_user == users["head"]
    assert record.status == Status.ASSIGNED


def test_head_reassigns_to_another_worker(users, school):
    repair = bring_to("assigned", users, school)
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker2"],
                           expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.ASSIGNED
    assert repair.assignee == users["worker2"]
    assert repair.version == 3
    record = latest(repair)
    assert reason(record) == "reassigned to 李师傅"
    assert record.history_user == users["head"]


def test_worker_takes_an_unassigned_request(users, school):
    repair = bring_to("reported", users, school)
    services.repair_take(request_id=repair.pk, worker=users["worker2"], expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.ASSIGNED
    assert repair.assignee == users["worker2"]
    assert repair.assigned_at is not None
    record = latest(repair)
    assert reason(record) == "took it on"  # the row's who is 李师傅
    assert record.history_user == users["worker2"]


def test_assigned_worker_starts(users, school):
    repair = bring_to("assigned", users, school)
    services.repair_start(request_id=repair.pk, worker=users["worker"], expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.IN_PROGRESS
    assert repair.started_at is not None
    record = latest(repair)
    assert reason(record) == "work started"
    assert record.history_user == users["worker"]


def test_assigned_worker_completes_with_cost_and_time(users, school):
    repair = bring_to("in_progress", users, school)
    services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done=" Replaced two tubes ",
                             parts_used="2 LED tubes", cost=Decimal("36.50"), minutes_spent=40,
                             expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.DONE
    assert repair.completed_at is not None
    assert repair.work_done == "Replaced two tubes"
    assert repair.parts_used == "2 LED tubes"
    assert repair.cost == Decimal("36.50")
    assert repair.minutes_spent == 40
    record = latest(repair)
    assert reason(record) == "marked done: Replaced two tubes"
    assert record.history_user == users["worker"]


def test_worker_may_complete_without_pressing_start(users, school):
    repair = bring_to("assigned", users, school)
    services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="拧紧了")
    repair.refresh_from_db()
    assert repair.status == Status.DONE
    assert repair.started_at == repair.completed_at


def test_reporter_confirms_the_fix(users, school):
    repair = bring_to("done", users, school)
    services.repair_confirm(request_id=repair.pk, by=users["teacher"], expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.CONFIRMED
    assert repair.closed_at is not None
    record = latest(repair)
    assert reason(record) == "confirmed fixed by the reporter"
    assert record.history_user == users["teacher"]


def test_reporter_reopens_and_it_goes_back_to_the_same_worker(users, school):
    repair = bring_to("done", users, school)
    services.repair_reopen(request_id=repair.pk, by=users["teacher"], reason=" Still flickers ",
                           expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.ASSIGNED
    assert repair.assignee == users["worker"]
    assert repair.reason == "Still flickers"
    assert repair.reopen_count == 1
    assert repair.completed_at is None
    assert repair.started_at is None
    record = latest(repair)
    assert reason(record) == "reopened: Still flickers"
    assert record.history_user == users["teacher"]
    # ...and the worker can go round again.
    services.repair_start(request_id=repair.pk, worker=users["worker"])
    services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="换了镇流器")
    services.repair_confirm(request_id=repair.pk, by=users["teacher"])
    repair.refresh_from_db()
    assert repair.status == Status.CONFIRMED
    assert repair.reopen_count == 1


def test_head_may_reassign_a_reopened_request(users, school):
    repair = bring_to("done", users, school)
    services.repair_reopen(request_id=repair.pk, by=users["teacher"], reason="还是坏的")
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker2"])
    repair.refresh_from_db()
    assert repair.assignee == users["worker2"]
    assert reason(latest(repair)) == "reassigned to 李师傅"


@pytest.mark.parametrize("state", ["reported", "assigned"])
def test_head_rejects_with_a_reason(users, school, state):
    repair = bring_to(state, users, school)
    services.repair_reject(request_id=repair.pk, by=users["head"], reason="Duplicate of WX-2026-00001",
                           expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.REJECTED
    assert repair.reason == "Duplicate of WX-2026-00001"
    assert repair.closed_at is not None
    record = latest(repair)
    assert reason(record) == "rejected: Duplicate of WX-2026-00001"
    assert record.history_user == users["head"]


def test_reporter_cancels_before_anyone_took_it(users, school):
    repair = bring_to("reported", users, school)
    services.repair_cancel(request_id=repair.pk, by=users["teacher"], reason=" 自己修好了 ",
                           expected_version=repair.version)
    repair.refresh_from_db()
    assert repair.status == Status.CANCELLED
    assert repair.reason == "自己修好了"
    assert repair.closed_at is not None
    record = latest(repair)
    assert reason(record) == "cancelled by the reporter"
    assert record.history_user == users["teacher"]


def test_the_whole_journey_leaves_one_history_entry_per_move(users, school):
    repair = bring_to("confirmed", users, school)
    reasons = [reason(r) for r in repair.history.order_by("history_date", "history_id")]
    assert reasons == ["reported", "assigned to 张师傅", "work started", "marked done: 换了两根灯管",
                       "confirmed fixed by the reporter"]
    assert repair.version == 5


# --- moves refused because of the state ------------------------------------------------------

def _moves(users):
    """Each move as called by the person entitled to it (the head, the assigned worker, the reporter)."""
    return {
        "assign": lambda pk: services.repair_assign(request_id=pk, by=users["head"], assignee=users["worker2"]),
        "take": lambda pk: services.repair_take(request_id=pk, worker=users["worker2"]),
        "start": lambda pk: services.repair_start(request_id=pk, worker=users["worker"]),
        "complete": lambda pk: services.repair_complete(request_id=pk, worker=users["worker"], work_done="修好"),
        "confirm": lambda pk: services.repair_confirm(request_id=pk, by=users["teacher"]),
        "reopen": lambda pk: services.repair_reopen(request_id=pk, by=users["teacher"], reason="还是坏的"),
        "reject": lambda pk: services.repair_reject(request_id=pk, by=users["head"], reason="重复"),
        "cancel": lambda pk: services.repair_cancel(request_id=pk, by=users["teacher"]),
    }


REFUSED_STATES = [
    ("assign", ["in_progress", "done", "confirmed", "rejected", "cancelled"]),
    ("take", ["assigned", "in_progress", "done", "confirmed", "rejected", "cancelled"]),
    # start and complete check the person first: states in which the worker is still the assignee.
    ("start", ["in_progress", "done", "confirmed", "rejected_after_assign"]),
    ("complete", ["done", "confirmed", "rejected_after_assign"]),
    ("confirm", ["reported", "assigned", "in_progress", "confirmed", "rejected", "cancelled"]),
    ("reopen", ["reported", "assigned", "in_progress", "confirmed", "rejected", "cancelled"]),
    ("reject", ["in_progress", "done", "confirmed", "rejected", "cancelled"]),
    ("cancel", ["assigned", "in_progress", "done", "confirmed", "rejected", "cancelled"]),
]


@pytest.mark.parametrize(("move", "state"), [(m, s) for m, states in REFUSED_STATES for s in states])
def test_move_is_refused_in_a_state_that_does_not_allow_it(users, school, move, state):
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    with pytest.raises(ValidationError) as exc:
        _moves(users)[move](repair.pk)
    assert exc.value.code == "not_allowed"
    assert "cannot be" in exc.value.messages[0]
    assert snapshot(repair) == before


def test_assigning_to_the_same_worker_again_is_refused(users, school):
    repair = bring_to("assigned", users, school)
    before = snapshot(repair)
    with pytest.raises(ValidationError, match="already assigned to 张师傅"):
        services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    assert snapshot(repair) == before


@pytest.mark.parametrize("who", ["teacher", "principal", "auditor"])
def test_only_logistics_workers_can_be_assigned(users, school, who):
    repair = bring_to("reported", users, school)
    before = snapshot(repair)
    with pytest.raises(ValidationError) as exc:
        services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users[who])
    assert exc.value.code == "assignee"
    assert snapshot(repair) == before


def test_head_may_give_work_to_themself(users, school):
    # The head holds every repair permission, the work one included.
    repair = bring_to("reported", users, school)
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["head"])
    assert RepairRequest.objects.get(pk=repair.pk).assignee == users["head"]


def test_a_worker_who_left_cannot_be_assigned(users, school):
    repair = bring_to("reported", users, school)
    users["worker2"].is_active = False
    users["worker2"].save()
    before = snapshot(repair)
    with pytest.raises(ValidationError) as exc:
        services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker2"])
    assert exc.value.code == "assignee"
    assert snapshot(repair) == before


def test_completing_needs_a_word_on_what_was_done(users, school):
    repair = bring_to("in_progress", users, school)
    before = snapshot(repair)
    with pytest.raises(ValidationError) as exc:
        services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="   ")
    assert "work_done" in exc.value.error_dict
    assert snapshot(repair) == before


def test_a_negative_cost_is_refused(users, school):
    repair = bring_to("in_progress", users, school)
    before = snapshot(repair)
    with pytest.raises(ValidationError) as exc:
        services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="修好",
                                 cost=Decimal("-1"))
    assert "cost" in exc.value.error_dict
    assert snapshot(repair) == before


@pytest.mark.parametrize(("move", "state"), [("reopen", "done"), ("reject", "reported")])
def test_a_reason_is_required(users, school, move, state):
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    call = {
        "reopen": lambda: services.repair_reopen(request_id=repair.pk, by=users["teacher"], reason="  "),
        "reject": lambda: services.repair_reject(request_id=repair.pk, by=users["head"], reason=""),
    }[move]
    with pytest.raises(ValidationError) as exc:
        call()
    assert "reason" in exc.value.error_dict
    assert snapshot(repair) == before


# --- moves refused because of the person -----------------------------------------------------

WRONG_PEOPLE = [
    ("assign", "reported", ["teacher", "worker", "principal", "auditor"]),
    ("take", "reported", ["teacher", "principal", "finance", "auditor"]),
    ("start", "assigned", ["worker2", "head", "teacher", "auditor"]),
    ("complete", "in_progress", ["worker2", "head", "teacher", "auditor"]),
    ("confirm", "done", ["teacher2", "worker", "head", "auditor"]),
    ("reopen", "done", ["teacher2", "worker", "head", "auditor"]),
    ("reject", "reported", ["teacher", "worker", "principal", "auditor"]),
    ("cancel", "reported", ["teacher2", "worker", "head", "auditor"]),
]


def _move_by(move, pk, user, users):
    return {
        "assign": lambda: services.repair_assign(request_id=pk, by=user, assignee=users["worker"]),
        "take": lambda: services.repair_take(request_id=pk, worker=user),
        "start": lambda: services.repair_start(request_id=pk, worker=user),
        "complete": lambda: services.repair_complete(request_id=pk, worker=user, work_done="修好"),
        "confirm": lambda: services.repair_confirm(request_id=pk, by=user),
        "reopen": lambda: services.repair_reopen(request_id=pk, by=user, reason="还是坏的"),
        "reject": lambda: services.repair_reject(request_id=pk, by=user, reason="重复"),
        "cancel": lambda: services.repair_cancel(request_id=pk, by=user),
    }[move]()


@pytest.mark.parametrize(("move", "state", "who"),
                         [(m, s, w) for m, s, people in WRONG_PEOPLE for w in people])
def test_move_is_refused_to_the_wrong_person(users, school, move, state, who):
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    with pytest.raises(PermissionDenied):
        _move_by(move, repair.pk, users[who], users)
    assert snapshot(repair) == before


def test_a_deactivated_assignee_can_no_longer_work_on_it(users, school):
    repair = bring_to("assigned", users, school)
    users["worker"].is_active = False
    users["worker"].save()
    before = snapshot(repair)
    with pytest.raises(PermissionDenied):
        services.repair_start(request_id=repair.pk, worker=users["worker"])
    assert snapshot(repair) == before


# --- decisions made on a stale page ----------------------------------------------------------

STALE_CASES = [
    ("assign", "reported", "head"),
    ("take", "reported", "worker"),
    ("start", "assigned", "worker"),
    ("complete", "in_progress", "worker"),
    ("confirm", "done", "teacher"),
    ("reopen", "done", "teacher"),
    ("reject", "reported", "head"),
    ("cancel", "reported", "teacher"),
]


@pytest.mark.parametrize(("move", "state", "who"), STALE_CASES)
def test_a_decision_on_a_stale_page_is_refused(users, school, move, state, who):
    repair = bring_to(state, users, school)
    before = snapshot(repair)
    user, pk, old = users[who], repair.pk, repair.version - 1
    call = {
        "assign": lambda: services.repair_assign(request_id=pk, by=user, assignee=users["worker2"],
                                                 expected_version=old),
        "take": lambda: services.repair_take(request_id=pk, worker=user, expected_version=old),
        "start": lambda: services.repair_start(request_id=pk, worker=user, expected_version=old),
        "complete": lambda: services.repair_complete(request_id=pk, worker=user, work_done="修好",
                                                     expected_version=old),
        "confirm": lambda: services.repair_confirm(request_id=pk, by=user, expected_version=old),
        "reopen": lambda: services.repair_reopen(request_id=pk, by=user, reason="坏", expected_version=old),
        "reject": lambda: services.repair_reject(request_id=pk, by=user, reason="重复", expected_version=old),
        "cancel": lambda: services.repair_cancel(request_id=pk, by=user, expected_version=old),
    }[move]
    with pytest.raises(ValidationError) as exc:
        call()
    assert exc.value.code == "stale"
    assert snapshot(repair) == before


def test_two_people_deciding_at_once_only_the_first_wins(users, school):
    repair = bring_to("reported", users, school)
    seen = repair.version  # both pages were loaded at this version
    services.repair_take(request_id=repair.pk, worker=users["worker"], expected_version=seen)
    with pytest.raises(ValidationError) as exc:
        services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker2"],
                               expected_version=seen)
    assert exc.value.code == "stale"
    repair.refresh_from_db()
    assert repair.assignee == users["worker"]
