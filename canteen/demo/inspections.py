"""Demo canteen inspections: two checklists set up by the head (食堂每日检查 every school day, inspected by the head;
每周食品安全自查 on Fridays, by the safety officer), each inspection of the last three weeks recorded at its
business moment. Twelve school days ago the refrigerator was at 10 °C: a finding for the canteen manager, who
fixed it the next afternoon with a photo, and the head verified the fix the day after. On the last school day
before today standing water was found in the kitchen: a finding still open, within its deadline. Today's
inspections, on a school day, wait to be done."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from logistics.findings.services import finding_fix, finding_verify
from logistics.models import Finding, Term

from ..models.inspections import Checklist, Inspection, InspectionResult
from ..selectors.inspections import AREA as FINDINGS_AREA
from ..services import inspections as services

DAILY = "食堂每日检查"
WEEKLY = "每周食品安全自查"
DAILY_ITEMS = [
    "留样是否齐全（每餐每样不少于125克，留足48小时）",
    "冷藏温度是否在0–8℃",
    "餐具是否消毒并存放在保洁柜",
    "从业人员是否晨检并穿戴工作服帽",
    "操作间地面是否清洁无积水",
    "垃圾是否加盖、日产日清",
]
WEEKLY_ITEMS = [
    "食品原料是否索证索票、进货查验记录完整",
    "库房食品是否离地离墙、分类存放，无过期变质",
    "从业人员健康证是否在有效期内",
    "消毒设施、灭蝇灯、防鼠网是否完好",
    "燃气管道、阀门及灭火器是否正常",
    "本周菜谱是否公示",
]
SCHOOL_DAYS = 15          # three weeks of inspections before today
FRIDAY = 4
# (school days ago, item number, what was found)
FRIDGE = (12, 1, "冷藏柜温度显示10℃，门封条老化漏冷")
WATER = (0, 4, "洗菜池下方地面积水，排水沟堵塞")


def _photo():
    """A small PNG of the fixed fridge (a thermometer reading 4 ℃)."""
    image = Image.new("RGB", (320, 240), (232, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 30, 280, 210), outline=(31, 111, 92), width=6)
    draw.rectangle((140, 60, 180, 180), fill=(255, 255, 255), outline=(90, 90, 90), width=3)
    draw.rectangle((150, 140, 170, 175), fill=(200, 40, 40))
    draw.text((200, 100), "4 C", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("fridge-fixed.png", buffer.getvalue(), content_type="image/png")


class InspectionsDemo:
    def seed(self, builder):
        """Set up the checklists and record the inspections through the services at their moments, once."""
        if Checklist.objects.filter(title=DAILY).exists():
            return None
        head, safety, manager = builder.users["head"], builder.users["safety"], builder.users["canteen"]
        with builder.clock(builder.days_ago(SCHOOL_DAYS + 1, 16, 10)):
            daily = services.checklist_add(by=head, title=DAILY, items=DAILY_ITEMS,
                                           frequency=Checklist.Frequency.DAILY, inspector=head)
            weekly = services.checklist_add(by=head, title=WEEKLY, items=WEEKLY_ITEMS,
                                            frequency=Checklist.Frequency.WEEKLY, weekdays=[FRIDAY], inspector=safety)
        fridge_finding = None
        # Today's inspections, on a school day, are left to do.
        first = 1 if timezone.localdate(builder.days_ago(0, 7)) == builder.today else 0
        for n in range(SCHOOL_DAYS + first - 1, first - 1, -1):
            moment = builder.days_ago(n, 11, 20)
            day = timezone.localdate(moment)
            found = {FRIDGE[0] + first: FRIDGE, WATER[0] + first: WATER}.get(n)
            with builder.clock(moment):
                inspection, _created = daily.create_task(day)  # what generate_due_tasks does each morning
                failed = {DAILY_ITEMS[found[1]]: {"responsible": manager}} if found else {}
                done = services.inspection_record(
                    inspection_id=inspection.pk, by=head, failed_items=failed,
                    results=[(item, item not in failed, found[2] if item in failed else "") for item in DAILY_ITEMS])
            if found == FRIDGE:
                fridge_finding = done.findings[0]
            if day.weekday() == FRIDAY:
                with builder.clock(builder.days_ago(n, 14, 40)):
                    inspection, _created = weekly.create_task(day)
                    services.inspection_record(inspection_id=inspection.pk, by=safety,
                                               results=[(item, True, "") for item in WEEKLY_ITEMS])
        if fridge_finding is not None:
            with builder.clock(builder.days_ago(FRIDGE[0] + first - 1, 15, 5)):
                finding_fix(finding_id=fridge_finding.pk, by=manager, photos=[_photo()],
                            note="更换冷藏柜门封条，调整温控，温度恢复至4℃")
            with builder.clock(builder.days_ago(FRIDGE[0] + first - 2, 9, 40)):
                finding_verify(finding_id=fridge_finding.pk, by=head, ok=True, comment="复查冷藏柜温度4℃，合格")
        # Today's inspections, on a school day, are on the schedule and left to do.
        today = builder.today
        terms = list(Term.objects.all())
        with builder.clock(builder.now):
            for checklist in (daily, weekly):
                if checklist.is_due_on(today, terms):
                    checklist.create_task(today)
        return None

    def summary(self):
        done = Inspection.objects.filter(status=Inspection.Status.DONE).count()
        to_do = Inspection.objects.filter(status=Inspection.Status.OPEN).count()
        failed = InspectionResult.objects.filter(passed=False).count()
        findings = Finding.objects.filter(area=FINDINGS_AREA)
        return [f"Canteen inspections: {Checklist.objects.count()} checklists, {done} done, {to_do} to do, "
                f"{failed} item(s) not passed; findings {findings.filter(status=Finding.Status.VERIFIED).count()} "
                f"verified, {findings.exclude(status=Finding.Status.VERIFIED).count()} open"]


AREA = InspectionsDemo()
