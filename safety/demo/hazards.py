"""Demo hazards reported by hand (隐患), built through the services at their business moments, after the inspections
and the repairs' demo: nine school days ago a teacher reported the loose stair handrail (楼梯扶手松动); the safety
officer opened a repair for it; the head gave it to the maintenance worker, who fixed it the next afternoon; the
safety officer confirmed the repair, recorded the hazard's fix with a photo, and the head re-checked it (verified).
Eight school days ago the PE teacher reported a cracked, leaning stretch of the wall (serious), still not fixed: past
its deadline. On the last school day a teacher reported exposed wires in the computer room (serious), still open."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from assets.models import RepairCategory, Urgency
from assets.services.repairs import repair_assign, repair_complete, repair_confirm, repair_start
from logistics.findings.services import finding_fix, finding_verify
from logistics.models import Finding

from ..services.common import AREA as HAZARDS
from ..services.hazards import open_repair_for_hazard, report_hazard

HANDRAIL = "楼梯扶手松动"
WALL = "围墙局部开裂倾斜"
WIRE = "电线裸露"


def _photo(name, colour, text):
    """A small PNG standing for a phone photo (a railing, a wire)."""
    image = Image.new("RGB", (320, 240), (236, 238, 240))
    draw = ImageDraw.Draw(image)
    for y in (60, 120, 180):
        draw.line((30, y, 290, y - 40), fill=colour, width=8)
    draw.text((20, 210), text, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class HazardsDemo:
    def seed(self, builder):
        """Report the hazards and carry the handrail through repair, fix and re-check, once."""
        if Finding.objects.filter(area=HAZARDS, title=HANDRAIL).exists():
            return None
        u = builder.users
        stairs, wall, computers = builder.rooms["楼梯间"], builder.rooms["围墙"], builder.rooms["微机室"]
        with builder.clock(builder.days_ago(9, 8, 20)):
            handrail = report_hazard(
                by=u["teacher"], title=HANDRAIL, location=stairs, severity=Finding.Severity.GENERAL,
                description="二楼到三楼楼梯扶手第三根立柱松动，学生下楼时扶手晃动明显",
                photos=[_photo("handrail.png", (120, 90, 60), "handrail")])
        with builder.clock(builder.days_ago(9, 9, 5)):
            repair = open_repair_for_hazard(
                finding_id=handrail.pk, by=u["safety"], category=RepairCategory.BUILDING, urgency=Urgency.NORMAL,
                description="扶手立柱底座螺栓松脱，需重新固定，必要时更换膨胀螺栓")
        with builder.clock(builder.days_ago(9, 9, 40)):
            repair_assign(request_id=repair.pk, by=u["head"], assignee=u["logistics"])
        with builder.clock(builder.days_ago(8, 14, 0)):
            repair_start(request_id=repair.pk, worker=u["logistics"])
        with builder.clock(builder.days_ago(8, 15, 30)):
            repair_complete(request_id=repair.pk, worker=u["logistics"], minutes_spent=90,
                            work_done="重新打孔，更换4颗膨胀螺栓，立柱加固", parts_used="M10膨胀螺栓×4")
        with builder.clock(builder.days_ago(7, 8, 30)):
            repair_confirm(request_id=repair.pk, by=u["safety"])
        with builder.clock(builder.days_ago(7, 8, 40)):
            finding_fix(finding_id=handrail.pk, by=u["safety"], note="后勤已加固扶手立柱，现场试推无晃动",
                        photos=[_photo("handrail-fixed.png", (31, 111, 92), "fixed")])
        with builder.clock(builder.days_ago(6, 10, 0)):
            finding_verify(finding_id=handrail.pk, by=u["head"], ok=True, comment="复查扶手牢固，合格")
        with builder.clock(builder.days_ago(8, 10, 15)):
            report_hazard(by=u["teacher4"], title=WALL, location=wall, severity=Finding.Severity.SERIOUS,
                          description="操场东侧围墙约3米长裂缝，墙体略向外倾斜，体育课学生常在附近活动")
        with builder.clock(builder.days_ago(0, 9, 30)):
            report_hazard(by=u["teacher2"], title=WIRE, location=computers, severity=Finding.Severity.SERIOUS,
                          description="微机室后排插座面板脱落，电线裸露在桌下",
                          photos=[_photo("wire.png", (200, 40, 40), "wire")])
        return None

    def summary(self):
        hazards = Finding.objects.filter(area=HAZARDS, title__in=(HANDRAIL, WALL, WIRE))
        today = timezone.localdate()
        return [f"Safety hazards reported by hand: {hazards.count()} "
                f"({hazards.filter(status=Finding.Status.VERIFIED).count()} verified, "
                f"{hazards.filter(repairs__isnull=False).distinct().count()} with a repair, "
                f"{hazards.overdue(today).count()} overdue)"]


AREA = HazardsDemo()
