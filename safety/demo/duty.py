"""Demo duty roster: the safety officer lays the term's roster out month by month (a night shift on school days, a
holiday day shift and a night shift on weekends and on 国庆), up to three weeks ahead, and puts two people and a
leader on every shift a few days before it, except ONE shift four days ahead that nobody is on yet (it shows on
the safety officer's home). The people on each past shift wrote its handover at the end of it; a few say
something is to be followed up."""
import datetime

from django.utils import timezone

from logistics.demo import is_public_holiday

from ..models.duty import DutyShift, HandoverEntry
from ..selectors.duty import shift_bounds
from ..services import duty as services

AHEAD_DAYS = 21
GAP_DAYS = 4
POOL = ["teacher", "teacher2", "teacher3", "teacher4", "logistics", "logistics2", "safety"]
LEADERS = ["head", "principal"]
TIMES = {"night": (datetime.time(17, 30), datetime.time(7, 30)),
         "holiday": (datetime.time(7, 30), datetime.time(17, 30))}
NORMAL = ["巡查校园三次，门窗、水电正常，无异常情况。", "按时巡查教学楼、综合楼及围墙周边，一切正常。",
          "校门按时关闭，监控运行正常，无外来人员进入。", "夜间巡查两次，配电房、食堂燃气阀门检查正常。"]
FOLLOW_UP = {
    3: "21:40巡查发现综合楼二楼美术室窗户未关，已关好；建议提醒任课教师离开前关窗。",
    11: "夜间围墙东侧路灯不亮，已报总务处维修；其余正常。",
    19: "早上6:50发现自行车棚一辆自行车被风刮倒，已扶起，无损坏；交接时告知门卫。",
}


class DutyDemo:
    @staticmethod
    def _laid_out(builder, first):
        return builder.at(first - datetime.timedelta(days=1), 16, 20)

    def seed(self, builder):
        """Lay out and staff the roster through the services at their moments, once."""
        if DutyShift.objects.exists():
            return None
        safety = builder.users["safety"]
        _name, term_start, term_end = builder.term_defs[1]
        last = builder.today + datetime.timedelta(days=AHEAD_DAYS)
        holidays = set()
        day = term_start
        while day <= last:
            if is_public_holiday(day):
                holidays.add(day)
            day += datetime.timedelta(days=1)
        first = term_start
        while first <= last:
            chunk_last = min(last, (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                             - datetime.timedelta(days=1))
            # Laid out the day before the month begins (the first month: the day before term).
            with builder.clock(self._laid_out(builder, first)):
                services.roster_lay_out(by=safety, first=first, last=chunk_last, night=TIMES["night"],
                                        holiday=TIMES["holiday"], holidays=holidays)
            first = chunk_last + datetime.timedelta(days=1)
        gap_day = builder.today + datetime.timedelta(days=GAP_DAYS)
        shifts = list(DutyShift.objects.filter(day__range=(term_start, last)).order_by("day", "starts"))
        gap = next((s for s in shifts if s.day == gap_day and s.kind == DutyShift.Kind.NIGHT), None)
        for n, shift in enumerate(shifts):
            if shift == gap:
                continue
            people = [builder.users[POOL[(2 * n) % len(POOL)]], builder.users[POOL[(2 * n + 1) % len(POOL)]]]
            leader = builder.users[LEADERS[(shift.day.toordinal() // 7) % len(LEADERS)]]
            laid_out = self._laid_out(builder, max(term_start, shift.day.replace(day=1)))
            when = min(max(builder.at(shift.day - datetime.timedelta(days=3), 15, 10),
                           laid_out + datetime.timedelta(minutes=40)), builder.now)
            with builder.clock(when):
                services.shift_assign(shift_id=shift.pk, by=safety, people=people, leader=leader)
        past = [s for s in shifts if shift_bounds(s)[1] < builder.now and s != gap]
        for n, shift in enumerate(past):
            writer = shift.people.order_by("pk").first()
            if writer is None:
                continue
            _start, end = shift_bounds(shift)
            text = FOLLOW_UP.get(n % 23, NORMAL[n % len(NORMAL)])
            with builder.clock(end - datetime.timedelta(minutes=builder.rng.randint(5, 25))):
                services.handover_write(shift_id=shift.pk, by=writer, text=text, all_normal=text not in
                                        FOLLOW_UP.values())
        return None

    def summary(self):
        today = timezone.localdate()
        shifts = DutyShift.objects.all()
        empty = [s for s in shifts.filter(day__gte=today).prefetch_related("people") if not s.people.all()]
        return [f"Duty roster: {shifts.count()} shifts, {len(empty)} ahead with nobody on them "
                f"({', '.join(f'{s.day:%m-%d} {s.kind}' for s in empty)}); {HandoverEntry.objects.count()} handovers"]


AREA = DutyDemo()
