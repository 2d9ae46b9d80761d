"""One home page per role: what waits for that person first, each record once, a few rows and "show all";
a menu with every area the role may use; no button that leads to a refusal."""
import datetime
import itertools
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from assets.models import RepairCategory, RepairRequest
from assets.selectors.repairs import workers

Status = RepairRequest.Status


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_numbers = itertools.count(1)


def _repair(school, reporter, title, *, status=Status.REPORTED, assignee=None, overdue=False):
    serial = next(_numbers)
    now = timezone.now()
    reported = now - datetime.timedelta(hours=100 if overdue else 1)
    return RepairRequest.objects.create(
        number=f"WX-2026-9{serial:04d}", submit_token=uuid.uuid4(), category=RepairCategory.values[0],
        location=school["room"], title=title, status=status, reporter=reporter, assignee=assignee,
        reported_at=reported, due_at=reported + datetime.timedelta(hours=24))


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _sections(page):
    return re.findall(r'class="card home-section section-(\w+)', page)


# --- each record once, in the order of what waits ------------------------------------------------

def test_an_overdue_request_waiting_for_a_worker_is_shown_once_on_the_heads_home(users, school, client):
    repair = _repair(school, users["head"], "围墙墙皮脱落", overdue=True)
    page = _home(client, users["head"])
    # It waits for the head to assign it, it is overdue, and the head reported it: three sections before.
    assert page.count(reverse("assets:repair_detail", args=[repair.pk])) == 1
    assert _sections(page).index("assign") < _sections(page).index("overdue")
    assign = page[page.index("section-assign"):page.index("section-overdue")]
    assert "围墙墙皮脱落" in assign
    # The overdue list says it is counted above rather than "nothing is overdue".
    overdue = page[page.index("section-overdue"):]
    assert "另有 1 条已在上方列出" in overdue
    assert 'class="empty"' not in overdue[:overdue.index("</section>")]
    # The head reads the queue: his own requests are listed only when one is not shown above.
    assert "section-my_open" not in page


def test_a_workers_own_repairs_and_checks_come_before_everything_else(users, school, client):
    from assets import services
    from assets.models import SupplyItem

    mine = _repair(school, users["teacher"], "窗户关不严", status=Status.ASSIGNED, assignee=users["worker"],
                   overdue=True)
    _repair(school, users["teacher"], "椅子断腿")
    item = services.supply_item_save(by=users["worker"], name="粉笔", unit="盒")
    services.supply_stock_in(item_id=item.pk, by=users["worker"], quantity=10, supplier="文具店")
    services.requisition_submit(by=users["teacher"], reason="开学用", lines=[(SupplyItem.objects.get(), 2)],
                                location=school["room"])
    page = _home(client, users["worker"])
    order = _sections(page)
    assert order[0] == "my_work", order
    assert order.index("my_work") < order.index("requisitions_to_issue") < order.index("take")
    assert order.index("take") < order.index("overdue")
    # The overdue repair is his own: shown in his work, not again in the overdue list.
    assert page.count(reverse("assets:repair_detail", args=[mine.pk])) == 1


def test_a_long_section_shows_a_few_rows_and_links_to_the_filtered_list(users, school, client):
    repairs = [_repair(school, users["teacher"], f"故障{i}") for i in range(7)]
    page = _home(client, users["head"])
    assign = page[page.index("section-assign"):]
    assign = assign[:assign.index("</section>")]
    # Five rows on a wide screen (the phone hides the last two), then a link to the whole list.
    assert assign.count('class="row-link"') == 5
    assert assign.count("row-extra") == 2
    assert f'href="{reverse("assets:repair_queue")}?status=reported"' in assign
    assert "查看全部（7）" in assign
    assert sum(reverse("assets:repair_detail", args=[r.pk]) in page for r in repairs) == 5


# --- the auditor reads; canteen and safety have their everyday work --------------------------------

def test_the_auditor_has_no_button_or_section_he_cannot_use(users, school, client):
    page = _home(client, users["auditor"])
    assert reverse("assets:repair_report") not in page
    assert "section-my_open" not in page and "我的未结报修" not in page
    # Every link of his menu and his home opens (none leads to a refusal).
    links = set(re.findall(r'<a[^>]+href="(/[^"#?]*)', page)) - {reverse("logout")}
    assert links
    for url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["canteen", "safety"])
def test_canteen_and_safety_homes_offer_what_every_employee_has(users, school, client, who):
    page = _home(client, users[who])
    if who == "safety":  # the safety officer's own day is a button away
        assert f'href="{reverse("safety:today")}"' in page
        assert "section-canteen_today" not in page
    else:  # the canteen's own day comes first, then what every employee has
        assert "section-canteen_today" in page and f'href="{reverse("canteen:today")}"' in page
        assert "安全管理功能" not in page
    assert f'href="{reverse("assets:repair_report")}"' in page
    for key in ("my_open", "my_requisitions", "my_prints"):
        assert f"section-{key}" in page
    assert reverse("assets:requisition_new") in page and reverse("assets:print_new") in page


def test_a_teachers_open_print_job_is_on_her_home_page(users, school, client):
    from assets import services
    from logistics.models import Department

    job = services.print_submit(by=users["teacher"], department=Department.objects.create(name="语文组"),
                                title="一(1)班家长会通知", pages=2, copies=45)
    page = _home(client, users["teacher"])
    assert reverse("assets:print_detail", args=[job.pk]) in page


# --- the menu -----------------------------------------------------------------------------------

MENU = {
    "teacher": ["我要报修", "我的报修", "我的领用", "文印", "采购"],
    "worker": ["我要报修", "我的报修", "维修工单", "巡检", "校产", "资产清查", "借用", "物品", "我的领用", "文印",
               "采购", "财务"],
    "head": ["我要报修", "我的报修", "维修工单", "巡检", "校产", "资产清查", "借用", "物品", "我的领用", "文印",
             "审批", "采购", "财务"],
    "principal": ["我要报修", "我的报修", "维修工单", "审批", "采购", "财务"],
    "finance": ["我要报修", "我的报修", "校产", "采购", "财务"],
    "canteen": ["我要报修", "我的报修", "我的领用", "文印", "采购", "今日食堂", "整改"],
    "safety": ["我要报修", "我的报修", "我的领用", "文印", "采购"],
    "auditor": ["维修工单", "校产", "财务"],
}


@pytest.mark.parametrize("who", sorted(MENU))
def test_the_menu_holds_every_area_of_the_role_and_each_opens(users, school, client, who):
    client.force_login(users[who])
    response = client.get(reverse("home"))
    labels = [str(item["label"]) for item in response.context["main_menu"]]
    nav = response.content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    for label in MENU[who]:
        assert label in labels and f">{label}</a>" in nav, (who, label, labels)
    for item in response.context["main_menu"]:
        assert client.get(item["url"]).status_code == 200, (who, item["url"])
    if who == "auditor":
        assert "我要报修" not in labels and "我的报修" not in labels


# --- the asset-change report and the assign list -------------------------------------------------

def test_finance_reads_the_year_asset_change_report_linked_from_the_register(users, school, client):
    client.force_login(users["finance"])
    register = client.get(reverse("assets:asset_list"))
    assert register.status_code == 200
    assert f'href="{reverse("assets:asset_report")}"' in register.content.decode()
    assert client.get(reverse("assets:asset_report")).status_code == 200
    assert client.get(reverse("assets:asset_report_pdf")).status_code == 200


def test_only_logistics_workers_are_offered_for_a_repair(users, school, client):
    from django.contrib.auth.models import User

    User.objects.create_superuser("admin", password="x")
    assert set(workers().values_list("username", flat=True)) == {"worker", "worker2"}
    # A head who also repairs is offered too.
    users["head"].groups.add(Group.objects.get(name="logistics"))
    assert set(workers().values_list("username", flat=True)) == {"worker", "worker2", "head"}
    repair = _repair(school, users["teacher"], "饮水机不出热水")
    client.force_login(users["head"])
    page = client.get(reverse("assets:repair_detail", args=[repair.pk])).content.decode()
    form = page[page.index('name="assignee"'):]
    form = form[:form.index("</select>")]
    assert "张师傅" in form and "李师傅" in form and "admin" not in form


def test_the_superuser_and_a_head_are_not_offered_on_the_repair_page(users, school, client):
    from django.contrib.auth.models import User

    User.objects.create_superuser("admin", password="x", first_name="系统管理员")
    repair = _repair(school, users["teacher"], "饮水机不出热水")
    client.force_login(users["head"])
    page = client.get(reverse("assets:repair_detail", args=[repair.pk])).content.decode()
    form = page[page.index('name="assignee"'):]
    form = form[:form.index("</select>")]
    assert "张师傅" in form and "系统管理员" not in form and "陈主任" not in form


def test_the_kernel_shows_each_record_once_and_counts_the_repeats(monkeypatch):
    from logistics import modules
    from logistics.modules import Module, Row, Section

    class A(Module):
        pass

    def fake(user, now):
        a, b = Row(url="/r/1/", title="a"), Row(url="/r/2/", title="b")
        return [Section("later", "later", [Row(url="/r/1/", title="a"), b], order=5),
                Section("first", "first", [a], decision=True, order=90),
                Section("all_above", "all above", [Row(url="/r/2/", title="b")], order=9),
                Section("empty_kept", "kept", [Row(url="/r/1/", title="a")], order=10, show_empty=True)]

    config = A.create("tests.plugin_module")
    config.home = fake
    monkeypatch.setattr(modules, "modules", lambda: [config])
    shown = {s.key: s for s in modules.home_sections(None, None)}
    assert list(shown) == ["first", "later", "empty_kept"]
    assert [r.url for r in shown["later"].rows] == ["/r/2/"] and shown["later"].repeated == 1
    assert shown["empty_kept"].rows == [] and shown["empty_kept"].repeated == 1
