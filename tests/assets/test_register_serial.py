"""A serial number already on another asset: a message on the field, the form kept, on create and on edit."""
from django.urls import reverse

from assets.models import Asset

from ._register import category, register


def form_data(school, **over):
    data = {"name": "激光打印机", "category": category().pk, "brand": "惠普", "spec": "M203dn", "quantity": "1",
            "unit": "台", "unit_price": "1899.00", "acquired_on": "2025-03-01", "funding_source": "fiscal",
            "location": school["room"].pk, "department": "", "custodian": "", "status": "in_use",
            "serial_number": "VNB3K0001", "invoice_number": "", "notes": ""}
    data.update(over)
    return data


def test_registering_a_serial_number_already_used_says_so_on_the_field(users, school, login):
    first = register(users["worker"], school, serial_number="VNB3K0001")
    response = login(users["worker"]).post(reverse("assets:asset_create"), form_data(school))
    assert response.status_code == 200
    assert first.tag in response.context["form"].errors["serial_number"][0]
    page = response.content.decode()
    assert f"SN号 VNB3K0001 已登记在资产 {first.tag} 名下" in page
    assert 'value="惠普"' in page and 'value="M203dn"' in page and 'value="VNB3K0001"' in page
    assert Asset.objects.count() == 1


def test_editing_to_a_serial_number_already_used_says_so_and_keeps_the_form(users, school, login):
    first = register(users["worker"], school, serial_number="VNB3K0001")
    second = register(users["worker"], school, name="投影仪", serial_number="EPS-22")
    data = form_data(school, name="投影仪（新）", category=second.category_id, unit_price="3650.00",
                     acquired_on=second.acquired_on.isoformat(), version=second.version)
    response = login(users["worker"]).post(reverse("assets:asset_edit", args=[second.pk]), data)
    assert response.status_code == 200
    assert first.tag in response.context["form"].errors["serial_number"][0]
    page = response.content.decode()
    assert f"SN号 VNB3K0001 已登记在资产 {first.tag} 名下" in page
    assert 'value="投影仪（新）"' in page and 'value="VNB3K0001"' in page
    second.refresh_from_db()
    assert (second.name, second.serial_number) == ("投影仪", "EPS-22")
