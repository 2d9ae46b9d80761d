"""What the finance models say is allowed (the guards views and templates read and services check)."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.models import AidApplication, FinanceSettings, Invoice, PurchaseRequest
from finance.services import fees as fee_services
from finance.services import procurement as procurement_services

from ._procurement import accepted_request, approved_request, invoice_for, ordered_request
from ._purchases import draft, submitted

S = PurchaseRequest.Status
pytestmark = pytest.mark.django_db


def test_a_draft_can_be_edited_and_cancelled_by_its_requester_only(users, school):
    p = draft(users["teacher"])
    assert p.can_edit and p.can_submit and p.can_cancel and p.can_quote
    assert p.may_edit(users["teacher"]) and not p.may_edit(users["teacher2"])
    assert p.may_cancel(users["teacher"]) and not p.may_cancel(users["head"])
    assert p.may_quote(users["teacher"]) and p.may_quote(users["worker"]) and not p.may_quote(users["teacher2"])
    assert not p.can_order and not p.can_accept and not p.can_invoice and p.current_step is None


def test_only_the_role_of_the_current_step_decides_and_never_the_requester(users, school):
    p = submitted(users["teacher"], "3000")
    assert p.current_step == "head" and not p.can_edit and p.can_cancel
    assert p.may_decide(users["head"])
    assert not p.may_decide(users["principal"]) and not p.may_decide(users["teacher"])
    mine = submitted(users["head"], "100")
    assert not mine.may_decide(users["head"])


def test_the_purchaser_may_not_accept_his_own_order(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"])
    assert pr.can_accept and pr.can_invoice and not pr.can_order
    assert pr.bought_by(users["worker"]) and not pr.may_accept(users["worker"])
    assert pr.may_accept(users["worker2"]) and not pr.may_accept(users["teacher"])


def test_an_approved_request_can_be_ordered_by_logistics(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    assert pr.can_order and pr.may_order(users["worker"]) and not pr.may_order(users["teacher"])
    assert pr.expected_amount is None


def test_an_invoice_says_when_its_amount_differs_and_who_may_sign_and_pay(users, school):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"],
                          receiver=users["worker2"])
    assert pr.expected_amount == pr.accepted_total and pr.goods_accepted
    invoice = invoice_for(pr, users["worker"], amount=pr.accepted_total + Decimal("1"))
    assert invoice.amount_differs and invoice.can_sign and not invoice.can_pay
    assert invoice.open_signatures(users["worker"]) == ["handler", "receiver"]
    assert invoice.open_signatures(users["teacher"]) == []
    invoice = procurement_services.invoice_sign(invoice_id=invoice.pk, by=users["worker"], role="handler")
    assert invoice.open_signatures(users["worker"]) == []  # three different people
    assert "handler" not in invoice.open_signatures(users["worker2"])
    for role, user in (("receiver", users["worker2"]), ("auditor", users["finance"])):
        invoice = procurement_services.invoice_sign(invoice_id=invoice.pk, by=user, role=role)
    assert invoice.can_pay and invoice.may_pay(users["finance"]) and not invoice.may_pay(users["worker"])


def test_aid_is_decided_by_the_principal_and_paid_by_finance_never_by_who_applied(users, school):
    application = fee_services.aid_submit(by=users["teacher"], term=school["term"], pupil_name="张小明",
                                          location=school["room"], category="hardship", amount=Decimal("500"))
    assert application.can_decide and not application.can_pay
    assert application.may_decide(users["principal"])
    assert not application.may_decide(users["finance"]) and not application.may_decide(users["head"])
    assert not application.may_decide(users["teacher"])  # applied for it
    assert application.entered_by(users["teacher"])
    assert isinstance(application, AidApplication)
    application = fee_services.aid_decide(application_id=application.pk, by=users["principal"], approve=True)
    assert application.may_pay(users["finance"]) and not application.may_pay(users["principal"])


def test_a_procurement_form_sent_without_its_version_is_a_stale_page(users, school, login):
    FinanceSettings.objects.update(dual_purchase_above=100000)
    pr = approved_request(users["teacher"], room=school["room"])
    data = {"vendor": "青山电器城", "ordered_on": timezone.localdate().isoformat(), "purchaser": users["worker"].pk}
    for item, price in zip(pr.items.all(), ("750", "35"), strict=True):
        data[f"price_{item.pk}"] = price
    client = login(users["worker"])
    response = client.post(reverse("finance:order_record", args=[pr.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert "out of date" in client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    pr.refresh_from_db()
    assert pr.status == S.APPROVED and pr.vendor == ""


def test_signing_or_paying_without_the_version_changes_nothing(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"],
                          receiver=users["worker2"])
    invoice = invoice_for(pr, users["worker"])
    response = login(users["worker"]).post(reverse("finance:invoice_sign", args=[invoice.pk]), {"role": "handler"},
                                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "out of date" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.handler_id is None and invoice.version == 1
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.AWAITING_SIGNATURES
