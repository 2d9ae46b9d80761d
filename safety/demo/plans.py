"""Demo emergency plans and drills, built through the services at their business moments by the safety officer
(吴涛): five plans kept at the start of last school year (fire, evacuation, food safety, student activities,
natural disasters); the fire plan revised to its 2026版 at this term's start; the natural-disaster plan left
past its review date. An earthquake drill last term; this term a whole-school fire evacuation drill (1,186
people, 3分12秒) with two follow-up actions: the emergency lighting on the east stairs, fixed by 张建国 and
verified by the safety officer, and the assembly-point signs, still open within its deadline."""
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from logistics.findings.services import finding_fix, finding_verify
from logistics.models import Finding
from logistics.pdf import find_cjk_font

from ..models import Drill, EmergencyPlan
from ..services import plans as services

# title, kind, version, next review (days from today; the fire plan is revised this term), summary
PLANS = [
    ("消防应急预案", EmergencyPlan.Kind.FIRE, "2025版", 10,
     "成立消防应急领导小组，明确报警、灭火、疏散引导、救护、通讯联络各组职责；每学期至少组织一次消防演练。"),
    ("教学楼紧急疏散预案", EmergencyPlan.Kind.EVACUATION, "2025版", 200,
     "各班按指定楼梯和路线疏散至运动场集合，班主任清点人数后向年级组长报告。"),
    ("食品安全应急预案", EmergencyPlan.Kind.FOOD_SAFETY, "2025版", 20,
     "发现疑似食物中毒立即停止供餐、封存留样、送医并报告区教育局和市场监管部门。"),
    ("学生活动安全应急预案", EmergencyPlan.Kind.ACTIVITIES, "2025版", 120,
     "大型活动、运动会、春秋游前制定安全方案，明确带队教师和安全员，活动中发生伤害按程序处置。"),
    ("自然灾害应急预案", EmergencyPlan.Kind.NATURAL_DISASTER, "2025版", -12,
     "地震、台风、暴雨等自然灾害的预警响应、停课与疏散安排。"),
]
NATURAL = "自然灾害应急预案"
FIRE = "消防应急预案"
EVACUATION = "教学楼紧急疏散预案"


def _font(size):
    found = find_cjk_font()
    if found:
        try:
            return ImageFont.truetype(found[1], size)
        except OSError:
            pass
    return ImageFont.load_default()


def page_image(lines, *, size=(620, 877), signed=False):
    """An A4-shaped page with a title and lines of text (Chinese where a font is installed)."""
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((size[0] // 2, 70), lines[0], fill=(20, 20, 20), font=_font(30), anchor="mm")
    y = 130
    for line in lines[1:]:
        draw.text((50, y), line, fill=(40, 40, 40), font=_font(18))
        y += 34
    if signed:
        draw.line((380, size[1] - 150, 560, size[1] - 150), fill=(60, 60, 60), width=2)
        draw.line((392, size[1] - 168, 420, size[1] - 185, 450, size[1] - 160, 480, size[1] - 190, 530,
                   size[1] - 165), fill=(20, 40, 140), width=3)
        draw.ellipse((90, size[1] - 240, 230, size[1] - 100), outline=(200, 30, 30), width=4)
    return image


def plan_pdf(title, version):
    """The plan as a small one-page PDF."""
    buffer = io.BytesIO()
    page_image([title, f"版本：{version}", "一、总则", "二、组织机构及职责", "三、预警与报告",
                "四、应急处置程序", "五、善后与总结", "六、附则"]).save(buffer, "PDF", resolution=72)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def photo(text, color):
    image = Image.new("RGB", (480, 320), color)
    ImageDraw.Draw(image).text((240, 160), text, fill=(255, 255, 255), font=_font(28), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("drill.jpg", buffer.getvalue(), content_type="image/jpeg")


class PlansDemo:
    def seed(self, builder):
        """Keep the plans and record the drills through the services, once."""
        if EmergencyPlan.objects.exists():
            return None
        safety, principal = builder.users["safety"], builder.users["principal"]
        worker = builder.users["logistics"]
        today = builder.today
        year_ago = builder.at(today - datetime.timedelta(days=380), 10)
        plans = {}
        with builder.clock(year_ago):
            kept_on = timezone.localdate()
            for title, kind, version, days, summary in PLANS:
                review = today + datetime.timedelta(days=days)  # the natural-disaster plan: past its review date
                plans[title] = services.plan_add(by=safety, title=title, kind=kind, version_label=version,
                                                 document=plan_pdf(title, version), approved_on=kept_on,
                                                 next_review=review, owner=principal if title == FIRE else safety,
                                                 summary=summary)
        with builder.clock(builder.term_moment(0.02, 15)):
            approved = timezone.localdate()
            services.plan_revise(plan_id=plans[FIRE].pk, by=safety, version_label="2026版",
                                 document=plan_pdf(FIRE, "2026版"), approved_on=approved,
                                 next_review=approved + datetime.timedelta(days=365),
                                 summary=plans[FIRE].summary + "新增微型消防站人员分工。")
        # Last term: an earthquake drill.
        with builder.clock(builder.term_moment(0.55, 11, previous=True)):
            services.drill_record(
                by=safety, plan=plans[NATURAL], title="防震减灾应急疏散演练", held_on=timezone.localdate(),
                classes="全校（一至六年级）", headcount=1172, evacuation_seconds="3:45",
                went_well="听到警报后学生迅速就地避险，疏散时有序不拥挤，班主任清点人数及时。",
                to_improve="个别班级避险姿势不规范；广播声音在综合楼三楼偏小。",
                photos=[photo("防震演练", (52, 98, 140))])
        # This term: the whole school's fire evacuation drill, and its follow-up actions.
        with builder.clock(builder.term_moment(0.45, 10, 30)) as moment:
            day = timezone.localdate(moment)
            drill = services.drill_record(
                by=safety, plan=plans[EVACUATION], title="消防安全疏散演练", held_on=day,
                classes="全校（一至六年级24个班）", headcount=1186, evacuation_seconds="3分12秒",
                went_well="各班按指定路线疏散，用时比上学期缩短33秒；灭火器使用演示学生参与积极。",
                to_improve="三楼东侧楼梯应急照明灯不亮；集合点标识不清，两个班站错位置。",
                photos=[photo("消防疏散演练", (176, 58, 46)), photo("灭火器使用演示", (196, 110, 40))])
            lighting = services.drill_follow_up_add(
                drill_id=drill.pk, by=safety, title="三楼东侧楼梯应急照明灯维修", responsible=worker,
                deadline=day + datetime.timedelta(days=3), description="疏散演练中发现应急照明灯不亮。")
            deadline = max(day + datetime.timedelta(days=30), today + datetime.timedelta(days=6))
            services.drill_follow_up_add(
                drill_id=drill.pk, by=safety, title="运动场集合点按班级重新设置标识牌",
                responsible=builder.users["head"], deadline=deadline,
                description="集合点标识不清，二(3)班、四(1)班站错位置。")
        with builder.clock(moment + datetime.timedelta(days=1, hours=5)):
            finding_fix(finding_id=lighting.pk, by=worker, note="更换应急照明灯电池及灯管，测试断电后亮灯90分钟",
                        photo_required=False)
        with builder.clock(moment + datetime.timedelta(days=2, hours=1)):
            finding_verify(finding_id=lighting.pk, by=safety, ok=True, comment="断电测试，应急照明正常")
        return None

    def summary(self):
        plans = EmergencyPlan.objects.filter(active=True)
        overdue = sum(1 for p in plans if p.review_overdue)
        follow_ups = Finding.objects.filter(area="safety", source_type__model="drill")
        return [f"Emergency plans: {plans.count()} in force ({overdue} past review); drills: "
                f"{Drill.objects.count()}; follow-up actions {follow_ups.count()} "
                f"({follow_ups.exclude(status=Finding.Status.VERIFIED).count()} open)"]


AREA = PlansDemo()
