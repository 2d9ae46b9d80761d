"""The back office: every model is in the admin with search, and a schedule's weekdays are ticked."""
import pytest
from django.contrib import admin
from django.urls import reverse

from assets.models import CheckSchedule, CheckTask, RepairPhoto, RepairRequest
from logistics.models import Building, Department, Location, SchoolProfile, Term


@pytest.mark.parametrize("model", [RepairRequest, RepairPhoto, CheckSchedule, CheckTask, SchoolProfile, Term,
                                   Department, Building, Location])
def test_every_business_model_is_in_the_admin_with_history(model):
    from simple_history.admin import SimpleHistoryAdmin

    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def test_head_creates_a_schedule_by_ticking_weekdays(users, school, client):
    head = users["head"]
    head.is_staff = True
    head.save()
    client.force_login(head)
    response = client.post(reverse("admin:assets_checkschedule_add"), {
        "title": "教室照明检查", "category": "lighting", "instructions": "", "locations": [school["room"].pk],
        "frequency": "weekly", "weekdays": ["1", "3"], "day_of_month": "", "part_of_day": "afternoon",
        "assignee": "", "only_in_term": "on", "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = CheckSchedule.objects.get()
    assert schedule.weekdays == [1, 3]
    assert schedule.history.exists()
    assert {h.history_user for h in schedule.history.all()} == {head}


def test_weekly_schedule_without_weekdays_is_refused(users, school, client):
    head = users["head"]
    head.is_staff = True
    head.save()
    client.force_login(head)
    response = client.post(reverse("admin:assets_checkschedule_add"), {
        "title": "教室照明检查", "category": "lighting", "locations": [school["room"].pk],
        "frequency": "weekly", "part_of_day": "any", "only_in_term": "on", "active": "on",
    })
    assert response.status_code == 200
    assert CheckSchedule.objects.count() == 0


def test_admin_queue_search_finds_by_number(users, school, client):
    from assets import services

    repair = services.repair_report(reporter=users["teacher"], category="plumbing", location=school["room"],
                                    title="水龙头漏水")
    users["head"].is_staff = True
    users["head"].save()
    client.force_login(users["head"])
    response = client.get(reverse("admin:assets_repairrequest_changelist"), {"q": repair.number})
    assert response.status_code == 200
    assert "水龙头漏水" in response.content.decode()
