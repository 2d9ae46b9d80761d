"""A hazard from an inspection, through to closed, on the kernel's tracking with safety's people: it cannot be
closed (verified) before it is fixed, the person who fixed it cannot verify it, a failed verification sends it
back, and only a different person's verification closes it; the history says who did what."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from logistics.findings.services import finding_fix, finding_verify
from logistics.history import reason_text
from logistics.models import Finding
from safety.services import inspections as services

from .test_inspections_services import answers, make_plan, photo

pytestmark = pytest.mark.usefixtures("english")

Status = Finding.Status


@pytest.fixture
def hazard(users, school):
    plan = make_plan(inspector=users["safety"])
    inspection = plan.create_task(timezone.localdate())[0]
    done = services.record_inspection(inspection_id=inspection.pk, by=users["safety"], results=answers(
        plan, ("fail", "pass", "na"), i0={"note": "压力不足", "responsible": users["worker"]}))
    return done.hazards[0]


def reasons(finding):
    return [(h.history_user.username, reason_text(h.history_change_reason))
            for h in Finding.history.filter(id=finding.pk).order_by("history_date", "history_id")]


def test_an_open_hazard_cannot_be_closed_before_it_is_fixed(users, hazard):
    with pytest.raises(ValidationError) as refused:
        finding_verify(finding_id=hazard.pk, by=users["principal"], ok=True)
    assert "cannot be verified" in str(refused.value)
    assert Finding.objects.get(pk=hazard.pk).status == Status.OPEN


def test_only_the_responsible_person_or_a_fixer_records_the_fix(users, hazard):
    with pytest.raises(PermissionDenied):
        finding_fix(finding_id=hazard.pk, by=users["teacher"], note="修好了", photos=[photo()])
    assert Finding.objects.get(pk=hazard.pk).status == Status.OPEN


def test_the_fixer_cannot_verify_the_fix_and_a_second_person_closes_it(users, hazard):
    # The safety officer records the fix (he may fix any hazard) and so may not verify it himself.
    finding_fix(finding_id=hazard.pk, by=users["safety"], note="更换灭火器", photos=[photo()])
    with pytest.raises(ValidationError) as refused:
        finding_verify(finding_id=hazard.pk, by=users["safety"], ok=True)
    assert refused.value.code == "own_fix"
    assert Finding.objects.get(pk=hazard.pk).status == Status.FIXED

    finding_verify(finding_id=hazard.pk, by=users["principal"], ok=True, comment="已复查")
    closed = Finding.objects.get(pk=hazard.pk)
    assert closed.status == Status.VERIFIED and closed.verified_by == users["principal"]
    assert reasons(closed)[-2:] == [("safety", "fixed it: 更换灭火器"), ("principal", "verified the fix: 已复查")]


def test_a_failed_verification_sends_it_back_to_the_responsible_person(users, hazard):
    finding_fix(finding_id=hazard.pk, by=users["worker"], note="加压", photos=[photo()])
    finding_verify(finding_id=hazard.pk, by=users["safety"], ok=False, comment="压力仍不足")
    back = Finding.objects.get(pk=hazard.pk)
    assert back.status == Status.REOPENED and back.reopen_count == 1 and back.can_fix
    # Fixed again, by the responsible person; the one who sent it back may now close it.
    finding_fix(finding_id=hazard.pk, by=users["worker"], note="更换灭火器", photos=[photo()])
    finding_verify(finding_id=hazard.pk, by=users["safety"], ok=True)
    assert Finding.objects.get(pk=hazard.pk).status == Status.VERIFIED
    assert [who for who, _text in reasons(back)] == ["safety", "worker", "safety", "worker", "safety"]
