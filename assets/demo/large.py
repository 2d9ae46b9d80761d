"""The assets module's large demo data (logistics.demo_large): five years of a central school's register and repairs.

About 50,000 register records over the large school's rooms (registered on the day they arrived, handed to new
custodians at the start of school years, moved between rooms, some idle, damaged, under repair, written off or
lost) and 20,000 repair requests in every state, each with the history its moves would have written: reported,
assigned, started, done, confirmed — or rejected, or cancelled — in that order, by the people who do it. Tags and
numbers continue the register's and the repairs' counters (ZC-year-…, WX-year-…). Written in bulk: the services
would take hours for this much.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_noop

from logistics import roles
from logistics.history import history_reason
from logistics.models import Location
from logistics.services import display_name

from ..models import Asset, AssetCategory, FundingSource, RepairCategory, RepairRequest, StocktakeLine, Urgency
from ..models.settings import AssetSettings
from ..services.register import TAG_PREFIX
from .register import CATEGORIES

ASSETS = 50_000
REPAIRS = 20_000
CHUNK = 5000

Kind = Location.Kind
Status = RepairRequest.Status
AssetStatus = Asset.Status

# category: [(name, spec, brand, unit, unit price, quantity range)]
ITEMS = {
    "台式计算机": [
        ("教师计算机", "启天 M437 i7/16G/512G", "联想", "台", "5200.00", (1, 1)),
        ("学生计算机", "启天 M437 i5/8G/256G", "联想", "台", "3650.00", (1, 1)),
        ("办公计算机", "OptiPlex 3000", "戴尔", "台", "4380.00", (1, 1)),
    ],
    "打印机": [
        ("激光打印机", "M232dwc", "惠普", "台", "1680.00", (1, 1)),
        ("复印一体机", "imageRUNNER 2625", "佳能", "台", "12800.00", (1, 1)),
    ],
    "交互式一体机(班班通)": [("班班通交互式一体机", "86英寸 F86EA", "希沃", "台", "19800.00", (1, 1))],
    "投影仪": [("投影仪", "CB-X50", "爱普生", "台", "4200.00", (1, 1))],
    "音响设备": [("教室音响", "TS-800", "得胜", "套", "1350.00", (1, 1))],
    "空调机": [
        ("柜式空调", "KFR-72LW 3匹", "格力", "台", "7600.00", (1, 1)),
        ("挂式空调", "KFR-35GW 1.5匹", "美的", "台", "3100.00", (1, 1)),
    ],
    "钢琴": [("立式钢琴", "UP-118", "珠江", "台", "16800.00", (1, 1))],
    "教学、实验用桌": [
        ("学生课桌(单人)", "可升降 600×400mm", "", "张", "180.00", (40, 55)),
        ("实验台", "1200×600mm 环氧树脂台面", "", "张", "1450.00", (8, 24)),
    ],
    "教学、实验椅凳": [
        ("学生椅", "可升降", "", "把", "85.00", (40, 55)),
        ("实验凳", "圆凳", "", "把", "45.00", (16, 48)),
    ],
    "书柜": [
        ("书柜", "1800×900mm 钢制", "", "组", "650.00", (1, 12)),
        ("文件柜", "钢制五节", "", "组", "520.00", (1, 6)),
    ],
    "教具": [
        ("教学三角板套装", "", "", "套", "35.00", (1, 20)),
        ("地球仪", "32cm", "", "个", "128.00", (1, 6)),
        ("显微镜", "XSP-2CA", "", "台", "680.00", (4, 30)),
    ],
    "体育器材": [
        ("篮球", "7号", "李宁", "个", "128.00", (10, 60)),
        ("跳绳", "计数", "", "根", "12.00", (20, 120)),
        ("乒乓球台", "标准", "红双喜", "张", "2300.00", (1, 6)),
    ],
    "图书": [("图书(批)", "各类", "", "册", "26.00", (50, 600))],
    "花卉": [("盆栽绿萝", "", "", "盆", "30.00", (2, 20))],
}
# which categories a room of each kind holds, with weights
BY_KIND = {
    Kind.CLASSROOM: [
        ("教学、实验用桌", 3),
        ("教学、实验椅凳", 3),
        ("交互式一体机(班班通)", 1),
        ("空调机", 1),
        ("教具", 4),
        ("音响设备", 1),
        ("花卉", 2),
        ("书柜", 1),
    ],
    Kind.COMPUTER: [("台式计算机", 12), ("空调机", 1), ("打印机", 1), ("教学、实验椅凳", 1)],
    Kind.OFFICE: [("台式计算机", 4), ("打印机", 2), ("书柜", 3), ("空调机", 1), ("花卉", 1)],
    Kind.LAB: [("教学、实验用桌", 3), ("教学、实验椅凳", 2), ("教具", 6), ("投影仪", 1)],
    Kind.LIBRARY: [("图书", 12), ("书柜", 4), ("台式计算机", 1)],
    Kind.MUSIC: [("钢琴", 2), ("音响设备", 2), ("教学、实验椅凳", 1)],
    Kind.ART: [("教学、实验用桌", 2), ("教具", 3), ("投影仪", 1)],
    Kind.MULTIMEDIA: [("投影仪", 2), ("音响设备", 2), ("台式计算机", 1), ("交互式一体机(班班通)", 1)],
    Kind.CANTEEN: [("空调机", 1), ("教学、实验用桌", 2), ("花卉", 1)],
    Kind.OUTDOOR: [("体育器材", 6)],
    Kind.OTHER: [("体育器材", 2), ("书柜", 1), ("花卉", 1)],
}
FINAL_STATUS = [
    (AssetStatus.IN_USE, 85),
    (AssetStatus.IDLE, 6),
    (AssetStatus.UNDER_REPAIR, 1),
    (AssetStatus.DAMAGED, 2),
    (AssetStatus.WRITTEN_OFF, 5),
    (AssetStatus.LOST, 1),
]

# category: [(title, work done, parts, cost)]
FAULTS = {
    RepairCategory.LIGHTING: [
        ("灯管不亮", "更换LED灯管", "LED灯管 T8 1.2m", "35.00"),
        ("插座没电", "更换插座面板, 检查线路", "五孔插座", "18.00"),
        ("空气开关跳闸", "排查漏电点, 更换漏电开关", "漏电保护开关", "85.00"),
    ],
    RepairCategory.PLUMBING: [
        ("水龙头漏水", "更换水龙头阀芯", "陶瓷阀芯", "25.00"),
        ("卫生间下水堵塞", "疏通下水管道", "", None),
        ("饮水机不出热水", "更换加热管", "加热管", "60.00"),
    ],
    RepairCategory.DOORS: [
        ("门锁坏了", "更换门锁锁芯", "锁芯", "45.00"),
        ("窗户关不上", "调整窗户合页", "", None),
        ("玻璃破裂", "更换窗玻璃", "5mm 玻璃", "120.00"),
    ],
    RepairCategory.FURNITURE: [
        ("课桌桌腿松动", "紧固螺丝", "", None),
        ("椅子坏了", "更换椅面", "椅面板", "30.00"),
        ("柜门脱落", "更换合页", "合页", "12.00"),
    ],
    RepairCategory.IT: [
        ("班班通无法开机", "更换电源板", "电源板", "380.00"),
        ("投影仪画面发黄", "清洁滤网, 更换灯泡", "投影灯泡", "420.00"),
        ("电脑无法上网", "更换网线水晶头, 重设网络", "水晶头", "5.00"),
        ("打印机卡纸", "清理进纸通道, 更换搓纸轮", "搓纸轮", "40.00"),
    ],
    RepairCategory.BUILDING: [
        ("墙皮脱落", "铲除空鼓墙面, 重新粉刷", "腻子粉, 乳胶漆", "260.00"),
        ("屋顶漏水", "防水补漏", "防水涂料", "680.00"),
    ],
    RepairCategory.OTHER: [
        ("旗杆绳断了", "更换旗杆绳", "钢丝绳", "60.00"),
        ("篮球架篮网破损", "更换篮网", "篮网", "25.00"),
    ],
}
CATEGORY_WEIGHTS = [
    (RepairCategory.LIGHTING, 22),
    (RepairCategory.PLUMBING, 16),
    (RepairCategory.DOORS, 16),
    (RepairCategory.FURNITURE, 18),
    (RepairCategory.IT, 18),
    (RepairCategory.BUILDING, 5),
    (RepairCategory.OTHER, 5),
]
# the newest requests are still being worked on; older ones are closed
RECENT = [
    (Status.REPORTED, 20),
    (Status.ASSIGNED, 20),
    (Status.IN_PROGRESS, 15),
    (Status.DONE, 20),
    (Status.CONFIRMED, 15),
    (Status.REJECTED, 5),
    (Status.CANCELLED, 5),
]
OLD = [(Status.CONFIRMED, 88), (Status.DONE, 2), (Status.REJECTED, 5), (Status.CANCELLED, 5)]
RECENT_DAYS = 15
REJECTIONS = ["不属于后勤维修范围, 请联系信息中心", "已有同一故障的报修单", "经查看设备正常"]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build_large(builder):
    """Build the register and the repairs of the large school; returns the lines of the command's report."""
    categories = _categories(builder)
    assets, asset_history = _register(builder, categories)
    repairs, repair_history = _repairs(builder)
    stocktake = _stocktake(builder)
    return [
        f"Assets: {assets} register records ({asset_history} history rows)",
        f"Repairs: {repairs} requests ({repair_history} history rows)",
        f"Stocktake: {stocktake.name}, {stocktake.lines} lines to count",
    ]


def _stocktake(builder):
    """This term's end-of-term stocktake of the main campus's busiest building, opened by the head through the
    service (one sheet per room, a line per asset, in bulk with its history): its longest sheet is what the
    benchmark prints."""
    from django.db.models import Count

    from ..services.stocktake import rooms_with_assets, stocktake_open

    busiest = (rooms_with_assets().values("building").annotate(n=Count("assets")).order_by("-n", "building")
               .values_list("building", flat=True).first())
    rooms = list(rooms_with_assets().filter(building=busiest))
    term = builder.terms[-1]
    stocktake = stocktake_open(by=builder.by_role[roles.LOGISTICS_HEAD][0], name=f"{term.name}期末资产盘点",
                               term=term, locations=rooms, now=builder.now)
    stocktake.lines = StocktakeLine.objects.filter(room__stocktake=stocktake).count()
    return stocktake


def _categories(builder):
    existing = {c.name: c for c in AssetCategory.objects.all()}
    new = [
        AssetCategory(name=name, code=code, is_fixed_asset=fixed)
        for name, code, fixed in CATEGORIES
        if name not in existing
    ]
    builder.write(AssetCategory, new)
    when = builder.at(builder.first_day, 8)
    builder.history(
        builder.history_row(
            c, when=when, by=builder.base.users["head"], kind="+", reason=history_reason(gettext_noop("category added"))
        )
        for c in new
    )
    return {**existing, **{c.name: c for c in new}}


def _register(builder, categories):
    rng = builder.rng
    rooms, days = builder.rooms, builder.school_days
    staff = builder.by_role[roles.STAFF]
    workers = builder.by_role[roles.LOGISTICS]
    registered = history_reason(gettext_noop("registered"))
    corrected = history_reason(gettext_noop("details corrected"))
    n = builder.count(ASSETS)
    plans = sorted(
        ((builder.working_moment(rng.choice(days)), rng.choice(rooms)) for _i in range(n)), key=lambda p: p[0]
    )
    tag = builder.numbers(Asset, TAG_PREFIX, field="tag")
    # the first school day of each school year: classes and rooms change hands
    septembers = sorted(
        {min(d for d in days if d.year == year and d.month == 9) for year in {d.year for d in days if d.month == 9}}
    )
    total = history_total = 0
    for start in range(0, n, CHUNK):
        objects, events = [], []
        for created, room in plans[start : start + CHUNK]:
            category = _weighted(rng, BY_KIND.get(room.kind, BY_KIND[Kind.OTHER]))
            name, spec, brand, unit, price, (low, high) = rng.choice(ITEMS[category])
            by = rng.choice(workers)
            state = {
                "location_id": room.pk,
                "custodian_id": rng.choice(staff).pk,
                "status": AssetStatus.IN_USE,
                "disposed_on": None,
                "disposed_value": None,
                "version": 1,
            }
            steps = [(created, by, registered, "+", dict(state))]
            for september in septembers:
                if september > created.date() and rng.random() < 0.35:
                    moment = builder.working_moment(september)
                    if rng.random() < 0.25:
                        new_room = rng.choice(rooms)
                        reason = history_reason(
                            gettext_noop("moved from %(old)s to %(new)s"),
                            old=_room_name(rooms, state["location_id"]),
                            new=str(new_room),
                        )
                        state["location_id"] = new_room.pk
                    else:
                        reason = corrected
                        state["custodian_id"] = rng.choice(staff).pk
                    state["version"] += 1
                    steps.append((moment, rng.choice(workers), reason, "~", dict(state)))
            final = _weighted(rng, FINAL_STATUS)
            quantity = rng.randint(low, high)
            unit_price = Decimal(price)
            if final != AssetStatus.IN_USE:
                moment = builder.later(max(steps[-1][0], created), 24, 24 * 300)
                state["status"] = final
                state["version"] += 1
                if final in Asset.INACTIVE_STATUSES:
                    state["disposed_on"] = moment.date()
                    state["disposed_value"] = unit_price * quantity
                    reason = (
                        history_reason(gettext_noop("written off: %(why)s"), why="超过使用年限, 无法修复")
                        if final == AssetStatus.WRITTEN_OFF
                        else corrected
                    )
                elif final == AssetStatus.DAMAGED:
                    reason = history_reason(gettext_noop("damaged: %(what)s"), what="外壳破损")
                else:
                    reason = corrected
                steps.append((moment, rng.choice(workers), reason, "~", dict(state)))
            acquired = created.date()
            objects.append(
                Asset(
                    tag=tag(created),
                    name=name,
                    spec=spec,
                    brand=brand,
                    category=categories[category],
                    department=rng.choice(builder.departments),
                    funding_source=_weighted(
                        rng, [(FundingSource.FISCAL, 80), (FundingSource.SELF, 15), (FundingSource.DONATION, 5)]
                    ),
                    acquired_on=acquired,
                    unit_price=unit_price,
                    quantity=quantity,
                    unit=unit,
                    invoice_number=f"{acquired:%y%m}{rng.randint(100000, 999999)}",
                    serial_number=f"SN{acquired:%y}{rng.randint(10**7, 10**8 - 1)}" if quantity == 1 else "",
                    created_at=created,
                    **state,
                )
            )
            events.append(steps)
        builder.write(Asset, objects)
        rows = [
            builder.history_row(obj, when=when, by=by, reason=reason, kind=kind, state=at)
            for obj, steps in zip(objects, events, strict=True)
            for when, by, reason, kind, at in steps
        ]
        history_total += builder.history(rows)
        total += len(objects)
    return total, history_total


def _room_name(rooms, pk):
    if not hasattr(_room_name, "cache") or _room_name.cache[0] is not rooms:
        _room_name.cache = (rooms, {r.pk: str(r) for r in rooms})
    return _room_name.cache[1].get(pk, "")


def _repairs(builder):
    rng = builder.rng
    days = builder.school_days
    reporters = builder.employees
    workers, heads = builder.by_role[roles.LOGISTICS], builder.by_role[roles.LOGISTICS_HEAD]
    profile = AssetSettings.get()
    targets = {
        Urgency.URGENT: profile.repair_target_urgent_hours,
        Urgency.NORMAL: profile.repair_target_normal_hours,
        Urgency.LOW: profile.repair_target_low_hours,
    }
    in_room = {}
    for pk, location_id in Asset.objects.filter(location__in=builder.rooms).values_list("pk", "location_id"):
        in_room.setdefault(location_id, []).append(pk)
    n = builder.count(REPAIRS)
    recent = set(days[-RECENT_DAYS:])
    plans = sorted(
        ((builder.working_moment(rng.choice(days)), rng.choice(builder.rooms)) for _i in range(n)), key=lambda p: p[0]
    )
    # every status at any scale: the newest requests take each of them once
    forced = list(reversed(Status.values))
    number = builder.numbers(RepairRequest, "WX")
    total = history_total = 0
    for start in range(0, n, CHUNK):
        objects, events = [], []
        for i, (reported, room) in enumerate(plans[start : start + CHUNK], start=start):
            left = n - 1 - i
            if left < len(forced):
                status = forced[left]
            else:
                status = _weighted(rng, RECENT if reported.date() in recent else OLD)
            category = _weighted(rng, CATEGORY_WEIGHTS)
            title, work, parts, cost = rng.choice(FAULTS[category])
            urgency = _weighted(rng, [(Urgency.URGENT, 10), (Urgency.NORMAL, 75), (Urgency.LOW, 15)])
            reporter = rng.choice(reporters)
            obj = RepairRequest(
                number=number(reported),
                category=category,
                location=room,
                title=title,
                description=f"{room}: {title}",
                urgency=urgency,
                reporter=reporter,
                reported_at=reported,
                due_at=reported + datetime.timedelta(hours=targets[urgency]),
                asset_id=rng.choice(in_room[room.pk]) if room.pk in in_room and rng.random() < 0.3 else None,
            )
            steps = _repair_steps(builder, obj, status, work=work, parts=parts, cost=cost, workers=workers, heads=heads)
            objects.append(obj)
            events.append(steps)
        builder.write(RepairRequest, objects)
        rows = [
            builder.history_row(obj, when=when, by=by, reason=reason, kind=kind, state=at)
            for obj, steps in zip(objects, events, strict=True)
            for when, by, reason, kind, at in steps
        ]
        history_total += builder.history(rows)
        total += len(objects)
    return total, history_total


def _repair_steps(builder, repair, status, *, work, parts, cost, workers, heads):
    """The moves that brought repair to status, as history steps; sets repair's fields to the last state."""
    rng = builder.rng
    state = {
        "status": Status.REPORTED,
        "assignee_id": None,
        "assigned_at": None,
        "started_at": None,
        "completed_at": None,
        "closed_at": None,
        "work_done": "",
        "parts_used": "",
        "cost": None,
        "minutes_spent": None,
        "reason": "",
        "version": 1,
    }
    steps = [(repair.reported_at, repair.reporter, history_reason(gettext_noop("reported")), "+", dict(state))]

    def step(when, by, why, /, **changes):
        state.update(changes, version=state["version"] + 1)
        steps.append((when, by, why, "~", dict(state)))

    moment = repair.reported_at
    if status == Status.CANCELLED:
        when = builder.later(moment, 0.2, 6)
        step(
            when,
            repair.reporter,
            history_reason(gettext_noop("cancelled by the reporter")),
            status=Status.CANCELLED,
            closed_at=when,
        )
    elif status == Status.REJECTED:
        why = rng.choice(REJECTIONS)
        when = builder.later(moment, 0.5, 8)
        step(
            when,
            rng.choice(heads),
            history_reason(gettext_noop("rejected: %(reason)s"), reason=why),
            status=Status.REJECTED,
            reason=why,
            closed_at=when,
        )
    elif status != Status.REPORTED:
        worker = rng.choice(workers)
        moment = builder.later(moment, 0.2, 4)
        step(
            moment,
            rng.choice(heads),
            history_reason(gettext_noop("assigned to %(name)s"), name=display_name(worker)),
            status=Status.ASSIGNED,
            assignee_id=worker.pk,
            assigned_at=moment,
        )
        if status != Status.ASSIGNED:
            moment = builder.later(moment, 0.1, 24)
            step(
                moment,
                worker,
                history_reason(gettext_noop("work started")),
                status=Status.IN_PROGRESS,
                started_at=moment,
            )
        if status in (Status.DONE, Status.CONFIRMED):
            moment = builder.later(moment, 0.5, 48)
            step(
                moment,
                worker,
                history_reason(gettext_noop("marked done: %(work)s"), work=work),
                status=Status.DONE,
                completed_at=moment,
                work_done=work,
                parts_used=parts,
                cost=Decimal(cost) if cost else None,
                minutes_spent=rng.choice([20, 30, 45, 60, 90, 120, 180]),
            )
        if status == Status.CONFIRMED:
            moment = builder.later(moment, 1, 72)
            step(
                moment,
                repair.reporter,
                history_reason(gettext_noop("confirmed fixed by the reporter")),
                status=Status.CONFIRMED,
                closed_at=moment,
            )
    for name, value in state.items():
        setattr(repair, name, value)
    return steps
