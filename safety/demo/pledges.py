"""Demo responsibility pledges (安全责任书) of this school year: the safety officer puts the list together at the
start of term (every department, and twelve class teachers typed one a line), then keeps each signed scan as it
comes back during September; three are still not signed."""
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from logistics.models import Department

from ..models import Pledge
from ..services import pledges as services
from .plans import page_image

CLASSES = """一(1)班 王丽
一(2)班 陈静老师
二(1)班 李娜
二(2)班 张伟
三(1)班 刘芳
三(2)班 杨敏
四(1)班 赵磊
四(2)班 孙丽华
五(1)班 周杰
五(2)班 吴霞
六(1)班 郑宇
六(2)班 冯雪"""
UNSIGNED = {"五(2)班", "六(1)班", "食堂"}


def scan(name, year):
    """A signed pledge's scan: a PNG page with the title, the party, signature lines and a red seal."""
    buffer = io.BytesIO()
    page_image([f"{year}–{year + 1}学年安全工作目标责任书", f"责任单位：{name}", "一、安全工作目标",
                "二、安全工作职责", "三、考核与责任追究", "甲方：校长（签字）", "乙方：责任人（签字）"],
               size=(496, 702), signed=True).save(buffer, "PNG")
    return SimpleUploadedFile(f"pledge-{name}.png", buffer.getvalue(), content_type="image/png")


class PledgesDemo:
    def seed(self, builder):
        """Put this year's list together and keep the signed scans at their moments, once."""
        year = services.school_year(builder.today)
        if Pledge.objects.filter(year=year).exists():
            return None
        safety = builder.users["safety"]
        with builder.clock(builder.term_moment(0.03, 16)):
            created, _kept = services.pledge_year_create(by=safety, year=year,
                                                         departments=list(Department.objects.order_by("name")),
                                                         classes=CLASSES)
        start = builder.term_moment(0.05, 9)
        for n, pledge in enumerate(created):
            if pledge.name in UNSIGNED:
                continue
            moment = start + datetime.timedelta(days=n // 4, hours=n % 4)
            with builder.clock(moment):
                services.pledge_sign(pledge_id=pledge.pk, by=safety, signed_on=timezone.localdate(),
                                     scan=scan(pledge.name, year))
        return None

    def summary(self):
        year = services.school_year(timezone.localdate())
        pledges = Pledge.objects.filter(year=year)
        return [f"Responsibility pledges {year}: {pledges.exclude(signed_on=None).count()} of {pledges.count()} "
                f"signed"]


AREA = PledgesDemo()
