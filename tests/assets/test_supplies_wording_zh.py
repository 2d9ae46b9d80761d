"""Print and requisition pages in Chinese (the default language): a print job is not a repair request, the
person who asked is 申请人, a printed job is 已印制 and a page count is 页数 (分页 is the page links)."""
import pytest
from django.urls import reverse

from assets import services
from assets.models import AssetSettings, PrintRequest
from logistics.models import Department


@pytest.fixture
def dept(db):
    return Department.objects.create(name="语文组")


def test_the_print_list_counts_print_requests_and_names_the_requester(users, school, dept, login):
    services.print_submit(by=users["teacher"], department=dept, title="单元测试卷", pages=2, copies=45)
    html = login(users["head"]).get(reverse("assets:print_list")).content.decode()
    assert "共 1 份文印申请" in html
    assert "申请人 王丽" in html
    assert "报修单" not in html and "报修人" not in html


def test_the_print_status_filter_says_printed_not_printing_time(users, school, dept, login):
    html = login(users["head"]).get(reverse("assets:print_list")).content.decode()
    assert f'status={PrintRequest.Status.DONE}">已印制</a>' in html
    assert "打印时间" not in html


def test_a_print_request_page_offers_no_repair_wording_and_counts_pages(users, school, dept, login):
    AssetSettings.objects.update(print_approval_pages=10)
    job = services.print_submit(by=users["teacher"], department=dept, title="单元测试卷", pages=2, copies=45)
    html = login(users["head"]).get(reverse("assets:print_detail", args=[job.pk])).content.decode()
    assert "<dt>页数</dt>" in html
    assert "驳回申请" in html  # the head may reject it
    main = html.split("<main", 1)[1]
    assert "报修" not in main and "分页" not in main


def test_paper_usage_counts_pages(users, school, dept, login):
    job = services.print_submit(by=users["teacher"], department=dept, title="单元测试卷", pages=2, copies=45)
    services.print_done(request_id=job.pk, by=users["worker"])
    html = login(users["head"]).get(reverse("assets:print_usage")).content.decode()
    assert "页数" in html and "分页" not in html


def test_a_requisition_row_names_the_requester(users, school, dept, login):
    chalk = services.supply_item_save(by=users["head"], name="粉笔", unit="盒")
    services.supply_stock_in(item_id=chalk.pk, by=users["worker"], quantity=10, supplier="晨光")
    services.requisition_submit(by=users["teacher"], department=dept, reason="班级用", lines=[(chalk, 2)])
    html = login(users["worker"]).get(reverse("assets:requisition_queue")).content.decode()
    assert "申请人 王丽" in html
    assert "报修人" not in html


def test_the_repair_queue_still_counts_repair_requests(users, school, login):
    services.repair_report(reporter=users["teacher"], location=school["room"], category="lighting", title="灯管不亮",
                           description="", urgency="normal")
    html = login(users["head"]).get(reverse("assets:repair_queue")).content.decode()
    assert "共 1 张报修单" in html
    assert "报修人 王丽" in html
