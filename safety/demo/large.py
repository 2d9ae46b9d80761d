"""Safety's large demo data (logistics.demo_large): five years of a central school's safety work, three campuses.

On each campus the gate is patrolled every school day, the buildings every Monday, a spot check on the 15th and
the full check (the typical checklist) on the first day of each term, by the safety officers and the maintenance
workers; each building is walked every school day by the teacher in charge of it (楼长), and each class teacher
checks the classroom before the pupils go home (关窗断电). All are done on schedule; a failed item raises a
hazard, a finding in the kernel's found → fixed → verified tracking (its source the result), and anyone reports a
hazard by hand now and then. The maintenance workers fix
them, the safety officers verify (one in eight fails its re-check first); the newest are still open, fixed or
reopened. The duty roster is laid out a month ahead (a day and a night shift on school days, a holiday and a night
shift on the other days), two people and a leader on each, a handover at its end. Eight school vehicles with their
drivers and routes, checked before every school day's trips (a few not fit), their papers renewed each year. The
emergency plans are revised each year and drilled twice a term; the responsibility pledges are signed each
school year with every department and class teacher (this year's last few still out). Today's inspections and
checks are left to do.

Every record carries the history rows its moves would have written, dated by the business moments and signed by
the large school's people (builder.history_row); written in chunks of school days, so memory stays flat."""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import reset_queries
from django.utils.translation import gettext_noop

from logistics import roles
from logistics.demo import is_school_day
from logistics.demo_large import CAMPUSES
from logistics.history import history_reason
from logistics.models import Building, Finding
from logistics.services import display_name

from ..models import (
    CheckArea,
    Drill,
    Driver,
    DutyShift,
    EmergencyPlan,
    HandoverEntry,
    Inspection,
    InspectionPlan,
    InspectionResult,
    PlanItem,
    Pledge,
    Route,
    TripCheck,
    Vehicle,
)
from ..selectors.vehicles import ITEMS as TRIP_ITEMS
from ..services.common import AREA
from .duty import FOLLOW_UP, NORMAL
from .inspections import DAILY, DAILY_ITEMS, FULL, FULL_ITEMS, MONTHLY, MONTHLY_ITEMS, WEEKLY, WEEKLY_ITEMS
from .plans import PLANS

DAYS_PER_CHUNK = 10      # school days written at a time (about 800 inspections with their items)
MIN_DAYS = 25           # at a small scale, the last school days only (five weeks), every state still there
RECENT_DAYS = 10        # school days whose hazards may still be open
VEHICLES = 8            # pupils from the villages come by school bus
CLASSES = 54            # nine grades of six classes: each class teacher signs a pledge and checks the classroom
MONDAY, FRIDAY = 0, 4
# (checklist, items, frequency, schedule, inspector's role, hour, how often an item fails)
Frequency = InspectionPlan.Frequency
Kind = InspectionPlan.Kind
PLANS_PER_CAMPUS = [
    (FULL, FULL_ITEMS, Kind.FULL, {"frequency": Frequency.TERM_START}, roles.SAFETY, 9, 0.02),
    (WEEKLY, WEEKLY_ITEMS, Kind.ROUTINE, {"frequency": Frequency.WEEKLY, "weekdays": [MONDAY]}, roles.LOGISTICS,
     15, 0.01),
    (MONTHLY, MONTHLY_ITEMS, Kind.SPOT, {"frequency": Frequency.MONTHLY, "day_of_month": 15}, roles.SAFETY, 10, 0.02),
    (DAILY, DAILY_ITEMS, Kind.ROUTINE, {"frequency": Frequency.DAILY}, roles.SAFETY, 7, 0.002),
]
# each building's daily patrol by the teacher in charge of it (楼长), at the end of the school day
BUILDING_PATROL = "每日安全巡查"
BUILDING_ITEMS = [
    (CheckArea.FIRE, "疏散通道、楼梯畅通，安全出口指示灯正常"),
    (CheckArea.FIRE, "灭火器在位，压力正常"),
    (CheckArea.ELECTRICS, "教室、办公室人走断电，无私拉乱接"),
    (CheckArea.BUILDINGS, "门窗关好，走廊栏杆、窗户护栏牢固"),
    (CheckArea.GATES, "厕所地面干燥防滑，照明正常"),
]
# each class teacher's check of the classroom before the pupils go home (关窗断电, 班级安全日检)
CLASS_CHECK = "教室放学安全检查"
CLASS_ITEMS = [
    (CheckArea.ELECTRICS, "电灯、风扇、空调、一体机已关闭断电"),
    (CheckArea.BUILDINGS, "门窗关闭上锁，窗户限位器完好"),
    (CheckArea.FIRE, "教室通道畅通，无易燃杂物堆放"),
    (CheckArea.OTHER, "课桌椅、讲台无松动、无尖锐破损"),
]
# items of the checklists that are not applicable now and then (the lab on a campus without one)
NA_WORDS = ("实验室", "微机室")
FIXES = ["已更换/修复并复查正常", "已整改，现场拍照留存", "已清理完毕，恢复畅通", "已紧固/加固，晃动消除"]
REPORTED = [("楼梯扶手松动", "楼梯间", Finding.Severity.GENERAL), ("围墙局部开裂", "围墙", Finding.Severity.SERIOUS),
            ("电线裸露", "微机室", Finding.Severity.SERIOUS), ("窗户限位器脱落", "教室", Finding.Severity.GENERAL),
            ("地面瓷砖破损", "走廊", Finding.Severity.GENERAL), ("灭火器过期", "办公室", Finding.Severity.GENERAL)]
# every hazard state at any scale: the newest failed items (school days before the last) and the state they reach
FORCED = {9: Finding.Status.VERIFIED, 8: Finding.Status.REOPENED, 2: Finding.Status.FIXED, 1: Finding.Status.OPEN}
NOT_FIT_DAY = 3
TERMS_DRILLS = [("消防疏散演练", EmergencyPlan.Kind.FIRE), ("防震疏散演练", EmergencyPlan.Kind.NATURAL_DISASTER)]


def _r(msgid, **params):
    return history_reason(msgid, **params)


class Rows:
    """Records with the history their moves wrote, written model by model in the order first added (a parent
    before its children, whose foreign keys are set from the saved parents), then the history rows.
    (The canteen's large data keeps the same helper; the kernel's builder could offer it.)"""

    def __init__(self, builder):
        self.builder = builder
        self.records = {}
        self.records_total = {}
        self.history_total = 0

    def add(self, obj, steps):
        """steps: [(when, by, reason, kind, state or None)]; returns obj."""
        self.records.setdefault(type(obj), []).append((obj, steps))
        return obj

    def write(self):
        for model, records in self.records.items():
            self.builder.write(model, [obj for obj, _steps in records])
            self.records_total[model] = self.records_total.get(model, 0) + len(records)

    def history(self):
        """Write the history rows of the written records; returns them by record model (for the m2m history)."""""
        written = {}
        for model, records in self.records.items():
            rows = [self.builder.history_row(obj, when=when, by=by, reason=reason, kind=kind, state=state)
                    for obj, steps in records for when, by, reason, kind, state in steps]
            self.history_total += self.builder.history(rows)
            written[model] = rows
        self.records = {}
        # With DEBUG on (seed_demo asks for it), every insert's SQL is kept: forget it, so memory stays flat.
        reset_queries()
        return written


def build_large(builder):
    """Build safety's five years; returns the lines of the command's report."""
    return SafetyLarge(builder).run()


class SafetyLarge:
    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.rows = Rows(builder)
        self.officers = builder.by_role[roles.SAFETY]
        self.workers = builder.by_role[roles.LOGISTICS]
        self.leaders = builder.by_role[roles.LOGISTICS_HEAD] + builder.by_role[roles.PRINCIPAL]
        self.officer = builder.base.users["safety"]
        days = builder.school_days
        self.days = days[-builder.count(len(days), minimum=min(MIN_DAYS, len(days))):]
        self.start = builder.at(self.days[0] - datetime.timedelta(days=3), 9)
        # the vehicles and the emergency plans are the school's from the first school year, at any scale
        self.founded = builder.at(builder.first_day - datetime.timedelta(days=3), 9)
        self.forced = {self.days[-n]: goal for n, goal in FORCED.items()}
        self.terms = [t for t in builder.terms if t.end >= self.days[0]]
        self.hazards = []
        self.hazard_total = 0
        self.shifts = []
        grades = "一二三四五六七八九"
        self.classes = [(f"{grades[i // 6]}({i % 6 + 1})班", self.rng.choice(builder.by_role[roles.STAFF]))
                        for i in range(builder.count(CLASSES, minimum=3))]
        self.drill_days = self._drill_days()

    def run(self):
        self.checklists()
        self.vehicles()
        self.emergency_plans()
        self.rows.write()
        self.rows.history()
        self.hazard_number = self.b.numbers(Finding, "ZG")
        self.result_type = ContentType.objects.get_for_model(InspectionResult)
        self.rooms_by_word = {}
        for first in range(0, len(self.days), DAYS_PER_CHUNK):
            chunk = self.days[first: first + DAYS_PER_CHUNK]
            for day in chunk:
                self.day(day)
            self.flush()
        self.duty()
        self.pledges()
        self.today()
        self.flush()
        total = self.rows.records_total
        return [f"Safety: {total.get(Inspection, 0)} inspections ({total.get(InspectionResult, 0)} items), "
                f"{self.hazard_total} hazards, {total.get(DutyShift, 0)} duty shifts, "
                f"{total.get(TripCheck, 0)} pre-trip checks, {total.get(Drill, 0)} drills, "
                f"{total.get(Pledge, 0)} pledges ({self.rows.history_total} history rows)"]

    def flush(self):
        """Records, then the hazards (their source the written result), the results pointing at them, then all
        the history: the failed result's second row names its hazard."""
        self.rows.write()
        pending, self.hazards = self.hazards, []
        for finding, _steps, result in pending:
            if result is not None:
                finding.source_id = result.pk
        self.b.write(Finding, [f for f, _s, _r in pending])
        failed = []
        for finding, _steps, result in pending:
            if result is not None:
                result.finding_id = finding.pk
                failed.append(result)
        InspectionResult.objects.bulk_update(failed, ["finding"], batch_size=2000)
        self.rows.history_total += self.b.history(
            self.b.history_row(f, when=when, by=by, reason=reason, kind=kind, state=state)
            for f, steps, _result in pending for when, by, reason, kind, state in steps)
        written = self.rows.history()
        if self.shifts:
            self.duty_people(written.get(DutyShift, []))

    # --- the frame ----------------------------------------------------------------------------------

    def checklists(self):
        self.plans = []
        by = self.officer
        for campus in CAMPUSES:
            for title, items, kind, schedule, role, hour, fails in PLANS_PER_CAMPUS:
                inspector = self.rng.choice(self.b.by_role[role])
                plan = self.rows.add(InspectionPlan(title=f"{campus}{title}", kind=kind, inspector=inspector,
                                                    version=1, **schedule),
                                     [(self.start, by, _r(gettext_noop("created the checklist")), "+", None)])
                plan.hour, plan.fails, plan.items_list = hour, fails, items
                for position, (area, text) in enumerate(items, start=1):
                    self.rows.add(PlanItem(plan=plan, area=area, text=text, position=position),
                                  [(self.start, by, _r(gettext_noop("added the item")), "+", None)])
                self.plans.append(plan)
        teachers = self.b.by_role[roles.STAFF]
        daily = [(f"{b.name}{BUILDING_PATROL}", BUILDING_ITEMS, self.rng.choice(teachers), 0.002)
                 for b in Building.objects.order_by("sort_order", "pk") if b.name.startswith(tuple(CAMPUSES))]
        daily += [(f"{name}{CLASS_CHECK}", CLASS_ITEMS, teacher, 0.001) for name, teacher in self.classes]
        for title, items, inspector, fails in daily:
            plan = self.rows.add(InspectionPlan(title=title, kind=Kind.ROUTINE, inspector=inspector, version=1,
                                                frequency=Frequency.DAILY),
                                 [(self.start, by, _r(gettext_noop("created the checklist")), "+", None)])
            plan.hour, plan.fails, plan.items_list = 16, fails, items
            for position, (area, text) in enumerate(items, start=1):
                self.rows.add(PlanItem(plan=plan, area=area, text=text, position=position),
                              [(self.start, by, _r(gettext_noop("added the item")), "+", None)])
            self.plans.append(plan)

    def vehicles(self):
        by, b = self.officer, self.b
        self.vehicle_list = []
        names = ["周德明", "钱立平", "孙志军", "李国华", "吴建平", "郑长林", "王海波", "冯友才"]
        for i in range(b.count(VEHICLES, minimum=2)):
            renewals = self._renewals()
            state, steps = self._papers(renewals, ("inspection_expires", "insurance_expires"),
                                        gettext_noop("added the vehicle"),
                                        gettext_noop("changed the vehicle's details"))
            vehicle = self.rows.add(Vehicle(plate=f"皖A·D{5821 + 37 * i}", description="宇通 ZK6575DX 校车",
                                            seats=self.rng.choice([19, 24, 35]), operator="青山区顺安校车服务公司",
                                            **state), steps)
            state, steps = self._papers(renewals, ("school_agreement_until", "parent_agreement_until"),
                                        gettext_noop("added the driver"), gettext_noop("changed the driver's details"))
            driver = self.rows.add(Driver(name=names[i % len(names)], phone=f"139 {5500 + i} {2046 + i}",
                                          licence_number="34010419780*****", licence_class="A1",
                                          licence_expires=b.today + datetime.timedelta(days=900 + 30 * i), **state),
                                   steps)
            self.rows.add(Route(name=f"{i + 1}号线", vehicle=vehicle, driver=driver, escort=self.rng.choice(
                b.by_role[roles.STAFF]), stops="学校\n青山花园\n柳湾村", morning_departs=datetime.time(6, 50),
                afternoon_departs=datetime.time(16, 40), classes="一(1)班、二(1)班、三(2)班", pupils=vehicle.seats - 3,
                version=1), [(self.founded, by, _r(gettext_noop("added the route")), "+", None)])
            vehicle.driver = driver
            self.vehicle_list.append(vehicle)

    def _papers(self, renewals, fields, added, changed):
        """(final state, history steps) of a vehicle or driver added at the first renewal, whose papers (fields)
        are renewed for a year at each of the others by the safety officer."""
        state, steps = {"active": True, "version": 1}, []
        for n, moment in enumerate(renewals):
            state.update({name: moment.date() + datetime.timedelta(days=365) for name in fields})
            state["version"] += bool(n)
            steps.append((moment, self.officer, _r(changed if n else added), "~" if n else "+", dict(state)))
        return state, steps

    def _renewals(self):
        """The day a vehicle or driver was added, then each year's renewal of their papers, up to now."""
        moments, moment = [], self.founded
        while moment < self.b.now:
            moments.append(moment)
            moment = self.b.at(moment.date() + datetime.timedelta(days=self.rng.randint(330, 360)), 10)
        return moments

    def emergency_plans(self):
        by, b = self.officer, self.b
        self.emergency = {}
        for title, kind, _label, _review, summary in PLANS:
            start = self.founded
            state = {"version_label": f"{start.year}版", "approved_on": start.date(),
                     "next_review": start.date() + datetime.timedelta(days=365), "version": 1}
            steps = [(start, by, _r(gettext_noop(
                "kept version %(label)s, approved on %(date)s, to be reviewed by %(review)s"),
                label=state["version_label"], date=state["approved_on"].isoformat(),
                review=state["next_review"].isoformat()), "+", dict(state))]
            while True:
                moment = b.at(state["next_review"] - datetime.timedelta(days=self.rng.randint(5, 30)), 10)
                if moment >= b.now:
                    break
                old = state["version_label"]
                state.update(version_label=f"{moment.year}版" if f"{moment.year}版" != old else f"{moment.year}版修订",
                             approved_on=moment.date(), next_review=moment.date() + datetime.timedelta(days=365),
                             version=state["version"] + 1)
                steps.append((moment, by, _r(gettext_noop(
                    "revised from version %(old)s to %(label)s, approved on %(date)s, to be reviewed by %(review)s"),
                    old=old, label=state["version_label"], date=state["approved_on"].isoformat(),
                    review=state["next_review"].isoformat()), "~", dict(state)))
            plan = self.rows.add(EmergencyPlan(title=title, kind=kind, owner=by, summary=summary, **state), steps)
            self.emergency[kind] = plan

    # --- each school day ----------------------------------------------------------------------------

    def day(self, day):
        for plan in self.plans:
            if plan.is_due_on(day, self.terms):
                self.inspection(plan, day)
        self.trip_checks(day)
        if self.rng.random() < 0.3:
            self.reported(day)
        if day in self.drill_days:
            title, kind = TERMS_DRILLS[self.drill_days[day]]
            self.drill(day, title, kind)

    def _drill_days(self):
        """{day: which drill}: each term's fire drill about a month in, the earthquake drill ten weeks in (at a
        small scale without either, one a few days ago)."""
        days, drills = set(self.days), {}
        for term in self.b.terms:
            for which, offset in enumerate((30, 75)):
                day = term.start + datetime.timedelta(days=offset)
                while day <= term.end and day not in days:
                    day += datetime.timedelta(days=1)
                if day in days:
                    drills[day] = which
        return drills or {self.days[-min(4, len(self.days))]: 0}

    def inspection(self, plan, day):
        rng, b = self.rng, self.b
        by = plan.inspector
        moment = b.at(day, plan.hour, rng.randint(0, 50))
        goal = self.forced.get(day) if plan.frequency == Frequency.DAILY and plan is self.plans[-1] else None
        outcomes = []
        for n, (area, text) in enumerate(plan.items_list):
            if goal and n == 2 or rng.random() < plan.fails:
                outcomes.append((area, text, InspectionResult.Outcome.FAIL))
            elif any(w in text for w in NA_WORDS) and rng.random() < 0.1:
                outcomes.append((area, text, InspectionResult.Outcome.NA))
            else:
                outcomes.append((area, text, InspectionResult.Outcome.PASS))
        inspection = Inspection(plan=plan, due_date=day, inspector=by, status=Inspection.Status.DONE, done_by=by,
                                done_at=moment, version=1)
        failed = [o for o in outcomes if o[2] == InspectionResult.Outcome.FAIL]
        n_na = sum(o[2] == InspectionResult.Outcome.NA for o in outcomes)
        results, numbers = [], []
        for area, text, outcome in outcomes:
            if outcome == InspectionResult.Outcome.FAIL:
                note = f"{text.split('，')[0]}：不符合要求"
                result = InspectionResult(inspection=inspection, area=area, item=text, outcome=outcome, note=note)
                hazard = self.hazard(title=text.split("，")[0][:60] + "：不符合要求", found_by=by, found_at=moment,
                                     result=result, goal=goal)
                numbers.append(hazard.number)
                steps = [(moment, by, _r(gettext_noop("failed: %(note)s"), note=note), "+", {"finding_id": None}),
                         (moment, by, _r(gettext_noop("raised hazard %(number)s"), number=hazard.number), "~", None)]
            else:
                result = InspectionResult(inspection=inspection, area=area, item=text, outcome=outcome)
                steps = [(moment, by, _r(gettext_noop("passed") if outcome == InspectionResult.Outcome.PASS
                                         else gettext_noop("not applicable")), "+", None)]
            results.append((result, steps))
        if failed:
            reason = _r(gettext_noop("inspected %(n)s items: %(failed)s failed (hazards %(numbers)s), "
                                     "%(na)s not applicable"), n=len(outcomes), failed=len(failed), na=n_na,
                        numbers=", ".join(numbers))
        else:
            reason = _r(gettext_noop("inspected %(n)s items: none failed, %(na)s not applicable"),
                        n=len(outcomes), na=n_na)
        # the scheduler makes the day's inspection in the morning (no one signs that), the inspector records it
        self.rows.add(inspection, [(b.at(day, 6, 0), None, None, "+", {"status": Inspection.Status.OPEN,
                                                                        "done_by_id": None, "done_at": None,
                                                                        "version": 0}),
                                   (moment, by, reason, "~", None)])
        for result, steps in results:
            self.rows.add(result, steps)

    def reported(self, day):
        """A hazard reported by hand by anyone, to the safety officer, who has a maintenance worker fix it."""
        title, word, severity = self.rng.choice(REPORTED)
        location = self._room(word)
        self.hazard(title=title, found_by=self.rng.choice(self.b.employees), found_at=self.b.working_moment(day),
                    severity=severity, location=location)

    def _room(self, word):
        if word not in self.rooms_by_word:
            self.rooms_by_word[word] = [r for r in self.b.rooms if word in r.name] or self.b.rooms
        return self.rng.choice(self.rooms_by_word[word])

    def hazard(self, *, title, found_by, found_at, result=None, goal=None, severity=Finding.Severity.GENERAL,
               location=None):
        """A hazard and its way: fixed by a maintenance worker, verified by a safety officer who did not fix it
        (one in eight fails its re-check first); the newest may still be open, fixed or reopened."""
        b, rng = self.b, self.rng
        responsible = rng.choice(self.workers)
        deadline = found_at.date() + datetime.timedelta(days=7 if severity == Finding.Severity.GENERAL else 2)
        finding = Finding(area=AREA, title=title[:120], found_by=found_by, found_at=found_at, severity=severity,
                          responsible=responsible, deadline=deadline, location=location,
                          source_type=self.result_type if result is not None else None)
        finding.number = self.hazard_number(found_at)
        state = {"status": Finding.Status.OPEN, "version": 1, "fix_note": "", "fixed_by_id": None, "fixed_at": None,
                 "verified_by_id": None, "verified_at": None, "verify_comment": "", "reopen_count": 0}
        steps = [(found_at, found_by, _r(gettext_noop("found it; %(name)s to fix it by %(date)s"),
                                         name=display_name(responsible), date=deadline.isoformat()), "+", dict(state))]
        if goal is None:
            recent = found_at.date() >= self.days[-min(RECENT_DAYS, len(self.days))]
            goal = rng.choice(Finding.Status.values) if recent else Finding.Status.VERIFIED
        reopen = goal == Finding.Status.REOPENED or (goal == Finding.Status.VERIFIED and rng.random() < 0.125)
        at = found_at
        for attempt in range(2 if reopen else 1):
            if goal == Finding.Status.OPEN:
                break
            at = b.later(at, 2, 40)
            fix = rng.choice(FIXES)
            state.update(status=Finding.Status.FIXED, fix_note=fix, fixed_by_id=responsible.pk, fixed_at=at,
                         version=state["version"] + 1)
            steps.append((at, responsible, _r(gettext_noop("fixed it: %(note)s"), note=fix), "~", dict(state)))
            if goal == Finding.Status.FIXED:
                break
            at = b.later(at, 1, 20)
            verifier = rng.choice([o for o in self.officers if o.pk != responsible.pk] or self.leaders)
            if attempt == 0 and reopen:
                comment = "复查仍未整改到位，请再次整改"
                state.update(status=Finding.Status.REOPENED, verified_by_id=verifier.pk, verified_at=at,
                             verify_comment=comment, reopen_count=1, version=state["version"] + 1)
                steps.append((at, verifier, _r(gettext_noop("did not pass the fix: %(comment)s"), comment=comment),
                              "~", dict(state)))
                if goal == Finding.Status.REOPENED:
                    break
                continue
            comment = "复查合格"
            state.update(status=Finding.Status.VERIFIED, verified_by_id=verifier.pk, verified_at=at,
                         verify_comment=comment, version=state["version"] + 1)
            steps.append((at, verifier, _r(gettext_noop("verified the fix: %(comment)s"), comment=comment), "~",
                          dict(state)))
        for name, value in state.items():
            setattr(finding, name, value)
        self.hazards.append((finding, steps, result))
        self.hazard_total += 1
        return finding

    def trip_checks(self, day):
        rng = self.rng
        for i, vehicle in enumerate(self.vehicle_list):
            by = rng.choice(self.officers)
            moment = self.b.at(day, 6, 30 + 2 * i)
            items = {key: True for key, _label in TRIP_ITEMS}
            if (day == self.days[-NOT_FIT_DAY] and i == 0) or rng.random() < 0.003:
                items["tyres"] = False
                note = "左后轮胎压不足，补气后仍漏气，当日停运，由备用车辆接送，已联系维修。"
                check = TripCheck(vehicle=vehicle, day=day, driver=vehicle.driver, items=items, fit=False,
                                  note=note, checked_by=by, checked_at=moment)
                reason = _r(gettext_noop("checked before the trip: not fit (%(why)s)"), why="tyres")
            else:
                check = TripCheck(vehicle=vehicle, day=day, driver=vehicle.driver, items=items, fit=True,
                                  checked_by=by, checked_at=moment)
                reason = _r(gettext_noop("checked before the trip: fit, driver %(driver)s"), driver=vehicle.driver.name)
            self.rows.add(check, [(moment, by, reason, "+", None)])

    def drill(self, day, title, kind):
        plan = self.emergency[kind]
        by = self.rng.choice(self.officers)
        headcount = self.rng.randint(1900, 2200)
        moment = self.b.at(day, 16, 30)
        self.rows.add(Drill(plan=plan, title=title, held_on=day, classes="全校", headcount=headcount,
                            evacuation_seconds=self.rng.randint(170, 260),
                            went_well="各班按指定路线有序疏散，清点人数迅速。",
                            to_improve="个别班级下楼时拥挤，需加强楼梯口引导。", recorded_by=by, version=1),
                      [(moment, by, _r(gettext_noop("recorded: %(n)s people took part"), n=headcount), "+", None)])

    # --- the roster and the pledges -----------------------------------------------------------------

    def duty(self):
        """Every day from the first school day to a week ahead: laid out a month ahead by the safety officer,
        staffed a few days before, the handover written at the shift's end (the past ones)."""
        b, rng = self.b, self.rng
        pool = b.by_role[roles.STAFF] + self.workers + self.officers
        times = {DutyShift.Kind.DAY: (datetime.time(7, 30), datetime.time(17, 30)),
                 DutyShift.Kind.NIGHT: (datetime.time(17, 30), datetime.time(7, 30)),
                 DutyShift.Kind.HOLIDAY: (datetime.time(7, 30), datetime.time(17, 30))}
        first, last = self.days[0], b.today + datetime.timedelta(days=7)
        day, count = first, 0
        while day <= last:
            month_first = day.replace(day=1)
            laid_out = b.at(month_first - datetime.timedelta(days=10), 16, 20)
            month_last = (month_first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            school = is_school_day(day, b.term_defs)
            for kind in ([DutyShift.Kind.DAY, DutyShift.Kind.NIGHT] if school else
                         [DutyShift.Kind.HOLIDAY, DutyShift.Kind.NIGHT]):
                starts, ends = times[kind]
                shift = DutyShift(day=day, kind=kind, starts=starts, ends=ends, version=1)
                steps = [(min(laid_out, b.now), self.officer, _r(gettext_noop(
                    "laid out in the roster of %(first)s – %(last)s"), first=month_first.isoformat(),
                    last=month_last.isoformat()), "+", {"leader_id": None, "version": 1})]
                self.rows.add(shift, steps)
                staffed = b.at(day - datetime.timedelta(days=rng.randint(3, 6)), 15, 10)
                if staffed < b.now:
                    people = rng.sample(pool, 2)
                    shift.leader, shift.version = rng.choice(self.leaders), 2
                    shift.staff = people
                    self.shifts.append(shift)
                    steps.append((staffed, self.officer, _r(gettext_noop(
                        "put on duty: %(names)s; leader on duty: %(leader)s"),
                        names="、".join(display_name(p) for p in people), leader=display_name(shift.leader)), "~",
                        None))
                    end = b.at(day + datetime.timedelta(days=kind == DutyShift.Kind.NIGHT), ends.hour, ends.minute)
                    if end < b.now:
                        count += 1
                        text = FOLLOW_UP.get(count % 23)
                        writer = people[0]
                        self.rows.add(HandoverEntry(shift=shift, written_by=writer, written_at=end - datetime.timedelta(
                            minutes=10), text=text or rng.choice(NORMAL), all_normal=text is None),
                            [(end - datetime.timedelta(minutes=10), writer, _r(
                                gettext_noop("wrote the handover: something to follow up") if text else
                                gettext_noop("wrote the handover: all normal")), "+", None)])
            day += datetime.timedelta(days=1)
            if day.day == 1:
                self.flush()

    def duty_people(self, historical_rows):
        """The people on each written shift, and the m2m history rows simple-history keeps with each of the
        shift's history rows (none when laid out, the two people once staffed)."""
        shifts, self.shifts = self.shifts, []
        Through = DutyShift.people.through
        links = Through.objects.bulk_create([Through(dutyshift_id=s.pk, user_id=p.pk) for s in shifts for p in s.staff],
                                            batch_size=2000)
        by_shift = {}
        for link in links:
            by_shift.setdefault(link.dutyshift_id, []).append(link)
        People = apps.get_model("safety", "HistoricalDutyShift_people")
        rows = [People(id=link.pk, history_id=row.pk, dutyshift_id=row.id, user_id=link.user_id)
                for row in historical_rows if row.version == 2 for link in by_shift.get(row.id, [])]
        People.objects.bulk_create(rows, batch_size=2000)
        self.rows.history_total += len(rows)

    def pledges(self):
        """Each school year from the first: the list put together on its first day, each signed in September
        (this year's last few still out)."""
        b, rng = self.b, self.rng
        names = [(Pledge.Party.DEPARTMENT, d.name, d.head) for d in b.departments]
        names += [(Pledge.Party.CLASS_TEACHER, name, teacher) for name, teacher in self.classes]
        years = [t for t in b.terms if t.start.month in (8, 9)]
        for term in years:
            listed = b.at(term.start, 9, 30)
            for n, (party, name, signer) in enumerate(names):
                pledge = Pledge(year=term.start.year, party=party, name=name, signer=signer, version=0)
                steps = [(listed, self.officer, _r(gettext_noop("put on the list of %(year)s–%(next)s"),
                                                   year=pledge.year, next=pledge.year + 1), "+",
                          {"signed_on": None, "version": 0})]
                signed = term.start + datetime.timedelta(days=rng.randint(2, 25))
                if signed < b.today and not (term is years[-1] and n >= len(names) - 3):
                    pledge.signed_on, pledge.version = signed, 1
                    steps.append((b.at(signed, 10), self.officer, _r(gettext_noop("signed on %(date)s; the scan is "
                                                                                  "kept"), date=signed.isoformat()),
                                  "~", None))
                self.rows.add(pledge, steps)

    def today(self):
        """Today, on a school day: the scheduler has made the day's inspections, still to do."""
        today = self.b.today
        if not is_school_day(today, self.b.term_defs):
            return
        moment = min(self.b.at(today, 6, 0), self.b.now)
        for plan in self.plans:
            if plan.is_due_on(today, self.terms):
                self.rows.add(Inspection(plan=plan, due_date=today, inspector=plan.inspector),
                              [(moment, None, None, "+", None)])
