"""Two people paying the same invoice, or two receivers accepting the same delivery, at the same moment:
exactly one succeeds. Two real transactions on PostgreSQL (SQLite serialises all writers)."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets.models import Asset
from finance.models import Invoice, LedgerEntry, PurchaseRequest
from finance.services import procurement as services
from tests.assets.test_supplies_concurrency import race

from ._procurement import accepted_request, invoice_for, ordered_request, signed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises all writers)")


def test_an_invoice_is_paid_once_when_two_pay_at_once(users, school):
    from tests.conftest import make_user

    finance2 = make_user("finance2", "finance", "钱会计")
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    invoice = signed(invoice_for(pr, users["worker"]), users["worker"], users["worker2"], users["finance"])
    results = race(
        lambda: services.invoice_pay(invoice_id=invoice.pk, by=users["finance"], voucher_number="V1"),
        lambda: services.invoice_pay(invoice_id=invoice.pk, by=finance2, voucher_number="V2"),
    )
    assert sum(isinstance(r, Invoice) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert LedgerEntry.objects.count() == 1


def test_a_delivery_is_accepted_once_when_two_accept_at_once(users, school):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    quantities = {i.pk: i.quantity for i in pr.items.all()}
    from tests.conftest import make_user

    worker3 = make_user("worker3", "logistics", "王师傅")
    results = race(
        lambda: services.purchase_accept(request_id=pr.pk, by=users["worker2"], quantities=quantities),
        lambda: services.purchase_accept(request_id=pr.pk, by=worker3, quantities=quantities),
    )
    assert sum(isinstance(r, PurchaseRequest) for r in results) == 1, results
    assert Asset.objects.count() == 1
