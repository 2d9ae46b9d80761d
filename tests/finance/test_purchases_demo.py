"""The purchases demo: budget lines for this year and requests at every step, added once."""
from django.utils import timezone

from finance.demo import purchases as demo
from finance.models import BudgetLine, PurchaseRequest
from finance.selectors.purchases import budget_figures
from logistics.models import Department


class Builder:
    def __init__(self, users):
        self.users = {**users, "logistics": users["worker"], "teacher3": users["teacher2"],
                      "teacher4": users["teacher2"]}
        self.today = timezone.localdate()
        self.now = timezone.now()


def test_the_demo_has_requests_at_every_step_and_runs_once(users, school):
    for name in ("教导处", "总务处", "语文组", "数学组", "英语组", "体育组"):
        Department.objects.create(name=name)
    builder = Builder(users)
    assert "7 purchase requests" in demo.seed(builder)
    statuses = dict(PurchaseRequest.objects.values_list("title", "status"))
    assert statuses["教学楼饮水机"] == "approved"
    assert statuses["微机室学生电脑更新"] == "awaiting_principal"
    assert statuses["校园花卉 200 盆"] == "paid"
    assert statuses["班班通交互一体机升级"] == "awaiting_meeting"
    assert sorted(statuses.values()).count("returned") == 1 and "rejected" in statuses.values()
    greening = BudgetLine.objects.get(name="自筹 绿化")
    assert budget_figures([greening])[greening.pk]["spent"] == 2900
    assert PurchaseRequest.objects.get(title="班班通交互一体机升级").quotes.count() == 3
    assert "already there" in demo.seed(builder)
    assert PurchaseRequest.objects.count() == 7
