"""Every move of a finding, allowed and refused, and what its history says afterwards."""
import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from logistics.findings import services
from logistics.history import history_timeline
from logistics.models import Finding, FindingPhoto

from .conftest import grant, photo, raise_one

# Messages compared in English (the Chinese pages are read in the browser and page tests).
pytestmark = pytest.mark.usefixtures("english")

S = Finding.Status


def reasons(finding):
    with translation.override("en"):
        return [(e["who"], e["reason"]) for e in history_timeline(finding)]


def fixed(finding, by, note="换新灭火器"):
    return services.finding_fix(finding_id=finding.pk, by=by, note=note, photos=[photo()],
                                expected_version=finding.version)


# --- raising -----------------------------------------------------------------------------------

def test_raising_numbers_the_finding_and_keeps_its_source_and_photos(people, school):
    f = raise_one(people, school, photos=[photo("found.png")], source=school["room"])
    year = timezone.localdate().year
    assert f.number == f"ZG-{year}-00001"
    assert f.status == S.OPEN and f.area == "safety" and f.version == 1
    assert f.source == school["room"]
    assert [p.kind for p in f.photos.all()] == [FindingPhoto.Kind.FOUND]
    assert raise_one(people, school).number == f"ZG-{year}-00002"
    assert reasons(f) == [("吴老师", f"found it; 张师傅 to fix it by {f.deadline.isoformat()}")]


def test_a_deadline_in_the_past_is_refused(people, school):
    with pytest.raises(ValidationError) as e:
        raise_one(people, school, days=-1)
    assert "deadline" in e.value.error_dict
    assert not Finding.objects.exists()


def test_today_is_a_deadline(people, school):
    assert raise_one(people, school, days=0).deadline == timezone.localdate()


def test_the_responsible_person_must_still_work_here(people, school):
    people["worker"].is_active = False
    people["worker"].save()
    with pytest.raises(ValidationError) as e:
        raise_one(people, school)
    assert "responsible" in e.value.error_dict


def test_raising_needs_the_permission(people, school):
    with pytest.raises(PermissionDenied):
        raise_one(people, school, by=people["teacher"])


def test_a_double_click_raises_one_finding(people, school):
    token = uuid.uuid4()
    first = raise_one(people, school, submit_token=token)
    second = raise_one(people, school, submit_token=token)
    assert second.pk == first.pk and second.was_duplicate
    assert Finding.objects.count() == 1


def test_a_token_used_by_someone_else_is_refused(people, school):
    token = uuid.uuid4()
    raise_one(people, school, submit_token=token)
    with pytest.raises(ValidationError):
        raise_one(people, school, submit_token=token, by=people["head"])


# --- fixing ------------------------------------------------------------------------------------

def test_the_responsible_person_records_the_fix_with_a_photo(people, finding):
    f = fixed(finding, people["worker"])
    assert f.status == S.FIXED and f.fixed_by == people["worker"] and f.fix_note == "换新灭火器"
    assert f.fixed_on_time is True
    assert [p.kind for p in f.photos.all()] == [FindingPhoto.Kind.FIXED]
    assert reasons(f)[-1] == ("张师傅", "fixed it: 换新灭火器")


def test_someone_with_fix_finding_may_record_anyones_fix(people, finding):
    assert fixed(finding, people["fixer"]).fixed_by == people["fixer"]


def test_someone_else_without_fix_finding_may_not(people, finding):
    with pytest.raises(PermissionDenied):
        fixed(finding, people["teacher"])
    with pytest.raises(PermissionDenied):  # verifying is not fixing
        fixed(finding, people["verifier2"])


def test_a_fix_without_a_photo_is_refused(people, finding):
    with pytest.raises(ValidationError) as e:
        services.finding_fix(finding_id=finding.pk, by=people["worker"], note="已换", photos=[],
                             expected_version=finding.version)
    assert "photos" in e.value.error_dict
    assert Finding.objects.get(pk=finding.pk).status == S.OPEN


def test_the_caller_may_make_the_photo_optional(people, finding):
    f = services.finding_fix(finding_id=finding.pk, by=people["worker"], note="已重新张贴", photos=[],
                             photo_required=False)
    assert f.status == S.FIXED


def test_a_fix_without_a_note_is_refused(people, finding):
    with pytest.raises(ValidationError) as e:
        services.finding_fix(finding_id=finding.pk, by=people["worker"], note="  ", photos=[photo()])
    assert "note" in e.value.error_dict


def test_a_fixed_finding_cannot_be_fixed_again(people, finding):
    f = fixed(finding, people["worker"])
    with pytest.raises(ValidationError, match="cannot be marked fixed"):
        fixed(f, people["worker"])


def test_a_fix_from_a_stale_page_is_refused(people, finding):
    services.finding_extend(finding_id=finding.pk, by=people["head"], reason="等配件",
                            deadline=finding.deadline + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as e:
        fixed(finding, people["worker"])  # the page showed version 1
    assert e.value.code == "stale"
    assert Finding.objects.get(pk=finding.pk).status == S.OPEN


# --- verifying ---------------------------------------------------------------------------------

def test_someone_else_verifies_and_the_finding_closes(people, finding):
    f = fixed(finding, people["worker"])
    f = services.finding_verify(finding_id=f.pk, by=people["inspector"], ok=True, comment="",
                                expected_version=f.version)
    assert f.status == S.VERIFIED and f.verified_by == people["inspector"]
    assert reasons(f)[-1] == ("吴老师", "verified the fix")


def test_the_one_who_fixed_it_cannot_verify_it(people, finding):
    f = fixed(finding, people["fixer"])
    fixer = grant(people["fixer"], "verify_finding")  # holding the permission does not help
    with pytest.raises(ValidationError, match="You recorded this fix yourself, so someone else must verify it"):
        services.finding_verify(finding_id=f.pk, by=fixer, ok=True)
    assert Finding.objects.get(pk=f.pk).status == S.FIXED


def test_verifying_needs_the_permission(people, finding):
    f = fixed(finding, people["worker"])
    with pytest.raises(PermissionDenied):
        services.finding_verify(finding_id=f.pk, by=people["teacher"], ok=True)
    with pytest.raises(PermissionDenied):  # being responsible is not enough
        services.finding_verify(finding_id=f.pk, by=people["worker"], ok=True)


def test_an_open_finding_cannot_be_verified(people, finding):
    with pytest.raises(ValidationError, match="cannot be verified"):
        services.finding_verify(finding_id=finding.pk, by=people["inspector"], ok=True)


def test_a_failed_verification_needs_a_comment(people, finding):
    f = fixed(finding, people["worker"])
    with pytest.raises(ValidationError) as e:
        services.finding_verify(finding_id=f.pk, by=people["inspector"], ok=False, comment=" ")
    assert "comment" in e.value.error_dict
    assert Finding.objects.get(pk=f.pk).status == S.FIXED


def test_failed_then_fixed_again_then_verified(people, finding):
    f = fixed(finding, people["worker"])
    f = services.finding_verify(finding_id=f.pk, by=people["inspector"], ok=False, comment="压力表仍在红区",
                                expected_version=f.version)
    assert f.status == S.REOPENED and f.reopen_count == 1 and f.verify_comment == "压力表仍在红区"
    assert f.is_overdue is False and f.can_fix
    f = fixed(f, people["worker"], note="整瓶更换")
    assert f.status == S.FIXED
    f = services.finding_verify(finding_id=f.pk, by=people["verifier2"], ok=True, comment="合格",
                                expected_version=f.version)
    assert f.status == S.VERIFIED
    assert [r for _w, r in reasons(f)][1:] == [
        "fixed it: 换新灭火器", "did not pass the fix: 压力表仍在红区", "fixed it: 整瓶更换", "verified the fix: 合格"]
    with translation.override("en"):
        timeline = history_timeline(f)
    failed = ("status", "Fixed, awaiting verification", "Failed verification, to be fixed again")
    assert failed in timeline[2]["changes"]


# --- reassigning and more time ------------------------------------------------------------------

def test_reassigning_needs_a_reason_and_verify_finding(people, finding):
    with pytest.raises(PermissionDenied):
        services.finding_reassign(finding_id=finding.pk, by=people["worker"], responsible=people["fixer"],
                                  reason="调岗")
    with pytest.raises(ValidationError) as e:
        services.finding_reassign(finding_id=finding.pk, by=people["head"], responsible=people["fixer"], reason="")
    assert "reason" in e.value.error_dict
    f = services.finding_reassign(finding_id=finding.pk, by=people["head"], responsible=people["fixer"],
                                  reason="张师傅请假", expected_version=1)
    assert f.responsible == people["fixer"] and f.version == 2
    assert reasons(f)[-1] == ("陈主任", "made 李师傅 responsible: 张师傅请假")
    with pytest.raises(ValidationError, match="already responsible"):
        services.finding_reassign(finding_id=f.pk, by=people["head"], responsible=people["fixer"], reason="x")


def test_more_time_only_later_and_never_in_the_past(people, finding):
    with pytest.raises(ValidationError, match="later than"):
        services.finding_extend(finding_id=finding.pk, by=people["head"], deadline=finding.deadline, reason="x")
    with pytest.raises(ValidationError):
        services.finding_extend(finding_id=finding.pk, by=people["head"],
                                deadline=timezone.localdate() - datetime.timedelta(days=1), reason="x")
    new = finding.deadline + datetime.timedelta(days=10)
    f = services.finding_extend(finding_id=finding.pk, by=people["head"], deadline=new, reason="等厂家")
    assert f.deadline == new
    assert reasons(f)[-1] == ("陈主任", f"moved the deadline from {finding.deadline.isoformat()} to "
                                       f"{new.isoformat()}: 等厂家")


def test_a_fixed_finding_is_neither_reassigned_nor_given_more_time(people, finding):
    f = fixed(finding, people["worker"])
    with pytest.raises(ValidationError, match="cannot be reassigned"):
        services.finding_reassign(finding_id=f.pk, by=people["head"], responsible=people["fixer"], reason="x")
    with pytest.raises(ValidationError, match="cannot be given more time"):
        services.finding_extend(finding_id=f.pk, by=people["head"], reason="x",
                                deadline=f.deadline + datetime.timedelta(days=1))


def test_an_overdue_finding_says_so(people, finding):
    Finding.objects.filter(pk=finding.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert Finding.objects.get(pk=finding.pk).is_overdue
    assert list(Finding.objects.overdue()) == [finding]
