"""Demo repairs and recurring checks: a term's requests in every state, reported by the demo's people and
carried out through the services, and two weeks of check tasks; then moved back to their business dates."""
import datetime
from decimal import Decimal

from logistics.demo import is_public_holiday

from .. import services
from ..models import CheckSchedule, CheckTask, RepairCategory, RepairRequest, Urgency

Cat = RepairCategory
U = Urgency
CLASSROOMS = ["一(1)班", "二(1)班", "三(1)班", "四(1)班", "五(1)班", "六(1)班"]

SCHEDULES = [
    {
        "title": "教室照明检查", "category": Cat.LIGHTING, "frequency": CheckSchedule.Frequency.WEEKLY,
        "weekdays": [1, 3], "part_of_day": CheckSchedule.PartOfDay.AFTERNOON, "assignee": "logistics",
        "locations": CLASSROOMS,
        "instructions": "每周二、四下午自习时检修各教室照明线路：灯管、镇流器、开关、插座。"
                        "发现问题及时解决，当场处理不了的开维修单。",
        "ok": "六个教室灯具、开关、插座正常。",
        "problem": "三(1)班一根灯管启辉慢，已当场更换启辉器。",
    },
    {
        "title": "下水道/排水检查", "category": Cat.PLUMBING, "frequency": CheckSchedule.Frequency.MONTHLY,
        "day_of_month": 1, "assignee": "logistics2",
        "locations": ["一楼卫生间", "二楼卫生间", "操作间", "运动场", "花坛"],
        "instructions": "学校地势低，阴雨天排水不畅。检查卫生间、食堂下水道和操场排水沟、窨井，清理淤泥杂物。",
        "ok": "各处下水道、窨井通畅。",
        "problem": "操场东侧排水沟落叶淤积，已清理干净。",
    },
    {
        "title": "配电箱及消防器材检查", "category": Cat.LIGHTING, "frequency": CheckSchedule.Frequency.MONTHLY,
        "day_of_month": 15, "assignee": "logistics",
        "locations": ["配电房", "楼梯间", "操作间", "微机室"],
        "instructions": "检查配电箱、漏电保护开关和线路有无老化发热；灭火器压力、应急照明和疏散指示是否完好。",
        "ok": "配电箱、漏电开关正常；灭火器压力在绿区，应急灯正常。",
        "problem": "楼梯间一盏应急灯电池不足，已充电，下次复查。",
    },
    {
        "title": "班班通设备巡检", "category": Cat.IT, "frequency": CheckSchedule.Frequency.WEEKLY,
        "weekdays": [4], "part_of_day": CheckSchedule.PartOfDay.MORNING, "assignee": "logistics2",
        "locations": CLASSROOMS + ["多媒体室"],
        "instructions": "六个教室的班班通和多媒体室：开机、投屏、触控、声音，清理一体机灰尘。",
        "ok": "各班班通开机、投屏、触控、声音正常。",
        "problem": "三(1)班的班班通系统提示更新，已完成更新并重启。",
    },
    {
        "title": "校园花卉浇灌养护", "category": Cat.OTHER, "frequency": CheckSchedule.Frequency.WEEKLY,
        "weekdays": [0, 3], "part_of_day": CheckSchedule.PartOfDay.MORNING, "assignee": "logistics2",
        "locations": ["花坛", "校门及门卫室"], "only_in_term": False,
        "instructions": "校园200多盆花卉和花坛：浇水、施肥、修剪，防治病虫害。假期也要照看。",
        "ok": "已浇水，花卉长势良好。",
        "problem": "花坛西侧几盆月季有蚜虫，已喷药。",
    },
]

# Faults found during checks: (schedule, index among its past tasks, newest first), where, what, flow.
CHECK_FAULTS = [
    {"schedule": "教室照明检查", "index": 2, "room": "四(1)班", "title": "后排两根灯管不亮",
     "description": "照明检查时发现四(1)班后排两根灯管不亮，镇流器发烫。", "urgency": U.NORMAL,
     "flow": "confirmed", "take": True,
     "work": [("更换镇流器1个、T8灯管2根，通电试亮正常。", "镇流器×1，T8 LED灯管×2", "61.00", 45)]},
    {"schedule": "教室照明检查", "index": 0, "room": "二(1)班", "title": "讲台上方灯管闪烁",
     "description": "二(1)班讲台上方灯管闪烁，启辉器已换过，怀疑灯座接触不良。", "urgency": U.NORMAL,
     "flow": "assigned", "worker": "logistics2"},
    {"schedule": "班班通设备巡检", "index": 0, "room": "五(1)班", "title": "班班通开机无声音",
     "description": "巡检发现五(1)班的班班通一体机开机后无声音，外接音箱指示灯不亮。", "urgency": U.NORMAL,
     "flow": "in_progress", "take": True},
]

# The repairs teachers and staff report. when: ("frac", f) = that far through the term so far,
# ("ago", n) = n school days before the last one, ("hours", h) = h hours before "now".
# work: one (work done, parts, cost, minutes) per time it was done (two when it was reopened).
REPAIRS = [
    # confirmed
    {"title": "灯管不亮", "description": "教室后排两根灯管不亮，阴天上课光线很暗。", "category": Cat.LIGHTING,
     "room": "一(1)班", "urgency": U.NORMAL, "reporter": "teacher", "when": ("frac", 0.04), "flow": "confirmed",
     "take": True, "work": [("更换T8 LED灯管2根。", "T8 LED灯管×2", "36.00", 30)]},
    {"title": "水龙头漏水", "description": "洗手池第三个水龙头关不紧，一直滴水。", "category": Cat.PLUMBING,
     "room": "一楼卫生间", "urgency": U.NORMAL, "reporter": "teacher2", "when": ("frac", 0.10), "flow": "confirmed",
     "reopen": "水龙头还在滴水，关紧了也滴。",
     "work": [("更换水龙头陶瓷阀芯。", "陶瓷阀芯×1", "18.00", 20),
              ("水龙头本体有裂纹，整体更换水龙头。", "水龙头×1", "35.00", 25)]},
    {"title": "门锁坏了", "description": "教室前门门锁钥匙插进去转不动，早上进不了教室。", "category": Cat.DOORS,
     "room": "三(1)班", "urgency": U.URGENT, "reporter": "teacher3", "when": ("frac", 0.15), "flow": "confirmed",
     "work": [("更换前门锁芯，配钥匙3把交班主任。", "锁芯×1，钥匙×3", "55.00", 40)]},
    {"title": "课桌椅松动", "description": "第四组有三张课桌腿松动、摇晃，学生写字不方便。", "category": Cat.FURNITURE,
     "room": "二(1)班", "urgency": U.LOW, "reporter": "teacher4", "when": ("frac", 0.20), "flow": "confirmed",
     "work": [("逐张检查第四组课桌椅，紧固螺丝，更换垫片。", "螺丝、垫片若干", "6.00", 75)]},
    {"title": "窗户玻璃破裂", "description": "靠走廊一侧窗户玻璃裂了一条缝，有安全隐患，已让学生远离。",
     "category": Cat.DOORS, "room": "五(1)班", "urgency": U.URGENT, "reporter": "teacher",
     "when": ("frac", 0.25), "flow": "confirmed",
     "work": [("拆除破损玻璃，量尺寸后更换5mm玻璃并打胶。", "5mm平板玻璃0.8㎡，玻璃胶1支", "86.00", 90)]},
    {"title": "班班通无信号", "description": "班班通一体机开机后显示“无信号”，电脑画面投不上去，影响上课。",
     "category": Cat.IT, "room": "四(1)班", "urgency": U.URGENT, "reporter": "teacher2", "when": ("frac", 0.30, 8),
     "flow": "confirmed", "worker": "logistics2",
     "work": [("HDMI线接口松脱且线材损坏，更换HDMI线并理线固定。", "HDMI线3米×1，扎带", "32.00", 45)]},
    {"title": "下水道堵塞", "description": "卫生间下水道堵了，地上积水，学生进出容易滑倒。", "category": Cat.PLUMBING,
     "room": "二楼卫生间", "urgency": U.URGENT, "reporter": "teacher3", "when": ("frac", 0.36), "flow": "confirmed",
     "work": [("用疏通机疏通下水道，清出淤泥和纸团；提醒学生不要往便池扔纸。", "", None, 80)]},
    {"title": "操作间排风扇不转", "description": "操作间排风扇开关打开后只响不转，油烟排不出去。",
     "category": Cat.LIGHTING, "room": "操作间", "urgency": U.URGENT, "reporter": "canteen",
     "when": ("frac", 0.42), "flow": "confirmed",
     "work": [("更换排风扇启动电容，清洗扇叶油污。", "启动电容×1", "15.00", 50)]},
    {"title": "实验台水槽漏水", "description": "第三排实验台水槽下方漏水，柜子里的器材受潮。", "category": Cat.PLUMBING,
     "room": "实验室", "urgency": U.NORMAL, "reporter": "teacher2", "when": ("frac", 0.50), "flow": "confirmed",
     "work": [("更换水槽下水管和密封圈。", "PVC下水管×1，密封圈×2", "24.00", 35)]},
    {"title": "投影仪画面发黄偏暗", "description": "多媒体室投影仪画面发黄、偏暗，后排学生看不清。",
     "category": Cat.IT, "room": "多媒体室", "urgency": U.NORMAL, "reporter": "teacher", "when": ("frac", 0.56),
     "flow": "confirmed", "worker": "logistics2", "reopen": "画面还是发黄，下周有公开课要用。",
     "work": [("清洁投影仪滤网和镜头。", "", None, 30),
              ("灯泡已到寿命，更换投影仪灯泡并调试亮度。", "投影仪灯泡×1", "380.00", 40)]},
    {"title": "楼道声控灯不亮", "description": "教学楼二楼到三楼楼梯间声控灯不亮，放学时楼道很暗。",
     "category": Cat.LIGHTING, "room": "楼梯间", "urgency": U.NORMAL, "reporter": "safety",
     "when": ("frac", 0.62), "flow": "confirmed", "take": True,
     "work": [("更换声控开关2个。", "声控开关×2", "30.00", 30)]},
    {"title": "办公室插座没电", "description": "办公室靠窗一排插座没电，电脑和饮水机都用不了。",
     "category": Cat.LIGHTING, "room": "教师办公室", "urgency": U.NORMAL, "reporter": "teacher4",
     "when": ("frac", 0.70), "flow": "confirmed",
     "work": [("插座内部接线烧蚀，更换五孔插座并重新接线。", "五孔插座×1", "12.00", 25)]},
    {"title": "微机室电脑无法开机", "description": "微机室12号学生机按电源键没反应。", "category": Cat.IT,
     "room": "微机室", "urgency": U.NORMAL, "reporter": "teacher2", "when": ("frac", 0.78), "flow": "confirmed",
     "worker": "logistics2", "work": [("12号学生机电源损坏，更换电源。", "ATX电源×1", "150.00", 50)]},
    # done, waiting for the reporter to confirm
    {"title": "吊扇摇晃", "description": "美术室中间的吊扇转起来晃得厉害，学生不敢坐下面。", "category": Cat.LIGHTING,
     "room": "美术室", "urgency": U.URGENT, "reporter": "teacher", "when": ("ago", 3), "flow": "done",
     "work": [("紧固吊扇挂钩并加装防脱销，试运行不再晃动。", "防脱销×1", "5.00", 30)]},
    {"title": "黑板右侧松动", "description": "黑板右侧固定螺丝松了，擦黑板时会晃。", "category": Cat.FURNITURE,
     "room": "六(1)班", "urgency": U.NORMAL, "reporter": "teacher2", "when": ("ago", 2), "flow": "done",
     "work": [("打膨胀螺丝重新固定黑板。", "膨胀螺丝×6", "8.00", 45)]},
    {"title": "音响有杂音", "description": "音乐室音响一直有“嗡嗡”的电流声，上课听不清伴奏。", "category": Cat.IT,
     "room": "音乐室", "urgency": U.NORMAL, "reporter": "teacher3", "when": ("ago", 5), "flow": "done",
     "worker": "logistics2", "skip_start": True, "reopen": "还是有电流声，声音大的时候更明显。",
     "work": [("重新插拔音频线，调整功放接地。", "", None, 20),
              ("功放到音箱的音频线接头氧化，更换音频线2根。", "音频线×2", "26.00", 40)]},
    {"title": "窗帘轨道脱落", "description": "多媒体室靠南窗的窗帘轨道一头掉下来了，拉不上窗帘，投影看不清。",
     "category": Cat.OTHER, "room": "多媒体室", "urgency": U.LOW, "reporter": "teacher4", "when": ("ago", 4),
     "flow": "done", "work": [("重新固定窗帘轨道。", "膨胀螺丝×4", "4.00", 30)]},
    {"title": "冲水阀坏了", "description": "男厕第二个蹲位冲水阀按下去不回弹，一直放水。", "category": Cat.PLUMBING,
     "room": "二楼卫生间", "urgency": U.NORMAL, "reporter": "teacher", "when": ("ago", 1), "flow": "done",
     "work": [("更换蹲便器延时冲水阀。", "延时冲水阀×1", "68.00", 40)]},
    # in progress
    {"title": "屋顶漏水", "description": "下雨时六(1)班靠窗墙角往下滴水，墙皮已经发霉。", "category": Cat.BUILDING,
     "room": "六(1)班", "urgency": U.URGENT, "reporter": "teacher2", "when": ("ago", 6), "flow": "in_progress"},
    {"title": "电子白板触控失灵", "description": "班班通触摸屏点不准，点左边会跑到右边。", "category": Cat.IT,
     "room": "三(1)班", "urgency": U.NORMAL, "reporter": "teacher3", "when": ("ago", 0), "flow": "in_progress",
     "worker": "logistics2"},
    {"title": "校门电动门卡住", "description": "电动伸缩门开到一半卡住，放学时车辆和学生挤在门口。",
     "category": Cat.DOORS, "room": "校门及门卫室", "urgency": U.URGENT, "reporter": "safety",
     "when": ("hours", 3), "flow": "in_progress"},
    {"title": "操作间水龙头漏水", "description": "洗菜池的水龙头根部漏水，地面一直湿。", "category": Cat.PLUMBING,
     "room": "操作间", "urgency": U.NORMAL, "reporter": "canteen", "when": ("ago", 0), "flow": "in_progress",
     "take": True},
    # assigned
    {"title": "空调不制冷", "description": "会议室空调开了半小时还是不凉，外机声音很大。", "category": Cat.OTHER,
     "room": "会议室", "urgency": U.NORMAL, "reporter": "principal", "when": ("ago", 8), "flow": "assigned"},
    {"title": "讲台抽屉锁坏了", "description": "讲台抽屉锁打不开，里面有粉笔和教具。", "category": Cat.DOORS,
     "room": "四(1)班", "urgency": U.LOW, "reporter": "teacher4", "when": ("ago", 3), "flow": "assigned"},
    {"title": "花坛水管破裂", "description": "花坛边浇花用的水管接头破裂，一开水就喷。", "category": Cat.PLUMBING,
     "room": "花坛", "urgency": U.NORMAL, "reporter": "head", "when": ("ago", 5), "flow": "assigned",
     "worker": "logistics2"},
    {"title": "打印机卡纸", "description": "教导处打印机每打几张就卡纸，试卷印不出来。", "category": Cat.IT,
     "room": "教导处", "urgency": U.NORMAL, "reporter": "teacher", "when": ("hours", 5), "flow": "assigned",
     "worker": "logistics2"},
    {"title": "窗户关不严", "description": "靠操场一侧的窗户把手坏了，窗户关不上。", "category": Cat.DOORS,
     "room": "五(1)班", "urgency": U.NORMAL, "reporter": "teacher", "when": ("ago", 7), "flow": "assigned",
     "reopen": "把手换了，但窗户还是关不严，有风灌进来。",
     "work": [("更换窗户把手。", "窗户把手×1", "15.00", 20)]},
    # reported, nobody has it yet
    {"title": "消防应急灯不亮", "description": "一楼楼梯口的消防应急灯按测试键不亮。", "category": Cat.LIGHTING,
     "room": "楼梯间", "urgency": U.URGENT, "reporter": "safety", "when": ("hours", 1), "flow": "reported"},
    {"title": "椅子断腿", "description": "第二组第三张椅子一条腿断了，已先换了一把备用的。", "category": Cat.FURNITURE,
     "room": "一(1)班", "urgency": U.LOW, "reporter": "teacher", "when": ("hours", 2), "flow": "reported"},
    {"title": "围墙墙皮脱落", "description": "东侧围墙靠自行车棚一段墙皮大片脱落。", "category": Cat.BUILDING,
     "room": "围墙", "urgency": U.LOW, "reporter": "head", "when": ("ago", 12), "flow": "reported"},
    {"title": "自行车棚顶棚漏雨", "description": "自行车棚顶棚有两处漏雨，老师的电动车被淋湿。",
     "category": Cat.BUILDING, "room": "自行车棚", "urgency": U.NORMAL, "reporter": "teacher4",
     "when": ("ago", 0), "flow": "reported"},
    {"title": "饮水机不出热水", "description": "开水房饮水机加热灯不亮，一直不出热水。", "category": Cat.PLUMBING,
     "room": "开水房", "urgency": U.NORMAL, "reporter": "teacher2", "when": ("hours", 6), "flow": "reported"},
    # rejected by the head
    {"title": "校门口路灯不亮", "description": "校门外马路边的路灯晚上不亮。", "category": Cat.LIGHTING,
     "room": "校门及门卫室", "urgency": U.NORMAL, "reporter": "safety", "when": ("frac", 0.33), "flow": "rejected",
     "reason": "校门外路灯属市政管理，已打12319城市管理热线报修，学校不维修。"},
    {"title": "想换一张新办公桌", "description": "办公桌太旧了，抽屉也不好拉。", "category": Cat.FURNITURE,
     "room": "教师办公室", "urgency": U.LOW, "reporter": "teacher3", "when": ("frac", 0.52), "flow": "rejected",
     "reason": "添置新办公桌不属于维修，请由教研组走物品采购申请。"},
    {"title": "班班通没有信号", "description": "四(1)班的班班通又没信号了。", "category": Cat.IT,
     "room": "四(1)班", "urgency": U.NORMAL, "reporter": "teacher4", "when": ("frac", 0.30, 10), "flow": "rejected",
     "reason": "重复申报：四(1)班的班班通故障已有报修，李明正在处理。"},
    # cancelled by the reporter
    {"title": "电脑没有声音", "description": "办公室我的电脑放视频没有声音。", "category": Cat.IT,
     "room": "教师办公室", "urgency": U.LOW, "reporter": "teacher2", "when": ("frac", 0.46), "flow": "cancelled",
     "reason": "是静音键开着，已经自己解决了。"},
    {"title": "教室门关不上", "description": "后门关不上。", "category": Cat.DOORS,
     "room": "二(1)班", "urgency": U.NORMAL, "reporter": "teacher", "when": ("frac", 0.66), "flow": "cancelled",
     "reason": "是门吸挡住了，已经好了。"},
]

# Last term's repairs, all done and confirmed, so the term figures have something to compare with:
# (title, description, category, room, reporter, worker, fraction of the term, work done, parts, cost, minutes)
PREVIOUS_TERM = [
    ("教室日光灯闪烁", "讲台上方日光灯一直闪，学生说晃眼睛。", Cat.LIGHTING, "二(1)班", "teacher", "logistics", 0.12,
     "更换镇流器和灯管。", "镇流器×1，T8灯管×1", "48.00", 35),
    ("卫生间水箱漏水", "女厕水箱一直在流水，地面有积水。", Cat.PLUMBING, "一楼卫生间", "teacher3", "logistics", 0.35,
     "更换水箱进水阀和密封圈。", "进水阀×1，密封圈×2", "42.00", 40),
    ("微机室鼠标失灵", "微机室有六个鼠标不灵，学生上课没法操作。", Cat.IT, "微机室", "teacher2", "logistics2", 0.58,
     "更换六只USB鼠标。", "USB鼠标×6", "150.00", 30),
    ("篮球架篮网破损", "篮球场东侧篮网破了一半。", Cat.OTHER, "篮球场", "teacher4", "logistics2", 0.8,
     "更换篮网。", "篮网×2", "30.00", 20),
]

_TIMESTAMPS = ("reported_at", "due_at", "assigned_at", "started_at", "completed_at", "closed_at")
_PART_OF_DAY_TIME = {"morning": (9, 20), "afternoon": (15, 40), "any": (10, 30)}


class RepairDemo:
    """The repair and check demo on a DemoBuilder (what it does not have, it asks the builder)."""

    def __init__(self, builder):
        self.builder = builder
        # pk -> planned moment of each history row, in the order the rows were written
        self.repair_times = {}
        self.task_times = {}

    def __getattr__(self, name):
        return getattr(self.builder, name)

    def run(self):
        self.schedules()
        if RepairRequest.objects.exists() or CheckTask.objects.exists():
            return "Repairs and check tasks are already there: left as they are."
        if problems := self.builder.unfit():
            return "No repairs or checks built: " + "; ".join(problems)
        return self.activity()

    def schedules(self):
        self.schedule_defs = {}
        for spec in SCHEDULES:
            self.schedule_defs[spec["title"]] = spec
            if CheckSchedule.objects.filter(title=spec["title"]).exists():
                continue
            with self.clock(self.at(self.term_defs[0][1], 8)):  # in place since last term began
                schedule = CheckSchedule.objects.create(
                    title=spec["title"], category=spec["category"], instructions=spec["instructions"],
                    frequency=spec["frequency"], weekdays=spec.get("weekdays", []),
                    day_of_month=spec.get("day_of_month"),
                    part_of_day=spec.get("part_of_day", CheckSchedule.PartOfDay.ANY),
                    assignee=self.users[spec["assignee"]], only_in_term=spec.get("only_in_term", True),
                )
                schedule.locations.set([self.rooms[r] for r in spec["locations"]])

    def activity(self):
        self.calendar()
        if not self.span:
            return "No school days yet: no repairs or checks built."
        self.previous_term()
        tasks = self.check_tasks()
        events = []  # (planned time, kind, spec, extra)
        for spec in REPAIRS:
            events.append((self.report_time(spec["when"]), "repair", spec, None))
        past = {}
        for task in tasks:
            if task.due_date < self.today:
                past.setdefault(task.schedule.title, []).append(task)
        fault_tasks = set()
        for spec in CHECK_FAULTS:
            candidates = sorted(past.get(spec["schedule"], []), key=lambda t: t.due_date, reverse=True)
            if spec["index"] < len(candidates):
                task = candidates[spec["index"]]
                fault_tasks.add(task.pk)
                events.append((self.check_time(task), "fault", spec, task))
        events.sort(key=lambda e: e[0])
        plans = []
        for moment, kind, spec, task in events:
            if kind == "repair":
                repair = services.repair_report(
                    reporter=self.users[spec["reporter"]], category=spec["category"],
                    location=self.rooms[spec["room"]], title=spec["title"], description=spec["description"],
                    urgency=spec["urgency"], now=moment)
            else:
                worker = self.users[self.schedule_defs[spec["schedule"]]["assignee"]]
                task, repair = services.check_complete(
                    task_id=task.pk, by=worker, all_ok=False, findings=spec["description"],
                    fault={"location": self.rooms[spec["room"]], "category": task.schedule.category,
                           "title": spec["title"], "description": spec["description"],
                           "urgency": spec["urgency"]})
                self.remap[task.completed_at] = moment
                self.remap[repair.due_at] = moment + (repair.due_at - repair.reported_at)
                self.task_times[task.pk].append(moment)
                spec = dict(spec, reporter=spec.get("reporter") or self._username(worker))
            self.repair_times[repair.pk] = [moment]
            plans.append((repair, spec, moment))
        self.finish_checks(tasks, fault_tasks)
        for repair, spec, moment in plans:
            self.carry_out(repair, spec, moment)
        self.backdate_all()

    def previous_term(self):
        """Last term's repairs, each step at its moment (the builder's clock), reported, assigned, done and
        confirmed within a few days."""
        head = self.users["head"]
        for (title, description, category, room, reporter, worker, fraction, work, parts, cost,
             minutes) in PREVIOUS_TERM:
            reported = self.term_moment(fraction, 9, 20, previous=True)
            reporter, worker = self.users[reporter], self.users[worker]
            with self.clock(reported):
                pk = services.repair_report(reporter=reporter, category=category, location=self.rooms[room],
                                            title=title, description=description).pk
            with self.clock(reported + datetime.timedelta(hours=1)):
                services.repair_assign(request_id=pk, by=head, assignee=worker)
            with self.clock(reported + datetime.timedelta(hours=5)):
                services.repair_start(request_id=pk, worker=worker)
            with self.clock(reported + datetime.timedelta(hours=5, minutes=minutes)):
                services.repair_complete(request_id=pk, worker=worker, work_done=work, parts_used=parts,
                                         cost=Decimal(cost), minutes_spent=minutes)
            with self.clock(reported + datetime.timedelta(days=1, hours=1)):
                services.repair_confirm(request_id=pk, by=reporter)

    def _username(self, user):
        return next(u for u, v in self.users.items() if v.pk == user.pk)

    def check_tasks(self):
        """Run the daily task generation over the last two weeks of school (and any holiday since)."""
        terms = self.term_defs
        counted, day = 0, self.today
        while counted < 14 and day > self.today - datetime.timedelta(days=150):
            if any(t[1] <= day <= t[2] for t in terms) and not is_public_holiday(day):
                counted += 1
            day -= datetime.timedelta(days=1)
        tasks = []
        day += datetime.timedelta(days=1)
        while day <= self.today:
            if not is_public_holiday(day):
                for task in services.generate_due_checks(day=day):
                    created = min(self.at(day, 6, 30), self.now - datetime.timedelta(minutes=5))
                    self.task_times[task.pk] = [created]
                    tasks.append(task)
            day += datetime.timedelta(days=1)
        return tasks

    def check_time(self, task):
        hour, minute = _PART_OF_DAY_TIME[task.schedule.part_of_day]
        moment = self.working_time(self.at(task.due_date, hour, minute) + self.jitter(0, 50))
        return min(moment, self.now - datetime.timedelta(minutes=10))

    def finish_checks(self, tasks, fault_tasks):
        past = sorted((t for t in tasks if t.due_date < self.today and t.pk not in fault_tasks),
                      key=lambda t: t.due_date, reverse=True)
        left_open = past[1].pk if len(past) > 1 else None  # one forgotten check shows as late
        for n, task in enumerate(reversed(past)):
            if task.pk == left_open:
                continue
            spec = self.schedule_defs.get(task.schedule.title)
            problem = spec is not None and n % 6 == 4
            findings = (spec["problem"] if problem else spec["ok"]) if spec else ""
            done, _repair = services.check_complete(
                task_id=task.pk, by=self.users[spec["assignee"]] if spec else self.users["head"],
                all_ok=not problem, findings=findings)
            moment = self.check_time(task)
            self.remap[done.completed_at] = moment
            self.task_times[task.pk].append(moment)

    def steps(self, spec):
        flow = spec["flow"]
        if flow == "reported":
            return []
        if flow in ("rejected", "cancelled"):
            return [({"rejected": "reject", "cancelled": "cancel"}[flow], spec["reason"])]
        steps = [("take" if spec.get("take") else "assign", None)]
        works = spec.get("work", [])
        reopened = bool(spec.get("reopen"))
        if flow == "in_progress":
            return steps + [("start", None)]
        if flow == "assigned" and not reopened:
            return steps
        for i, work in enumerate(works):
            if not spec.get("skip_start") or i > 0:
                steps.append(("start", None))
            steps.append(("complete", work))
            if reopened and i == 0:
                steps.append(("reopen", spec["reopen"]))
                if flow == "assigned":
                    return steps
        if flow == "confirmed":
            steps.append(("confirm", None))
        return steps

    def plan_times(self, spec, reported, steps):
        urgent = spec["urgency"] == U.URGENT
        low = spec["urgency"] == U.LOW
        times, previous = [], reported
        for action, work in steps:
            if action in ("assign", "take"):
                delay = self.jitter(10, 40) if urgent else self.jitter(120, 1500) if low else self.jitter(30, 240)
            elif action == "start":
                delay = self.jitter(5, 30) if urgent else self.jitter(30, 1200)
            elif action == "complete":
                delay = datetime.timedelta(minutes=work[3]) + self.jitter(3, 20)
            elif action == "confirm":
                delay = self.jitter(60, 1800)
            elif action == "reopen":
                delay = self.jitter(120, 1200)
            elif action == "reject":
                delay = self.jitter(60, 300)
            else:  # cancel
                delay = self.jitter(10, 120)
            moment = previous + delay
            if action != "complete":
                moment = self.working_time(moment)
            times.append(moment)
            previous = moment
        # Nothing may lie in the future: squeeze the tail back before now, keeping the order.
        limit = self.now - datetime.timedelta(minutes=2)
        for i in range(len(times) - 1, -1, -1):
            times[i] = min(times[i], limit)
            limit = times[i] - datetime.timedelta(minutes=1)
        return times

    def carry_out(self, repair, spec, reported):
        head = self.users["head"]
        worker = self.users[spec.get("worker") or self.rng.choice(["logistics", "logistics", "logistics2"])]
        if spec.get("take") and spec.get("reporter") in ("logistics", "logistics2"):
            worker = self.users[spec["reporter"]]
        reporter = self.users[spec["reporter"]]
        steps = self.steps(spec)
        pk = repair.pk
        for (action, arg), moment in zip(steps, self.plan_times(spec, reported, steps), strict=True):
            if action == "assign":
                repair = services.repair_assign(request_id=pk, by=head, assignee=worker)
            elif action == "take":
                repair = services.repair_take(request_id=pk, worker=worker)
            elif action == "start":
                repair = services.repair_start(request_id=pk, worker=worker)
            elif action == "complete":
                work_done, parts, cost, minutes = arg
                repair = services.repair_complete(
                    request_id=pk, worker=worker, work_done=work_done, parts_used=parts,
                    cost=Decimal(cost) if cost is not None else None, minutes_spent=minutes)
            elif action == "confirm":
                repair = services.repair_confirm(request_id=pk, by=reporter)
            elif action == "reopen":
                repair = services.repair_reopen(request_id=pk, by=reporter, reason=arg)
            elif action == "reject":
                repair = services.repair_reject(request_id=pk, by=head, reason=arg)
            elif action == "cancel":
                repair = services.repair_cancel(request_id=pk, by=reporter, reason=arg)
            for name in _TIMESTAMPS[2:]:
                value = getattr(repair, name)
                if value is not None and value not in self.remap:
                    self.remap[value] = moment
            self.repair_times[pk].append(moment)

    def backdate_all(self):
        self.builder.backdate(RepairRequest, self.repair_times, _TIMESTAMPS)
        self.builder.backdate(CheckTask, self.task_times, ("completed_at",))


def seed(builder):
    """Add the repair and check demo once; return a line for the command's summary, if any."""
    return RepairDemo(builder).run()


def summary():
    counts = dict.fromkeys(RepairRequest.Status.values, 0)
    for status in RepairRequest.objects.values_list("status", flat=True):
        counts[status] += 1
    tasks = CheckTask.objects.all()
    return [
        f"Repairs: {sum(counts.values())} (" + ", ".join(f"{s} {n}" for s, n in counts.items())
        + f"; overdue {RepairRequest.objects.overdue().count()})",
        f"Checks: {CheckSchedule.objects.count()} schedules, {tasks.count()} tasks "
        f"({tasks.filter(status=CheckTask.Status.DONE).count()} done)",
    ]
