"""Supplies and requisition pages: who may open and do what, what they see, and bad input kept as typed."""
import uuid

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from assets import services
from assets.models import Requisition, StockMovement, SupplyItem
from assets.selectors.supplies import waiting_for
from logistics.models import Department


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def setup(users, school):
    dept = Department.objects.create(name="语文组")
    chalk = services.supply_item_save(by=users["head"], name="粉笔", unit="盒", low_stock_threshold=20)
    services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=10, supplier="晨光")
    books = services.supply_item_save(by=users["head"], name="语文作业本", kind="textbook", unit="本")
    services.supply_stock_in(item_id=books.pk, by=users["worker"], quantity=200, supplier="新华书店")
    return {"dept": dept, "chalk": SupplyItem.objects.get(pk=chalk.pk), "books": SupplyItem.objects.get(pk=books.pk),
            **school}


def new_form(setup, **extra):
    data = {"department": setup["dept"].pk, "location": setup["room"].pk, "reason": "新学期班级用",
            "submit_token": str(uuid.uuid4()), "item_0": setup["chalk"].pk, "qty_0": "2"}
    data.update(extra)
    return data


# --- supply pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("worker", 200), ("head", 200), ("auditor", 200), ("teacher", 403)])
def test_who_sees_the_stock_list(users, setup, client_en, who, status):
    client_en.force_login(users[who])
    response = client_en.get(reverse("assets:supply_list"))
    assert response.status_code == status


def test_stock_list_warns_of_low_stock(users, setup, client_en):
    client_en.force_login(users["worker"])
    html = client_en.get(reverse("assets:supply_list")).content.decode()
    assert "1 item is below its warning level." in html
    response = client_en.get(reverse("assets:supply_list"), {"low": "on"})
    assert [i.name for i in response.context["page"].object_list] == ["粉笔"]
    html = client_en.get(reverse("assets:supply_detail", args=[setup["chalk"].pk])).content.decode()
    assert "Only 10 盒 left, below the warning level of 20." in html
    assert "晨光" in html  # the ledger


def test_stock_in_page_adds_stock(users, setup, client_en):
    client_en.force_login(users["worker"])
    url = reverse("assets:supply_stock_in", args=[setup["chalk"].pk])
    response = client_en.post(url, {"quantity": "30", "supplier": "晨光文具", "unit_price": "3.50"}, follow=True)
    assert "30 盒 of 粉笔 received; 40 in stock now." in response.content.decode()
    assert SupplyItem.objects.get(pk=setup["chalk"].pk).stock == 40


@pytest.mark.parametrize("data, message", [
    ({"quantity": "-5", "supplier": "晨光"}, "The quantity must be more than zero."),
    ({"quantity": "0", "supplier": "晨光"}, "The quantity must be more than zero."),
    ({"quantity": "99999999999", "supplier": "晨光"}, "At most 100000 at a time."),
    ({"quantity": "5", "supplier": "晨光", "unit_price": "-1"}, "The price cannot be negative."),
    ({"quantity": "5", "supplier": ""}, "This field is required."),
])
def test_stock_in_bad_input_is_shown_and_kept(users, setup, client_en, data, message):
    client_en.force_login(users["worker"])
    response = client_en.post(reverse("assets:supply_stock_in", args=[setup["chalk"].pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'value="{data["quantity"]}"' in html
    assert StockMovement.objects.filter(item=setup["chalk"]).count() == 1


@pytest.mark.parametrize("who", ["teacher", "auditor"])
def test_stock_in_is_refused_to_others(users, setup, client_en, who):
    client_en.force_login(users[who])
    url = reverse("assets:supply_stock_in", args=[setup["chalk"].pk])
    assert client_en.post(url, {"quantity": "5", "supplier": "x"}).status_code == 403


def test_logistics_adds_an_item_and_stock_is_not_a_field(users, setup, client_en):
    client_en.force_login(users["worker"])
    response = client_en.post(reverse("assets:supply_new"), {
        "name": "洗手液", "spec": "500ml", "kind": "cleaning", "unit": "瓶", "low_stock_threshold": "10",
        "active": "on", "stock": "999"})
    item = SupplyItem.objects.get(name="洗手液")
    assert response.status_code == 302 and item.stock == 0


# --- requisitions ----------------------------------------------------------------------------

def test_teacher_requests_and_sees_only_their_own(users, setup, client_en):
    client_en.force_login(users["teacher"])
    response = client_en.post(reverse("assets:requisition_new"), new_form(setup), follow=True)
    r = Requisition.objects.get()
    assert f"Requisition {r.number} was sent to logistics." in response.content.decode()
    mine = client_en.get(reverse("assets:requisition_mine"))
    assert [x.pk for x in mine.context["page"].object_list] == [r.pk]
    client_en.force_login(users["teacher2"])
    assert client_en.get(reverse("assets:requisition_detail", args=[r.pk])).status_code == 404
    assert client_en.post(reverse("assets:requisition_cancel", args=[r.pk]), {"version": r.version}).status_code == 404
    assert client_en.get(reverse("assets:requisition_queue")).status_code == 403
    assert list(client_en.get(reverse("assets:requisition_mine")).context["page"].object_list) == []


def test_double_click_on_send_makes_one_requisition(users, setup, client_en):
    client_en.force_login(users["teacher"])
    data = new_form(setup)
    client_en.post(reverse("assets:requisition_new"), data)
    response = client_en.post(reverse("assets:requisition_new"), data, follow=True)
    assert Requisition.objects.count() == 1
    assert "it was not sent twice" in response.content.decode()


@pytest.mark.parametrize("extra, message", [
    ({"qty_0": "-2"}, "The quantity must be more than zero."),
    ({"qty_0": "0"}, "The quantity must be more than zero."),
    ({"qty_0": "123456789012"}, "At most 100000 at a time."),
    ({"qty_0": ""}, "How many?"),
    ({"reason": ""}, "This field is required."),
    ({"department": "", "location": ""}, "Say which office or class it is for."),
    ({"item_1": "SAME", "qty_1": "3"}, "Already on another line; put the total on one line."),
    ({"item_0": "", "qty_0": ""}, "Add at least one item with its quantity."),
])
def test_requisition_bad_input_is_shown_and_kept(users, setup, client_en, extra, message):
    client_en.force_login(users["teacher"])
    if extra.get("item_1") == "SAME":
        extra["item_1"] = setup["chalk"].pk
    data = new_form(setup, reason=extra.pop("reason", "给学生的粉笔"), **extra)
    response = client_en.post(reverse("assets:requisition_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if data["reason"]:
        assert "给学生的粉笔" in html  # what was typed is still there
    assert Requisition.objects.count() == 0


def test_logistics_issues_from_the_page(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 4), (setup["books"], 50)])
    lines = {line.item_id: line.pk for line in r.lines.all()}
    client_en.force_login(users["worker"])
    page = client_en.get(reverse("assets:requisition_detail", args=[r.pk]))
    assert page.status_code == 200 and "issue-form" in page.content.decode()
    response = client_en.post(reverse("assets:requisition_issue", args=[r.pk]), {
        "version": r.version, f"line_{lines[setup['chalk'].pk]}": "3", f"line_{lines[setup['books'].pk]}": "50",
        "note": "粉笔先给3盒"}, follow=True)
    assert "Issued." in response.content.decode()
    assert SupplyItem.objects.get(pk=setup["chalk"].pk).stock == 7
    r.refresh_from_db()
    assert r.status == "issued"


def test_issue_page_keeps_typed_quantities_when_stock_is_short(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 12), (setup["books"], 50)])
    lines = {line.item_id: line.pk for line in r.lines.all()}
    client_en.force_login(users["worker"])
    response = client_en.post(reverse("assets:requisition_issue", args=[r.pk]), {
        "version": r.version, f"line_{lines[setup['chalk'].pk]}": "12", f"line_{lines[setup['books'].pk]}": "45"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Not enough in stock, so nothing was issued." in html and "only 10 left" in html
    assert 'value="45"' in html
    assert SupplyItem.objects.get(pk=setup["books"].pk).stock == 200


def test_issue_more_than_asked_is_refused_on_the_page(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 2)])
    client_en.force_login(users["worker"])
    response = client_en.post(reverse("assets:requisition_issue", args=[r.pk]),
                              {"version": r.version, f"line_{r.lines.get().pk}": "5"})
    assert "At most the 2 asked for." in response.content.decode()
    assert SupplyItem.objects.get(pk=setup["chalk"].pk).stock == 10


@pytest.mark.parametrize("who", ["teacher2", "auditor", "teacher"])
def test_issue_is_refused_to_others(users, setup, client_en, who):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 2)])
    client_en.force_login(users[who])
    response = client_en.post(reverse("assets:requisition_issue", args=[r.pk]), {"version": r.version})
    assert response.status_code == 403
    assert Requisition.objects.get().status == "submitted"


def test_reject_needs_a_reason_on_the_page(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 2)])
    client_en.force_login(users["worker"])
    response = client_en.post(reverse("assets:requisition_reject", args=[r.pk]), {"version": r.version, "note": ""})
    assert response.status_code == 400
    client_en.post(reverse("assets:requisition_reject", args=[r.pk]), {"version": r.version, "note": "已有库存"})
    client_en.force_login(users["teacher"])
    html = client_en.get(reverse("assets:requisition_detail", args=[r.pk])).content.decode()
    assert "已有库存" in html and "rejected: 已有库存" in html


def test_requester_cancels_from_the_page(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 2)])
    client_en.force_login(users["teacher"])
    response = client_en.post(reverse("assets:requisition_cancel", args=[r.pk]), {"version": r.version},
                              follow=True)
    assert "Your requisition was cancelled." in response.content.decode()
    assert Requisition.objects.get().status == "cancelled"


def test_requisition_pages_are_get_safe(users, setup, client_en):
    r = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 2)])
    client_en.force_login(users["worker"])
    for name in ("requisition_issue", "requisition_reject", "requisition_cancel"):
        assert client_en.get(reverse(f"assets:{name}", args=[r.pk])).status_code == 405


def test_queue_filters_by_status_and_search(users, setup, client_en):
    a = services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="扫除用",
                                    lines=[(setup["chalk"], 2)])
    b = services.requisition_submit(by=users["teacher2"], department=setup["dept"], reason="出试卷",
                                    lines=[(setup["books"], 2)])
    services.requisition_issue(requisition_id=b.pk, by=users["worker"])
    client_en.force_login(users["head"])
    default = client_en.get(reverse("assets:requisition_queue"))
    assert [r.pk for r in default.context["page"].object_list] == [a.pk]  # waiting first
    everything = client_en.get(reverse("assets:requisition_queue"), {"status": ""})
    assert {r.pk for r in everything.context["page"].object_list} == {a.pk, b.pk}
    found = client_en.get(reverse("assets:requisition_queue"), {"status": "", "q": "作业本"})
    assert [r.pk for r in found.context["page"].object_list] == [b.pk]


# --- home sections and admin -----------------------------------------------------------------

def test_waiting_for_gives_each_role_its_sections(users, setup):
    services.requisition_submit(by=users["teacher"], department=setup["dept"], reason="用",
                                lines=[(setup["chalk"], 2)])
    services.print_submit(by=users["teacher"], department=setup["dept"], title="大卷子", pages=10, copies=100)
    services.print_submit(by=users["teacher"], department=setup["dept"], title="小通知", pages=1, copies=40)
    keys = {who: [s["key"] for s in waiting_for(users[who])] for who in ("teacher", "worker", "head", "auditor")}
    # Everyone who may ask for supplies and printing has his own open requisitions and print jobs.
    assert keys["teacher"] == ["my_requisitions", "my_prints"]
    assert keys["worker"] == ["requisitions_to_issue", "prints_to_do", "low_stock", "my_requisitions", "my_prints"]
    assert keys["head"] == ["requisitions_to_issue", "prints_to_approve", "prints_to_do", "low_stock",
                            "my_requisitions", "my_prints"]
    teacher = {s["key"]: s for s in waiting_for(users["teacher"])}
    assert sorted(r["title"] for r in teacher["my_prints"]["rows"]) == ["大卷子", "小通知"]
    assert keys["auditor"] == []
    head = {s["key"]: s for s in waiting_for(users["head"])}
    assert [r["title"] for r in head["prints_to_approve"]["rows"]] == ["大卷子"]
    assert [r["title"] for r in head["prints_to_do"]["rows"]] == ["小通知"]
    assert head["low_stock"]["rows"][0]["title"] == "粉笔"
    teacher = waiting_for(users["teacher"])[0]
    assert len(teacher["rows"]) == 1 and teacher["rows"][0]["url"].startswith("/requisitions/")
    assert all(s["empty"] for s in head.values())
    # On the home page they are drawn in the one row shape every module uses (no template of their own).
    from django.utils import timezone

    from assets.home import sections
    from logistics.modules import Row

    home = {s.key: s for s in sections(users["head"], timezone.now())}
    assert [r.title for r in home["prints_to_approve"].rows] == ["大卷子"]
    assert all(isinstance(r, Row) for s in home.values() for r in s.rows)


def test_waiting_for_runs_a_constant_number_of_queries(users, setup, django_assert_max_num_queries):
    for _ in range(15):
        services.requisition_submit(by=users["head"], department=setup["dept"], reason="用",
                                    lines=[(setup["chalk"], 1)])
    head = users["head"]
    head.has_perm("assets.view_supplyitem")  # permissions cached, as on a page
    with django_assert_max_num_queries(6):  # one per section
        waiting_for(head)


@pytest.mark.parametrize("model", ["SupplyItem", "StockMovement", "Requisition", "RequisitionLine", "Distribution",
                                   "DistributionLine", "PrintRequest"])
def test_every_supplies_model_is_in_the_admin_with_history(model):
    from simple_history.admin import SimpleHistoryAdmin

    from assets import models

    assert isinstance(admin.site._registry[getattr(models, model)], SimpleHistoryAdmin)


def test_stock_cannot_be_typed_in_the_admin(users, setup, client):
    user = users["head"]
    user.is_staff = True
    user.save()
    client.force_login(user)
    item = setup["chalk"]
    url = reverse("admin:assets_supplyitem_change", args=[item.pk])
    assert 'name="stock"' not in client.get(url).content.decode()
    client.post(url, {"name": "粉笔", "spec": "", "kind": "office", "unit": "盒", "stock": "999",
                      "low_stock_threshold": "20", "active": "on"})
    assert SupplyItem.objects.get(pk=item.pk).stock == 10
    assert client.get(reverse("admin:assets_stockmovement_add")).status_code == 403
    assert client.get(reverse("admin:assets_requisition_changelist"), {"q": "粉笔"}).status_code == 200
