"""Demo safety inspections, built through the services at their business moments (builder.clock):

- 开学前安全大检查 (full check, the typical checklist) on the first day of the current term by the safety officer:
  the fire extinguishers' pressure was low (张建国 replaced them two days later with a photo; the safety officer
  verified it: closed) and a distribution box had no cover (李明 fixed it; the head's re-check did not pass, and the
  head gave more time: reopened).
- 每周安全巡查 every Monday of the term by 张建国 of logistics: two weeks ago he found the fire escape blocked (to the
  safety officer, who cleared it with a photo: fixed, awaiting the head's re-check); last Monday's he forgot (overdue).
- 每月安全抽查 (spot check) on the 15th by the safety officer: a loose basketball stand (serious, 李明), still not fixed
  after its two days: overdue.
- 每日校门安全巡查 every school day by the safety officer, the last five recorded: yesterday a manhole cover near the
  gate was cracked (李明, within its deadline). Today's patrol (else the last school day's) is left to do."""
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image, ImageDraw

from logistics.demo import is_school_day
from logistics.findings.services import finding_extend, finding_fix, finding_verify
from logistics.history import history_reason
from logistics.models import Finding
from logistics.services import save_with_history

from ..models.inspections import CheckArea, Inspection, InspectionPlan, InspectionResult, PlanItem
from ..services import inspections as services
from ..services.common import AREA as HAZARDS

FULL = "开学前安全大检查"
WEEKLY = "每周安全巡查"
MONTHLY = "每月安全抽查"
DAILY = "每日校门安全巡查"
MONDAY = 0

# The term-start full check: the typical school checklist, in the school's words.
FULL_ITEMS = [
    (CheckArea.BUILDINGS, "墙体、天花板、楼梯无裂缝、无脱落，栏杆牢固"),
    (CheckArea.BUILDINGS, "门窗开关正常，高层窗户限位器、护栏牢固"),
    (CheckArea.FIRE, "灭火器配置齐全，压力在绿区，在有效期内"),
    (CheckArea.FIRE, "消火栓、水带完好，未被遮挡"),
    (CheckArea.FIRE, "应急照明灯、安全出口指示灯正常"),
    (CheckArea.FIRE, "疏散通道、楼梯畅通，安全出口未上锁"),
    (CheckArea.ELECTRICS, "插座、开关、线路完好，无裸露电线、无私拉乱接"),
    (CheckArea.ELECTRICS, "配电箱关闭、标识清楚，漏电保护器试跳正常"),
    (CheckArea.CCTV, "监控覆盖校门、楼梯、操场，录像保存30天以上"),
    (CheckArea.CCTV, "一键报警装置与公安联网正常"),
    (CheckArea.GROUNDS, "操场地面平整，无坑洼"),
    (CheckArea.SPORTS, "篮球架、球门、攀爬架稳固，无锈蚀、无尖锐棱角"),
    (CheckArea.NOTICEBOARDS, "宣传栏、标识牌、悬挂物固定牢靠"),
    (CheckArea.NOTICEBOARDS, "安全警示标志齐全（禁止攀爬、防溺水、高压危险）"),
    (CheckArea.PIPES, "水管、燃气管道无渗漏，阀门正常"),
    (CheckArea.PIPES, "窨井盖、排水沟盖板齐全无破损"),
    (CheckArea.GATES, "校门、门卫室、防冲撞设施完好，来访登记规范"),
    (CheckArea.GATES, "围墙、围栏完好，无倾斜"),
    (CheckArea.GATES, "厕所地面干燥防滑，照明、门锁完好"),
    (CheckArea.TREES, "树木无枯枝悬挂于通道上方，无倾斜树木"),
    (CheckArea.SPECIAL_ROOMS, "实验室危化品专柜存放、双人双锁、登记完整"),
    (CheckArea.SPECIAL_ROOMS, "微机室、多媒体室用后断电，设备无过热"),
]
WEEKLY_ITEMS = [
    (CheckArea.FIRE, "灭火器在位，压力正常"),
    (CheckArea.FIRE, "疏散通道、楼梯畅通无杂物"),
    (CheckArea.ELECTRICS, "教室、办公室人走断电"),
    (CheckArea.BUILDINGS, "走廊栏杆、窗户护栏牢固"),
    (CheckArea.GATES, "厕所地面干燥防滑"),
    (CheckArea.GROUNDS, "操场及运动器械无损坏"),
]
MONTHLY_ITEMS = [
    (CheckArea.SPORTS, "篮球架、单双杠稳固"),
    (CheckArea.SPECIAL_ROOMS, "实验室危化品账物相符"),
    (CheckArea.CCTV, "监控录像可回放30天"),
    (CheckArea.TREES, "校园树木无枯枝"),
    (CheckArea.NOTICEBOARDS, "宣传栏、标识牌固定牢靠"),
]
DAILY_ITEMS = [
    (CheckArea.GATES, "上下学时段校门有人值守，护学岗到位"),
    (CheckArea.GATES, "防冲撞设施（隔离桩）就位"),
    (CheckArea.PIPES, "校门口窨井盖完好"),
    (CheckArea.CCTV, "门卫室监控画面正常"),
]

# (checklist, item number, what was found)
EXTINGUISHER = (FULL, 2, "教学楼二楼3具灭火器压力指针在红区")
BOX = (FULL, 7, "综合楼一楼配电箱箱门缺失，开关外露")
ESCAPE = (WEEKLY, 1, "综合楼东侧楼梯口堆放旧课桌椅，占用疏散通道")
STAND = (MONTHLY, 0, "篮球场东侧篮球架底座螺栓松动，晃动明显")
MANHOLE = (DAILY, 2, "校门口东侧窨井盖开裂")


def _photo(name, text, colour=(200, 60, 40)):
    """A small PNG standing for a phone photo."""
    image = Image.new("RGB", (320, 240), (236, 238, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 280, 190), outline=colour, width=6)
    draw.ellipse((130, 80, 190, 140), outline=colour, width=5)
    draw.text((20, 210), text, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _plan(title, kind, items, inspector, by, **schedule):
    """A checklist as the safety officer keeps it in the admin (safety/admin/inspections.py): history on both."""
    plan = InspectionPlan(title=title, kind=kind, inspector=inspector, **schedule)
    plan.clean()
    save_with_history(plan, by, history_reason(gettext_noop("created the checklist")))
    for position, (area, text) in enumerate(items, start=1):
        save_with_history(PlanItem(plan=plan, area=area, text=text, position=position), by,
                          history_reason(gettext_noop("added the item")))
    return plan


class InspectionsDemo:
    def seed(self, builder):
        """Set up the checklists and record the inspections through the services at their moments, once."""
        if InspectionPlan.objects.filter(title=FULL).exists():
            return None
        u = builder.users
        self.builder = builder
        term_start = builder.term_defs[1][1]
        with builder.clock(builder.at(term_start - datetime.timedelta(days=3), 10, 0)):
            plans = {
                FULL: _plan(FULL, InspectionPlan.Kind.FULL, FULL_ITEMS, u["safety"], u["safety"],
                            frequency=InspectionPlan.Frequency.TERM_START),
                WEEKLY: _plan(WEEKLY, InspectionPlan.Kind.ROUTINE, WEEKLY_ITEMS, u["logistics"], u["safety"],
                              frequency=InspectionPlan.Frequency.WEEKLY, weekdays=[MONDAY]),
                MONTHLY: _plan(MONTHLY, InspectionPlan.Kind.SPOT, MONTHLY_ITEMS, u["safety"], u["safety"],
                               frequency=InspectionPlan.Frequency.MONTHLY, day_of_month=15),
                DAILY: _plan(DAILY, InspectionPlan.Kind.ROUTINE, DAILY_ITEMS, u["safety"], u["safety"],
                             frequency=InspectionPlan.Frequency.DAILY),
            }
        self.plans = plans
        today = builder.today
        school_day = timezone.localdate(builder.days_ago(0, 7)) == today
        # (school_day: today is one; a Monday's weekly patrol then falls due today and is left to do)
        hazards = {}

        # The full check on the first day of term.
        if term_start < today:
            hazards.update(self._inspect(FULL, term_start, 9, u["safety"], {
                EXTINGUISHER: {"responsible": u["logistics"], "deadline": term_start + datetime.timedelta(days=3)},
                BOX: {"responsible": u["logistics2"], "severity": "serious",
                      "deadline": term_start + datetime.timedelta(days=4)}}))
        # The weekly patrols, every Monday of the term before today.
        mondays = [d for d in self._days(term_start, today) if d.weekday() == MONDAY and d < today]
        escape_day = mondays[-2] if len(mondays) >= 2 else None
        for day in mondays[:-1]:
            found = {ESCAPE: {}} if day == escape_day else {}
            hazards.update(self._inspect(WEEKLY, day, 15, u["logistics"], found))
        if mondays:  # last Monday's patrol was forgotten: overdue on 张建国's and the safety officer's home pages
            with builder.clock(builder.at(mondays[-1], 6, 30)):
                plans[WEEKLY].create_task(mondays[-1])
        # The monthly spot checks on the 15th; the latest at least three school days ago left a hazard.
        fifteenths = [d for d in self._days(term_start, today) if d.day == 15
                      and d < timezone.localdate(builder.days_ago(3, 7))]
        for day in fifteenths:
            found = {STAND: {"responsible": u["logistics2"], "severity": "serious"}} if day == fifteenths[-1] else {}
            hazards.update(self._inspect(MONTHLY, day, 10, u["safety"], found))
        # The gate patrols of the last five school days; today's is left to do.
        for n in range(5, 0, -1):
            day = timezone.localdate(builder.days_ago(n, 7))
            if day < term_start:
                continue
            found = {MANHOLE: {"responsible": u["logistics2"]}} if n == 1 else {}
            hazards.update(self._inspect(DAILY, day, 8, u["safety"], found))
        # Today's patrol (on a school day; else the last school day's) is left to do, as generate_due_tasks
        # creates it each morning.
        last = timezone.localdate(builder.days_ago(0, 7))
        if last >= term_start:
            with builder.clock(min(builder.at(last, 6, 30), builder.now)):
                plans[DAILY].create_task(last)
                if school_day and today.weekday() == MONDAY:
                    plans[WEEKLY].create_task(today)

        self._follow_up(hazards, term_start)
        return None

    def _days(self, first, last):
        day, days = first, []
        while day <= last:
            if is_school_day(day, self.builder.term_defs):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def _inspect(self, title, day, hour, by, found):
        """Record the checklist's inspection of day at hour (all passed but what was found); {key: hazard}."""
        builder, plan = self.builder, self.plans[title]
        items = list(plan.items.order_by("position"))
        failed = {key[1]: (key, extra) for key, extra in found.items() if key[0] == title}
        results = {}
        for n, item in enumerate(items):
            if n in failed:
                key, extra = failed[n]
                results[item.pk] = {"outcome": "fail", "note": key[2],
                                    "photo": _photo(f"found-{title}-{n}.png", "found"), **extra}
            else:
                na = item.area == CheckArea.CCTV and plan.kind == InspectionPlan.Kind.FULL and n % 2
                results[item.pk] = {"outcome": "na" if na else "pass", "note": "" if not na else "联网调试中，另行检查"}
        moment = builder.at(day, hour, 20)
        with builder.clock(moment):
            inspection = plan.create_task(day)[0]
        with builder.clock(moment + datetime.timedelta(minutes=40)):
            done = services.record_inspection(inspection_id=inspection.pk, by=by, results=results)
        by_note = {r.note: r.finding for r in done.results.filter(outcome="fail").select_related("finding")}
        return {key: by_note[key[2]] for key, _extra in failed.values()}

    def _follow_up(self, hazards, term_start):
        """Carry the hazards to their states: verified, reopened, fixed awaiting verification; the others stay."""
        builder, u = self.builder, self.builder.users

        def at(day, hour, minute=0):
            return min(builder.at(day, hour, minute), builder.now - datetime.timedelta(minutes=10))

        if (hazard := hazards.get(EXTINGUISHER)) is not None:
            with builder.clock(at(term_start + datetime.timedelta(days=2), 15, 10)):
                finding_fix(finding_id=hazard.pk, by=u["logistics"], photos=[_photo("extinguisher.png", "fixed",
                                                                                    (40, 140, 60))],
                            note="更换3具干粉灭火器，压力指针在绿区")
            with builder.clock(at(term_start + datetime.timedelta(days=3), 9, 30)):
                finding_verify(finding_id=hazard.pk, by=u["safety"], ok=True, comment="复查灭火器压力正常，合格")
        if (hazard := hazards.get(BOX)) is not None:
            with builder.clock(at(term_start + datetime.timedelta(days=3), 16, 0)):
                finding_fix(finding_id=hazard.pk, by=u["logistics2"], photos=[_photo("box.png", "cover")],
                            note="用纸板临时封挡配电箱")
            with builder.clock(at(term_start + datetime.timedelta(days=4), 10, 0)):
                finding_verify(finding_id=hazard.pk, by=u["head"], ok=False,
                               comment="临时封挡不符合要求，须更换金属箱门并上锁")
                finding_extend(finding_id=hazard.pk, by=u["head"], deadline=builder.today + datetime.timedelta(days=5),
                               reason="箱门需定制，等待到货")
        if (hazard := hazards.get(ESCAPE)) is not None:
            found = timezone.localdate(hazard.found_at)
            with builder.clock(at(found + datetime.timedelta(days=1), 11, 0)):
                finding_fix(finding_id=hazard.pk, by=u["safety"], photos=[_photo("escape.png", "clear", (40, 140, 60))],
                            note="旧课桌椅已搬入仓库，通道清空")

    def summary(self):
        done = Inspection.objects.filter(status=Inspection.Status.DONE).count()
        to_do = Inspection.objects.filter(status=Inspection.Status.OPEN).count()
        failed = InspectionResult.objects.filter(outcome=InspectionResult.Outcome.FAIL).count()
        hazards = Finding.objects.filter(area=HAZARDS, source_type__model="inspectionresult")
        states = ", ".join(f"{n} {s}" for s, n in sorted(
            {s: hazards.filter(status=s).count() for s in Finding.Status.values}.items()) if n)
        return [f"Safety inspections: {InspectionPlan.objects.count()} checklists, {done} done, {to_do} to do, "
                f"{failed} item(s) failed; hazards from inspections: {states or 'none'}"]


AREA = InspectionsDemo()
