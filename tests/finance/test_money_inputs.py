"""Money typed into finance is read by the kernel's parser: thousands separators are fine, a third
decimal place is refused (never rounded away), in forms and in services alike."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from finance.forms.fees import FeeSpendingForm
from finance.forms.purchases import ItemForm, QuoteForm
from finance.services import procurement as procurement_services
from finance.services import purchases as purchase_services

from ._procurement import approved_request, prices_of
from ._purchases import draft

pytestmark = pytest.mark.django_db


def test_a_price_with_a_thousands_separator_is_read_and_a_third_decimal_is_refused():
    ok = ItemForm({"name": "电脑", "quantity": 1, "unit": "台", "estimated_unit_price": "3,800.50", "kind": "asset"})
    assert ok.is_valid() and ok.cleaned_data["estimated_unit_price"] == Decimal("3800.50")
    bad = ItemForm({"name": "电脑", "quantity": 1, "unit": "台", "estimated_unit_price": "12.345", "kind": "asset"})
    assert not bad.is_valid() and "estimated_unit_price" in bad.errors
    assert not QuoteForm({"version": 1, "vendor": "甲公司", "amount": "9000.001"}).is_valid()
    assert not FeeSpendingForm({"date": "2026-01-05", "description": "纸", "amount": "1.005"}).is_valid()


def test_services_refuse_a_third_decimal_instead_of_rounding(users, school):
    pr = approved_request(users["teacher"], room=school["room"])
    p = draft(users["teacher"], "1000")
    with pytest.raises(ValidationError):
        purchase_services.purchase_quote_add(request_id=p.pk, by=users["worker"], vendor="甲公司", amount="999.999")
    with pytest.raises(ValidationError) as refused:
        procurement_services.purchase_order(request_id=pr.pk, by=users["worker"], vendor="青山电器城",
                                            ordered_on=timezone.localdate(), prices=prices_of(pr, "750.555", "35"),
                                            purchaser=users["worker"], second_purchaser=users["head"])
    assert any(key.startswith("price_") for key in refused.value.message_dict)
    pr.refresh_from_db()
    assert pr.status == pr.Status.APPROVED
