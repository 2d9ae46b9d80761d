"""A purchase request says what is missing before it is sent, pages offer only the moves that can
succeed, the order starts from the chosen quote, the request links to its order and invoices, and the
printed form has signature lines only for the steps of its route."""
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FinanceSettings, PurchaseRequest, Quote
from finance.services import purchases as services

from ._procurement import approved_request, invoice_for, ordered_request
from ._purchases import draft, line, submitted, three_quotes

S = PurchaseRequest.Status
APPROVE = 'name="decision" value="approved"'


@pytest.fixture
def profile(school):
    return FinanceSettings.get()


def _page(client, name, *args):
    return client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


# --- before it is sent ---------------------------------------------------------------------

def test_the_draft_page_says_what_is_missing_and_offers_no_submit(users, client, profile):
    p = draft(users["teacher"], "9800")
    client.force_login(users["teacher"])
    page = _page(client, "finance:purchase_detail", p.pk)
    assert 'data-testid="submit-missing"' in page
    assert "须有三家供应商报价" in page and "现有 0 家" in page
    assert reverse("finance:purchase_submit", args=[p.pk]) not in page
    three_quotes(p, users["teacher"])
    page = _page(client, "finance:purchase_detail", p.pk)
    assert 'data-testid="submit-missing"' not in page
    assert reverse("finance:purchase_submit", args=[p.pk]) in page


def test_a_draft_without_a_budget_line_says_so(users, client, profile):
    p = services.purchase_create(by=users["teacher"], department=draft(users["teacher"]).department, title="纸",
                                 reason="办公", purpose="office", items=[{"name": "纸", "quantity": 1,
                                                                          "estimated_unit_price": "30"}])
    client.force_login(users["teacher"])
    page = _page(client, "finance:purchase_detail", p.pk)
    assert "提交前请选择支出的预算项目。" in page
    assert reverse("finance:purchase_submit", args=[p.pk]) not in page


def test_submitting_without_the_quotes_is_refused_saying_what_is_missing(users, client, profile):
    p = draft(users["teacher"], "9800")
    client.force_login(users["teacher"])
    response = client.post(reverse("finance:purchase_submit", args=[p.pk]), {"version": p.version}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert PurchaseRequest.objects.get(pk=p.pk).status == S.DRAFT
    assert "须有三家供应商报价" in response.content.decode()


def test_save_and_submit_of_a_large_request_keeps_it_as_a_draft_and_says_why(users, client, profile):
    client.force_login(users["teacher"])
    data = {"submit_token": "0b0c7f5e-6b41-4b8a-9d0e-2f6d1d4a9c11", "title": "微机室电脑", "reason": "更新",
            "department": draft(users["teacher2"]).department_id, "purpose": "office", "budget_line": line().pk,
            "needed_by": "", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "items-0-name": "电脑", "items-0-quantity": "2",
            "items-0-estimated_unit_price": "4900", "items-0-unit": "台", "items-0-kind": "asset", "submit": "1"}
    response = client.post(reverse("finance:purchase_new"), data, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    p = PurchaseRequest.objects.get(title="微机室电脑")
    assert p.status == S.DRAFT
    assert "须有三家供应商报价" in response.content.decode()


# --- only the moves that can succeed -------------------------------------------------------

def test_the_inbox_and_the_page_offer_no_approve_while_quotes_are_missing(users, client, profile):
    p = submitted(users["teacher"], "3000")
    client.force_login(users["head"])
    assert APPROVE in _page(client, "finance:purchase_inbox")
    # the school lowers the limit: the request now needs quotes before the head approves
    FinanceSettings.objects.update(quotes_required_above=1000)
    inbox = _page(client, "finance:purchase_inbox")
    assert APPROVE not in inbox and 'data-testid="approve-blocked"' in inbox and "须有三家供应商报价" in inbox
    assert 'value="returned"' in inbox and 'value="rejected"' in inbox  # these still work
    detail = _page(client, "finance:purchase_detail", p.pk)
    assert APPROVE not in detail and "须有三家供应商报价" in detail
    three_quotes(p, users["worker"], amounts=("2900", "3000", "3100"))
    assert APPROVE in _page(client, "finance:purchase_inbox")
    assert APPROVE in _page(client, "finance:purchase_detail", p.pk)


def test_no_approve_is_offered_beyond_the_budget(users, client, profile):
    small = line("自筹 绿化", "1200")
    p = submitted(users["teacher"], "1500", budget_line=small)
    client.force_login(users["head"])
    inbox = _page(client, "finance:purchase_inbox")
    assert APPROVE not in inbox and 'data-testid="approve-blocked"' in inbox
    assert APPROVE not in _page(client, "finance:purchase_detail", p.pk)
    FinanceSettings.objects.update(allow_overspend=True)
    assert APPROVE in _page(client, "finance:purchase_inbox")


def test_who_approved_the_head_step_is_not_offered_the_principal_step(users, client, profile):
    both = users["head"]
    both.groups.add(users["principal"].groups.get())
    both = type(both).objects.get(pk=both.pk)
    p = submitted(users["teacher"], "3000")
    services.purchase_decide(request_id=p.pk, by=both, decision="approved")
    p.refresh_from_db()
    assert p.status == S.AWAITING_PRINCIPAL
    assert p.approve_gaps(both, profile)
    client.force_login(both)
    assert APPROVE not in _page(client, "finance:purchase_detail", p.pk)


# --- the order, its links ------------------------------------------------------------------

def test_the_order_form_takes_the_chosen_quotes_vendor_and_prices(users, school, client, profile):
    pr = approved_request(users["teacher"], room=school["room"])  # 4 × 800 and 10 × 40: estimate 3,600
    quote = Quote.objects.create(request=pr, vendor="青山电器城", amount=Decimal("3240.00"), added_by=users["worker"])
    pr.chosen_quote = quote
    pr.save()
    client.force_login(users["worker"])
    response = client.get(reverse("finance:order_record", args=[pr.pk]))
    form = response.context["order_form"]
    items = list(pr.items.all())
    assert form["vendor"].value() == "青山电器城"
    assert form[f"price_{items[0].pk}"].value() == "720.00"  # 800 × 3240 / 3600
    assert form[f"price_{items[1].pk}"].value() == "36.00"
    page = response.content.decode()
    assert 'value="720.00"' in page and 'value="800.00"' not in page


def test_without_a_chosen_quote_the_order_form_starts_from_the_estimate(users, school, client, profile):
    pr = approved_request(users["teacher"], room=school["room"])
    client.force_login(users["worker"])
    form = client.get(reverse("finance:order_record", args=[pr.pk])).context["order_form"]
    assert form[f"price_{pr.items.first().pk}"].value() == "800.00"


def test_the_purchase_page_links_to_its_order_and_invoices(users, school, client, profile):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"])
    invoice = invoice_for(pr, users["worker"], amount=Decimal("3350.00"))
    client.force_login(users["finance"])
    page = _page(client, "finance:purchase_detail", pr.pk)
    assert reverse("finance:order_record", args=[pr.pk]) in page
    assert reverse("finance:invoice_detail", args=[invoice.pk]) in page and invoice.number in page
    # the requester, who may not read the order page or invoices, gets no links to them
    client.force_login(users["teacher"])
    page = _page(client, "finance:purchase_detail", pr.pk)
    assert reverse("finance:order_record", args=[pr.pk]) not in page
    assert reverse("finance:invoice_detail", args=[invoice.pk]) not in page


def test_a_request_still_waiting_has_no_order_link(users, client, profile):
    p = submitted(users["teacher"], "100")
    client.force_login(users["finance"])
    assert reverse("finance:order_record", args=[p.pk]) not in _page(client, "finance:purchase_detail", p.pk)


# --- the printed form ----------------------------------------------------------------------

def _printed(client, user, p, tmp_path):
    client.force_login(user)
    response = client.get(reverse("finance:purchase_print", args=[p.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    out = tmp_path / f"{p.pk}.pdf"
    out.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("total,lines,absent", [
    ("1000", ["申请人（签字）", "后勤主任（签字）"], ["校长（签字）", "校务会"]),
    ("3000", ["申请人（签字）", "后勤主任（签字）", "校长（签字）"], ["校务会（纪要编号）"]),
    ("30000", ["申请人（签字）", "后勤主任（签字）", "校长（签字）", "校务会（纪要编号）"], []),
])
def test_the_printed_form_has_signature_lines_only_for_its_route(users, client, tmp_path, profile, total, lines,
                                                                 absent):
    p = submitted(users["teacher"], total, budget_line=line("大额", "1000000"))
    text = _printed(client, users["teacher"], p, tmp_path)
    for expected in lines:
        assert expected in text, expected
    for unexpected in absent:
        assert unexpected not in text, unexpected


def test_a_route_fixed_when_sent_decides_the_lines_not_todays_limits(users, client, tmp_path, profile):
    p = submitted(users["teacher"], "1000")
    FinanceSettings.objects.update(purchase_head_limit=500)  # a request sent today would need the principal
    assert "校长（签字）" not in _printed(client, users["teacher"], p, tmp_path)
