import uuid

from django.urls import reverse

from assets.models import RepairRequest


def test_teacher_reports_and_head_assigns_through_pages(users, school, client):
    client.force_login(users["teacher"])
    response = client.get(reverse("assets:repair_report"))
    assert response.status_code == 200
    response = client.post(reverse("assets:repair_report"), {
        "category": "lighting", "location": school["room"].pk, "title": "灯不亮",
        "description": "", "urgency": "urgent", "submit_token": str(uuid.uuid4()),
    }, follow=True)
    repair = RepairRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse("assets:repair_detail", args=[repair.pk])
    assert "灯不亮" in response.content.decode()
    client.force_login(users["head"])
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("assets:repair_queue")).status_code == 200
    response = client.post(reverse("assets:repair_assign", args=[repair.pk]),
                           {"assignee": users["worker"].pk, "version": repair.version}, follow=True)
    repair.refresh_from_db()
    assert repair.status == "assigned"
    assert "张师傅" in response.content.decode()
