"""The purchase pages: applying, the detail page's moves, the inbox's two taps, the budget pages."""
import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from finance.models import Approval, BudgetLine, FinanceSettings, PurchaseRequest, Purpose
from finance.services import purchases as services

from ._purchases import dept, line, submitted

S = PurchaseRequest.Status


@pytest.fixture(autouse=True)
def english(school, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form_data(**over):
    data = {
        "submit_token": str(uuid.uuid4()), "title": "饮水机", "department": dept().pk, "purpose": Purpose.OFFICE,
        "budget_line": line().pk, "needed_by": "", "reason": "一楼饮水机漏水",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50",
        "items-0-name": "饮水机", "items-0-spec": "立式", "items-0-quantity": "2", "items-0-unit": "台",
        "items-0-estimated_unit_price": "850", "items-0-kind": "asset",
        "items-1-name": "", "items-1-spec": "", "items-1-quantity": "", "items-1-unit": "个",
        "items-1-estimated_unit_price": "", "items-1-kind": "asset",
    }
    data.update(over)
    return data


def msgs(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_teacher_applies_and_submits_in_one_go(users, client):
    client.force_login(users["teacher"])
    assert client.get(reverse("finance:purchase_new")).status_code == 200
    data = form_data(submit="1")
    response = client.post(reverse("finance:purchase_new"), data)
    p = PurchaseRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("finance:purchase_detail", args=[p.pk])
    assert p.status == S.AWAITING_HEAD and p.estimated_total == Decimal("1700.00")
    # a double click: the same form again saves nothing new
    client.post(reverse("finance:purchase_new"), data)
    assert PurchaseRequest.objects.count() == 1
    page = client.get(reverse("finance:purchase_detail", args=[p.pk])).content.decode()
    assert "饮水机" in page and "¥1,700.00" in page and "Awaiting the head of logistics" in page


@pytest.mark.parametrize("field,value", [("items-0-quantity", "-1"), ("items-0-quantity", "0"),
                                         ("items-0-estimated_unit_price", "0"),
                                         ("items-0-estimated_unit_price", "-3"),
                                         ("items-0-estimated_unit_price", "99999999999999")])
def test_bad_items_show_an_error_and_save_nothing(users, client, field, value):
    client.force_login(users["teacher"])
    response = client.post(reverse("finance:purchase_new"), form_data(**{field: value}))
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not PurchaseRequest.objects.exists()


def test_an_earmarked_mismatch_is_shown_on_the_form(users, client):
    books = line("专项 图书", "30000", BudgetLine.Kind.EARMARKED, Purpose.BOOKS)
    client.force_login(users["teacher"])
    response = client.post(reverse("finance:purchase_new"), form_data(budget_line=books.pk))
    assert response.status_code == 200 and "earmarked" in response.content.decode()
    assert not PurchaseRequest.objects.exists()


def test_the_head_approves_from_the_detail_page_and_the_requester_sees_it(users, client):
    p = submitted(users["teacher"], "1500")
    client.force_login(users["head"])
    page = client.get(reverse("finance:purchase_detail", args=[p.pk])).content.decode()
    assert reverse("finance:purchase_decide", args=[p.pk]) in page
    response = client.post(reverse("finance:purchase_decide", args=[p.pk]),
                           {"version": p.version, "decision": "approved"})
    assert response.status_code == 302 and msgs(response) == ["Approved."]
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.APPROVED
    client.force_login(users["teacher"])
    page = client.get(reverse("finance:purchase_detail", args=[p.pk])).content.decode()
    assert "Approved, to order" in page and "陈主任" in page


def test_a_stale_decision_says_so_and_changes_nothing(users, client):
    p = submitted(users["teacher"], "1500")
    client.force_login(users["head"])
    client.post(reverse("finance:purchase_decide", args=[p.pk]), {"version": p.version, "decision": "approved"})
    response = client.post(reverse("finance:purchase_decide", args=[p.pk]),
                           {"version": p.version, "decision": "rejected", "comment": "no"})
    # The same head sent the older page again: it says he changed it himself, elsewhere.
    assert "You changed this purchase request on another page or device" in msgs(response)[-1]
    assert Approval.objects.count() == 1


def test_reject_without_a_comment_shows_why(users, client):
    p = submitted(users["teacher"], "1500")
    client.force_login(users["head"])
    response = client.post(reverse("finance:purchase_decide", args=[p.pk]),
                           {"version": p.version, "decision": "rejected", "comment": ""})
    assert "Say why" in msgs(response)[0]
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.AWAITING_HEAD


def test_wrong_people_get_403_or_404(users, client):
    p = submitted(users["teacher"], "1500")
    client.force_login(users["principal"])
    response = client.post(reverse("finance:purchase_decide", args=[p.pk]),
                           {"version": p.version, "decision": "approved"})
    assert response.status_code == 403
    client.force_login(users["teacher2"])  # not theirs, not their department's
    assert client.get(reverse("finance:purchase_detail", args=[p.pk])).status_code == 404
    assert client.get(reverse("finance:purchase_decide", args=[p.pk])).status_code == 405
    client.force_login(users["finance"])
    assert client.get(reverse("finance:purchase_inbox")).status_code == 403


def test_a_department_head_sees_the_departments_requests(users, client):
    d = dept("数学组", head=users["teacher2"])
    p = submitted(users["teacher"], "100", department=d)
    client.force_login(users["teacher2"])
    assert client.get(reverse("finance:purchase_detail", args=[p.pk])).status_code == 200
    assert p.number in client.get(reverse("finance:purchase_list")).content.decode()


def test_the_list_filters_by_status_department_line_and_search(users, client):
    a = submitted(users["teacher"], "100", title="饮水机")
    b = services.purchase_create(by=users["teacher2"], department=dept("数学组"), title="电脑", reason="r",
                                 purpose=Purpose.OFFICE, budget_line=line(), items=[{"name": "电脑", "quantity": 1,
                                                                                     "estimated_unit_price": "10"}])
    client.force_login(users["auditor"])
    page = client.get(reverse("finance:purchase_list")).content.decode()
    assert a.number in page and b.number in page
    page = client.get(reverse("finance:purchase_list"), {"status": "draft"}).content.decode()
    assert a.number not in page and b.number in page
    page = client.get(reverse("finance:purchase_list"), {"department": b.department_id}).content.decode()
    assert a.number not in page and b.number in page
    page = client.get(reverse("finance:purchase_list"), {"q": "饮水"}).content.decode()
    assert a.number in page and b.number not in page
    page = client.get(reverse("finance:purchase_list"), {"budget_line": line().pk}).content.decode()
    assert a.number in page and b.number in page
    client.force_login(users["teacher"])
    page = client.get(reverse("finance:purchase_list")).content.decode()
    assert a.number in page and b.number not in page


def test_the_principals_inbox_approves_in_one_tap_and_returns_to_the_inbox(users, client):
    p = submitted(users["teacher"], "9800")  # with three quotes
    services.purchase_decide(request_id=p.pk, by=users["head"], decision="approved")
    p.refresh_from_db()
    client.force_login(users["principal"])
    page = client.get(reverse("finance:purchase_inbox")).content.decode()
    assert p.title in page and "甲公司" in page and "¥100,000.00" in page  # the line's remaining money
    response = client.post(reverse("finance:purchase_decide", args=[p.pk]),
                           {"version": p.version, "decision": "approved", "next": reverse("finance:purchase_inbox")})
    assert response.url == reverse("finance:purchase_inbox")
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.APPROVED
    assert "Nothing is waiting for you" in client.get(reverse("finance:purchase_inbox")).content.decode()


def test_the_head_inbox_shows_only_the_head_step(users, client):
    a = submitted(users["teacher"], "100", title="饮水机")
    b = services.purchase_decide(request_id=submitted(users["teacher"], "3000", title="打印机").pk,
                                 by=users["head"], decision="approved")
    client.force_login(users["head"])
    page = client.get(reverse("finance:purchase_inbox")).content.decode()
    assert a.title in page and b.title not in page


def test_the_meeting_is_recorded_with_its_minutes(users, client):
    profile = FinanceSettings.get()
    profile.quotes_required_above = Decimal("90000")
    profile.save()
    p = submitted(users["teacher"], "30000")
    for who in ("head", "principal"):
        p = services.purchase_decide(request_id=p.pk, by=users[who], decision="approved")
    from django.core.files.uploadedfile import SimpleUploadedFile
    client.force_login(users["principal"])
    response = client.post(reverse("finance:purchase_meeting", args=[p.pk]), {
        "version": p.version, "meeting_date": "2000-01-01", "meeting_minute": "校务会〔2026〕3号",
        "meeting_attachment": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == S.APPROVED and p.meeting_minute == "校务会〔2026〕3号"


def test_budget_pages_for_finance_and_auditor_not_teachers(users, client):
    office = line(amount="10000")
    services.purchase_decide(request_id=submitted(users["teacher"], "1200", budget_line=office).pk,
                             by=users["head"], decision="approved")
    for who in ("finance", "head", "principal", "auditor"):
        client.force_login(users[who])
        page = client.get(reverse("finance:budget_list")).content.decode()
        assert "¥1,200.00" in page and "¥8,800.00" in page, who
        assert client.get(reverse("finance:budget_detail", args=[office.pk])).status_code == 200
    client.force_login(users["teacher"])
    assert client.get(reverse("finance:budget_list")).status_code == 403


def test_the_home_page_section_lists_purchases_waiting(users):
    from finance.selectors.purchases import waiting_for
    p = submitted(users["teacher"], "100")
    [section] = waiting_for(users["head"])
    assert section["key"] == "purchases_to_approve"
    assert section["rows"][0]["url"] == reverse("finance:purchase_detail", args=[p.pk])
    assert section["rows"][0]["meta"] == "语文组 · ¥100.00 · 王丽 · Awaiting the head of logistics"
    assert waiting_for(users["teacher"]) == []
    assert waiting_for(users["principal"])[0]["rows"] == []


def test_save_and_submit_says_it_was_sent_for_approval(users, client):
    from django.urls import reverse

    from finance.models import BudgetLine, PurchaseRequest
    from logistics.models import Department

    department = Department.objects.create(name="语文组")
    line = BudgetLine.objects.create(year=2026, name="公用经费", amount="100000")
    client.force_login(users["teacher"])
    page = client.get(reverse("finance:purchase_new"))
    token = page.context["form"].initial["submit_token"]
    data = {"title": "粉笔", "department": department.pk, "purpose": "teaching", "budget_line": line.pk,
            "reason": "开学用", "needed_by": "", "submit_token": str(token), "submit": "1",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "items-0-name": "粉笔", "items-0-spec": "", "items-0-quantity": "10",
            "items-0-unit": "盒", "items-0-estimated_unit_price": "5.00", "items-0-kind": "supply"}
    response = client.post(reverse("finance:purchase_new"), data, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    purchase = PurchaseRequest.objects.get()
    assert purchase.status == PurchaseRequest.Status.AWAITING_HEAD
    page = response.content.decode()
    assert f"{purchase.number} was sent for approval." in page
    assert "Saved as draft" not in page
