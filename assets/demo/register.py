"""Demo data of the asset register: the school's 班班通, computers, projectors, furniture, sports equipment,
200 pots of flowers and 20,000 library books, registered through the services; a few past repairs are
linked to the asset they were about."""
import datetime
from decimal import Decimal

from logistics.models import Department

from .. import services
from ..models import Asset, AssetCategory, FundingSource, RepairRequest

# (name, GB/T 14885-2022 code or a top-level one when the finer code is not certain, fixed asset?)
CATEGORIES = [
    ("台式计算机", "A02010105", True),
    ("打印机", "A02021000", True),
    ("交互式一体机(班班通)", "A02", True),
    ("投影仪", "A02", True),
    ("音响设备", "A02", True),
    ("空调机", "A02", True),
    ("钢琴", "A02", True),
    ("教学、实验用桌", "A05010203", False),
    ("教学、实验椅凳", "A05010304", False),
    ("书柜", "A05", False),
    ("教具", "A05040403", False),
    ("体育器材", "A05", False),
    ("图书", "A04", False),
    ("花卉", "A06", False),
]

CLASSROOMS = ["一(1)班", "二(1)班", "三(1)班", "四(1)班", "五(1)班", "六(1)班"]


def _day(text):
    return datetime.date.fromisoformat(text)


def _assets():
    """(category, fields) of every record, oldest first."""
    rows = []
    for i, room in enumerate(CLASSROOMS):
        rows.append(("交互式一体机(班班通)", dict(
            name="班班通交互式一体机", brand="希沃", spec="86英寸 F86EA", unit="台", quantity=1,
            unit_price="19800.00", acquired_on="2021-08-20", invoice=f"33012100{41 + i:02d}",
            serial=f"SEEWO-F86EA-21{i + 1:04d}", room=room, custodian="logistics2", department="教导处")))
        rows.append(("教学、实验用桌", dict(
            name="学生课桌(单人)", spec="可升降 600×400mm", unit="张", quantity=45, unit_price="180.00",
            acquired_on="2019-08-15", room=room, custodian="teacher" if room == "一(1)班" else None,
            department="总务处")))
        rows.append(("教学、实验椅凳", dict(
            name="学生椅", spec="可升降", unit="把", quantity=45, unit_price="85.00", acquired_on="2019-08-15",
            room=room, custodian="teacher" if room == "一(1)班" else None, department="总务处")))
    for n in range(1, 41):
        rows.append(("台式计算机", dict(
            name=f"学生计算机 {n:02d}号", brand="联想", spec="启天 M437 i5/8G/256G", unit="台", quantity=1,
            unit_price="3650.00", acquired_on="2025-08-28", invoice="34012500318", serial=f"PC0Q8{n:05d}",
            room="微机室", custodian="teacher2", department="教导处")))
    rows.append(("台式计算机", dict(
        name="教师机", brand="联想", spec="启天 M437 i7/16G/512G", unit="台", quantity=1, unit_price="5200.00",
        acquired_on="2025-08-28", invoice="34012500318", serial="PC0Q8T0001", room="微机室", custodian="teacher2",
        department="教导处")))
    for n, room in enumerate(["教师办公室", "教师办公室", "教师办公室", "教导处", "总务处", "财务室"], start=1):
        rows.append(("台式计算机", dict(
            name="办公计算机", brand="联想", spec="扬天 M4000e", unit="台", quantity=1, unit_price="4100.00",
            acquired_on="2020-03-10", serial=f"YT4K20{n:04d}", room=room,
            custodian={"财务室": "finance", "总务处": "head"}.get(room), department="办公室")))
    for room, custodian in (("教导处", "teacher"), ("总务处", "head"), ("财务室", "finance")):
        rows.append(("打印机", dict(
            name="激光打印机", brand="惠普", spec="LaserJet Pro M203dn", unit="台", quantity=1, unit_price="1899.00",
            acquired_on="2022-03-01", serial=f"VNB3K{len(rows):05d}", room=room, custodian=custodian,
            department="办公室")))
    rows.append(("投影仪", dict(
        name="投影仪", brand="爱普生", spec="CB-X06", unit="台", quantity=1, unit_price="3299.00",
        acquired_on="2020-09-01", serial="X6EP200912", room="多媒体室", custodian="logistics2", department="教导处")))
    rows.append(("投影仪", dict(
        name="投影仪", brand="爱普生", spec="CB-FH52", unit="台", quantity=1, unit_price="4599.00",
        acquired_on="2023-04-12", serial="FH52EP2304", room="会议室", custodian="head", department="办公室")))
    rows.append(("投影仪", dict(
        name="投影仪(旧，备用)", brand="明基", spec="MS527", unit="台", quantity=1, unit_price="2680.00",
        acquired_on="2014-09-01", room="总务处", custodian="head", department="总务处", status="idle",
        notes="多媒体室换新后留作备用，灯泡寿命将尽。")))
    rows.append(("音响设备", dict(
        name="功放音响", brand="惠威", spec="HiVi 功放+音箱一对", unit="套", quantity=1, unit_price="2380.00",
        acquired_on="2018-05-20", room="音乐室", custodian="teacher3", department="教导处")))
    rows.append(("钢琴", dict(
        name="立式钢琴", brand="珠江", spec="UP118", unit="台", quantity=1, unit_price="13800.00",
        acquired_on="2016-09-01", serial="PR118-160901", room="音乐室", custodian="teacher3",
        department="教导处")))
    rows.append(("空调机", dict(
        name="柜式空调", brand="格力", spec="3匹 KFR-72LW", unit="台", quantity=1, unit_price="6999.00",
        acquired_on="2019-06-18", room="会议室", custodian="head", department="办公室")))
    rows.append(("教具", dict(
        name="学生显微镜", brand="凤凰", spec="XSP-06 640倍", unit="台", quantity=20, unit_price="280.00",
        acquired_on="2020-10-09", room="实验室", custodian="teacher2", department="教导处")))
    rows.append(("书柜", dict(
        name="图书书架(双面)", spec="钢制 五层", unit="个", quantity=20, unit_price="760.00", acquired_on="2018-08-25",
        room="图书室", custodian="teacher3", department="教导处")))
    rows.append(("书柜", dict(
        name="办公文件柜", spec="钢制 对开门", unit="个", quantity=8, unit_price="650.00", acquired_on="2018-08-25",
        room="教师办公室", custodian="head", department="办公室")))
    for name, qty, price, acquired, funding, notes in (
        ("图书(2018年配备)", 8000, "24.50", "2018-09-10", FundingSource.FISCAL, "义务教育均衡发展配备"),
        ("图书(2022年补充)", 7000, "28.00", "2022-04-20", FundingSource.FISCAL, ""),
        ("图书(社会捐赠)", 5000, "22.00", "2024-06-01", FundingSource.DONATION, "“书香校园”活动，家长和社会捐赠"),
    ):
        rows.append(("图书", dict(
            name=name, unit="册", quantity=qty, unit_price=price, acquired_on=acquired, funding=funding, notes=notes,
            room="图书室", custodian="teacher3", department="教导处")))
    for name, spec, unit, qty, price, room in (
        ("篮球架", "移动式 标准", "副", 2, "3200.00", "篮球场"),
        ("乒乓球台", "室外 SMC", "张", 4, "1350.00", "运动场"),
        ("篮球", "7号 PU", "个", 30, "98.00", "运动场"),
        ("足球", "4号", "个", 20, "85.00", "运动场"),
        ("跳绳", "竹节", "根", 100, "8.00", "运动场"),
    ):
        rows.append(("体育器材", dict(
            name=name, spec=spec, unit=unit, quantity=qty, unit_price=price, acquired_on="2023-03-01", room=room,
            custodian="teacher4", department="体育组")))
    rows.append(("花卉", dict(
        name="盆栽花卉", spec="月季、绿萝、吊兰、三角梅等", unit="盆", quantity=200, unit_price="25.00",
        acquired_on="2024-03-12", funding=FundingSource.SELF, room="花坛", custodian="logistics2",
        department="总务处", notes="校园绿化，假期由后勤照看。")))
    return rows


# (repair title, room) -> what the repair was about: (asset name, room)
REPAIR_LINKS = [
    ("班班通无信号", "四(1)班", "班班通交互式一体机", "四(1)班"),
    ("班班通没有信号", "四(1)班", "班班通交互式一体机", "四(1)班"),
    ("电子白板触控失灵", "三(1)班", "班班通交互式一体机", "三(1)班"),
    ("班班通开机无声音", "五(1)班", "班班通交互式一体机", "五(1)班"),
    ("微机室电脑无法开机", "微机室", "学生计算机 12号", "微机室"),
    ("投影仪画面发黄偏暗", "多媒体室", "投影仪", "多媒体室"),
    ("音响有杂音", "音乐室", "功放音响", "音乐室"),
    ("空调不制冷", "会议室", "柜式空调", "会议室"),
    ("打印机卡纸", "教导处", "激光打印机", "教导处"),
    ("课桌椅松动", "二(1)班", "学生课桌(单人)", "二(1)班"),
    ("椅子断腿", "一(1)班", "学生椅", "一(1)班"),
]


def _this_years(today):
    """This year's additions, so the year's asset-change report has some: a new lesson-preparation
    computer (“为了使教师网上备课……配备了一台新电脑”) and more flowers for the beds."""
    return [
        ("台式计算机", dict(
            name="备课计算机", brand="联想", spec="扬天 M4000e i5/16G/512G", unit="台", quantity=1,
            unit_price="4300.00", acquired_on=today - datetime.timedelta(days=40), invoice="34012600457",
            serial="YT4K26N001", room="教师办公室", custodian="teacher", department="语文组")),
        ("花卉", dict(
            name="盆栽花卉(新购)", spec="菊花、一串红", unit="盆", quantity=60, unit_price="12.00",
            acquired_on=today - datetime.timedelta(days=20), funding=FundingSource.SELF, room="花坛",
            custodian="logistics2")),
    ]


def seed(builder):
    """Add the register; return a line for the command's summary, or None."""
    if Asset.objects.exists():
        return "Asset register already there: left as it is."
    head = builder.users["head"]
    records = [(category, f, f["acquired_on"] if isinstance(f["acquired_on"], datetime.date)
                else _day(f["acquired_on"])) for category, f in _assets() + _this_years(builder.today)]
    records.sort(key=lambda record: record[2])  # registered in the order they arrived
    categories = {}
    # The categories were set up before the oldest asset was registered.
    with builder.clock(builder.at(records[0][2], 9, 0)):
        for name, code, fixed in CATEGORIES:
            category = AssetCategory.objects.filter(name=name).first()
            categories[name] = category or services.asset_category_create(by=head, name=name, code=code,
                                                                          is_fixed_asset=fixed)
    departments = {d.name: d for d in Department.objects.all()}
    registrar = builder.users["logistics"]
    for category, f, acquired in records:
        # Registered the day it arrived (tags carry the year it joined the register; its history starts then).
        with builder.clock(builder.at(acquired, 10, 0)):
            services.asset_register(
                by=registrar, name=f["name"], category=categories[category], location=builder.rooms[f["room"]],
                unit_price=Decimal(f["unit_price"]), quantity=f.get("quantity", 1), unit=f.get("unit", "台"),
                spec=f.get("spec", ""), brand=f.get("brand", ""),
                custodian=builder.users.get(f["custodian"]) if f.get("custodian") else None,
                department=departments.get(f.get("department")),
                funding_source=f.get("funding", FundingSource.FISCAL), acquired_on=acquired,
                serial_number=f.get("serial", ""), invoice_number=f.get("invoice", ""), notes=f.get("notes", ""),
                status=f.get("status", Asset.Status.IN_USE))
    linked = _link_repairs(builder)
    count = Asset.objects.count()
    return f"Asset register: {count} records ({linked} past repairs linked to their asset)."


def _link_repairs(builder):
    """Link the demo's past repairs to the asset they were about, as if reported from its page (the
    history rows too, so the timeline does not show a later change)."""
    linked = 0
    for title, room, asset_name, asset_room in REPAIR_LINKS:
        asset = Asset.objects.filter(name=asset_name, location=builder.rooms.get(asset_room)).first()
        ids = list(RepairRequest.objects.filter(title=title, location=builder.rooms.get(room), asset=None)
                   .values_list("pk", flat=True))
        if asset is None or not ids:
            continue
        RepairRequest.objects.filter(pk__in=ids).update(asset=asset)
        RepairRequest.history.filter(id__in=ids).update(asset=asset)
        linked += len(ids)
    return linked
