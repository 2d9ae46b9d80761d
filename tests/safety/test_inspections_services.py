"""The inspection services: recording an inspection item by item (who may, when, all answered, a failed item with a
note, a photo checked, a stale page, a second click), the hazards a failed item raises (source, area, receiver,
deadline, photo), a spot check started by hand once a day, the typical checklist, and what the history says."""
import datetime
import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from logistics.history import reason_text
from logistics.models import Finding
from safety.models import CheckArea, Inspection, InspectionPlan, InspectionResult, PlanItem
from safety.services import inspections as services
from safety.services.common import fix_deadline
from tests.conftest import image_bytes

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate
ITEMS = [(CheckArea.FIRE, "灭火器压力在绿区"), (CheckArea.ELECTRICS, "配电箱上锁"), (CheckArea.TREES, "无枯枝")]


def make_plan(inspector=None, items=ITEMS, title="每周安全巡查", **extra):
    plan = InspectionPlan.objects.create(title=title, inspector=inspector, frequency="weekly", weekdays=[0],
                                         **extra)
    for n, (area, text) in enumerate(items):
        PlanItem.objects.create(plan=plan, area=area, text=text, position=n)
    return plan


def answers(plan, outcomes=("pass", "pass", "pass"), **by_position):
    """{item id: answer} in the items' order; by_position: {n: {extra fields}} for item n."""
    items = list(plan.items.order_by("position", "pk"))
    return {item.pk: {"outcome": outcome, **by_position.get(f"i{n}", {})}
            for n, (item, outcome) in enumerate(zip(items, outcomes, strict=False))}


def noise(size=(60, 60)):
    """A PNG that does not compress: larger than a small upload limit."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def photo(name="p.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type="image/png")


@pytest.fixture
def plan(users, school):
    return make_plan(inspector=users["safety"])


@pytest.fixture
def inspection(plan):
    return plan.create_task(TODAY())[0]


def record(inspection, by, results, **kwargs):
    return services.record_inspection(inspection_id=inspection.pk, by=by, results=results, **kwargs)


# --- recording ------------------------------------------------------------------------------------

def test_the_inspector_records_every_item_and_the_history_says_so(users, plan, inspection):
    done = record(inspection, users["safety"], answers(plan, ("pass", "na", "pass")), note="天气晴",
                  expected_version=inspection.version)
    done.refresh_from_db()
    assert done.status == Inspection.Status.DONE and done.done_by == users["safety"] and done.note == "天气晴"
    assert [(r.area, r.item, r.outcome) for r in done.results.order_by("pk")] == [
        ("fire", "灭火器压力在绿区", "pass"), ("electrics", "配电箱上锁", "na"), ("trees", "无枯枝", "pass")]
    assert not Finding.objects.exists()
    assert reason_text(done.history.first().history_change_reason) == (
        "inspected 3 items: none failed, 1 not applicable")
    result = done.results.get(outcome="na")
    assert reason_text(result.history.first().history_change_reason) == "not applicable"


def test_a_failed_item_raises_a_hazard_in_the_safety_area_with_its_photo(users, plan, inspection):
    done = record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"),
                                                       i0={"note": "压力不足", "photo": photo()}))
    result = done.results.get(outcome="fail")
    hazard = Finding.objects.get()
    assert result.finding == hazard and done.hazards == [hazard]
    assert hazard.area == "safety" and hazard.source == result
    assert hazard.title == "灭火器压力在绿区: 压力不足"
    # Nobody named: the safety officer (the settings' receiver) by the days of a general hazard.
    assert hazard.responsible == users["safety"] and hazard.severity == Finding.Severity.GENERAL
    assert hazard.deadline == fix_deadline(Finding.Severity.GENERAL)
    assert hazard.found_by == users["safety"] and hazard.photos.count() == 1
    assert result.photo and result.photo.name.startswith("safety/inspections/")
    sentence = reason_text(done.history.first().history_change_reason)
    assert sentence == f"inspected 3 items: 1 failed (hazards {hazard.number}), 0 not applicable"
    assert reason_text(result.history.first().history_change_reason) == f"raised hazard {hazard.number}"


def test_a_serious_hazard_goes_to_the_person_named_by_the_date_given(users, school, plan, inspection):
    deadline = TODAY() + datetime.timedelta(days=1)
    record(inspection, users["safety"], answers(plan, ("pass", "fail", "pass"), i1={
        "note": "配电箱门锁坏", "severity": "serious", "responsible": users["worker"], "deadline": deadline,
        "location": school["room"]}))
    hazard = Finding.objects.get()
    assert (hazard.severity, hazard.responsible, hazard.deadline, hazard.location) == (
        "serious", users["worker"], deadline, school["room"])


def test_a_serious_hazard_left_without_a_date_gets_the_serious_days(users, plan, inspection):
    record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"),
                                                i0={"note": "过期", "severity": "serious"}))
    assert Finding.objects.get().deadline == fix_deadline(Finding.Severity.SERIOUS)


@pytest.mark.parametrize("who", ["teacher", "head", "principal", "auditor", "worker"])
def test_nobody_else_records_an_inspection_assigned_to_the_safety_officer(users, plan, inspection, who):
    with pytest.raises(PermissionDenied):
        record(inspection, users[who], answers(plan))
    assert not InspectionResult.objects.exists()


def test_the_safety_officer_records_an_inspection_assigned_to_someone_else(users, school):
    plan = make_plan(inspector=users["worker"])
    inspection = plan.create_task(TODAY())[0]
    assert inspection.inspector == users["worker"]
    record(inspection, users["safety"], answers(plan))
    inspection.refresh_from_db()
    assert inspection.done_by == users["safety"]


def test_an_assigned_teacher_records_without_any_safety_role(users, school):
    plan = make_plan(inspector=users["teacher"])
    inspection = plan.create_task(TODAY())[0]
    record(inspection, users["teacher"], answers(plan))
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE


def test_an_assigned_teacher_raises_a_hazard_for_the_receiver_by_the_settings_days(users, school):
    plan = make_plan(inspector=users["teacher"])
    inspection = plan.create_task(TODAY())[0]
    record(inspection, users["teacher"], answers(plan, ("fail", "pass", "pass"),
                                                 i0={"note": "压力不足", "severity": "serious"}))
    hazard = Finding.objects.get()
    assert (hazard.found_by, hazard.responsible, hazard.deadline) == (
        users["teacher"], users["safety"], fix_deadline(Finding.Severity.SERIOUS))


def test_an_assigned_teacher_does_not_name_who_fixes_it(users, school):
    plan = make_plan(inspector=users["teacher"])
    inspection = plan.create_task(TODAY())[0]
    item = plan.items.order_by("position")[0]
    with pytest.raises(ValidationError) as e:
        record(inspection, users["teacher"], answers(plan, ("fail", "pass", "pass"), i0={
            "note": "压力不足", "responsible": users["worker"], "deadline": TODAY()}))
    assert set(e.value.message_dict) == {f"responsible_{item.pk}", f"deadline_{item.pk}"}
    assert not Finding.objects.exists()


def test_every_item_must_be_answered_and_nothing_is_saved_otherwise(users, plan, inspection):
    items = list(plan.items.order_by("position"))
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("pass", "fail")))
    assert e.value.message_dict == {
        f"note_{items[1].pk}": ["“配电箱上锁” failed: say what was found."],
        f"outcome_{items[2].pk}": ["“无枯枝”: pass, fail or not applicable?"]}
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.OPEN and inspection.version == 0


def test_an_unknown_answer_is_refused(users, plan, inspection):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("pass", "maybe", "pass")))
    assert list(e.value.message_dict) == [f"outcome_{plan.items.order_by('position')[1].pk}"]


def test_an_answer_to_an_item_no_longer_on_the_checklist_asks_for_a_reload(users, plan, inspection):
    results = answers(plan)
    results[999999] = {"outcome": "pass"}
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], results)
    assert "reload it" in e.value.message_dict["__all__"][0]


def test_a_note_longer_than_the_field_is_refused(users, plan, inspection):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"), i0={"note": "长" * 301}))
    assert list(e.value.message_dict.values()) == [["At most 300 characters."]]


@pytest.mark.parametrize("upload, message", [
    (lambda: photo("x.png", b"not an image"), "“x.png” is not a JPEG, PNG or WebP photo."),
    (lambda: photo("big.png", noise()), "a photo may be at most"),
])
def test_a_bad_photo_is_refused_on_its_item_and_nothing_is_saved(users, plan, inspection, settings, upload,
                                                                message):
    settings.MAX_UPLOAD_BYTES = 1200
    item = plan.items.order_by("position")[0]
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"),
                                                    i0={"note": "压力不足", "photo": upload()}))
    assert message in e.value.message_dict[f"photo_{item.pk}"][0]
    assert not InspectionResult.objects.exists() and not Finding.objects.exists()


def test_a_responsible_person_who_left_is_refused(users, plan, inspection):
    users["worker"].is_active = False
    users["worker"].save()
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"),
                                                    i0={"note": "压力不足", "responsible": users["worker"]}))
    assert list(e.value.message_dict.values()) == [["Choose a person who still works here."]]


def test_a_deadline_in_the_past_is_refused(users, plan, inspection):
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan, ("fail", "pass", "pass"), i0={
            "note": "压力不足", "deadline": TODAY() - datetime.timedelta(days=1)}))
    assert list(e.value.message_dict.values()) == [["The deadline cannot be in the past."]]


def test_a_second_click_saves_once(users, plan, inspection):
    results = answers(plan, ("fail", "pass", "pass"), i0={"note": "压力不足"})
    record(inspection, users["safety"], results, expected_version=0)
    again = record(inspection, users["safety"], results, expected_version=0)
    assert again.was_duplicate
    assert InspectionResult.objects.count() == 3 and Finding.objects.count() == 1


def test_a_page_opened_before_someone_else_recorded_it_is_refused(users, school):
    plan = make_plan(inspector=users["teacher"])
    inspection = plan.create_task(TODAY())[0]
    record(inspection, users["teacher"], answers(plan), expected_version=0)
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan), expected_version=0)
    assert e.value.code == "stale"
    assert "changed by someone else while you had it open (now: Done)" in e.value.messages[0]


def test_recording_twice_without_a_page_is_refused(users, plan, inspection):
    record(inspection, users["safety"], answers(plan))
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan))
    assert e.value.code == "not_allowed" and "already recorded by 吴老师" in e.value.messages[0]
    assert InspectionResult.objects.count() == 3


def test_a_stale_page_is_refused(users, plan, inspection):
    Inspection.objects.filter(pk=inspection.pk).update(version=3)
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan), expected_version=2)
    assert e.value.code == "stale"
    assert not InspectionResult.objects.exists()


def test_an_inspection_is_not_recorded_before_its_day(users, plan):
    inspection = plan.create_task(TODAY() + datetime.timedelta(days=2))[0]
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], answers(plan))
    assert e.value.code == "early"


def test_a_checklist_emptied_meanwhile_is_refused(users, plan, inspection):
    plan.items.all().delete()
    with pytest.raises(ValidationError) as e:
        record(inspection, users["safety"], {})
    assert e.value.code == "empty"


# --- spot checks ----------------------------------------------------------------------------------

def test_the_safety_officer_starts_a_spot_check_once_a_day(users, plan):
    first = services.start_inspection(plan=plan, by=users["safety"])
    assert first.was_created and first.inspector == users["safety"] and first.due_date == TODAY()
    assert reason_text(first.history.first().history_change_reason) == "started a spot check (not on the schedule)"
    again = services.start_inspection(plan=plan, by=users["safety"])
    assert again.pk == first.pk and not again.was_created
    assert Inspection.objects.count() == 1


def test_a_spot_check_opens_the_days_scheduled_inspection(users, plan, inspection):
    assert services.start_inspection(plan=plan, by=users["safety"]).pk == inspection.pk


@pytest.mark.parametrize("who", ["head", "principal", "teacher", "auditor"])
def test_only_the_safety_officer_starts_a_spot_check(users, plan, who):
    with pytest.raises(PermissionDenied):
        services.start_inspection(plan=plan, by=users[who])


def test_a_spot_check_is_not_started_ahead_nor_from_a_stopped_or_empty_checklist(users, school):
    plan = make_plan()
    with pytest.raises(ValidationError):
        services.start_inspection(plan=plan, day=TODAY() + datetime.timedelta(days=1), by=users["safety"])
    stopped = make_plan(title="停用", active=False)
    with pytest.raises(ValidationError) as e:
        services.start_inspection(plan=stopped, by=users["safety"])
    assert e.value.code == "inactive"
    with pytest.raises(ValidationError) as e:
        services.start_inspection(plan=make_plan(title="空", items=[]), by=users["safety"])
    assert e.value.code == "empty"
    assert not Inspection.objects.exists()


# --- the typical checklist ------------------------------------------------------------------------

def test_the_typical_items_fill_a_checklist_once(users, school):
    plan = make_plan(items=[(CheckArea.FIRE, "Fire extinguishers in place, pressure in the green zone, within "
                                             "their date")])
    added = services.plan_add_typical_items(plan_id=plan.pk, by=users["safety"], expected_version=0)
    assert added == len(services.TYPICAL_ITEMS) - 1
    areas = set(plan.items.values_list("area", flat=True))
    assert {"buildings", "fire", "cctv", "electrics", "grounds", "sports", "noticeboards", "pipes", "gates",
            "trees", "special_rooms"} <= areas
    plan.refresh_from_db()
    assert plan.version == 1
    assert reason_text(plan.history.first().history_change_reason) == (
        f"added {added} items from the typical checklist")
    assert services.plan_add_typical_items(plan_id=plan.pk, by=users["safety"]) == 0
    assert list(plan.items.order_by("position").values_list("position", flat=True)) == list(range(len(
        services.TYPICAL_ITEMS)))


def test_typical_items_of_some_areas_only(users, school):
    plan = make_plan(items=[])
    services.plan_add_typical_items(plan_id=plan.pk, by=users["safety"], areas=[CheckArea.TREES])
    assert set(plan.items.values_list("area", flat=True)) == {"trees"}


def test_only_the_safety_officer_adds_typical_items_and_a_stale_page_is_refused(users, school):
    plan = make_plan(items=[])
    with pytest.raises(PermissionDenied):
        services.plan_add_typical_items(plan_id=plan.pk, by=users["head"])
    with pytest.raises(ValidationError) as e:
        services.plan_add_typical_items(plan_id=plan.pk, by=users["safety"], expected_version=4)
    assert e.value.code == "stale"
    assert not plan.items.exists()


# --- due inspections from the kernel's schedules --------------------------------------------------

def test_the_kernels_generator_creates_the_days_inspection_for_the_inspector(users, school):
    from logistics.schedules import generate_due

    plan = make_plan(inspector=users["worker"])
    plan.frequency, plan.weekdays = "daily", []
    plan.save()
    day = TODAY()
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    created = generate_due(day=day, models_=[InspectionPlan])
    assert [(i.plan, i.due_date, i.inspector) for i in created] == [(plan, day, users["worker"])]
    assert generate_due(day=day, models_=[InspectionPlan]) == []
