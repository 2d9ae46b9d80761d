"""The procurement demo: independent of the purchases demo, built through the services, once."""


from assets.models import Asset, SupplyItem
from finance.demo import procurement as demo
from finance.models import Invoice, LedgerEntry, PurchaseRequest
from tests.demo import demo_builder


def builder(users, term):
    people = {"head": users["head"], "logistics": users["worker"], "logistics2": users["worker2"],
              "finance": users["finance"], "principal": users["principal"]}
    return demo_builder(users=people, current_term=term)


def test_demo_orders_accepts_invoices_and_pays_once(users, school):
    b = builder(users, school["term"])
    assert "3 invoices" in demo.seed(b)
    dispensers = Asset.objects.get(name="饮水机")
    assert dispensers.quantity == 4 and dispensers.location.building.name == "教学楼"
    assert SupplyItem.objects.get(name="粉笔").stock == 50
    assert set(PurchaseRequest.objects.values_list("status", flat=True)) == {"paid", "accepted"}
    statuses = {i.number: i.status for i in Invoice.objects.all()}
    assert sorted(statuses.values()) == ["paid", "signing", "signing"]
    assert [i.number for i in Invoice.objects.all() if i.amount_differs] == ["34012026001230"]
    assert LedgerEntry.objects.filter(category="purchase").count() == 1
    assert LedgerEntry.objects.count() == 8
    assert demo.seed(b).endswith("left as they are.")
    assert Invoice.objects.count() == 3 and LedgerEntry.objects.count() == 8
