"""The register's pages by role: who reads, who registers and edits, what a teacher who scans a label
sees, and reporting a fault from an asset's page."""
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from assets.models import Asset, AssetCategory, RepairRequest

from ._register import category, register

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def form_data(school, **over):
    data = {"name": "激光打印机", "category": category().pk, "brand": "惠普", "spec": "M203dn", "quantity": "1",
            "unit": "台", "unit_price": "1899.00", "acquired_on": "2025-03-01", "funding_source": "fiscal",
            "location": school["room"].pk, "department": "", "custodian": "", "status": "in_use",
            "serial_number": "VNB3K0001", "invoice_number": "", "notes": ""}
    data.update(over)
    return data


@pytest.mark.parametrize("username", ["worker", "head", "auditor", "principal"])
def test_those_who_keep_or_read_the_register_see_the_list(users, school, login, username):
    register(users["worker"], school, name="班班通一体机")
    response = login(users[username]).get(reverse("assets:asset_list"), **EN)
    assert response.status_code == 200
    assert "班班通一体机" in response.content.decode()


@pytest.mark.parametrize("name", ["asset_list", "asset_create", "asset_import", "asset_template", "asset_export",
                                  "asset_labels"])
def test_staff_cannot_open_the_register_pages(users, school, login, name):
    assert login(users["teacher"]).get(reverse(f"assets:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["asset_create", "asset_import", "asset_template"])
def test_auditor_cannot_register_or_import(users, school, login, name):
    assert login(users["auditor"]).get(reverse(f"assets:{name}")).status_code == 403


def test_auditor_cannot_edit_or_post(users, school, login):
    asset = register(users["worker"], school)
    client = login(users["auditor"])
    assert client.get(reverse("assets:asset_edit", args=[asset.pk])).status_code == 403
    assert client.post(reverse("assets:asset_create"), form_data(school)).status_code == 403
    assert client.post(reverse("assets:asset_edit", args=[asset.pk]), form_data(school, name="x")).status_code == 403
    assert Asset.objects.get().name == "台式计算机"


def test_list_filters_search_and_totals(users, school, login):
    worker = users["worker"]
    register(worker, school, name="台式计算机", unit_price="3000", quantity=2)
    register(worker, school, name="学生课桌", category=category("教学、实验用桌", "A05010203"), unit_price="180",
             quantity=45, location=school["rooms"][1], custodian=users["teacher"])
    gone = register(worker, school, name="旧电脑", unit_price="999")
    Asset.objects.filter(pk=gone.pk).update(status=Asset.Status.WRITTEN_OFF)
    client = login(users["head"])
    response = client.get(reverse("assets:asset_list"), **EN)
    totals = response.context["totals"]
    assert (totals["records"], totals["items"], str(totals["value"])) == (2, 47, "14100.00")
    assert "旧电脑" not in response.content.decode()  # written off: off the register by default
    response = client.get(reverse("assets:asset_list"), {"status": "all"})
    assert response.context["totals"]["records"] == 3
    response = client.get(reverse("assets:asset_list"), {"location": school["rooms"][1].pk})
    assert [a.name for a in response.context["page"]] == ["学生课桌"]
    response = client.get(reverse("assets:asset_list"), {"custodian": users["teacher"].pk})
    assert [a.name for a in response.context["page"]] == ["学生课桌"]
    response = client.get(reverse("assets:asset_list"), {"q": "课桌"})
    assert response.context["totals"]["records"] == 1
    tag = Asset.objects.get(name="台式计算机").tag
    response = client.get(reverse("assets:asset_list"), {"q": tag})
    assert [a.tag for a in response.context["page"]] == [tag]
    response = client.get(reverse("assets:asset_list"), {"funding_source": "donation"})
    assert response.context["totals"]["records"] == 0
    assert "没有符合条件的资产。" in response.content.decode()  # "No asset matches." in the default language


def test_head_registers_an_asset_and_sees_its_page(users, school, login):
    client = login(users["head"])
    response = client.post(reverse("assets:asset_create"), form_data(school), **EN)
    asset = Asset.objects.get()
    assert response.status_code == 302 and response.url == reverse("assets:asset_detail", args=[asset.pk])
    page = client.get(response.url, **EN).content.decode()
    assert asset.tag in page and "激光打印机" in page and "VNB3K0001" in page
    assert "registered" in page  # the history


@pytest.mark.parametrize("over,message", [
    ({"unit_price": "-1"}, "greater than or equal to 0"),
    ({"quantity": "0"}, "greater than or equal to 1"),
    ({"acquired_on": "2999-01-01"}, "cannot be in the future"),
    ({"name": ""}, "This field is required"),
])
def test_bad_input_is_refused_and_what_was_typed_is_kept(users, school, login, over, message):
    response = login(users["worker"]).post(reverse("assets:asset_create"), form_data(school, **over), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="惠普"' in page and 'value="M203dn"' in page
    assert not Asset.objects.exists()


def test_a_duplicate_serial_number_is_shown_on_the_field(users, school, login):
    first = register(users["worker"], school, serial_number="VNB3K0001")
    response = login(users["worker"]).post(reverse("assets:asset_create"), form_data(school), **EN)
    assert response.status_code == 200
    assert first.tag in response.context["form"].errors["serial_number"][0]
    assert Asset.objects.count() == 1


def test_logistics_moves_an_asset_and_the_history_says_so(users, school, login):
    asset = register(users["worker"], school)
    client = login(users["worker"])
    data = form_data(school, name=asset.name, category=asset.category_id, brand="", spec="", unit_price="3650.00",
                     acquired_on=asset.acquired_on.isoformat(), serial_number="", location=school["rooms"][1].pk,
                     version=asset.version)
    response = client.post(reverse("assets:asset_edit", args=[asset.pk]), data, **EN)
    assert response.status_code == 302
    assert Asset.objects.get(pk=asset.pk).location == school["rooms"][1]
    page = client.get(reverse("assets:asset_detail", args=[asset.pk]), **EN).content.decode()
    assert "moved from 教学楼 · 一(1)班 to 教学楼 · 一(2)班" in page


def test_teacher_who_scans_a_label_sees_the_asset_and_a_report_button_but_no_prices(users, school, login):
    asset = register(users["worker"], school, name="班班通一体机", unit_price="19800")
    response = login(users["teacher"]).get(reverse("assets:asset_detail", args=[asset.pk]), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "班班通一体机" in page and asset.tag in page
    assert reverse("assets:asset_report_fault", args=[asset.pk]) in page
    assert "19800" not in page and "History" not in page


def test_report_a_fault_from_an_asset_links_the_repair_to_it(users, school, login):
    asset = register(users["worker"], school, name="班班通一体机", location=school["rooms"][1])
    client = login(users["teacher"])
    response = client.get(reverse("assets:asset_report_fault", args=[asset.pk]))
    assert response.status_code == 302
    form_page = client.get(response.url, **EN)
    form = form_page.context["form"]
    assert form.initial["location"] == school["rooms"][1].pk
    assert form.initial["asset"] == asset.pk
    assert form.initial["category"] == "it"  # A02: equipment
    assert f'name="asset" value="{asset.pk}"' in form_page.content.decode()
    response = client.post(reverse("assets:repair_report"), {
        "category": "it", "location": school["rooms"][1].pk, "title": "开机无声音", "description": "",
        "urgency": "normal", "submit_token": str(uuid.uuid4()), "asset": asset.pk,
    })
    repair = RepairRequest.objects.get()
    assert response.status_code == 302
    assert repair.asset == asset and repair.reporter == users["teacher"]
    detail = client.get(reverse("assets:repair_detail", args=[repair.pk]), **EN).content.decode()
    assert asset.tag in detail
    # The asset's page lists it, with the total repair cost.
    page = login(users["head"]).get(reverse("assets:asset_detail", args=[asset.pk]), **EN).content.decode()
    assert "开机无声音" in page and "Total repair cost" in page


def test_a_written_off_asset_is_not_offered_for_a_fault_report(users, school, login):
    asset = register(users["worker"], school)
    Asset.objects.filter(pk=asset.pk).update(status=Asset.Status.WRITTEN_OFF)
    client = login(users["teacher"])
    page = client.get(reverse("assets:asset_detail", args=[asset.pk]), **EN).content.decode()
    assert reverse("assets:asset_report_fault", args=[asset.pk]) not in page
    form = client.get(reverse("assets:repair_report") + f"?asset={asset.pk}").context["form"]
    assert "asset" not in form.initial


def test_asset_page_lists_loans_damage_and_write_offs_by_query(users, school, login):
    from assets.models import AssetLoan, DamageRecord, WriteOff
    asset = register(users["worker"], school, name="投影仪")
    AssetLoan.objects.create(asset=asset, borrower_name="三(1)班", lent_by=users["worker"], due_on="2030-01-01")
    DamageRecord.objects.create(asset=asset, description="镜头摔裂", responsible="学生张某", assessed_amount=120,
                                recorded_by=users["worker"])
    WriteOff.objects.create(asset=asset, reason="灯泡寿命尽", value=3299, requested_by=users["worker"])
    page = login(users["auditor"]).get(reverse("assets:asset_detail", args=[asset.pk]), **EN).content.decode()
    assert "三(1)班" in page and "镜头摔裂" in page and "灯泡寿命尽" in page


def test_the_menu_shows_assets_to_logistics_not_to_staff(users, school, login):
    url = reverse("assets:asset_list")
    assert f'href="{url}"' in login(users["worker"]).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in login(users["teacher"]).get(reverse("home")).content.decode()


def test_admin_lists_and_searches_assets_with_history(users, school, client):
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from assets.models import AssetCategory

    assert isinstance(admin.site._registry[Asset], SimpleHistoryAdmin)
    assert isinstance(admin.site._registry[AssetCategory], SimpleHistoryAdmin)
    asset = register(users["worker"], school, name="立式钢琴", serial_number="PR118")
    head = users["head"]
    head.is_staff = True
    head.save()
    client.force_login(head)
    response = client.get(reverse("admin:assets_asset_changelist"), {"q": "PR118"})
    assert response.status_code == 200 and asset.tag in response.content.decode()
    assert client.get(reverse("admin:assets_asset_history", args=[asset.pk])).status_code == 200


def test_an_edit_from_a_stale_page_changes_nothing_and_shows_the_current_record(users, school, client):
    from assets import services as asset_services

    category = AssetCategory.objects.create(name="投影仪", code="A02")
    asset = asset_services.asset_register(by=users["head"], name="投影仪", category=category,
                                          location=school["room"], unit_price="2680.00")
    client.force_login(users["head"])
    page = client.get(reverse("assets:asset_edit", args=[asset.pk]))
    opened_version = page.context["form"].initial["version"]
    # Meanwhile someone moves it to the other classroom.
    asset_services.asset_update(asset_id=asset.pk, by=users["worker"], location=school["rooms"][1])
    data = {f: v for f, v in page.context["form"].initial.items() if v is not None}
    data.update({"category": category.pk, "location": school["room"].pk, "name": "投影仪(旧)",
                 "version": opened_version, "acquired_on": asset.acquired_on.isoformat(), "status": "in_use"})
    data.pop("custodian", None)
    data.pop("department", None)
    response = client.post(reverse("assets:asset_edit", args=[asset.pk]), data)
    assert response.status_code == 200
    asset.refresh_from_db()
    assert asset.name == "投影仪" and asset.location == school["rooms"][1]  # the move stands, nothing undone
    assert "在您打开页面期间" in response.content.decode() or "changed by someone else" in response.content.decode()
