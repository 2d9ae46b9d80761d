"""Demo budget lines for this year and purchase requests at every step up to approval: the water
dispensers the head approved, the computer room's new computers waiting for the principal, 200 pots of
flowers paid from the school's own funds, a large 班班通 upgrade with three quotes waiting for the
school-affairs meeting, one request returned and one rejected.

Everything goes through the services, so totals, approvals and history agree; called by seed_demo."""
import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from assets.models import AssetCategory
from assets.services.register import asset_category_create
from logistics.history import history_reason
from logistics.models import Department
from logistics.services import save_with_history

from ..models import BudgetLine, Purpose
from ..services import procurement
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


def _category(head, name, code):
    return AssetCategory.objects.filter(name=name).first() or asset_category_create(by=head, name=name, code=code)


def seed(builder):
    """Add the purchases demo once; return a line for the command's summary."""
    year = builder.today.year
    # Our own marker: other areas' demos may add lines or requests of their own.
    if BudgetLine.objects.filter(year=year, name=LINES[2][0]).exists():
        return "Budget and purchases: already there, left as they are."
    u = builder.users
    head, principal, fin = u["head"], u["principal"], u["finance"]
    logistics = u["logistics"]
    clock = builder.clock

    def when(fraction, hour, minute=0, previous=False):
        return clock(builder.term_moment(fraction, hour, minute, previous=previous))

    def budget(line_year):
        """The year's lines, set up by finance on its first working day."""
        added = {}
        with clock(builder.at(datetime.date(line_year, 1, 2), 9)):
            for name, kind, purpose, amount, notes in LINES:
                line = BudgetLine(year=line_year, name=name, kind=kind, purpose=purpose, amount=Decimal(amount),
                                  notes=notes)
                added[name] = save_with_history(line, fin, history_reason(gettext_noop("budget line added")))
        return added

    # This year's budget (and last year's too, when the previous term began then).
    last_year = builder.term_defs[0][1].year
    old_lines = budget(last_year) if last_year != year else None
    lines = budget(year)
    old_lines = old_lines or lines
    dept = {d.name: d for d in Department.objects.all()}

    def new(by, department, title, reason, purpose, line, items, submit=True, quotes=(), budget=None):
        p = services.purchase_create(by=u[by], department=dept[department], title=title, reason=reason,
                                     purpose=purpose, budget_line=(budget or lines)[line],
                                     needed_by=timezone.localdate() + datetime.timedelta(days=21), items=items)
        for vendor, amount in quotes:  # three quotes gathered before it is sent, when its total needs them
            services.purchase_quote_add(request_id=p.pk, by=logistics, vendor=vendor, amount=Decimal(amount))
        if submit:
            p = services.purchase_submit(request_id=p.pk, by=u[by])
        return p

    def decide(p, who, decision="approved", comment=""):
        return services.purchase_decide(request_id=p.pk, by=who, decision=decision, comment=comment)

    greening = _category(head, "花卉", "A06")
    flowerbed = builder.rooms.get("花坛")

    # Last term: a projector screen bought and paid, and a rejected request, so the terms compare.
    with when(0.15, 9, previous=True):
        screen = new("teacher", "教导处", "多媒体室电动投影幕布", "原幕布拉不下来，多媒体室上课看不清。",
                     Purpose.TEACHING, "专项 教学设备", [_item("电动投影幕布", 1, "1200", "120 寸 16:9", "幅")],
                     budget=old_lines)
    with when(0.16, 10, previous=True):
        decide(screen, head, comment="同意。")
    _buy(builder, screen, prices=["1150.00"], vendor="青山电教设备公司", invoice="34012026000215",
         days=(0.20, 0.24, 0.25, 0.27), previous=True, category=_category(head, "投影仪", "A02"),
         location=builder.rooms.get("多媒体室"))
    with when(0.45, 9, previous=True):
        plants = new("teacher3", "英语组", "办公室绿植租摆", "办公室想摆几盆绿植。", Purpose.OFFICE,
                     "公用经费 办公经费", [_item("绿植租摆", 12, "100", "一年", "盆", "service")], budget=old_lines)
    with when(0.46, 11, previous=True):
        decide(plants, head, "rejected", "办公室绿植由总务处统一从花坛调配，不另行租摆。")

    # This term. Up to the head's limit: the head alone approves.
    with when(0.05, 9):
        water = new("logistics", "总务处", "教学楼饮水机", "一楼、二楼饮水机老化漏水，学生饮水不安全。",
                    Purpose.OFFICE, "公用经费 办公经费", [_item("饮水机", 2, "850", "立式 冷热 净水型")])
    with when(0.06, 10):
        decide(water, head, comment="同意，尽快安装。")

    # Above the quotes limit, up to the principal's: three quotes, the head, then the principal.
    with when(0.10, 9):
        computers = new("teacher2", "数学组", "微机室学生电脑更新", "微机室 5 台学生机无法开机，信息技术课两人一机。",
                        Purpose.TEACHING, "专项 教学设备", [_item("学生电脑", 5, "3800", "i5 / 16G / 512G SSD")],
                        quotes=[("青山电脑城联想专卖", "18900"), ("合肥华信科技", "19400"), ("安徽天润信息", "19650")])
    with when(0.12, 10):
        decide(computers, head, comment="已货比三家，建议选联想专卖。")

    # 200 pots of flowers paid from the school's own funds: head and principal approve, then it is ordered by
    # two, accepted into the register, invoiced, signed by three and paid into the ledger.
    with when(0.20, 9):
        flowers = new("logistics", "总务处", "校园花卉 200 盆", "迎接区文明校园验收，布置校门和走廊。",
                      Purpose.GREENING, "自筹 绿化", [_item("盆栽花卉", 200, "15", "一串红、矮牵牛", "盆")])
    with when(0.21, 10):
        decide(flowers, head)
    with when(0.22, 11):
        decide(flowers, principal, comment="同意。")
    _buy(builder, flowers, prices=["14.50"], vendor="青山花木场", invoice="34012026000633",
         days=(0.25, 0.30, 0.31, 0.33), category=greening, location=flowerbed)

    # Above the principal's limit: quotes, head, principal, then the school-affairs meeting.
    with when(0.40, 9):
        bbt = new("teacher", "教导处", "班班通交互一体机升级", "六个班的投影机老化，升级为 86 寸交互式一体机。",
                  Purpose.TEACHING, "专项 教学设备", [_item("交互式一体机", 6, "12800", "86 寸 4K 双系统")],
                  quotes=[("鸿合科技合肥办事处", "75600"), ("希沃安徽代理", "76800"), ("青山电教设备公司", "78200")])
    with when(0.45, 10):
        decide(bbt, head, comment="已比价，建议选鸿合。")
    with when(0.47, 15):
        decide(bbt, principal, comment="金额较大，提交校务会。")

    # Returned for changes, and rejected.
    with when(0.55, 9):
        sport = new("teacher4", "体育组", "体育器材补充", "篮球、跳绳损耗大，新学期体育课不够用。",
                    Purpose.TEACHING, "专项 教学设备",
                    [_item("篮球", 30, "85", "7 号", "个", "supply"), _item("跳绳", 100, "12", "计数", "根", "supply")])
    with when(0.56, 10):
        decide(sport, head, "returned", "请写明篮球的品牌要求，跳绳数量按班级核一下。")
    with when(0.60, 9):
        sofa = new("teacher", "语文组", "教师办公室沙发", "办公室没有会客的地方。", Purpose.OFFICE, "公用经费 办公经费",
                   [_item("三人沙发", 2, "1600", "布艺")])
    with when(0.61, 10):
        decide(sofa, head)
    with when(0.63, 14):
        decide(sofa, principal, "rejected", "非教学急需，明年预算再议。")
    # One draft, not yet sent.
    with when(0.90, 16):
        new("teacher3", "英语组", "图书室新书", "补充低年级绘本。", Purpose.BOOKS, "专项 图书",
            [_item("绘本", 120, "28", "精装", "本", "supply")], submit=False)
    return ("Budget and purchases: 5 budget lines and 9 purchase requests at every step (two last term), "
            "two of them ordered, accepted, invoiced and paid.")


def _buy(builder, pr, *, prices, vendor, invoice, days, category, location, previous=False):
    """An approved request carried out: ordered by two, accepted by the head, invoiced, signed by three, paid."""
    u = builder.users
    ordered, accepted, signed, paid = (builder.term_moment(f, 10, previous=previous) for f in days)
    # Two fractions of the term can fall on one school day (which day depends on today): each step keeps after
    # the one before it, so every record's history is in order.
    hour = datetime.timedelta(hours=1)
    accepted = max(accepted, ordered + 2 * hour)
    invoiced = accepted + 4 * hour
    signed = max(signed, invoiced + hour)
    paid = max(paid, signed + 3 * hour)
    items = list(pr.items.order_by("pk"))
    with builder.clock(ordered) as moment:
        procurement.purchase_order(request_id=pr.pk, by=u["logistics"], vendor=vendor,
                                   ordered_on=timezone.localdate(moment),
                                   prices={i.pk: p for i, p in zip(items, prices, strict=True)},
                                   purchaser=u["logistics"], second_purchaser=u["logistics2"])
    with builder.clock(accepted):
        pr = procurement.purchase_accept(request_id=pr.pk, by=u["head"], quantities={i.pk: i.quantity for i in items},
                                         categories={i.pk: category for i in items},
                                         locations={i.pk: location for i in items})
    with builder.clock(invoiced) as moment:
        bill = procurement.invoice_add(request_id=pr.pk, by=u["logistics"], number=invoice,
                                       issued_on=timezone.localdate(moment), amount=pr.accepted_total)
    for n, (role, who) in enumerate((("handler", "logistics"), ("receiver", "head"), ("auditor", "finance"))):
        with builder.clock(signed + datetime.timedelta(hours=n)):
            procurement.invoice_sign(invoice_id=bill.pk, by=u[who], role=role)
    with builder.clock(paid) as moment:
        procurement.invoice_pay(invoice_id=bill.pk, by=u["finance"],
                                voucher_number=f"记-{timezone.localdate(moment):%m}-{bill.pk:03d}")
