"""Demo budget lines for this year and purchase requests at every step up to approval: the water
dispensers the head approved, the computer room's new computers waiting for the principal, 200 pots of
flowers paid from the school's own funds, a large 班班通 upgrade with three quotes waiting for the
school-affairs meeting, one request returned and one rejected.

Everything goes through the services, so totals, approvals and history agree; called by seed_demo."""
import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from logistics.history import history_reason
from logistics.models import Department
from logistics.services import save_with_history

from ..models import BudgetLine, PurchaseRequest, Purpose
from ..services import purchases as services

K = BudgetLine.Kind
# name, kind, purpose, amount, notes
LINES = [
    ("公用经费 办公经费", K.PUBLIC, "", "60000", "生均公用经费"),
    ("公用经费 维修维护", K.PUBLIC, "", "40000", ""),
    ("专项 教学设备", K.EARMARKED, Purpose.TEACHING, "150000", "区教育局教学装备专项"),
    ("专项 图书", K.EARMARKED, Purpose.BOOKS, "30000", "图书室配书专项"),
    ("自筹 绿化", K.SELF, Purpose.GREENING, "10000", "校园绿化美化"),
]


def _item(name, qty, price, spec="", unit="台", kind="asset"):
    return {"name": name, "spec": spec, "quantity": qty, "unit": unit, "estimated_unit_price": Decimal(price),
            "kind": kind}


def seed(builder):
    """Add the purchases demo once; return a line for the command's summary."""
    year = builder.today.year
    # Our own marker: other areas' demos may add lines or requests of their own.
    if BudgetLine.objects.filter(year=year, name=LINES[2][0]).exists():
        return "Budget and purchases: already there, left as they are."
    u = builder.users
    head, principal = u["head"], u["principal"]
    lines = {}
    for name, kind, purpose, amount, notes in LINES:
        line = BudgetLine(year=year, name=name, kind=kind, purpose=purpose, amount=Decimal(amount), notes=notes)
        save_with_history(line, u["finance"], history_reason(gettext_noop("budget line added")))
        lines[name] = line
    dept = {d.name: d for d in Department.objects.all()}
    soon = builder.today + datetime.timedelta(days=21)

    def new(by, department, title, reason, purpose, line, items, submit=True):
        p = services.purchase_create(by=u[by], department=dept[department], title=title, reason=reason,
                                     purpose=purpose, budget_line=lines[line], needed_by=soon, items=items)
        if submit:
            p = services.purchase_submit(request_id=p.pk, by=u[by])
        return p

    def decide(p, who, decision="approved", comment=""):
        return services.purchase_decide(request_id=p.pk, by=who, decision=decision, comment=comment)

    def quotes(p, offers):
        for vendor, amount in offers:
            services.purchase_quote_add(request_id=p.pk, by=u["logistics"], vendor=vendor, amount=Decimal(amount))

    # Up to the head's limit: the head alone approves.
    water = new("logistics", "总务处", "教学楼饮水机", "一楼、二楼饮水机老化漏水，学生饮水不安全。",
                Purpose.OFFICE, "公用经费 办公经费", [_item("饮水机", 2, "850", "立式 冷热 净水型")])
    decide(water, head, comment="同意，尽快安装。")

    # Above the quotes limit, up to the principal's: three quotes, the head, then the principal.
    computers = new("teacher2", "数学组", "微机室学生电脑更新", "微机室 5 台学生机无法开机，信息技术课两人一机。",
                    Purpose.TEACHING, "专项 教学设备", [_item("学生电脑", 5, "3800", "i5 / 16G / 512G SSD")])
    quotes(computers, [("青山电脑城联想专卖", "18900"), ("合肥华信科技", "19400"), ("安徽天润信息", "19650")])
    decide(computers, head, comment="已货比三家，建议选联想专卖。")

    # 200 pots of flowers, approved by head and principal and paid from the school's own funds.
    flowers = new("logistics", "总务处", "校园花卉 200 盆", "迎接区文明校园验收，布置校门和走廊。",
                  Purpose.GREENING, "自筹 绿化", [_item("盆栽花卉", 200, "15", "一串红、矮牵牛", "盆", "supply")])
    decide(flowers, head)
    decide(flowers, principal, comment="同意。")
    flowers.refresh_from_db()
    flowers.status = PurchaseRequest.Status.PAID
    flowers.vendor = "青山花木场"
    flowers.ordered_on = builder.today - datetime.timedelta(days=5)
    flowers.order_total = Decimal("2900.00")
    flowers.accepted_total = Decimal("2900.00")
    flowers.received_at = timezone.now()
    save_with_history(flowers, u["finance"], history_reason(gettext_noop("ordered, accepted and paid (demo)")))

    # Above the principal's limit: quotes, head, principal, then the school-affairs meeting.
    bbt = new("teacher", "教导处", "班班通交互一体机升级", "六个班的投影机老化，升级为 86 寸交互式一体机。",
              Purpose.TEACHING, "专项 教学设备", [_item("交互式一体机", 6, "12800", "86 寸 4K 双系统")])
    quotes(bbt, [("鸿合科技合肥办事处", "75600"), ("希沃安徽代理", "76800"), ("青山电教设备公司", "78200")])
    decide(bbt, head, comment="已比价，建议选鸿合。")
    decide(bbt, principal, comment="金额较大，提交校务会。")

    # Returned for changes, and rejected.
    sport = new("teacher4", "体育组", "体育器材补充", "篮球、跳绳损耗大，新学期体育课不够用。",
                Purpose.TEACHING, "专项 教学设备",
                [_item("篮球", 30, "85", "7 号", "个", "supply"), _item("跳绳", 100, "12", "计数", "根", "supply")])
    decide(sport, head, "returned", "请写明篮球的品牌要求，跳绳数量按班级核一下。")
    sofa = new("teacher", "语文组", "教师办公室沙发", "办公室没有会客的地方。", Purpose.OFFICE, "公用经费 办公经费",
               [_item("三人沙发", 2, "1600", "布艺")])
    decide(sofa, head)
    decide(sofa, principal, "rejected", "非教学急需，明年预算再议。")
    # One draft, not yet sent.
    new("teacher3", "英语组", "图书室新书", "补充低年级绘本。", Purpose.BOOKS, "专项 图书",
        [_item("绘本", 120, "28", "精装", "本", "supply")], submit=False)
    return "Budget and purchases: 5 budget lines and 7 purchase requests at every step."
