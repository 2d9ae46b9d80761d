"""The finance module's large demo data (logistics.demo_large): five years of a central school's purchases.

Each calendar year's budget lines (the lines of finance.demo.purchases and a few more a central school keeps,
each funded in quarterly instalments entered in the ledger), and about 10,000 purchase requests over the five
years in every state of the purchase route (finance.services.purchases and .procurement): drafted by a teacher or
a member of staff with their items, three quotes gathered by logistics above the quotes limit (货比三家), sent,
approved by the head of logistics, then the principal and the school-affairs meeting as the route of the day
asks (some returned for changes and sent again, some rejected or cancelled), ordered by one or two purchasers
(双人采购), accepted by someone who did not buy (验收), invoiced, signed by three people (经手人 / 验收人 / 审核人)
and paid into the ledger. The newest requests are still on their way; older ones are paid, rejected or
cancelled. Each record carries the history its moves would have written, in order, dated by the business dates
and signed by the large school's people of the right role. Numbers continue the purchases' counter (CG-year-…).

Amounts add up: a request's estimate is the sum of its items, the order total the sum of the actual prices (the
chosen quote spread over the items, at most the estimate), the accepted total what was accepted, every invoice
is the accepted total and every payment one ledger entry of the invoice's amount. Each budget line is set so
that what was approved on it fits (the services refuse an approval beyond the line).

Term by term, too: the workbook fee (作业本费) of every class — entered, the classes' money recorded, spent,
published and, once the term is over, settled with the rest paid back — and student aid applied for by class
teachers, decided by the principal (or the head, as the school has chosen), paid by finance and put online; every
movement of money in the ledger, as the services post it.

Left out at this size: the register records and stock a real acceptance writes (assets' large data has its own
register; the accepted asset items name their category and room, nothing more), the minutes file of a meeting
(the resolution's date and minute reference are there).
"""

import datetime
import math
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from assets.models import AssetCategory
from logistics import roles
from logistics.history import history_reason
from logistics.services import format_money

from ..models import (
    AidApplication,
    AidPublication,
    Approval,
    BudgetLine,
    FeeClass,
    FeeItem,
    FeeSpending,
    FinanceSettings,
    Invoice,
    LedgerEntry,
    PurchaseItem,
    PurchaseRequest,
    Purpose,
    Quote,
)
from ..module_settings import AidDecider
from ..selectors.fees import fee_settlement

PURCHASES = 10_000
CHUNK = 2500
CENT = Decimal("0.01")

Status = PurchaseRequest.Status
Step = Approval.Step
Decision = Approval.Decision
K = BudgetLine.Kind
ASSET, SERVICE = PurchaseItem.Kind.ASSET, PurchaseItem.Kind.SERVICE

# name, kind, purpose, notes; the amount follows from what the year's requests spent
LINES = [
    ("公用经费 办公经费", K.PUBLIC, "", "生均公用经费"),
    ("公用经费 维修维护", K.PUBLIC, "", ""),
    ("专项 教学设备", K.EARMARKED, Purpose.TEACHING, "区教育局教学装备专项"),
    ("专项 信息化", K.EARMARKED, Purpose.IT, "教育信息化专项"),
    ("专项 图书", K.EARMARKED, Purpose.BOOKS, "图书室配书专项"),
    ("专项 校园安全", K.EARMARKED, Purpose.SAFETY, "平安校园建设专项"),
    ("专项 食堂设备", K.EARMARKED, Purpose.CANTEEN, "学生营养改善专项"),
    ("自筹 绿化", K.SELF, Purpose.GREENING, "校园绿化美化"),
]
# which line pays for a purpose (the public lines pay for anything not earmarked)
LINE_FOR = {
    Purpose.TEACHING: "专项 教学设备",
    Purpose.IT: "专项 信息化",
    Purpose.BOOKS: "专项 图书",
    Purpose.SAFETY: "专项 校园安全",
    Purpose.CANTEEN: "专项 食堂设备",
    Purpose.GREENING: "自筹 绿化",
    Purpose.OFFICE: "公用经费 办公经费",
    Purpose.MAINTENANCE: "公用经费 维修维护",
}

# title, reason, purpose, weight, items: (name, spec, unit, unit price, (low, high), kind, asset category)
CATALOGUE = [
    ("办公室文件柜", "教师办公室资料较多, 现有柜子不够用。", Purpose.OFFICE, 5,
     [("文件柜", "钢制五节", "组", "520", (1, 3), ASSET, "书柜")]),
    ("激光打印机", "办公室打印机损坏, 无法维修。", Purpose.OFFICE, 5,
     [("激光打印机", "M232dwc", "台", "1680", (1, 1), ASSET, "打印机")]),
    ("教室音响更换", "教室音响杂音大, 上课听不清。", Purpose.TEACHING, 4,
     [("教室音响", "TS-800", "套", "1350", (1, 1), ASSET, "音响设备")]),
    ("地理教具补充", "地理课地球仪不够分组使用。", Purpose.TEACHING, 3,
     [("地球仪", "32cm", "个", "128", (2, 10), ASSET, "教具")]),
    ("体育课篮球补充", "篮球损耗大, 体育课不够用。", Purpose.TEACHING, 4,
     [("篮球", "7号", "个", "128", (5, 12), ASSET, "体育器材")]),
    ("走廊绿植", "布置教学楼走廊和办公室。", Purpose.GREENING, 3,
     [("盆栽绿萝", "", "盆", "30", (10, 50), ASSET, "花卉")]),
    ("饮水机滤芯更换", "饮水机滤芯到期, 按卫生要求更换。", Purpose.MAINTENANCE, 4,
     [("饮水机滤芯更换", "含上门服务", "次", "180", (2, 8), SERVICE, None)]),
    ("灭火器年检充装", "消防器材年度检测。", Purpose.SAFETY, 3,
     [("灭火器年检充装", "4kg 干粉", "具", "45", (10, 40), SERVICE, None)]),
    ("班级图书角补充", "补充低年级绘本。", Purpose.BOOKS, 3,
     [("图书(批)", "绘本 精装", "册", "26", (20, 70), ASSET, "图书")]),
    ("门锁更换", "部分教室门锁老化损坏。", Purpose.MAINTENANCE, 3,
     [("门锁更换", "含锁芯及安装", "把", "120", (4, 15), SERVICE, None)]),
    ("教师计算机更新", "教师机使用超过六年, 运行缓慢。", Purpose.IT, 5,
     [("教师计算机", "启天 M437 i7/16G/512G", "台", "5200", (2, 3), ASSET, "台式计算机")]),
    ("投影仪更换", "投影仪画面发黄, 灯泡寿命已到。", Purpose.IT, 4,
     [("投影仪", "CB-X50", "台", "4200", (1, 4), ASSET, "投影仪")]),
    ("学生课桌椅更新", "新生班级课桌椅破损较多。", Purpose.TEACHING, 4,
     [("学生课桌(单人)", "可升降 600×400mm", "张", "180", (20, 45), ASSET, "教学、实验用桌"),
      ("学生椅", "可升降", "把", "85", (20, 45), ASSET, "教学、实验椅凳")]),
    ("办公室空调", "办公室夏季过热, 原空调不制冷。", Purpose.OFFICE, 4,
     [("挂式空调", "KFR-35GW 1.5匹", "台", "3100", (2, 5), ASSET, "空调机")]),
    ("实验台更新", "实验室台面老化渗水。", Purpose.TEACHING, 2,
     [("实验台", "1200×600mm 环氧树脂台面", "张", "1450", (4, 10), ASSET, "教学、实验用桌")]),
    ("科学课显微镜", "科学课分组实验显微镜不足。", Purpose.TEACHING, 2,
     [("显微镜", "XSP-2CA", "台", "680", (10, 25), ASSET, "教具")]),
    ("监控摄像头补装", "校门和楼梯口有监控盲区。", Purpose.SAFETY, 2,
     [("网络摄像头", "DS-2CD3T46", "台", "650", (8, 20), ASSET, None),
      ("安装调试", "布线及调试", "项", "1200", (1, 1), SERVICE, None)]),
    ("复印一体机", "教务处复印量大, 原复印机故障频繁。", Purpose.OFFICE, 2,
     [("复印一体机", "imageRUNNER 2625", "台", "12800", (1, 1), ASSET, "打印机")]),
    ("音乐室钢琴", "音乐室钢琴音准无法调整。", Purpose.TEACHING, 1,
     [("立式钢琴", "UP-118", "台", "16800", (1, 1), ASSET, "钢琴")]),
    ("外墙修补", "教学楼外墙空鼓脱落, 有安全隐患。", Purpose.MAINTENANCE, 2,
     [("外墙修补", "铲除空鼓, 重新粉刷", "平方米", "85", (40, 200), SERVICE, None)]),
    ("图书室新书", "图书室按生均册数补充新书。", Purpose.BOOKS, 2,
     [("图书(批)", "各类", "册", "26", (100, 600), ASSET, "图书")]),
    ("食堂消毒柜", "食堂餐具消毒能力不足。", Purpose.CANTEEN, 2,
     [("消毒柜", "商用 双门 RTP700", "台", "3800", (1, 3), ASSET, None)]),
    ("班班通交互一体机", "投影机老化, 升级为交互式一体机。", Purpose.TEACHING, 2,
     [("班班通交互式一体机", "86英寸 F86EA", "台", "19800", (2, 6), ASSET, "交互式一体机(班班通)")]),
    ("微机室学生电脑", "微机室学生机无法开机, 两人一机。", Purpose.IT, 2,
     [("学生计算机", "启天 M437 i5/8G/256G", "台", "3650", (15, 50), ASSET, "台式计算机")]),
    ("教学楼空调", "教学楼夏季高温, 加装柜式空调。", Purpose.MAINTENANCE, 1,
     [("柜式空调", "KFR-72LW 3匹", "台", "7600", (4, 10), ASSET, "空调机")]),
    ("运动场跑道维修", "塑胶跑道开裂起皮。", Purpose.MAINTENANCE, 1,
     [("塑胶跑道修补", "13mm 混合型", "平方米", "180", (200, 600), SERVICE, None)]),
    ("食堂设备更新", "食堂蒸饭柜老化, 就餐高峰供不上。", Purpose.CANTEEN, 1,
     [("商用蒸饭柜", "24盘 电热", "台", "8800", (2, 4), ASSET, None),
      ("不锈钢操作台", "1800×800mm", "张", "1600", (2, 6), ASSET, None)]),
    ("校园监控改造", "监控画面模糊, 存储不足。", Purpose.SAFETY, 1,
     [("网络摄像头", "DS-2CD3T46", "台", "650", (40, 80), ASSET, None),
      ("硬盘录像机", "64路 DS-9664N", "台", "9800", (1, 1), ASSET, None)]),
]
VENDORS = {
    Purpose.TEACHING: ["青山电教设备公司", "合肥华美家具", "安徽教育装备有限公司", "青山体育用品商店", "希沃安徽代理"],
    Purpose.IT: ["青山电脑城联想专卖", "合肥华信科技", "安徽天润信息", "鸿合科技合肥办事处"],
    Purpose.BOOKS: ["新华书店青山区分店", "安徽图书发行公司", "合肥博文书社"],
    Purpose.SAFETY: ["安徽消防器材公司", "青山安防工程部", "合肥海康代理"],
    Purpose.CANTEEN: ["合肥厨具设备公司", "青山厨房设备厂", "安徽美厨商贸"],
    Purpose.OFFICE: ["青山办公用品公司", "青山电器城", "合肥华美家具", "合肥华信科技"],
    Purpose.MAINTENANCE: ["青山建筑装饰公司", "青山水电维修部", "青山电器城", "合肥绿茵体育设施"],
    Purpose.GREENING: ["青山花木场", "合肥园林绿化公司", "青山花卉市场"],
}

# The final state by how old the request is: the newest are still on their way, older ones are closed.
NEW = [
    (Status.DRAFT, 14), (Status.AWAITING_HEAD, 24), (Status.AWAITING_PRINCIPAL, 14), (Status.AWAITING_MEETING, 5),
    (Status.RETURNED, 8), (Status.APPROVED, 15), (Status.ORDERED, 8), (Status.REJECTED, 6), (Status.CANCELLED, 6),
]
MIDDLE = [
    (Status.AWAITING_MEETING, 3), (Status.APPROVED, 10), (Status.ORDERED, 18), (Status.ACCEPTED, 22),
    (Status.PAID, 35), (Status.RETURNED, 2), (Status.REJECTED, 6), (Status.CANCELLED, 4),
]
OLD = [(Status.PAID, 86), (Status.REJECTED, 7), (Status.CANCELLED, 5), (Status.DRAFT, 1), (Status.RETURNED, 1)]
NEW_DAYS, MIDDLE_DAYS = 10, 45
APPROVED_EVER = (Status.APPROVED, Status.ORDERED, Status.ACCEPTED, Status.PAID)
REACHES = {  # how far along the route a final state lies
    Status.DRAFT: 0, Status.CANCELLED: 0, Status.AWAITING_HEAD: 1, Status.AWAITING_PRINCIPAL: 2,
    Status.AWAITING_MEETING: 3, Status.RETURNED: 1, Status.REJECTED: 1, Status.APPROVED: 4, Status.ORDERED: 5,
    Status.ACCEPTED: 6, Status.PAID: 7,
}
RETURN_COMMENTS = ["请写明品牌和型号要求。", "数量请按班级核一下。", "请补充询价材料。", "请说明与现有设备的关系。"]
REJECT_COMMENTS = ["非教学急需, 明年预算再议。", "已有同类设备可调配, 不再另行购买。", "预算不足, 下学期再申请。",
                   "与年初计划不符。"]
APPROVE_COMMENTS = ["", "", "同意。", "同意, 尽快落实。", "已货比三家, 同意。"]
CANCEL_REASONS = ["", "", "已从其他部门调配。", "需求有变。"]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _reason(msgid, **params):
    """history_reason, cached: the same reason is written thousands of times."""
    key = (msgid, tuple(sorted((k, str(v)) for k, v in params.items())))
    if key not in _REASONS:
        _REASONS[key] = history_reason(msgid, **params)
    return _REASONS[key]


_REASONS = {}


class Track:
    """One record's moves: the state after each (when, by, reason, kind, fields), applied to the object at the
    end; history rows are built from it once every object of the chunk has its primary key."""

    def __init__(self, obj, **state):
        self.obj = obj
        self.state = state
        self.steps = []

    def step(self, when, by, reason, kind="~", bump=True, **changes):
        self.state.update(changes)
        if bump and "version" in self.state:
            self.state["version"] += 1
        self.steps.append((when, by, reason, kind, dict(self.state)))

    def finish(self):
        for name, value in self.state.items():
            setattr(self.obj, name, _pk(value))

    def rows(self, builder):
        return [
            builder.history_row(self.obj, when=when, by=by, reason=reason, kind=kind,
                                state={k: _pk(v) for k, v in state.items()})
            for when, by, reason, kind, state in self.steps
        ]


def _pk(value):
    return value.pk if isinstance(value, Quote) else value


def build_large(builder):
    """Build the budget lines, purchases, invoices and ledger of the large school; returns the report's lines."""
    started, cpu = time.monotonic(), time.process_time()
    maker = Purchases(builder)
    plans = maker.plan()
    lines, line_rows = maker.budget_lines(plans)
    funds, funds_rows = maker.funds()
    counts = maker.write(plans, lines)
    fees = _fees(builder)
    aid = _aid(builder)
    by_status = ", ".join(f"{n} {s}" for s, n in sorted(counts["status"].items()))
    return [
        f"Finance: {len(lines)} budget lines ({line_rows} history rows), {funds} funds received ({funds_rows} "
        f"history rows)",
        f"Purchases: {len(plans)} requests ({by_status}) with {counts['items']} items, {counts['quotes']} "
        f"quotes, {counts['approvals']} approvals, {counts['invoices']} invoices, {counts['ledger']} payments "
        f"in the ledger ({counts['history']} history rows)",
        f"Fees: {fees[0]} fees of {fees[1]} classes, {fees[2]} entries in the ledger ({fees[3]} history rows)",
        f"Student aid: {aid[0]} applications, {aid[1]} paid, {aid[2]} lists put online ({aid[3]} history rows); "
        f"finance took {time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s of this process's CPU)",
    ]


class Purchases:
    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.profile = FinanceSettings.get()
        by_role = builder.by_role
        self.requesters = [u for r in (roles.STAFF, roles.LOGISTICS, roles.CANTEEN, roles.SAFETY)
                           for u in by_role.get(r, [])]
        self.workers = by_role[roles.LOGISTICS]
        self.heads = by_role[roles.LOGISTICS_HEAD]
        self.principals = by_role[roles.PRINCIPAL]
        self.finance = by_role[roles.FINANCE]
        self.categories = {c.name: c.pk for c in AssetCategory.objects.all()}
        self.rooms = builder.rooms
        self.taken_invoices = set(Invoice.objects.values_list("number", flat=True))
        self.vouchers = {}

    # --- the plan: every request's final state, size and dates, before anything is written -----------------

    def plan(self):
        b, rng = self.b, self.rng
        days = b.school_days
        n = b.count(PURCHASES)
        new, middle = set(days[-NEW_DAYS:]), set(days[-MIDDLE_DAYS:])
        created = sorted(b.working_moment(rng.choice(days)) for _i in range(n))
        statuses = [_weighted(rng, NEW if m.date() in new else MIDDLE if m.date() in middle else OLD)
                    for m in created]
        number = b.numbers(PurchaseRequest, "CG")
        plans = [self.one(moment, status, number(moment)) for moment, status in zip(created, statuses, strict=True)]
        # every state at any scale: a missing one is given to an older request of a state there are several of
        for status in Status.values:
            have = [p["track"].state["status"] for p in plans]
            if status in have:
                continue
            counts = Counter(have)
            several = [i for i, s in enumerate(have) if counts[s] > 1]
            candidates = [i for i in several if created[i].date() not in middle] or several or list(range(n))
            i = rng.choice(candidates)
            plans[i] = self.one(created[i], status, plans[i]["pr"].number)
        return plans

    def template(self, status):
        """A catalogue entry and its items whose total fits the route the state needs."""
        rng = self.rng
        needs = {Status.AWAITING_PRINCIPAL: self.profile.purchase_head_limit,
                 Status.AWAITING_MEETING: self.profile.purchase_principal_limit}.get(status)
        weights = [t[3] for t in CATALOGUE]
        while True:
            title, reason, purpose, _w, items = rng.choices(CATALOGUE, weights=weights)[0]
            chosen = [(name, spec, unit, Decimal(price), rng.randint(*qty), kind, cat)
                      for name, spec, unit, price, qty, kind, cat in items]
            total = sum((price * q for _n, _s, _u, price, q, _k, _c in chosen), Decimal(0))
            if needs is None or total > needs:
                return title, reason, purpose, chosen, total

    def one(self, created, status, number):
        """One request with its items, quotes, approvals, order, acceptance, invoice and payment, as moves."""
        b, rng = self.b, self.rng
        title, reason, purpose, chosen, total = self.template(status)
        requester = rng.choice(self.requesters)
        route = [str(s) for s in _route(total, self.profile)]
        pr = PurchaseRequest(
            number=number, department=rng.choice(b.departments), title=title, reason=reason, purpose=purpose,
            needed_by=created.date() + datetime.timedelta(days=rng.choice([14, 21, 30, 45])),
            requested_by=requester, created_at=created, estimated_total=total,
        )
        plan = {"pr": pr, "line": (created.year, LINE_FOR[purpose]), "items": [],
                "quotes": [], "approvals": [], "invoice": None, "ledger": None}
        track = Track(pr, status=Status.DRAFT, version=1, submitted_at=None, route=[], chosen_quote_id=None,
                      meeting_date=None, meeting_minute="", vendor="", ordered_on=None, purchaser_id=None,
                      second_purchaser_id=None, order_total=None, received_by_id=None, received_at=None,
                      accepted_total=None)
        plan["track"] = track
        drafted = _reason(gettext_noop("drafted"))
        track.step(created, requester, drafted, kind="+", bump=False)
        items = []
        for name, spec, unit, price, qty, kind, category in chosen:
            item = PurchaseItem(name=name, spec=spec, unit=unit, quantity=qty, estimated_unit_price=price, kind=kind)
            t = Track(item, actual_unit_price=None, accepted_quantity=None, asset_category_id=None, location_id=None)
            t.step(created, requester, drafted, kind="+", bump=False)
            t.category = self.categories.get(category) if category else None
            items.append(t)
        plan["items"] = items
        try:
            self.flow(plan, created, status, route, total, purpose, requester)
        except NotYet:
            pass  # its next move would come after today: it stays where its last move left it
        return plan

    def later(self, moment, low_hours, high_hours):
        return _later(self.b, moment, low_hours, high_hours)

    def flow(self, plan, created, status, route, total, purpose, requester):
        """The moves of a request up to its final state (NotYet when the next one would be after today)."""
        rng, track = self.rng, plan["track"]
        reach = REACHES[status]
        moment = created
        # three quotes before it is sent, when its total needs them (a draft may have them already, or not)
        needs_quotes = total > self.profile.quotes_required_above
        submits = status != Status.DRAFT and not (status == Status.CANCELLED and rng.random() < 0.4)
        if needs_quotes and (submits or rng.random() < 0.5):
            moment = self.quotes(plan, moment, purpose, total)
        if not submits:
            if status == Status.CANCELLED:
                self.cancel(plan, self.later(moment, 2, 24 * 10))
            return
        moment = self.later(moment, 0.5, 48)
        track.step(moment, requester, _reason(gettext_noop("submitted for approval")),
                   status=PurchaseRequest.STEP_STATUS[route[0]], route=route, submitted_at=moment)
        # a returned request sent again after changes, now and then
        if status not in (Status.RETURNED,) and reach >= 2 and rng.random() < 0.06:
            moment = self.decide(plan, self.later(moment, 2, 48), "head", Decision.RETURNED)
            moment = self.later(moment, 4, 24 * 5)
            track.step(moment, requester, _reason(gettext_noop("changed by the requester")))
            moment = self.later(moment, 0.2, 4)
            track.step(moment, requester, _reason(gettext_noop("submitted again after changes")),
                       status=PurchaseRequest.STEP_STATUS[route[0]], submitted_at=moment)
        # the decisions along the route: where it stops, it stops
        stop = {Status.AWAITING_HEAD: "head", Status.AWAITING_PRINCIPAL: "principal",
                Status.AWAITING_MEETING: "meeting"}.get(status)
        ending = status in (Status.RETURNED, Status.REJECTED) or (status == Status.CANCELLED)
        end_step = rng.choice(route) if ending else None
        if status == Status.RETURNED and end_step == "meeting":
            end_step = "principal"
        for step in route:
            if step == stop:
                return
            moment = self.later(moment, 2, 24 * (8 if step == "meeting" else 3))
            if step == end_step:
                if status == Status.CANCELLED:
                    self.cancel(plan, moment)
                else:
                    self.decide(plan, moment, step, Decision(status))
                return
            moment = self.decide(plan, moment, step, Decision.APPROVED)
        if reach <= 4:
            return
        self.carry_out(plan, moment, status, purpose)

    def quotes(self, plan, moment, purpose, total):
        rng, track = self.rng, plan["track"]
        vendors = rng.sample(VENDORS[purpose], 3)
        cheapest = None
        for n, vendor in enumerate(vendors):
            moment = self.later(moment, 1, 48)
            factor = Decimal(rng.randint(900, 990) if n == 0 else rng.randint(995, 1080)) / 1000
            amount = (total * factor).quantize(Decimal("1"))
            by = rng.choice(self.workers)
            quote = Quote(vendor=vendor, amount=amount, added_by=by, added_at=moment)
            q = Track(quote)
            q.step(moment, by, _reason(gettext_noop("quote added")), kind="+", bump=False)
            plan["quotes"].append(q)
            if cheapest is None or amount < cheapest.amount:
                cheapest = quote
            track.step(moment, by, _reason(gettext_noop("quote from %(vendor)s: %(amount)s"), vendor=vendor,
                                           amount=format_money(amount)), chosen_quote_id=cheapest)
        return moment

    def decide(self, plan, moment, step, decision):
        rng, track = self.rng, plan["track"]
        label = Step(step).label
        if step == "head":
            by = rng.choice(self.heads)
        else:
            # the principal, who may also record the meeting they chaired
            by = rng.choice(self.principals)
        if decision == Decision.APPROVED and step == "meeting":
            minute = f"校务会〔{moment.year}〕{rng.randint(1, 40)}号"
            approval = Approval(step=step, decision=decision, by=by, at=moment, comment=minute)
            track.step(moment, by, _reason(
                gettext_noop("recorded the approval of the school-affairs meeting of %(date)s (%(minute)s)"),
                date=moment.date().isoformat(), minute=minute), status=Status.APPROVED, meeting_date=moment.date(),
                meeting_minute=minute)
        elif decision == Decision.APPROVED:
            comment = rng.choice(APPROVE_COMMENTS)
            approval = Approval(step=step, decision=decision, by=by, at=moment, comment=comment)
            route = track.state["route"]
            later = route[route.index(step) + 1:]
            reason = (_reason(gettext_noop("approved (%(step)s): %(comment)s"), step=label, comment=comment)
                      if comment else _reason(gettext_noop("approved (%(step)s)"), step=label))
            track.step(moment, by, reason,
                       status=PurchaseRequest.STEP_STATUS[later[0]] if later else Status.APPROVED)
        else:
            comment = rng.choice(RETURN_COMMENTS if decision == Decision.RETURNED else REJECT_COMMENTS)
            approval = Approval(step=step, decision=decision, by=by, at=moment, comment=comment)
            msgid = (gettext_noop("returned for changes (%(step)s): %(comment)s") if decision == Decision.RETURNED
                     else gettext_noop("rejected (%(step)s): %(comment)s"))
            track.step(moment, by, _reason(msgid, step=label, comment=comment),
                       status=Status.RETURNED if decision == Decision.RETURNED else Status.REJECTED)
        a = Track(approval)
        a.step(moment, by, None, kind="+", bump=False)
        plan["approvals"].append(a)
        return moment

    def cancel(self, plan, moment):
        why = self.rng.choice(CANCEL_REASONS)
        by = plan["pr"].requested_by
        reason = (_reason(gettext_noop("cancelled by the requester: %(reason)s"), reason=why) if why
                  else _reason(gettext_noop("cancelled by the requester")))
        plan["track"].step(moment, by, reason, status=Status.CANCELLED)

    def carry_out(self, plan, moment, status, purpose):
        """Order, acceptance, invoice, signatures and payment, as far as the final state says."""
        rng, track = self.rng, plan["track"]
        pr, items = plan["pr"], plan["items"]
        reach = REACHES[status]
        # the order: the chosen quote's total spread over the items, else a little under the estimate
        chosen = track.state["chosen_quote_id"]
        if chosen is not None:
            vendor = chosen.vendor
            ratio = chosen.amount / pr.estimated_total
        else:
            vendor = rng.choice(VENDORS[purpose])
            ratio = Decimal(rng.randint(900, 1000)) / 1000
        prices = [(t.obj.estimated_unit_price * ratio).quantize(CENT, ROUND_HALF_UP) for t in items]
        total = sum((p * t.obj.quantity for p, t in zip(prices, items, strict=True)), Decimal(0))
        if total > pr.estimated_total:  # rounding up a cent per unit: keep within what was approved
            prices = [min(p, t.obj.estimated_unit_price) for p, t in zip(prices, items, strict=True)]
            total = sum((p * t.obj.quantity for p, t in zip(prices, items, strict=True)), Decimal(0))
        moment = self.later(moment, 24, 24 * 7)
        buyer = rng.choice(self.workers)
        second = None
        if total > self.profile.dual_purchase_above:
            second = rng.choice([w for w in self.workers if w.pk != buyer.pk] or self.heads)
        ordered = _reason(gettext_noop("ordered from %(vendor)s for %(total)s"), vendor=vendor,
                          total=format_money(total))
        for t, price in zip(items, prices, strict=True):
            t.step(moment, buyer, ordered, bump=False, actual_unit_price=price)
        track.step(moment, buyer, ordered, vendor=vendor, ordered_on=timezone.localdate(moment), purchaser_id=buyer.pk,
                   second_purchaser_id=second.pk if second else None, order_total=total, status=Status.ORDERED)
        bought = {buyer.pk, second.pk if second else None}
        invoice_early = reach == 5 and rng.random() < 0.3
        if reach == 5 and not invoice_early:
            return plan
        if invoice_early:
            self.invoice(plan, self.later(moment, 24, 24 * 10), total, signatures=rng.randint(0, 2), pay=False)
            return plan
        # acceptance by someone who did not buy: logistics or the head
        moment = self.later(moment, 24, 24 * 14)
        receiver = rng.choice([u for u in self.workers + self.heads if u.pk not in bought])
        accepted_reason = _reason(gettext_noop("accepted the goods"))
        accepted_total = Decimal(0)
        short = rng.random() < 0.03
        for t, price in zip(items, prices, strict=True):
            qty = t.obj.quantity - (1 if short and t.obj.quantity > 1 else 0)
            accepted_total += qty * price
            where = {}
            if t.obj.kind == ASSET:
                where = {"asset_category_id": t.category, "location_id": rng.choice(self.rooms).pk}
            t.step(moment, receiver, accepted_reason, bump=False, accepted_quantity=qty, **where)
        track.step(moment, receiver, accepted_reason, received_by_id=receiver.pk, received_at=moment,
                   accepted_total=accepted_total, status=Status.ACCEPTED)
        if reach == 6:
            # accepted, its invoice not yet recorded, waiting for signatures, or signed and waiting to be paid
            kind = rng.choice(["none", "signing", "signed"])
            if kind != "none":
                self.invoice(plan, self.later(moment, 2, 24 * 5), accepted_total,
                             signatures=3 if kind == "signed" else rng.randint(0, 2), pay=False,
                             receiver=receiver)
            return plan
        self.invoice(plan, self.later(moment, 2, 24 * 5), accepted_total, signatures=3, pay=True, receiver=receiver)
        return plan

    def invoice(self, plan, moment, amount, *, signatures, pay, receiver=None):
        rng = self.rng
        pr, track = plan["pr"], plan["track"]
        recorder = rng.choice(self.workers)
        invoice = Invoice(number=self.invoice_number(moment), issued_on=timezone.localdate(moment), amount=amount,
                          recorded_by=recorder, recorded_at=moment)
        t = Track(invoice, status=Invoice.Status.AWAITING_SIGNATURES, version=1, handler_id=None,
                  handler_signed_at=None, receiver_id=None, receiver_signed_at=None, auditor_id=None,
                  auditor_signed_at=None, paid_by_id=None, paid_at=None, voucher_number="")
        t.step(moment, recorder, _reason(gettext_noop("invoice recorded")), kind="+", bump=False)
        plan["invoice"] = t
        # three different people: the one who handled it, one who accepted, and finance auditing
        handler = recorder
        receiver = receiver if receiver is not None and receiver.pk != handler.pk else rng.choice(
            [u for u in self.workers + self.heads if u.pk != handler.pk])
        auditor = rng.choice(self.finance)
        labels = [("handler", handler, gettext_noop("signed as handler (经手人)")),
                  ("receiver", receiver, gettext_noop("signed as receiver (验收人)")),
                  ("auditor", auditor, gettext_noop("signed as auditor (审核人)"))]
        for n, (role, who, msgid) in enumerate(labels[:signatures]):
            moment = self.later(moment, 1, 24 * 3)
            changes = {f"{role}_id": who.pk, f"{role}_signed_at": moment}
            if n == 2:
                changes["status"] = Invoice.Status.SIGNED
            t.step(moment, who, _reason(msgid), **changes)
        if not pay:
            return
        moment = self.later(moment, 4, 24 * 7)
        payer = rng.choice(self.finance)
        day = timezone.localdate(moment)
        voucher = self.voucher(day)
        paid = _reason(gettext_noop("paid, voucher %(voucher)s"), voucher=voucher)
        t.step(moment, payer, paid, status=Invoice.Status.PAID, paid_by_id=payer.pk, paid_at=moment,
               voucher_number=voucher)
        entry = LedgerEntry(date=day, direction=LedgerEntry.Direction.EXPENSE, category=LedgerEntry.Category.PURCHASE,
                            amount=amount, description=f"{pr.number} {pr.title} · {invoice.number}"[:200],
                            voucher_number=voucher, created_by=payer, created_at=moment)
        e = Track(entry)
        e.step(moment, payer, paid, kind="+", bump=False)
        plan["ledger"] = e
        track.step(moment, payer, paid, status=Status.PAID)

    def invoice_number(self, moment):
        while True:
            number = f"3401{moment.year}{self.rng.randint(0, 999999):06d}"
            if number not in self.taken_invoices:
                self.taken_invoices.add(number)
                return number

    def voucher(self, day):
        key = (day.year, day.month)
        self.vouchers[key] = self.vouchers.get(key, 0) + 1
        return f"记-{day:%y%m}-{self.vouchers[key]:04d}"

    # --- budget lines: each year's, set so what was approved on them fits ------------------------------------

    def budget_lines(self, plans):
        b, rng = self.b, self.rng
        used = {}
        for plan in plans:
            if plan["track"].state["status"] in APPROVED_EVER:
                used[plan["line"]] = used.get(plan["line"], Decimal(0)) + plan["pr"].estimated_total
        years = range(b.first_day.year, b.today.year + 1)
        existing = {(line.year, line.name): line for line in BudgetLine.objects.filter(year__in=years)}
        new = []
        for year in years:
            for name, kind, purpose, notes in LINES:
                if (year, name) in existing:
                    continue
                spent = used.get((year, name), Decimal(0)) * Decimal(rng.randint(110, 135)) / 100
                amount = Decimal(max(1, math.ceil(spent / 10000)) * 10000)
                new.append(BudgetLine(year=year, name=name, kind=kind, purpose=purpose, amount=amount, notes=notes))
        b.write(BudgetLine, new)
        finance = b.base.users["finance"]
        added = _reason(gettext_noop("budget line added"))
        rows = b.history(
            b.history_row(line, when=b.at(max(datetime.date(line.year, 1, 2), b.first_day), 9), by=finance,
                          kind="+", reason=added)
            for line in new
        )
        self.new_lines = new
        lines = {**existing, **{(line.year, line.name): line for line in new}}
        # an earlier line of the same name is made big enough too (a database seeded before)
        short = []
        for key, total in used.items():
            line = lines[key]
            if line in existing.values() and line.amount < total:
                line.amount = Decimal(math.ceil(total / 10000) * 10000)
                short.append(line)
        BudgetLine.objects.bulk_update(short, ["amount"])
        return lines, rows

    def funds(self):
        """Each new line's money received in quarterly instalments, entered by finance (those due by today)."""
        b = self.b
        entries, tracks = [], []
        entered = _reason(gettext_noop("entered"))
        for line in sorted(self.new_lines, key=lambda line: (line.year, line.name)):
            quarter = (line.amount / 4).quantize(CENT)
            for n in range(4):
                day = datetime.date(line.year, 1 + 3 * n, 10)
                if day >= b.today or day < b.first_day:
                    continue
                amount = line.amount - 3 * quarter if n == 3 else quarter
                payer = self.rng.choice(self.finance)
                moment = b.at(day, 10)
                kind = "区财政拨付" if line.kind != K.SELF else "学校自筹"
                entry = LedgerEntry(date=day, direction=LedgerEntry.Direction.INCOME,
                                    category=LedgerEntry.Category.FUNDS, amount=amount,
                                    description=f"{kind} {line.name}（第{n + 1}季度）", budget_line=line,
                                    voucher_number=self.voucher(day), created_by=payer, created_at=moment)
                entries.append(entry)
                t = Track(entry)
                t.step(moment, payer, entered, kind="+", bump=False)
                tracks.append(t)
        b.write(LedgerEntry, entries)
        return len(entries), b.history(row for t in tracks for row in t.rows(b))

    # --- writing, a chunk at a time ---------------------------------------------------------------------------

    def write(self, plans, lines):
        b = self.b
        counts = {"status": {}, "items": 0, "quotes": 0, "approvals": 0, "invoices": 0, "ledger": 0, "history": 0}
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start:start + CHUNK]
            for plan in chunk:
                plan["pr"].budget_line = lines[plan["line"]]
                plan["track"].finish()
                plan["pr"].chosen_quote_id = None  # set once the quotes have their keys
                status = plan["pr"].status
                counts["status"][status] = counts["status"].get(status, 0) + 1
            b.write(PurchaseRequest, [p["pr"] for p in chunk])
            children = {PurchaseItem: "items", Quote: "quotes", Approval: "approvals"}
            tracks = []
            for model, key in children.items():
                objects = []
                for plan in chunk:
                    for t in plan[key]:
                        t.finish()
                        t.obj.request = plan["pr"]
                        objects.append(t.obj)
                        tracks.append(t)
                b.write(model, objects)
                counts[key] += len(objects)
            chosen = []
            for plan in chunk:
                quote = plan["track"].state["chosen_quote_id"]
                if quote is not None:
                    plan["pr"].chosen_quote_id = quote.pk
                    chosen.append(plan["pr"])
            PurchaseRequest.objects.bulk_update(chosen, ["chosen_quote_id"], batch_size=500)
            invoices = [p for p in chunk if p["invoice"]]
            for plan in invoices:
                plan["invoice"].finish()
                plan["invoice"].obj.request = plan["pr"]
            b.write(Invoice, [p["invoice"].obj for p in invoices])
            paid = [p for p in chunk if p["ledger"]]
            for plan in paid:
                entry = plan["ledger"].obj
                entry.invoice = plan["invoice"].obj
                entry.budget_line = plan["pr"].budget_line
            b.write(LedgerEntry, [p["ledger"].obj for p in paid])
            counts["invoices"] += len(invoices)
            counts["ledger"] += len(paid)
            tracks += [p["track"] for p in chunk] + [p["invoice"] for p in invoices] + [p["ledger"] for p in paid]
            counts["history"] += b.history(row for t in tracks for row in t.rows(b))
        return counts


# --- fees collected on behalf and student aid, term by term ---------------------------------------------------

FEE = ("作业本费", Decimal("15.00"), "本学期语文、数学、英语作业本, 按实际用量统一采购, 多退少不补。",
       "建档立卡户、低保家庭、残疾学生免收; 已免收的学生凭班主任名单确认, 无需另交材料。")
FEE_SPENDINGS = [("作业本采购（新华书店青山区分店）", Decimal("0.88")),
                 ("作业本采购（补订英语作业本）", Decimal("0.07"))]
AID_PER_TERM = 250
AID_AMOUNTS = {
    "hardship": (Decimal("500.00"), 55, "家庭经济困难, 父母务工收入低。"),
    "lmyb": (Decimal("250.00"), 30, "建档立卡户, 寄宿生活补助。"),
    "disability": (Decimal("800.00"), 8, "持残疾证, 随班就读。"),
    "other": (Decimal("300.00"), 7, "家中突发变故。"),
}
AID_REJECTIONS = ["家庭收入高于当地低保线, 不符合认定条件。", "材料不全, 请补齐后下学期再申请。"]
PUPIL_GIVEN = ["子涵", "浩然", "思雨", "一诺", "梓轩", "欣怡", "宇轩", "雨桐", "俊杰", "诗涵", "明", "悦", "博文",
               "佳怡", "子墨", "若曦", "天佑", "晨", "可馨", "嘉豪"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"


def _term_days(builder, term):
    return [d for d in builder.school_days if term.start <= d <= term.end]


def _posted(builder, *, when, by, direction, category, amount, description, source):
    """The ledger entry ledger_entry_post writes for money another record moved, with its history row."""
    entry = LedgerEntry(date=timezone.localdate(when), direction=direction, category=category, amount=amount,
                        description=description[:200], created_by=by, created_at=when)
    t = Track(entry)
    t.step(when, by, _reason(gettext_noop("posted from %(source)s"), source=str(source)[:200]), kind="+", bump=False)
    return t


def _fees(builder):
    """Each term's workbook fee for every class: entered, the classes' money recorded, spent, published and,
    once the term is over, settled with the rest paid back; every movement in the ledger."""
    b, rng = builder, builder.rng
    name, amount, description, policy = FEE
    classes = [r for r in b.rooms if r.kind == r.Kind.CLASSROOM]
    taken = set(FeeItem.objects.filter(name=name).values_list("term_id", flat=True))
    finance = b.by_role[roles.FINANCE]
    Dir, Cat = LedgerEntry.Direction, LedgerEntry.Category
    fees, rows, spendings, ledger, tracks = [], [], [], [], []
    for term in b.terms:
        days = _term_days(b, term)
        if term.pk in taken or len(days) < 6 or not classes:
            continue
        by = rng.choice(finance)
        entered = b.working_moment(days[0])
        settled = term.end < b.today
        fee = FeeItem(term=term, name=name, amount_per_pupil=amount, description=description, policy=policy,
                      published=True, settled_at=None, settled_by=None)
        fee_track = Track(fee, published=False, settled_at=None, settled_by_id=None)
        fee_track.step(entered, by, _reason(gettext_noop("entered")), kind="+", bump=False)
        added = b.at(days[3], 15)
        fee_rows = []
        for room in classes:
            pupils, exempt = rng.randint(38, 50), rng.choice([0, 0, 1, 1, 2, 3])
            unpaid = 0 if settled else rng.choice([0, 0, 0, 1])
            row = FeeClass(fee=fee, location=room, pupils=pupils, exempt=exempt,
                           collected=amount * (pupils - exempt - unpaid))
            t = Track(row)
            t.step(added, by, _reason(gettext_noop("class added")), kind="+", bump=False)
            tracks.append(t)
            fee_rows.append(row)
            ledger.append(_posted(b, when=added, by=by, direction=Dir.INCOME, category=Cat.FEES,
                                  amount=row.collected, description=f"{name} · {room.name}", source=row))
        collected = sum((r.collected for r in fee_rows), Decimal(0))
        fee_spendings = []
        for n, (what, share) in enumerate(FEE_SPENDINGS):
            when = b.at(days[4 + n], 10)
            spent = (collected * share * Decimal(rng.randint(96, 100)) / 100).quantize(CENT)
            spending = FeeSpending(fee=fee, date=when.date(), description=what, amount=spent, recorded_by=by)
            t = Track(spending)
            t.step(when, by, _reason(gettext_noop("spending recorded")), kind="+", bump=False)
            tracks.append(t)
            fee_spendings.append(spending)
            ledger.append(_posted(b, when=when, by=by, direction=Dir.EXPENSE, category=Cat.FEE_SPENT,
                                  amount=spent, description=f"{name} · {what}", source=spending))
        fee_track.step(b.at(days[5], 9), by, _reason(gettext_noop("notice published")), bump=False, published=True)
        if settled:
            when = b.at(days[-1], 16)
            result = fee_settlement(fee, fee_rows, fee_spendings)
            fee_track.step(when, by, _reason(gettext_noop("settled: %(refund)s back per pupil"),
                                             refund=format_money(result.refund_per_pupil)),
                           bump=False, settled_at=when, settled_by_id=by.pk)
            if result.refund_total:
                ledger.append(_posted(b, when=when, by=by, direction=Dir.EXPENSE, category=Cat.REFUND,
                                      amount=result.refund_total, source=fee,
                                      description=f"{name} · {result.paid} × "
                                                  f"{format_money(result.refund_per_pupil)}"))
        fee_track.finish()
        fees.append(fee_track)
        rows += fee_rows
        spendings += fee_spendings
    b.write(FeeItem, [t.obj for t in fees])
    b.write(FeeClass, rows)
    b.write(FeeSpending, spendings)
    b.write(LedgerEntry, [t.obj for t in ledger])
    history = b.history(row for t in fees + tracks + ledger for row in t.rows(b))
    return len(fees), len(classes), len(ledger), history


def _aid(builder):
    """Each term's aid: class teachers apply in the first weeks, the principal (or the head, as the school has
    chosen) decides, finance pays into the ledger; the decided list put online once a term."""
    b, rng = builder, builder.rng
    classes = [r for r in b.rooms if r.kind == r.Kind.CLASSROOM]
    teachers = b.by_role[roles.STAFF]
    finance = b.by_role[roles.FINANCE]
    profile = FinanceSettings.get()
    decider = profile.aid_decider
    deciders = b.by_role[roles.LOGISTICS_HEAD if decider == AidDecider.HEAD else roles.PRINCIPAL]
    applied = _reason(gettext_noop("applied for; the head of logistics decides") if decider == AidDecider.HEAD
                      else gettext_noop("applied for; the principal decides"))
    Status = AidApplication.Status
    apps, ledger, publications = [], [], []
    days_ahead = max(profile.aid_publication_days, 5)
    for term in b.terms:
        days = _term_days(b, term)
        if len(days) < 30 or not classes:
            continue
        current = term.end >= b.today
        for _i in range(b.count(AID_PER_TERM)):
            category = _weighted(rng, [(k, v[1]) for k, v in AID_AMOUNTS.items()])
            amount, _w, situation = AID_AMOUNTS[category]
            teacher = rng.choice(teachers)
            submitted = b.working_moment(rng.choice(days[:20]))
            app = AidApplication(term=term, pupil_name=rng.choice(SURNAMES) + rng.choice(PUPIL_GIVEN),
                                 location=rng.choice(classes), category=category, amount=amount, reason=situation,
                                 submitted_by=teacher, submitted_at=submitted, decider=decider)
            t = Track(app, status=Status.SUBMITTED, version=1, decided_by_id=None, decided_at=None, paid_by_id=None,
                      paid_at=None)
            t.step(submitted, teacher, applied, kind="+", bump=False)
            final = _weighted(rng, [(Status.SUBMITTED, 25), (Status.APPROVED, 20), (Status.PAID, 45),
                                    (Status.REJECTED, 10)] if current else [(Status.PAID, 90), (Status.REJECTED, 10)])
            try:
                _aid_moves(b, t, app, final, deciders, finance, ledger)
            except NotYet:
                pass  # decided or paid after today: it waits
            t.finish()
            apps.append(t)
        # the term's decided aid online for the school days the school sets, from the middle of the term
        start = len(days) // 2
        if start + days_ahead <= len(days):
            by = rng.choice(finance)
            when = b.at(days[start], 9)
            closes = days[start + days_ahead - 1]
            publication = AidPublication(term=term, opens_on=days[start], closes_on=closes, school_days=days_ahead,
                                         published_by=by, published_at=when)
            p = Track(publication)
            p.step(when, by, _reason(gettext_noop("aid list put online until %(date)s (%(days)s school days)"),
                                     date=closes.isoformat(), days=str(days_ahead)), kind="+", bump=False)
            publications.append(p)
    b.write(AidApplication, [t.obj for t in apps])
    b.write(AidPublication, [t.obj for t in publications])
    b.write(LedgerEntry, [t.obj for t in ledger])
    history = b.history(row for t in apps + publications + ledger for row in t.rows(b))
    return len(apps), len(ledger), len(publications), history


def _aid_moves(b, t, app, final, deciders, finance, ledger):
    """An application decided and paid as far as its final state says (NotYet when that is after today)."""
    Status = AidApplication.Status
    rng = b.rng
    if final == Status.SUBMITTED:
        return
    who = rng.choice(deciders)
    when = _later(b, app.submitted_at, 24, 24 * 10)
    if final == Status.REJECTED:
        note = rng.choice(AID_REJECTIONS)
        t.step(when, who, _reason(gettext_noop("rejected: %(note)s"), note=note),
               status=Status.REJECTED, decided_by_id=who.pk, decided_at=when)
        return
    t.step(when, who, _reason(gettext_noop("approved")), status=Status.APPROVED, decided_by_id=who.pk,
           decided_at=when)
    if final == Status.PAID:
        payer = rng.choice(finance)
        when = _later(b, when, 24, 24 * 10)
        t.step(when, payer, _reason(gettext_noop("paid")), status=Status.PAID, paid_by_id=payer.pk, paid_at=when)
        ledger.append(_posted(b, when=when, by=payer, direction=LedgerEntry.Direction.EXPENSE,
                              category=LedgerEntry.Category.AID, amount=app.amount, source=app,
                              description=f"{app.location.name} {app.pupil_name} · {app.get_category_display()}"))


class NotYet(Exception):
    """The next move of a record would come after the data's today."""


def _later(builder, moment, low_hours, high_hours):
    """A moment low–high working hours after moment, moved into working hours; NotYet when it is not past yet."""
    rng = builder.rng
    moment = moment + datetime.timedelta(minutes=rng.randint(int(low_hours * 60), int(high_hours * 60)))
    moment = builder.base.working_time(moment)
    if moment >= builder.now - datetime.timedelta(minutes=1):
        raise NotYet
    return moment


def _route(total, profile):
    if total <= profile.purchase_head_limit:
        return [Step.HEAD]
    if total <= profile.purchase_principal_limit:
        return [Step.HEAD, Step.PRINCIPAL]
    return [Step.HEAD, Step.PRINCIPAL, Step.MEETING]
