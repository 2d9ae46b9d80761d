"""Pages of ordering, acceptance and invoices: who may act, bad input, stale pages, the flag, query counts."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset
from finance.models import FinanceSettings, Invoice, LedgerEntry, PurchaseRequest
from finance.selectors.procurement import waiting_for

from ._procurement import accepted_request, approved_request, invoice_for, ordered_request, signed

S = PurchaseRequest.Status
pytestmark = pytest.mark.django_db


def _order_post(pr, **extra):
    data = {"version": pr.version, "vendor": "青山电器城", "ordered_on": timezone.localdate().isoformat()}
    for item, price in zip(pr.items.all(), ("750", "35"), strict=True):
        data[f"price_{item.pk}"] = price
    data.update(extra)
    return data


def test_logistics_records_the_order_on_the_page(users, school, login):
    FinanceSettings.objects.update(dual_purchase_above=1000)
    pr = approved_request(users["teacher"], room=school["room"])
    client = login(users["worker"])
    page = client.get(reverse("finance:order_record", args=[pr.pk]))
    assert page.status_code == 200 and "双人采购" in page.content.decode()
    bad = client.post(reverse("finance:order_record", args=[pr.pk]),
                      _order_post(pr, purchaser=users["worker"].pk))
    assert bad.status_code == 400
    pr.refresh_from_db()
    assert pr.status == S.APPROVED
    ok = client.post(reverse("finance:order_record", args=[pr.pk]),
                     _order_post(pr, purchaser=users["worker"].pk, second_purchaser=users["head"].pk))
    assert ok.status_code == 302
    pr.refresh_from_db()
    assert pr.status == S.ORDERED and pr.order_total == Decimal("3350.00")


def test_staff_cannot_open_or_post_the_order_page(users, school, login):
    pr = approved_request(users["teacher"], room=school["room"])
    client = login(users["teacher"])
    assert client.get(reverse("finance:order_record", args=[pr.pk])).status_code == 403
    assert client.post(reverse("finance:order_record", args=[pr.pk]), _order_post(pr)).status_code == 403


def test_ordering_from_a_stale_page_shows_a_message(users, school, login):
    pr = approved_request(users["teacher"], room=school["room"])
    client = login(users["worker"])
    r = client.post(reverse("finance:order_record", args=[pr.pk]),
                    _order_post(pr, version=pr.version + 1, purchaser=users["worker"].pk,
                                second_purchaser=users["head"].pk), follow=True)
    assert "msg-error" in r.content.decode()
    pr.refresh_from_db()
    assert pr.status == S.APPROVED


def test_acceptance_on_the_page_creates_assets(users, school, login):
    pr = ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    data = {"version": pr.version}
    for item in pr.items.all():
        data[f"qty_{item.pk}"] = item.quantity
    # a purchaser is refused, with a message
    r = login(users["worker"]).post(reverse("finance:order_accept", args=[pr.pk]), data, follow=True)
    assert "msg-error" in r.content.decode() and not Asset.objects.exists()
    client = login(users["worker2"])
    item = pr.items.first()
    bad = client.post(reverse("finance:order_accept", args=[pr.pk]), {**data, f"qty_{item.pk}": 9})
    assert bad.status_code == 400 and not Asset.objects.exists()
    assert client.post(reverse("finance:order_accept", args=[pr.pk]), data).status_code == 302
    pr.refresh_from_db()
    assert pr.status == S.ACCEPTED and Asset.objects.get().quantity == 4
    assert client.get(reverse("finance:order_record", args=[pr.pk])).status_code == 200


def test_the_whole_invoice_journey_on_pages(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    client = login(users["worker"])
    r = client.post(reverse("finance:invoice_new") + f"?request={pr.pk}",
                    {"number": "FP2026001", "issued_on": timezone.localdate().isoformat(), "amount": "3350.00"})
    invoice = Invoice.objects.get(number="FP2026001")
    assert r.status_code == 302
    for user, role in ((users["worker"], "handler"), (users["worker2"], "receiver"), (users["finance"], "auditor")):
        invoice.refresh_from_db()
        login(user).post(reverse("finance:invoice_sign", args=[invoice.pk]), {"role": role,
                                                                             "version": invoice.version})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.SIGNED
    client = login(users["finance"])
    client.post(reverse("finance:invoice_pay", args=[invoice.pk]), {"voucher_number": "记-001",
                                                                    "version": invoice.version})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and LedgerEntry.objects.get().invoice == invoice
    page = client.get(reverse("finance:invoice_detail", args=[invoice.pk])).content.decode()
    assert "记-001" in page


def test_the_same_person_signing_twice_sees_a_message(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    invoice = invoice_for(pr, users["head"])
    client = login(users["head"])
    client.post(reverse("finance:invoice_sign", args=[invoice.pk]), {"role": "handler", "version": invoice.version})
    invoice.refresh_from_db()
    r = client.post(reverse("finance:invoice_sign", args=[invoice.pk]),
                    {"role": "receiver", "version": invoice.version}, follow=True)
    assert "msg-error" in r.content.decode()
    invoice.refresh_from_db()
    assert invoice.receiver is None


def test_a_bad_invoice_is_not_saved(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    r = login(users["worker"]).post(reverse("finance:invoice_new") + f"?request={pr.pk}",
                                    {"number": "FPX", "issued_on": timezone.localdate().isoformat(),
                                     "amount": "-5"})
    assert r.status_code == 400 and not Invoice.objects.exists()
    assert login(users["teacher"]).get(reverse("finance:invoice_new") + f"?request={pr.pk}").status_code == 403


def test_a_differing_amount_is_flagged_on_the_page_and_in_the_list(users, school, login):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    odd = invoice_for(pr, users["worker"], number="FP-ODD", amount=Decimal("3999.00"))
    invoice_for(pr, users["worker"], number="FP-OK")
    client = login(users["finance"])
    page = client.get(reverse("finance:invoice_detail", args=[odd.pk])).content.decode()
    assert 'data-flag="differs"' in page
    listing = client.get(reverse("finance:invoice_list")).content.decode()
    assert listing.count('data-flag="differs"') == 1
    flagged = client.get(reverse("finance:invoice_list") + "?status=differs").content.decode()
    assert "FP-ODD" in flagged and "FP-OK" not in flagged


def _invoices(users, school, n):
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    for _i in range(n):
        signed(invoice_for(pr, users["worker"]), users["worker"], users["worker2"], users["finance"])


@pytest.mark.parametrize("n", [2, 30])
def test_invoice_list_queries_do_not_grow(users, school, login, django_assert_max_num_queries, n):
    _invoices(users, school, n)
    client = login(users["finance"])
    with django_assert_max_num_queries(12):
        r = client.get(reverse("finance:invoice_list"))
    assert r.status_code == 200


def test_waiting_for_shows_each_role_its_work(users, school):
    approved_request(users["teacher"], room=school["room"], title="要订购")
    ordered_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"])
    pr = accepted_request(users["teacher"], room=school["room"], purchaser=users["worker"], second=users["head"],
                          receiver=users["worker2"])
    to_sign = invoice_for(pr, users["worker"], number="FP-SIGN")
    signed(invoice_for(pr, users["worker"], number="FP-PAY"), users["worker"], users["worker2"], users["finance"])

    def keys(user):
        return {s["key"]: [r["title"] for r in s["rows"]] for s in waiting_for(user)}

    worker = keys(users["worker"])
    assert any("要订购" in t for t in worker["to_order"])
    assert worker["to_accept"] == []  # worker bought it: not theirs to accept
    assert len(keys(users["worker2"])["to_accept"]) == 1
    assert keys(users["worker2"])["invoices_to_sign"] == [to_sign.number]
    fin = keys(users["finance"])
    assert fin["invoices_to_pay"] == ["FP-PAY"]
    assert keys(users["teacher"]) == {}
    for section in waiting_for(users["finance"]):
        assert {"key", "title", "rows", "empty"} <= set(section)


def test_the_finance_hub_renders_for_finance(users, school, login):
    r = login(users["finance"]).get(reverse("finance:home"))
    assert r.status_code == 200
    assert reverse("finance:ledger") in r.content.decode()
    assert login(users["teacher"]).get(reverse("finance:home")).status_code == 403


def test_pages_of_a_request_paid_without_a_recorded_purchaser_render(users, school, login):
    pr = approved_request(users["teacher"], room=school["room"])
    PurchaseRequest.objects.filter(pk=pr.pk).update(status=S.PAID, ordered_on=timezone.localdate(),
                                                   vendor="青山花木场")
    assert login(users["auditor"]).get(reverse("finance:order_record", args=[pr.pk])).status_code == 200
