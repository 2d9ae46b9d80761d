"""Hazards' services: reporting by anyone (to the receiver, with the severity's deadline; refused without the
permission, without a receiver, without a title, with a bad photo; a second click saves once), the reporter reading
it without any move on it, and opening a repair for a hazard (who may, once unless the repair was turned down, a
stale page, a fixed hazard, the place), with a sentence in both histories."""
import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assets.models import RepairCategory, RepairRequest, Urgency
from assets.services import repairs as repair_services
from logistics.findings import services as findings
from logistics.history import history_timeline, reason_text
from logistics.models import Finding
from safety.models import SafetySettings
from safety.selectors import hazards as selectors
from safety.services import common
from safety.services import hazards as services
from tests.conftest import image_bytes, make_user

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def photo(name="p.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type="image/png")


def report(users, school, who="teacher", **extra):
    fields = {"by": users[who], "title": "楼梯扶手松动", "description": "二楼到三楼", "location": school["room"]}
    return services.report_hazard(**{**fields, **extra})


def open_repair(hazard, by, **extra):
    fields = {"finding_id": hazard.pk, "by": by, "category": RepairCategory.BUILDING, "urgency": Urgency.NORMAL}
    return services.open_repair_for_hazard(**{**fields, **extra})


def reasons(obj):
    return [e["reason"] for e in history_timeline(obj)]


# --- reporting -------------------------------------------------------------------------------------

def test_a_teacher_reports_a_hazard_to_the_safety_officer_with_the_severitys_deadline(users, school):
    h = report(users, school, severity="serious", photos=[photo()])
    assert h.area == common.AREA == selectors.AREA
    assert h.found_by == users["teacher"] and h.responsible == users["safety"]
    assert h.deadline == timezone.localdate() + datetime.timedelta(days=SafetySettings.get().fix_days_serious)
    assert h.status == Finding.Status.OPEN and h.photos.count() == 1 and h.number.startswith("ZG-")
    assert reasons(h) == [f"found it; 吴老师 to fix it by {h.deadline.isoformat()}"]
    general = report(users, school, title="花坛边缘砖块松动")
    assert general.deadline == timezone.localdate() + datetime.timedelta(days=SafetySettings.get().fix_days_general)


def test_the_settings_receiver_gets_the_report(users, school):
    settings = SafetySettings.get()
    settings.hazard_receiver = users["head"]
    settings.save()
    assert report(users, school).responsible == users["head"]


def test_a_teacher_does_not_need_add_finding_but_the_kernel_raise_still_checks(users, school):
    assert not users["teacher"].has_perm("logistics.add_finding")
    with pytest.raises(PermissionDenied):  # raising by hand, naming anyone: not for a teacher
        findings.finding_raise(area="safety", title="x", responsible=users["teacher"], by=users["teacher"],
                               deadline=timezone.localdate())


def test_reporting_needs_report_hazard(users, school):
    nobody = make_user("visitor", None, "访客")
    with pytest.raises(PermissionDenied):
        report({"visitor": nobody}, school, who="visitor")
    assert not Finding.objects.exists()


def test_without_a_safety_officer_nothing_is_saved(users, school):
    Group.objects.get(name="safety").user_set.clear()
    with pytest.raises(ValidationError) as e:
        report(users, school)
    assert "no safety officer" in " ".join(e.value.messages)
    assert not Finding.objects.exists()


def test_a_missing_title_is_refused(users, school):
    with pytest.raises(ValidationError) as e:
        report(users, school, title="  ")
    assert "title" in e.value.message_dict
    assert not Finding.objects.exists()


def test_a_bad_severity_is_refused(users, school):
    with pytest.raises(ValidationError) as e:
        report(users, school, severity="deadly")
    assert "severity" in e.value.message_dict


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_saved(users, school):
    with pytest.raises(ValidationError):
        report(users, school, photos=[photo("x.png", b"not an image")])
    assert not Finding.objects.exists()


def test_more_than_six_photos_are_refused(users, school):
    with pytest.raises(ValidationError):
        report(users, school, photos=[photo(f"{n}.png") for n in range(7)])
    assert not Finding.objects.exists()


def test_a_second_click_saves_one_hazard(users, school):
    token = uuid.uuid4()
    first = report(users, school, submit_token=token)
    second = report(users, school, submit_token=token)
    assert second.pk == first.pk and second.was_duplicate
    assert Finding.objects.count() == 1
    with pytest.raises(ValidationError):  # someone else's form
        report(users, school, who="teacher2", submit_token=token)


# --- the reporter follows it, read only ----------------------------------------------------------

def test_the_reporter_reads_the_hazard_but_cannot_fix_or_verify_it(users, school):
    h = report(users, school)
    teacher = users["teacher"]
    assert Finding.objects.visible_to(teacher).filter(pk=h.pk).exists()
    assert not Finding.objects.visible_to(users["teacher2"]).filter(pk=h.pk).exists()
    assert not findings.can_fix(teacher, h) and not findings.can_verify(teacher, h)
    with pytest.raises(PermissionDenied):
        findings.finding_fix(finding_id=h.pk, by=teacher, note="自己拧紧了", photos=[photo()])


# --- opening a repair -------------------------------------------------------------------------------

def test_the_safety_officer_opens_a_repair_linked_both_ways_with_both_histories(users, school):
    h = report(users, school)
    repair = open_repair(h, users["safety"], urgency=Urgency.URGENT, expected_version=h.version)
    h.refresh_from_db()
    assert repair.finding == h and list(h.repairs.all()) == [repair]
    assert repair.reporter == users["safety"] and repair.location == school["room"] and repair.title == h.title
    assert repair.status == RepairRequest.Status.REPORTED and repair.urgency == Urgency.URGENT
    assert repair.description == "二楼到三楼"  # the hazard's details, when no note is given
    assert reasons(h)[-1] == f"opened repair {repair.number} for it" and h.version == 2
    assert reasons(repair) == [f"reported for finding {h.number}"]
    assert h.status == Finding.Status.OPEN  # the hazard stays to be fixed


def test_the_responsible_person_may_open_one_and_others_may_not(users, school):
    settings = SafetySettings.get()
    settings.hazard_receiver = users["worker"]
    settings.save()
    h = report(users, school)
    for who in ("teacher", "teacher2", "auditor", "finance"):
        with pytest.raises(PermissionDenied):
            open_repair(h, users[who])
    assert open_repair(h, users["worker"]).finding == h


def test_the_head_and_the_principal_may_open_one(users, school):
    assert open_repair(report(users, school), users["head"]).reporter == users["head"]
    assert open_repair(report(users, school, title="围墙开裂"), users["principal"]).reporter == users["principal"]


def test_a_repair_is_opened_once_unless_the_first_was_turned_down(users, school):
    h = report(users, school)
    first = open_repair(h, users["safety"])
    with pytest.raises(ValidationError) as e:
        open_repair(h, users["safety"])
    assert first.number in " ".join(e.value.messages)
    repair_services.repair_reject(request_id=first.pk, by=users["head"], reason="重复报修")
    second = open_repair(h, users["safety"])
    assert second.pk != first.pk and h.repairs.count() == 2
    repair_services.repair_cancel(request_id=second.pk, by=users["safety"])
    assert open_repair(h, users["safety"]).finding == h


def test_a_second_click_opens_one_repair(users, school):
    h = report(users, school)
    token = uuid.uuid4()
    first = open_repair(h, users["safety"], submit_token=token)
    again = open_repair(h, users["safety"], submit_token=token)
    assert again.pk == first.pk and again.was_duplicate and RepairRequest.objects.count() == 1


def test_a_stale_page_opens_nothing(users, school):
    h = report(users, school)
    findings.finding_extend(finding_id=h.pk, by=users["head"], reason="等材料",
                            deadline=h.deadline + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as e:
        open_repair(h, users["safety"], expected_version=1)
    assert e.value.code == "stale" and not RepairRequest.objects.exists()


def test_a_fixed_hazard_needs_no_repair(users, school):
    h = report(users, school)
    findings.finding_fix(finding_id=h.pk, by=users["safety"], note="已拧紧", photos=[photo()])
    with pytest.raises(ValidationError) as e:
        open_repair(h, users["safety"])
    assert e.value.code == "not_allowed" and not RepairRequest.objects.exists()


def test_a_hazard_without_a_place_needs_one_for_the_repair(users, school):
    h = report(users, school, location=None)
    with pytest.raises(ValidationError) as e:
        open_repair(h, users["safety"])
    assert "location" in e.value.message_dict
    assert open_repair(h, users["safety"], location=school["rooms"][1]).location == school["rooms"][1]


def test_bad_category_or_urgency_is_refused(users, school):
    h = report(users, school)
    with pytest.raises(ValidationError) as e:
        open_repair(h, users["safety"], category="rocket", urgency="now")
    assert set(e.value.message_dict) == {"category", "urgency"}


def test_only_a_safety_finding_opens_a_repair_here(users, school):
    other = findings.finding_raise(area="canteen", title="冰箱温度高", responsible=users["canteen"],
                                   deadline=timezone.localdate(), by=users["safety"])
    with pytest.raises(ValidationError):
        open_repair(other, users["safety"])


def test_a_repair_done_leaves_the_fix_to_the_responsible_person(users, school):
    h = report(users, school)
    repair = open_repair(h, users["safety"])
    repair_services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    repair_services.repair_start(request_id=repair.pk, worker=users["worker"])
    repair_services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="更换膨胀螺栓")
    h.refresh_from_db()
    assert h.status == Finding.Status.OPEN
    findings.finding_fix(finding_id=h.pk, by=users["safety"], note="扶手已加固", photos=[photo()])
    findings.finding_verify(finding_id=h.pk, by=users["head"], ok=True)
    h.refresh_from_db()
    assert h.status == Finding.Status.VERIFIED
    assert reason_text(h.history.earliest().history_change_reason).startswith("found it")
