"""Demo supplies: the store room's stock, stock-ins, the term-start workbook distribution to the six
classes, requisitions in every state and print jobs (one large one waiting for the head).

Everything is made through the services, so stock, ledger and history agree; called by seed_demo.
"""
import datetime
from decimal import Decimal

from django.utils import timezone

from logistics.models import Department, Term

from .. import services
from ..models import PrintRequest, Requisition, SupplyItem

K = SupplyItem.Kind

# name, spec, kind, unit, warn below, [(quantity, supplier, unit price)]
ITEMS = [
    ("语文作业本", "16开 田字格", K.TEXTBOOK, "本", 100, [(800, "新华书店青山区分店", "0.80")]),
    ("数学作业本", "16开 方格", K.TEXTBOOK, "本", 100, [(800, "新华书店青山区分店", "0.80")]),
    ("英语作业本", "16开 四线格", K.TEXTBOOK, "本", 60, [(400, "新华书店青山区分店", "0.80")]),
    ("粉笔", "无尘 白色", K.OFFICE, "盒", 20, [(120, "晨光文具批发部", "3.50")]),
    ("白板笔", "黑色", K.OFFICE, "支", 30, [(60, "晨光文具批发部", "2.00")]),
    ("A4 复印纸", "70g 500张×5包", K.PAPER, "箱", 5, [(30, "青山办公用品公司", "118.00"),
                                                      (10, "青山办公用品公司", "115.00")]),
    ("硒鼓", "HP 88A", K.TONER, "个", 2, [(4, "青山办公用品公司", "260.00")]),
    ("洗手液", "500ml", K.CLEANING, "瓶", 20, [(60, "百洁日化经营部", "9.90")]),
    ("扫帚", "", K.CLEANING, "把", 10, [(30, "百洁日化经营部", "12.00")]),
    ("拖把", "棉线", K.CLEANING, "把", 10, [(24, "百洁日化经营部", "18.00")]),
    ("垃圾袋", "大号 50只/卷", K.CLEANING, "卷", 20, [(50, "百洁日化经营部", "6.50")]),
]

CLASSES = ["一(1)班", "二(1)班", "三(1)班", "四(1)班", "五(1)班", "六(1)班"]
# pupils per class: the workbooks a class needs (two of each per pupil for the term, a few spare)
PUPILS = {"一(1)班": 42, "二(1)班": 45, "三(1)班": 44, "四(1)班": 46, "五(1)班": 43, "六(1)班": 47}


def seed(builder):
    """Add the supplies demo once; return a line for the command's summary."""
    if SupplyItem.objects.exists() or Requisition.objects.exists() or PrintRequest.objects.exists():
        return "Supplies: already there, left as they are."
    users = builder.users
    logistics, head = users["logistics"], users["head"]
    term = builder.current_term
    previous = Term.objects.filter(name=builder.term_defs[0][0]).first()
    now = builder.now
    clock = builder.clock

    def on(term, days, hour=10):
        """`days` days into `term` (negative: before it began), at `hour`, within the term."""
        start = builder.at(term.start, 8, 30)
        latest = min(now, builder.at(term.end, 17))
        return clock(min(latest, start + datetime.timedelta(days=days, hours=hour - 8)))

    def at(days, hour=10):
        return on(term, days, hour)

    items = {}
    with on(previous or term, -7, 9):
        for name, spec, kind, unit, warn, _stock in ITEMS:
            items[name] = services.supply_item_save(by=head, name=name, spec=spec, kind=kind, unit=unit,
                                                    low_stock_threshold=warn)
    rooms = [builder.rooms[c] for c in CLASSES if c in builder.rooms]
    depts = {d.name: d for d in Department.objects.all()}
    room = builder.rooms.get

    # The previous term: its workbooks and chalk received, distributed and a few requisitions issued.
    if previous is not None:
        with on(previous, -5, 9):
            for name in ("语文作业本", "数学作业本", "英语作业本", "粉笔"):
                qty, supplier, price = _receipts(name)[0]
                services.supply_stock_in(item_id=items[name].pk, by=logistics, quantity=qty, supplier=supplier,
                                         unit_price=Decimal(price))
        _distribute(builder, previous, items, rooms, logistics, on)
        with on(previous, 30):
            r = services.requisition_submit(by=users["teacher3"], department=depts.get("英语组"),
                                            location=room("三(1)班"), reason="英语课板书用",
                                            lines=[(items["粉笔"], 4)])
        with on(previous, 30, 15):
            services.requisition_issue(requisition_id=r.pk, by=logistics)

    # This term: stock received before it began.
    with at(-5, 9):
        for name, _spec, _kind, _unit, _warn, receipts in ITEMS:
            qty, supplier, price = receipts[0]
            services.supply_stock_in(item_id=items[name].pk, by=logistics, quantity=qty, supplier=supplier,
                                     unit_price=Decimal(price))
    # The term-start distribution of workbooks to the six classes, issued and signed for.
    _distribute(builder, term, items, rooms, logistics, on)

    # Requisitions: issued (one in part), waiting, rejected, cancelled (in the order they came in).
    with at(7):
        r1 = services.requisition_submit(
            by=users["teacher"], department=depts.get("语文组"), location=room("一(1)班"), reason="班级卫生打扫用",
            lines=[(items["扫帚"], 2), (items["拖把"], 2), (items["垃圾袋"], 3)])
    with at(7, 15):
        services.requisition_issue(requisition_id=r1.pk, by=logistics)
    with at(10):
        r6 = services.requisition_submit(by=users["teacher2"], department=depts.get("数学组"), reason="教室用粉笔",
                                         lines=[(items["粉笔"], 5)])
    with at(10, 11):
        services.requisition_cancel(requisition_id=r6.pk, by=users["teacher2"])
    with at(12):
        r2 = services.requisition_submit(by=users["teacher2"], department=depts.get("数学组"),
                                         reason="数学组教研活动、出试卷用",
                                         lines=[(items["A4 复印纸"], 4), (items["白板笔"], 10)])
    line = r2.lines.get(item=items["A4 复印纸"])
    with at(12, 16):
        services.requisition_issue(requisition_id=r2.pk, by=logistics, quantities={line.pk: 2},
                                   note="复印纸先领2箱，用完再来领。")
    with at(15):
        r5 = services.requisition_submit(by=users["teacher4"], department=depts.get("体育组"),
                                         reason="体育组办公室想要硒鼓备用", lines=[(items["硒鼓"], 2)])
    with at(15, 14):
        services.requisition_reject(requisition_id=r5.pk, by=logistics,
                                    note="硒鼓由总务处统一更换，打印机没粉时报修即可，不单独领用。")
    with at(20):
        services.requisition_submit(by=users["teacher3"], department=depts.get("英语组"), location=room("三(1)班"),
                                    reason="英语课板书用白板笔没水了", lines=[(items["白板笔"], 6)])
    with at(21):
        services.requisition_submit(by=users["teacher"], department=depts.get("语文组"), location=room("一(1)班"),
                                    reason="流感季节，教室门口洗手液用完了", lines=[(items["洗手液"], 4)])

    # Later deliveries, after the issues above (the ledger's balances follow the dates).
    with at(25, 9):
        for name, _spec, _kind, _unit, _warn, receipts in ITEMS:
            for qty, supplier, price in receipts[1:]:
                services.supply_stock_in(item_id=items[name].pk, by=logistics, quantity=qty, supplier=supplier,
                                         unit_price=Decimal(price))

    # Print jobs: printed ones over the term, one to print, one large one waiting for the head, one rejected.
    printed = [
        ("principal", "办公室", "学期工作计划(教师会)", 8, 40, True, 2),
        ("teacher", "语文组", "一年级拼音练习", 4, 45, True, 3),
        ("head", "总务处", "校园安全告家长书", 1, 270, True, 5),
        ("teacher2", "数学组", "三年级数学单元测试卷", 2, 46, False, 9),
        ("teacher3", "英语组", "四年级英语单词默写纸", 1, 140, False, 16),
        ("teacher2", "数学组", "五年级期中测试卷", 4, 45, True, 30),
    ]
    if previous is not None:
        with on(previous, 40, 9):
            job = services.print_submit(by=users["teacher2"], department=depts["数学组"], title="五年级期末复习卷",
                                        pages=4, copies=45, double_sided=True)
        with on(previous, 40, 11):
            services.print_done(request_id=job.pk, by=logistics)
    for who, dept, title, pages, copies, double, day in printed:
        with at(day, 9):
            job = services.print_submit(by=users[who], department=depts[dept], title=title, pages=pages,
                                        copies=copies, double_sided=double)
        if job.status == PrintRequest.Status.SUBMITTED:
            with at(day, 10):
                services.print_approve(request_id=job.pk, by=head)
        with at(day, 11):
            services.print_done(request_id=job.pk, by=logistics)
    today = timezone.localdate(now)
    recent = builder.days_ago(1, 14)
    with clock(recent):
        services.print_submit(by=users["teacher"], department=depts["语文组"], title="一(1)班家长会通知", pages=1,
                              copies=45, double_sided=False, needed_by=today + datetime.timedelta(days=2))
    with clock(recent + datetime.timedelta(minutes=20)):
        services.print_submit(by=users["teacher2"], department=depts["数学组"], title="六年级毕业复习资料汇编",
                              pages=24, copies=50, double_sided=True, needed_by=today + datetime.timedelta(days=7))
    with clock(recent + datetime.timedelta(minutes=40)):
        big = services.print_submit(by=users["teacher4"], department=depts["体育组"], title="运动会秩序册", pages=30,
                                    copies=60, double_sided=False)
    with clock(recent + datetime.timedelta(hours=2)):
        services.print_reject(request_id=big.pk, by=head, note="请改为双面打印，每班一册即可，不用人手一册。")
    return (f"Supplies: {len(items)} items, a term-start distribution to {len(rooms)} classes in each of "
            f"{2 if previous else 1} terms, {Requisition.objects.count()} requisitions, "
            f"{PrintRequest.objects.count()} print requests.")


def _receipts(name):
    return next(receipts for item, _spec, _kind, _unit, _warn, receipts in ITEMS if item == name)


def _distribute(builder, term, items, rooms, by, on):
    """The term-start distribution of workbooks and chalk to the classes: drafted, then issued."""
    lines = []
    for room in rooms:
        pupils = PUPILS.get(room.name, 45)
        lines += [(room, items["语文作业本"], pupils * 2 + 4), (room, items["数学作业本"], pupils * 2 + 4)]
        if not room.name.startswith(("一", "二")):  # English starts in year three
            lines.append((room, items["英语作业本"], pupils + 2))
        lines.append((room, items["粉笔"], 6))
    season = "秋季" if term.start.month >= 8 else "春季"
    with on(term, -2):
        distribution = services.distribution_create(by=by, title=f"{season}开学作业本、粉笔发放", lines=lines,
                                                    term=term)
    with on(term, 0, 14):
        services.distribution_issue(distribution_id=distribution.pk, by=by)
