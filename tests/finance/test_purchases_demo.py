"""The purchases demo: budget lines for this year and requests at every step, added once."""
from finance.demo import purchases as demo
from finance.models import BudgetLine, LedgerEntry, PurchaseRequest
from finance.selectors.purchases import budget_figures
from logistics.models import Department, Location
from tests.demo import demo_builder


def Builder(users, school):
    rooms = {name: Location.objects.create(building=school["building"], name=name) for name in ("花坛", "多媒体室")}
    return demo_builder(users={**users, "logistics": users["worker"], "logistics2": users["worker2"],
                               "teacher3": users["teacher2"], "teacher4": users["teacher2"]},
                        current_term=school["term"], rooms=rooms)


def test_the_demo_has_requests_at_every_step_and_runs_once(users, school):
    for name in ("教导处", "总务处", "语文组", "数学组", "英语组", "体育组"):
        Department.objects.create(name=name)
    builder = Builder(users, school)
    assert "9 purchase requests" in demo.seed(builder)
    statuses = dict(PurchaseRequest.objects.values_list("title", "status"))
    assert statuses["教学楼饮水机"] == "approved"
    assert statuses["微机室学生电脑更新"] == "awaiting_principal"
    assert statuses["校园花卉 200 盆"] == "paid"
    # bought through the services: ordered, accepted, its invoice signed by three and paid into the ledger
    flowers = PurchaseRequest.objects.get(title="校园花卉 200 盆")
    invoice = flowers.invoices.get()
    assert flowers.ordered_on and flowers.received_by_id and invoice.auditor_id and invoice.paid_at
    assert LedgerEntry.objects.filter(invoice=invoice, amount=2900).exists()
    assert not any("demo" in (h.history_change_reason or "") for h in flowers.history.all())
    assert statuses["班班通交互一体机升级"] == "awaiting_meeting"
    assert sorted(statuses.values()).count("returned") == 1 and "rejected" in statuses.values()
    greening = BudgetLine.objects.get(name="自筹 绿化")
    assert budget_figures([greening])[greening.pk]["spent"] == 2900
    assert PurchaseRequest.objects.get(title="班班通交互一体机升级").quotes.count() == 3
    assert "already there" in demo.seed(builder)
    assert PurchaseRequest.objects.count() == 9
