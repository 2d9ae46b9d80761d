"""Every filter of the work queue narrows the list, and the status tabs keep the other filters."""
import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import RepairRequest
from logistics.models import Location, Term


@pytest.fixture
def rows(users, school):
    """Four requests that differ in one thing each from the first."""
    other_room = school["rooms"][1]
    t = users["teacher"]

    def report(title, **kw):
        args = {"reporter": t, "category": "lighting", "location": school["room"], "title": title,
                "urgency": "normal"} | kw
        return services.repair_report(**args)

    base = report("灯不亮")
    plumbing = report("水管漏水", category="plumbing")
    elsewhere = report("另一间教室的灯", location=other_room)
    urgent = report("电线冒火花", urgency="urgent", description="配电箱旁边")
    services.repair_assign(request_id=urgent.pk, by=users["head"], assignee=users["worker2"])
    old_term = Term.objects.create(name="上学期", start=datetime.date(2020, 2, 17), end=datetime.date(2020, 7, 3))
    old = report("去年的门锁")
    RepairRequest.objects.filter(pk=old.pk).update(
        reported_at=timezone.make_aware(datetime.datetime(2020, 3, 2, 9, 0)))
    return {"base": base, "plumbing": plumbing, "elsewhere": elsewhere, "urgent": urgent, "old": old,
            "old_term": old_term, "other_room": other_room}


def titles(client, **params):
    html = unescape(client.get(reverse("assets:repair_queue"), params).content.decode())
    return {r.title for r in RepairRequest.objects.all() if r.title in html}


@pytest.mark.parametrize(("params", "expected"), [
    ({"category": "plumbing"}, {"水管漏水"}),
    ({"urgency": "urgent"}, {"电线冒火花"}),
    ({"status": "assigned"}, {"电线冒火花"}),
    ({"q": "配电箱"}, {"电线冒火花"}),
    ({"q": "WX-"}, {"灯不亮", "水管漏水", "另一间教室的灯", "电线冒火花", "去年的门锁"}),
])
def test_each_filter_narrows_the_queue(users, rows, client, params, expected):
    client.force_login(users["head"])
    assert titles(client, **params) == expected


def test_filter_by_place_worker_and_term(users, rows, client):
    client.force_login(users["head"])
    assert titles(client, location=rows["other_room"].pk) == {"另一间教室的灯"}
    assert titles(client, assignee=users["worker2"].pk) == {"电线冒火花"}
    assert titles(client, term=rows["old_term"].pk) == {"去年的门锁"}


def test_a_bad_filter_value_shows_the_unfiltered_list_with_the_error(users, rows, client):
    client.force_login(users["head"])
    response = client.get(reverse("assets:repair_queue"), {"location": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["location"]
    assert len(titles(client, location="abc")) == 5


def test_status_tabs_keep_the_other_filters(users, rows, client):
    client.force_login(users["head"])
    response = client.get(reverse("assets:repair_queue"), {"category": "lighting", "q": "灯"})
    tabs = {t["value"]: t["query"] for t in response.context["tabs"]}
    assert "category=lighting" in tabs["overdue"] and "status=overdue" in tabs["overdue"]
    assert "category=lighting" in tabs[""] and "status" not in tabs[""]
    assert f'href="?{tabs["reported"]}"' in response.content.decode().replace("&amp;", "&")


def test_location_choices_are_grouped_by_building(users, school, client):
    Location.objects.create(building=school["building"], name="音乐室", kind=Location.Kind.MUSIC)
    client.force_login(users["head"])
    html = client.get(reverse("assets:repair_queue")).content.decode()
    assert f'<optgroup label="{school["building"].name}">' in html
