"""Demo kitchen staff and morning checks: seven people put on the list by the canteen manager six weeks ago
(one certificate expiring within the month), the morning check every school day of the last six weeks
(everyone normal in one tap at 7:10), one helper sent home with a fever after a second measurement (a
correction, kept in the history). Today's check, on a school day, is left for the manager to do."""
import datetime

from django.utils import timezone

from ..models.staff import CanteenStaff, MorningCheck
from ..selectors.staff import certificates_expiring
from ..services import staff as services

Post = CanteenStaff.Post

# name, post, phone, certificate number, days until it expires, days since the yearly check-up, user
PEOPLE = [
    ("周红", Post.MANAGER, "13905516612", "皖青健2026-0412", 260, 105, "canteen"),
    ("刘建军", Post.COOK, "13866021437", "皖青健2026-0415", 301, 92, None),
    ("陈国强", Post.COOK, "13705518830", "皖青健2025-1187", 142, 223, None),
    ("王秀英", Post.HELPER, "15155903261", "皖青健2025-1203", 18, 347, None),
    ("李桂兰", Post.HELPER, "18956012274", "皖青健2026-0433", 288, 77, None),
    ("张美华", Post.SERVER, "13956127705", "皖青健2026-0502", 330, 70, None),
    ("孙立", Post.BUYER, "13637710958", "皖青健2025-1260", 196, 169, None),
]
ISSUER = "青山区疾病预防控制中心"
SCHOOL_DAYS = 30           # six weeks of checks
FEVER_DAY, FEVER_NAME = 11, "李桂兰"


class StaffDemo:
    def seed(self, builder):
        """Add the staff and their checks through the services at their business moments, once."""
        if CanteenStaff.objects.exists():
            return None
        manager = builder.users["canteen"]
        today = builder.today
        # Today's check, on a school day, is the manager's to do.
        first = 1 if timezone.localdate(builder.days_ago(0, 7)) == today else 0
        # The list typed in just before the first morning check.
        with builder.clock(builder.days_ago(SCHOOL_DAYS - 1 + first, 6, 40)):
            staff = [services.staff_add(
                by=manager, name=name, post=post, phone=phone, certificate_number=number, certificate_issuer=ISSUER,
                certificate_expires=today + datetime.timedelta(days=expires),
                last_checkup=today - datetime.timedelta(days=checkup),
                user=builder.users.get(username) if username else None)
                for name, post, phone, number, expires, checkup, username in PEOPLE]
        pks = [s.pk for s in staff]
        fever = next(s for s in staff if s.name == FEVER_NAME)
        for n in range(SCHOOL_DAYS + first - 1, first - 1, -1):
            moment = builder.days_ago(n, 7, 10)
            day = timezone.localdate(moment)
            with builder.clock(moment):
                services.record_all_normal(date=day, by=manager, staff_pks=pks)
            if n == FEVER_DAY:
                with builder.clock(builder.days_ago(n, 9, 35)):
                    check = MorningCheck.objects.get(staff=fever, date=day)
                    services.record_check(
                        staff=fever, date=day, by=manager, symptoms=[1], temperature_c="37.9",
                        fit_requested=None, note="已回家休息，次日复查正常",
                        correction_reason="上午复测体温37.9℃，发热，调离厨房岗位", expected_version=check.version)
        return None

    def summary(self):
        checks = MorningCheck.objects.count()
        off = MorningCheck.objects.filter(fit=False).count()
        warnings = certificates_expiring(timezone.localdate())
        return [f"Canteen staff: {CanteenStaff.objects.filter(active=True).count()} "
                f"({sum(not w.expired for w in warnings)} certificate(s) expiring soon), {checks} morning checks, "
                f"{off} sent off kitchen duty"]


AREA = StaffDemo()
