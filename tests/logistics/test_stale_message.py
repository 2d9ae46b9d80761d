"""The stale-page message says who changed the record: the reader themself on another page or device, or
someone else (read in Chinese, the default language)."""
import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from assets import services as assets_services
from assets.models import RepairCategory, RepairRequest, Urgency
from logistics import services


def reported(users, school):
    now = timezone.now()
    return RepairRequest.objects.create(
        category=RepairCategory.LIGHTING, location=school["room"], title="灯管不亮", urgency=Urgency.NORMAL,
        reporter=users["teacher"], reported_at=now, due_at=now + datetime.timedelta(hours=72),
        number=f"T-{uuid.uuid4().hex[:8]}")


def stale_message(**kwargs):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        assets_services.repair_take(**kwargs)
    assert e.value.code == "stale"
    return e.value.messages[0]


def test_a_page_made_stale_by_the_same_person_on_another_device_says_so(users, school):
    r = reported(users, school)
    page_version = r.version
    assets_services.repair_take(request_id=r.pk, worker=users["worker"], expected_version=page_version)  # phone
    message = stale_message(request_id=r.pk, worker=users["worker"], expected_version=page_version)  # desktop tab
    assert "您已在另一个页面或设备上修改了此报修单" in message
    assert "他人" not in message


def test_a_page_made_stale_by_someone_else_says_someone_else(users, school):
    r = reported(users, school)
    page_version = r.version
    assets_services.repair_assign(request_id=r.pk, by=users["head"], assignee=users["worker"],
                                  expected_version=page_version)
    message = stale_message(request_id=r.pk, worker=users["worker"], expected_version=page_version)
    assert "已被他人修改" in message
    assert "您已在另一个页面" not in message


def test_changes_by_the_reader_and_by_someone_else_since_the_page_say_someone_else(users, school):
    r = reported(users, school)
    page_version = r.version
    worker = users["worker"]
    assets_services.repair_take(request_id=r.pk, worker=worker, expected_version=page_version)
    assets_services.repair_assign(request_id=r.pk, by=users["head"], assignee=users["worker2"],
                                  expected_version=page_version + 1)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        services.lock(RepairRequest, r.pk, expected_version=page_version, by=worker)
    assert "已被他人修改" in e.value.messages[0]


def test_without_the_user_the_message_stays_someone_else(users, school):
    r = reported(users, school)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        services.check_version(r, r.version + 1, "报修单")
    assert "已被他人修改" in e.value.messages[0]
