"""Canteen inspections: checklists, recording an inspection item by item, a failed item becoming a finding in the
kernel's tracking, and the moves refused (who may, a missing answer or note, stale pages, second clicks)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from canteen.models import CanteenStaff, Checklist, Inspection, InspectionResult
from canteen.services import inspections as services
from logistics.findings.services import finding_fix, finding_verify
from logistics.history import history_timeline
from logistics.models import Finding
from logistics.schedules import generate_due
from tests.conftest import image_bytes

ITEMS = ["留样是否齐全", "冷藏温度是否在0–8℃", "餐具是否消毒"]
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    """Messages in English: the tests read the msgids, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager(users, canteen_settings):
    """The canteen manager on the kitchen's staff list, with the canteen user's account."""
    CanteenStaff.objects.create(name="周红", post=CanteenStaff.Post.MANAGER, user=users["canteen"])
    return users["canteen"]


@pytest.fixture
def checklist(users, canteen_settings):
    return services.checklist_add(by=users["head"], title="食堂每日检查", items="\n".join(ITEMS),
                                  frequency=Checklist.Frequency.DAILY, inspector=users["head"])


@pytest.fixture
def inspection(checklist):
    return checklist.create_task(TODAY())[0]


def answers(failed=None):
    """Every item passed, except failed: {item: note}."""
    failed = failed or {}
    return [(item, item not in failed, failed.get(item, "")) for item in ITEMS]


def record(inspection, by, **kwargs):
    kwargs.setdefault("results", answers())
    return services.inspection_record(inspection_id=inspection.pk, by=by, **kwargs)


def reasons(obj):
    return [e["reason"] for e in history_timeline(obj)]


# --- checklists -----------------------------------------------------------------------------------

def test_head_adds_a_checklist_with_items_one_a_line(checklist, users):
    assert checklist.items == ITEMS
    assert checklist.inspector == users["head"]
    assert reasons(checklist) == ["created the checklist with 3 items"]


def test_canteen_manager_may_add_a_checklist_but_not_the_principal_or_safety(users, canteen_settings):
    services.checklist_add(by=users["canteen"], title="每周自查", items="库房\n灭蝇灯", frequency="weekly",
                           weekdays=[4])
    for who in ("principal", "safety", "auditor", "teacher"):
        with pytest.raises(PermissionDenied):
            services.checklist_add(by=users[who], title="x", items="a", frequency="daily")


@pytest.mark.parametrize("kwargs, field", [
    ({"title": " "}, "title"),
    ({"items": "\n \n"}, "items"),
    ({"items": "留样\n留样"}, "items"),
    ({"items": "x" * 121}, "items"),
    ({"items": "\n".join(f"item {n}" for n in range(31))}, "items"),
    ({"frequency": "weekly", "weekdays": []}, "weekdays"),
    ({"frequency": "weekly", "weekdays": [7]}, "weekdays"),
    ({"frequency": "monthly", "day_of_month": None}, "day_of_month"),
    ({"frequency": "hourly"}, "frequency"),
])
def test_a_bad_checklist_is_refused_by_field(users, canteen_settings, kwargs, field):
    data = {"title": "食堂每日检查", "items": "留样\n温度", "frequency": "daily", **kwargs}
    with pytest.raises(ValidationError) as e:
        services.checklist_add(by=users["head"], **data)
    assert field in e.value.message_dict
    assert not Checklist.objects.exists()


def test_the_inspector_must_be_one_who_may_inspect(users, canteen_settings):
    with pytest.raises(ValidationError) as e:
        services.checklist_add(by=users["head"], title="x", items="a", frequency="daily", inspector=users["teacher"])
    assert "cannot inspect the canteen" in e.value.message_dict["inspector"][0]


def test_the_same_checklist_sent_twice_is_saved_once_and_another_with_its_name_refused(checklist, users):
    again = services.checklist_add(by=users["head"], title="食堂每日检查", items=ITEMS, frequency="daily")
    assert again.pk == checklist.pk and again.was_duplicate
    with pytest.raises(ValidationError) as e:
        services.checklist_add(by=users["head"], title="食堂每日检查", items="别的", frequency="daily")
    assert "already exists" in e.value.message_dict["title"][0]
    assert Checklist.objects.count() == 1


def test_changing_a_checklist_says_what_changed_and_a_stale_page_is_refused(checklist, users):
    version = checklist.version
    changed = services.checklist_change(checklist_id=checklist.pk, by=users["head"], title="食堂每日检查",
                                        items=[*ITEMS, "垃圾是否加盖"], frequency="weekly", weekdays=[0, 2, 4],
                                        expected_version=version)
    assert changed.items[-1] == "垃圾是否加盖" and changed.weekdays == [0, 2, 4]
    with pytest.raises(ValidationError) as e:
        services.checklist_change(checklist_id=checklist.pk, by=users["canteen"], title="食堂每日检查", items=ITEMS,
                                  frequency="daily", expected_version=version)
    assert e.value.code == "stale"
    stopped = services.checklist_change(checklist_id=checklist.pk, by=users["head"], title="食堂每日检查", items=ITEMS,
                                        frequency="daily", active=False, expected_version=changed.version)
    assert not stopped.active
    assert reasons(checklist)[1:] == ["changed the items (now 4)",
                                      "stopped the checklist: no more inspections fall due"]
    with pytest.raises(PermissionDenied):
        services.checklist_change(checklist_id=checklist.pk, by=users["safety"], title="x", items="a",
                                  frequency="daily")


def test_the_kernel_schedule_creates_each_days_inspection_once(checklist, school):
    monday = TODAY() - datetime.timedelta(days=TODAY().weekday())
    created = generate_due(day=monday, models_=[Checklist])
    assert [i.due_date for i in created] == [monday]
    assert generate_due(day=monday, models_=[Checklist]) == []
    assert generate_due(day=monday + datetime.timedelta(days=5), models_=[Checklist]) == []  # Saturday


# --- recording ------------------------------------------------------------------------------------

def test_all_passed_marks_the_inspection_done_with_a_result_per_item(inspection, users):
    done = record(inspection, users["head"], note="一切正常")
    assert done.status == Inspection.Status.DONE and done.done_by == users["head"] and done.note == "一切正常"
    assert list(done.results.values_list("item", "passed")) == [(item, True) for item in ITEMS]
    assert done.findings == []
    assert not Finding.objects.exists()
    assert reasons(done)[-1] == "inspected: all 3 items passed"


def test_a_failed_item_becomes_a_canteen_finding_for_the_manager_within_three_days(inspection, users, manager):
    done = record(inspection, users["safety"], results=answers({ITEMS[1]: "冷藏柜10℃"}))
    [finding] = done.findings
    result = InspectionResult.objects.get(inspection=done, passed=False)
    assert finding.area == "canteen"
    assert finding.title == "冷藏温度是否在0–8℃: 冷藏柜10℃"
    assert finding.responsible == manager
    assert finding.deadline == TODAY() + datetime.timedelta(days=3)
    assert finding.found_by == users["safety"]
    assert finding.source == result
    assert result.note == "冷藏柜10℃"
    assert reasons(done)[-1] == "inspected: 1 of 3 items did not pass"


def test_the_inspector_may_choose_who_fixes_it_by_when_with_a_photo(inspection, users, manager):
    photo = SimpleUploadedFile("f.png", image_bytes(), content_type="image/png")
    deadline = TODAY() + datetime.timedelta(days=1)
    done = record(inspection, users["head"], results=answers({ITEMS[2]: "消毒柜未开"}),
                  failed_items={ITEMS[2]: {"responsible": users["worker"], "deadline": deadline, "photos": [photo]}})
    [finding] = done.findings
    assert (finding.responsible, finding.deadline) == (users["worker"], deadline)
    assert finding.photos.count() == 1


def test_the_finding_is_fixed_by_the_manager_and_verified_by_someone_else(inspection, users, manager):
    [finding] = record(inspection, users["head"], results=answers({ITEMS[0]: "午餐少留一样"})).findings
    photo = SimpleUploadedFile("f.png", image_bytes(), content_type="image/png")
    finding_fix(finding_id=finding.pk, by=manager, note="已补留", photos=[photo])
    with pytest.raises(PermissionDenied):
        finding_verify(finding_id=finding.pk, by=manager, ok=True)  # the canteen role does not verify
    finding_verify(finding_id=finding.pk, by=users["head"], ok=True)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.VERIFIED


@pytest.mark.parametrize("results, key", [
    ([(ITEMS[0], True, ""), (ITEMS[1], True, "")], "passed_2"),
    ([(ITEMS[0], True, ""), (ITEMS[1], None, ""), (ITEMS[2], True, "")], "passed_1"),
    ([(ITEMS[0], False, " "), (ITEMS[1], True, ""), (ITEMS[2], True, "")], "note_0"),
    ([*answers(), ("不在清单上", True, "")], "results"),
    ([*answers(), (ITEMS[0], True, "")], "results"),
])
def test_every_item_is_answered_once_and_a_failed_one_says_what_was_found(inspection, users, manager, results, key):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["head"], results=results)
    assert key in e.value.message_dict
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.OPEN
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()


def test_a_failed_item_message_names_the_item(inspection, users, manager):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["head"], results=answers({ITEMS[1]: ""}))
    assert e.value.message_dict["note_1"] == ["“冷藏温度是否在0–8℃” did not pass: say what was found."]


def test_without_a_manager_the_inspector_must_choose_who_fixes_it(inspection, users, canteen_settings):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["head"], results=answers({ITEMS[0]: "少一样"}))
    assert "no canteen manager" in e.value.message_dict["responsible_0"][0]
    assert not Finding.objects.exists()


def test_a_deadline_in_the_past_or_a_bad_photo_saves_nothing(inspection, users, manager):
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as e:
        record(inspection, users["head"], results=answers({ITEMS[0]: "a", ITEMS[1]: "b"}), failed_items={
            ITEMS[0]: {"deadline": TODAY() - datetime.timedelta(days=1)}, ITEMS[1]: {"photos": [bad]}})
    assert set(e.value.message_dict) == {"deadline_0", "photos_1"}
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()


def test_who_may_record_an_inspection(inspection, users, manager):
    for who in ("teacher", "auditor", "worker", "finance"):
        with pytest.raises(PermissionDenied):
            record(inspection, users[who])
    for who in ("canteen", "principal"):
        checklist = Checklist.objects.get()
        day = TODAY() - datetime.timedelta(days=1 if who == "canteen" else 2)
        other = checklist.create_task(day)[0]
        assert record(other, users[who]).status == Inspection.Status.DONE


def test_a_second_click_returns_the_first_and_a_stale_page_is_refused(inspection, users, manager):
    version = inspection.version
    first = record(inspection, users["head"], results=answers({ITEMS[0]: "少一样"}), expected_version=version)
    again = record(inspection, users["head"], results=answers({ITEMS[0]: "少一样"}), expected_version=version)
    assert again.was_duplicate and again.pk == first.pk
    assert Finding.objects.count() == 1 and InspectionResult.objects.count() == 3
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], expected_version=version)
    assert e.value.code == "stale"
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"])
    assert "already recorded by 陈主任" in e.value.messages[0]


def test_an_inspection_of_a_day_to_come_cannot_be_recorded(checklist, users):
    later = checklist.create_task(TODAY() + datetime.timedelta(days=2))[0]
    with pytest.raises(ValidationError) as e:
        record(later, users["head"])
    assert e.value.code == "early"


def test_an_inspection_recorded_late_keeps_its_day(checklist, users):
    late = checklist.create_task(TODAY() - datetime.timedelta(days=4))[0]
    done = record(late, users["head"])
    assert done.due_date == TODAY() - datetime.timedelta(days=4)
    assert timezone.localdate(done.done_at) == TODAY()


# --- ad hoc ---------------------------------------------------------------------------------------

def test_an_inspection_started_by_hand_today_and_again_opens_the_same(checklist, users):
    first = services.inspection_start(checklist_id=checklist.pk, by=users["safety"])
    assert first.was_created and first.due_date == TODAY() and first.inspector == users["safety"]
    assert reasons(first) == ["started by hand (not on the schedule)"]
    again = services.inspection_start(checklist_id=checklist.pk, by=users["head"])
    assert again.pk == first.pk and not again.was_created


def test_starting_by_hand_opens_todays_scheduled_inspection(inspection, users):
    started = services.inspection_start(checklist_id=inspection.checklist_id, by=users["head"])
    assert started.pk == inspection.pk and not started.was_created


def test_starting_by_hand_is_refused_for_a_stopped_checklist_a_day_to_come_and_readers(checklist, users):
    with pytest.raises(ValidationError):
        services.inspection_start(checklist_id=checklist.pk, by=users["head"],
                                  day=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.inspection_start(checklist_id=checklist.pk, by=users["auditor"])
    services.checklist_change(checklist_id=checklist.pk, by=users["head"], title=checklist.title, items=ITEMS,
                              frequency="daily", active=False)
    with pytest.raises(ValidationError) as e:
        services.inspection_start(checklist_id=checklist.pk, by=users["head"])
    assert "no longer in use" in e.value.messages[0]
    assert not Inspection.objects.exists()


def test_a_long_note_is_cut_in_the_findings_title_and_kept_whole_in_its_details(inspection, users, manager):
    note = "地面积水" * 40
    [finding] = record(inspection, users["head"], results=answers({ITEMS[0]: note[:300]})).findings
    assert len(finding.title) == 120 and finding.title.endswith("…")
    assert finding.description == note[:300]
