"""The printable work order: a real PDF with the request's Chinese text, for those who may read it."""
import subprocess

from django.urls import reverse

from assets import services


def _report(user, room):
    return services.repair_report(reporter=user, category="plumbing", location=room,
                                  title="水龙头漏水", description="二楼女厕第三个水龙头")


def test_work_order_prints_with_chinese_text(users, school, client, tmp_path):
    repair = _report(users["teacher"], school["room"])
    services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    client.force_login(users["worker"])
    response = client.get(reverse("assets:repair_print", args=[repair.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    out = tmp_path / "order.pdf"
    out.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "水龙头漏水" in text
    assert repair.number in text
    assert "张师傅" in text  # the assignee, from the history timeline


def test_another_teacher_cannot_print_someone_elses_request(users, school, client):
    repair = _report(users["teacher"], school["room"])
    client.force_login(users["teacher2"])
    assert client.get(reverse("assets:repair_print", args=[repair.pk])).status_code == 404
