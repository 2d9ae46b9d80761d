"""The canteen's large demo data (logistics.demo_large): five years of a central school's kitchen, every school day.

A boarding central school: breakfast, lunch and dinner (the principal set it so on the first day). Each school day
the kitchen staff's morning check (晨检) at 7:10; the deliveries checked on arrival with their invoice and, for
meat, the quarantine certificate (进货查验, 索证索票), a few rejected; the week's menu typed on the Friday before and
shown to parents (a few weeks never shown); each meal opened, a sample of every dish (at least 125 g, 留样) kept 48
hours, then discarded by the canteen staff and reviewed by someone else; tableware disinfected after each meal;
a school leader eating with the pupils at lunch. The head's daily inspection and the safety officer's Friday one
are done on schedule; a failed item is a finding in the kernel's tracking, fixed by the canteen manager and
verified by the head (the newest still open, fixed or reopened). Staff renew their health certificates, a few
leave; suppliers renew their licences, one stops. Today's records are left to do, as a real morning.

Every record carries the history rows its moves would have written, dated by the business moments and signed by
the large school's people (builder.history_row); written in chunks of school days, so memory stays flat."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import reset_queries
from django.utils.translation import gettext_noop

from logistics import roles
from logistics.demo import is_school_day
from logistics.demo_large import GIVEN, SURNAMES
from logistics.history import history_reason
from logistics.models import Finding
from logistics.services import display_name

from ..models import (
    AccompaniedMeal,
    CanteenSettings,
    CanteenStaff,
    Checklist,
    Delivery,
    DeliveryItem,
    Disinfection,
    Inspection,
    InspectionResult,
    Meal,
    MealKind,
    MenuDish,
    MenuWeek,
    MorningCheck,
    Sample,
    Supplier,
)
from ..selectors.inspections import AREA as FINDINGS_AREA
from .inspections import DAILY, DAILY_ITEMS, WEEKLY, WEEKLY_ITEMS
from .menus import MEAT, SOUP, VEG
from .staff import ISSUER
from .suppliers import FORMER, GRAIN, SEASONING, SUPPLIERS, TOFU, VEGETABLES
from .suppliers import MEAT as MEAT_GOODS

KITCHEN_STAFF = 36      # a kitchen for three meals a day at a central school
DAYS_PER_CHUNK = 20     # school days written at a time
RECENT_DAYS = 10        # school days whose findings may still be open
MIN_DAYS = 25           # at a small scale, the last school days only (five weeks), every state still there
# every state at any scale: school days before the last on which it happens at least once
NOT_SERVED, REJECTED, SENT_OFF, CORRECTED, PARENT, NOT_SHOWN = 7, 6, 5, 4, 3, 15
# the newest failed items, one day each, with the state their finding reached
FORCED_FINDINGS = {9: Finding.Status.VERIFIED, 8: Finding.Status.REOPENED, 2: Finding.Status.FIXED,
                   1: Finding.Status.OPEN}
FRIDAY = 4
BREAKFAST = ["白粥", "小米粥", "豆浆", "牛奶", "肉包", "菜包", "花卷", "馒头", "鸡蛋饼", "煮鸡蛋", "茶叶蛋", "凉拌黄瓜",
             "榨菜", "油条", "蒸饺"]
FRIDGES = ["留样柜1", "留样柜2"]
DISEASES = [(1, "37.8"), (3, None), (4, None), (6, None), (10, None), (11, None)]
REJECTIONS = ["冻肉解冻后再冻，无检疫证明", "蔬菜腐烂变质", "包装破损，标签不全", "超过保质期"]
FAILS = {  # item number of the daily checklist: what was found, what the canteen manager did
    1: ("冷藏柜温度显示10℃，门封条老化漏冷", "更换冷藏柜门封条，调整温控，温度恢复至4℃"),
    3: ("一名帮厨未戴工作帽", "当场整改，重申着装要求"),
    4: ("洗菜池下方地面积水，排水沟堵塞", "疏通排水沟，地面清理干燥"),
    5: ("垃圾桶未加盖", "更换带盖垃圾桶"),
}
COMMENTS = [("菜品温度合适，分量足，学生吃得干净。", 5), ("米饭略硬，已提醒食堂调整加水量。", 4),
            ("青菜新鲜，口味偏淡，适合学生。", 5), ("餐具消毒到位，就餐秩序良好。", 5), ("汤稍咸，建议减盐。", 4)]

Post = CanteenStaff.Post


def _r(msgid, **params):
    return history_reason(msgid, **params)


class Rows:
    """Records with the history their moves wrote, written model by model in the order first added (a parent
    before its children, whose foreign keys are set from the saved parents), then the history rows."""

    def __init__(self, builder):
        self.builder = builder
        self.records = {}
        self.records_total = {}
        self.history_total = 0

    def add(self, obj, steps):
        """steps: [(when, by, reason, kind, state or None)]; returns obj."""
        self.records.setdefault(type(obj), []).append((obj, steps))
        return obj

    def flush(self):
        for model, records in self.records.items():
            self.builder.write(model, [obj for obj, _steps in records])
            self.records_total[model] = self.records_total.get(model, 0) + len(records)
        for records in self.records.values():
            rows = [self.builder.history_row(obj, when=when, by=by, reason=reason, kind=kind, state=state)
                    for obj, steps in records for when, by, reason, kind, state in steps]
            self.history_total += self.builder.history(rows)
        self.records = {}
        # With DEBUG on (seed_demo asks for it), every insert's SQL is kept: forget it, so memory stays flat.
        reset_queries()


def build_large(builder):
    """Build the canteen's five years; returns the lines of the command's report."""
    return CanteenLarge(builder).run()


class CanteenLarge:
    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.rows = Rows(builder)
        self.cooks = builder.by_role[roles.CANTEEN]
        self.manager = builder.base.users["canteen"]
        self.leaders = builder.by_role[roles.PRINCIPAL] + builder.by_role[roles.LOGISTICS_HEAD]
        self.head = builder.base.users["head"]
        self.safety = builder.base.users["safety"]
        # the school days of the five years; at a small scale the last of them (builder.count)
        days = builder.school_days
        self.days = days[-builder.count(len(days), minimum=min(MIN_DAYS, len(days))):]
        self.start = builder.at(self.days[0] - datetime.timedelta(days=3), 9)
        self.forced = {name: self.days[-n] for name, n in (
            ("not_served", NOT_SERVED), ("rejected", REJECTED), ("sent_off", SENT_OFF), ("corrected", CORRECTED),
            ("parent", PARENT), ("not_shown", NOT_SHOWN))}
        self.forced_findings = {self.days[-n]: goal for n, goal in FORCED_FINDINGS.items()}
        self.pending_findings = []
        self.weeks = set()

    def run(self):
        self.settings()
        self.staff()
        self.suppliers()
        self.checklists()
        self.rows.flush()
        self.finding_number = self.b.numbers(Finding, "ZG")
        self.delivery_number = self.b.numbers(Delivery, "JH")
        self.result_type = ContentType.objects.get_for_model(InspectionResult)
        self.finding_total = 0
        for first in range(0, len(self.days), DAYS_PER_CHUNK):
            chunk = self.days[first: first + DAYS_PER_CHUNK]
            for day in chunk:
                self.day(day)
            self.menus(chunk)
            self.rows.flush()
            self.open_findings()
        self.today()
        self.rows.flush()
        self.open_findings()
        total = self.rows.records_total
        return [f"Canteen: {total.get(Meal, 0)} meals, {total.get(Sample, 0)} food samples, "
                f"{total.get(MorningCheck, 0)} morning checks, {total.get(Delivery, 0)} deliveries, "
                f"{total.get(MenuWeek, 0)} weekly menus, {total.get(Inspection, 0)} inspections, "
                f"{self.finding_total} findings ({self.rows.history_total} history rows)"]

    # --- the frame: settings, staff, suppliers, checklists ---------------------------------------------

    def settings(self):
        new = not CanteenSettings.objects.exists()
        profile = CanteenSettings.get()
        if new:  # made with its defaults the first time it is read: before the principal changed it
            profile.history.update(history_date=self.start - datetime.timedelta(minutes=5))
        profile.serves_breakfast = profile.serves_lunch = profile.serves_dinner = True
        CanteenSettings.objects.filter(pk=profile.pk).update(serves_breakfast=True, serves_lunch=True,
                                                             serves_dinner=True)
        # changed in the admin, as the school's settings are (its history rows carry no reason)
        self.b.history([self.b.history_row(profile, when=self.start, by=self.b.base.users["principal"], reason=None)])
        self.profile = profile
        self.meals = profile.served_meals()

    def staff(self):
        """The kitchen's people; linked to the canteen role's accounts; a few leave, the others stay."""
        n = self.b.count(KITCHEN_STAFF, minimum=len(self.cooks) + 3)
        posts = [Post.MANAGER] + [Post.COOK] * (n // 4) + [Post.BUYER] + [Post.SERVER] * (n // 5)
        posts += [Post.HELPER] * (n - len(posts))
        accounts = [self.manager] + [u for u in self.cooks if u != self.manager]
        self.staff_list = []
        last = self.days[-1]
        for i, post in enumerate(posts[:n]):
            user = accounts[i] if i < len(accounts) else None
            name = display_name(user) if user else self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            first_half = self.days[: len(self.days) // 2]
            joined = self.start if i < n * 2 // 3 else self.b.working_moment(self.rng.choice(first_half))
            leaves = None
            if user is None and i >= n - max(1, n // 10):
                leaves = self.b.working_moment(self.rng.choice([d for d in self.days if d > joined.date()] or [last]))
            # the certificate held on joining (issued within the year before), each renewed after the yearly
            # check-up in the weeks before it expires, valid a year: never expired on a working day
            year, days = datetime.timedelta(days=365), datetime.timedelta(days=1)
            expires = joined.date() + self.rng.randint(30, 365) * days
            state = {"active": True, "version": 1, "certificate_expires": expires,
                     "last_checkup": expires - year - 3 * days}
            steps = [(joined, self.manager, _r(gettext_noop("added to the kitchen staff")), "+", dict(state))]
            while True:
                renewal = self.b.at(state["certificate_expires"] - self.rng.randint(5, 25) * days, 10)
                if renewal >= (leaves or self.b.now):
                    break
                state.update(certificate_expires=renewal.date() + year, last_checkup=renewal.date() - 3 * days,
                             version=state["version"] + 1)
                reason = _r(gettext_noop("health certificate recorded, valid until %(date)s"),
                            date=state["certificate_expires"].isoformat())
                steps.append((renewal, self.manager, reason, "~", dict(state)))
            if leaves:
                state.update(active=False, version=state["version"] + 1)
                steps.append((leaves, self.manager, _r(gettext_noop("left the kitchen: %(reason)s"), reason="合同期满"),
                              "~", dict(state)))
            member = CanteenStaff(name=name, user=user, post=post, phone=f"139{self.rng.randint(10**7, 10**8 - 1)}",
                                  certificate_number=f"皖青健{joined.year}-{i + 1:04d}", certificate_issuer=ISSUER,
                                  **state)
            member.joined, member.leaves = joined.date(), leaves.date() if leaves else None
            self.staff_list.append(self.rows.add(member, steps))

    def suppliers(self):
        by = self.manager
        self.supplier_by_goods = {}
        for row in [*SUPPLIERS, FORMER]:
            name, goods, kind, number, _days, address, contact, phone = row
            former = row is FORMER
            expires = self.start.date() + datetime.timedelta(days=365)
            state = {"licence_expires": expires, "active": True, "version": 0}
            steps = [(self.start, by, _r(gettext_noop("added as a supplier, licence valid until %(date)s"),
                                         date=expires.isoformat()), "+", dict(state))]
            stop = self.b.at(self.days[len(self.days) // 2], 16) if former else None
            moment = self.start
            while True:
                moment = self.b.at(state["licence_expires"] - datetime.timedelta(days=self.rng.randint(5, 25)), 10)
                if moment >= self.b.now or (stop and moment >= stop):
                    break
                state.update(licence_expires=state["licence_expires"] + datetime.timedelta(days=365),
                             version=state["version"] + 1)
                steps.append((moment, by, _r(gettext_noop("licence renewed: valid until %(date)s"),
                                             date=state["licence_expires"].isoformat()), "~", dict(state)))
            if stop:
                state.update(active=False, version=state["version"] + 1)
                steps.append((stop, by, _r(gettext_noop("no longer supplies the canteen: %(reason)s"),
                                           reason="许可证过期未续办，已停止供货"), "~", dict(state)))
            supplier = self.rows.add(Supplier(name=name, goods=goods, licence_kind=kind, licence_number=number,
                                              address=address, contact=contact, phone=phone, **state), steps)
            supplier.stop = stop.date() if stop else None
            self.supplier_by_goods[goods] = supplier
        self.supplier_list = [self.supplier_by_goods[row[1]] for row in SUPPLIERS]

    def checklists(self):
        self.daily = self.rows.add(
            Checklist(title=DAILY, items=DAILY_ITEMS, frequency=Checklist.Frequency.DAILY, inspector=self.head,
                      version=1),
            [(self.start, self.head, _r(gettext_noop("created the checklist with %(n)s items"), n=len(DAILY_ITEMS)),
              "+", None)])
        self.weekly = self.rows.add(
            Checklist(title=WEEKLY, items=WEEKLY_ITEMS, frequency=Checklist.Frequency.WEEKLY, weekdays=[FRIDAY],
                      inspector=self.safety, version=1),
            [(self.start, self.head, _r(gettext_noop("created the checklist with %(n)s items"), n=len(WEEKLY_ITEMS)),
              "+", None)])

    # --- each school day ------------------------------------------------------------------------------

    def day(self, day):
        self.checks(day)
        self.deliveries(day)
        for kind in self.meals:
            self.meal(day, kind)
        self.inspection(self.daily, day, DAILY_ITEMS, self.b.at(day, 15, self.rng.randint(0, 50)))
        if day.weekday() == FRIDAY:
            self.inspection(self.weekly, day, WEEKLY_ITEMS, self.b.at(day, 14, self.rng.randint(20, 59)))

    def checks(self, day):
        rng = self.rng
        at = self.b.at(day, 7, 10)
        for member in self.staff_list:
            if day <= member.joined or (member.leaves and day >= member.leaves):  # from the day after joining
                continue
            state = {"symptoms": [0], "temperature_c": Decimal(f"36.{rng.randint(2, 8)}"), "fit": True,
                     "off_duty_reason": "", "note": "", "version": 1}
            steps = [(at, self.manager, _r(gettext_noop("checked: fit for kitchen duty")), "+", None)]
            forced = member is self.staff_list[1] and day in (self.forced["sent_off"], self.forced["corrected"])
            if forced or rng.random() < 0.004:
                code, temperature = rng.choice(DISEASES)
                state.update(symptoms=[code], fit=False, note="已回家休息")
                if temperature:
                    state["temperature_c"] = Decimal(temperature)
                # noticed at the second measurement: a correction, kept in the history
                if day == self.forced["corrected"] or (not forced and rng.random() < 0.5):
                    first = {**state, "symptoms": [0], "fit": True, "note": "", "version": 1,
                             "temperature_c": Decimal("36.6")}
                    steps[0] = (at, self.manager, steps[0][2], "+", first)
                    state["version"] = 2
                    steps.append((self.b.at(day, 9, 35), self.manager,
                                  _r(gettext_noop("corrected (%(codes)s): %(reason)s"), codes=str(code),
                                     reason="上午复测，调离厨房岗位"), "~", None))
                else:
                    steps[0] = (at, self.manager, _r(gettext_noop("checked: sent off kitchen duty (%(codes)s)"),
                                                     codes=str(code)), "+", None)
            self.rows.add(MorningCheck(staff=member, date=day, checked_by=self.manager, checked_at=at, **state), steps)

    def deliveries(self, day):
        weekday = day.weekday()
        plan = [(6, 40, "蔬菜", [(n, s, "kg", "2天", False) for n, s in self.rng.sample(VEGETABLES, 3)])]
        if weekday in (0, 1, 3, 4):
            meat = self.rng.sample(MEAT_GOODS, 2)
            plan.append((7, 10, "肉类（猪肉、禽肉、牛肉）", [(n, s, "kg", life, True) for n, s, life in meat]))
        if weekday == 0:
            plan.append((9, 30, "米面粮油", [(n, s, u, life, False) for n, s, u, life in self.rng.sample(GRAIN, 2)]))
        if weekday in (2, 4):
            plan.append((6, 55, "豆制品", [(n, s, "kg", life, False) for n, s, life in self.rng.sample(TOFU, 2)]))
        if weekday == 2 and day.isocalendar().week % 2 == 0:
            plan.append((10, 15, "调味品", [(n, s, u, life, False) for n, s, u, life in self.rng.sample(SEASONING, 3)]))
        for hour, minute, goods, items in sorted(plan, key=lambda p: p[:2]):
            supplier = self.supplier_by_goods[goods]
            moment = self.b.at(day, hour, minute)
            by = self.rng.choice(self.cooks)
            rejected = (day == self.forced["rejected"] and goods == "蔬菜") or self.rng.random() < 0.006
            if rejected:
                why = self.rng.choice(REJECTIONS)
                delivery = Delivery(status=Delivery.Status.REJECTED, reject_reason=why)
                reason = _r(gettext_noop("checked and rejected: %(reason)s"), reason=why)
            else:
                delivery = Delivery(status=Delivery.Status.ACCEPTED)
                reason = _r(gettext_noop("checked and accepted (%(n)s items)"), n=len(items))
            delivery.number = self.delivery_number(moment)
            delivery.date, delivery.supplier, delivery.checked_by, delivery.checked_at = day, supplier, by, moment
            delivery.invoice_ref = f"NO.{day:%y%m%d}{self.supplier_list.index(supplier) + 1:02d}"
            self.rows.add(delivery, [(moment, by, reason, "+", None)])
            for name, spec, unit, life, meat in items:
                packed = unit != "kg"
                quantity = self.rng.randint(2, 6) if packed else self.rng.randint(10, 40)
                made = day - datetime.timedelta(days=self.rng.randint(10, 60) if packed else int(meat))
                self.rows.add(DeliveryItem(
                    delivery=delivery, name=name, spec=spec, quantity=Decimal(quantity), unit=unit, shelf_life=life,
                    production_date=made, batch=f"{day:%Y%m}{self.rng.randint(10, 99)}" if packed else "", is_meat=meat,
                    quarantine_cert=f"34{self.rng.randint(10 ** 7, 10 ** 8 - 1)}" if meat else ""),
                    [(moment, by, _r(gettext_noop("recorded")), "+", None)])

    def dishes(self, day, kind):
        n = (day - self.b.first_day).days
        if kind == MealKind.BREAKFAST:
            return [BREAKFAST[(3 * n + i) % len(BREAKFAST)] for i in range(4)]
        if kind == MealKind.LUNCH:
            return [MEAT[(2 * n) % len(MEAT)], MEAT[(2 * n + 1) % len(MEAT)], VEG[(2 * n) % len(VEG)],
                    VEG[(2 * n + 1) % len(VEG)], SOUP[n % len(SOUP)]]
        return [MEAT[(2 * n + 7) % len(MEAT)], VEG[(2 * n + 5) % len(VEG)], VEG[(2 * n + 9) % len(VEG)],
                SOUP[(n + 3) % len(SOUP)]]

    def meal(self, day, kind):
        rng, b = self.rng, self.b
        ends = self.profile.meal_ends(kind)
        served_at = b.at(day, ends.hour, ends.minute)
        opened = served_at - datetime.timedelta(minutes=100)
        cook = rng.choice(self.cooks)
        # an outing or an exam day: the meal not served
        if (day == self.forced["not_served"] and kind == self.meals[-1]) or rng.random() < 0.003:
            self.rows.add(Meal(date=day, kind=kind, served=False, note="学生外出研学，当餐不供餐", version=1), [
                (opened, cook, _r(gettext_noop("meal opened")), "+", {"served": True, "note": "", "version": 0}),
                (opened + datetime.timedelta(minutes=5), self.manager,
                 _r(gettext_noop("marked not served: %(note)s"), note="学生外出研学，当餐不供餐"), "~", None)])
            return
        meal = self.rows.add(Meal(date=day, kind=kind, diners=rng.randint(1100, 1300)),
                             [(opened, cook, _r(gettext_noop("meal opened")), "+", None)])
        for position, dish in enumerate(self.dishes(day, kind)):
            taken = served_at - datetime.timedelta(minutes=95 - 3 * position)
            grams = rng.choice([130, 140, 150, 150, 160, 180, 200])
            fridge_c = Decimal(rng.choice(["2.5", "3.0", "3.5", "4.0", "4.5"]))
            sample = Sample(meal=meal, dish=dish, grams=grams, taken_by=cook, taken_at=taken,
                            fridge=rng.choice(FRIDGES), fridge_c=fridge_c, version=0)
            steps = [(taken, cook, _r(gettext_noop("sample taken: %(dish)s, %(grams)s g, refrigerator %(c)s °C"),
                                      dish=dish, grams=grams, c=str(fridge_c)), "+", {"version": 0})]
            discard = self.discard_moment(taken)
            if discard < b.now:
                by = rng.choice(self.cooks)
                reviewer = rng.choice([p for p in (*self.leaders, *self.cooks) if p.pk not in (by.pk, cook.pk)]
                                      or [self.head])
                sample.discarded_at, sample.discarded_by, sample.reviewed_by, sample.version = discard, by, reviewer, 1
                steps[0][4].update(discarded_at=None, discarded_by_id=None, reviewed_by_id=None)
                steps.append((discard, by, _r(gettext_noop("sample discarded: %(dish)s, reviewed by %(reviewer)s"),
                                              dish=dish, reviewer=display_name(reviewer)), "~", None))
            self.rows.add(sample, steps)
        done = served_at + datetime.timedelta(minutes=rng.randint(20, 60))
        targets = [(Disinfection.Target.TABLEWARE, Disinfection.Method.CABINET, Decimal("120"), None, 30)]
        if kind == MealKind.LUNCH and day.weekday() == 2:
            targets.append((Disinfection.Target.BOARDS, Disinfection.Method.CHEMICAL, None, 250, 15))
        if kind == MealKind.DINNER:
            targets.append((Disinfection.Target.UTENSILS, Disinfection.Method.STEAM, Decimal("100"), None, 20))
        for target, method, temperature, concentration, minutes in targets:
            by = rng.choice(self.cooks)
            self.rows.add(Disinfection(meal=meal, target=target, method=method, temperature_c=temperature,
                                       concentration_mg_l=concentration, minutes=minutes, done_by=by, done_at=done),
                          [(done, by, _r(gettext_noop("disinfection logged: %(target)s, %(method)s, %(minutes)s min"),
                                         target=Disinfection.Target(target).label,
                                         method=Disinfection.Method(method).label, minutes=minutes), "+", None)])
        if kind == MealKind.LUNCH and rng.random() < 0.95:
            leader = rng.choice(self.leaders)
            comment, rating = rng.choice(COMMENTS)
            moment = served_at + datetime.timedelta(minutes=rng.randint(5, 40))
            self.rows.add(AccompaniedMeal(meal=meal, person=leader, rating=rating, comments=comment,
                                          recorded_by=leader, recorded_at=moment),
                          [(moment, leader, _r(gettext_noop(
                              "accompanied meal recorded: %(who)s (%(companion)s), rating %(rating)s"),
                              who=display_name(leader), companion=AccompaniedMeal.Companion.LEADER.label,
                              rating=rating), "+", None)])
            if day == self.forced["parent"] or rng.random() < 0.03:
                name = rng.choice(["李明轩家长", "王子涵家长", "陈思雨家长", "家委会 刘女士"])
                self.rows.add(AccompaniedMeal(meal=meal, companion=AccompaniedMeal.Companion.PARENT, name=name,
                                              rating=4, comments="孩子说饭菜可口，希望多些水果。",
                                              recorded_by=leader, recorded_at=moment),
                              [(moment, leader, _r(gettext_noop(
                                  "accompanied meal recorded: %(who)s (%(companion)s), rating %(rating)s"),
                                  who=name, companion=AccompaniedMeal.Companion.PARENT.label, rating=4), "+", None)])

    def discard_moment(self, taken):
        """The first working morning (7:40) at least the kept hours after the sample was taken."""
        due = taken + datetime.timedelta(hours=self.profile.sample_hours)
        moment = self.b.at(due.astimezone(self.b.tz).date(), 7, 40)
        if moment < due:
            moment += datetime.timedelta(days=1)
        while moment.weekday() >= 5:
            moment += datetime.timedelta(days=1)
        return moment

    def menus(self, days):
        """The weekly menus of the chunk's weeks (typed on the Friday before, shown to parents the same day)."""
        weeks = {}
        for day in days:
            weeks.setdefault(day - datetime.timedelta(days=day.weekday()), []).append(day)
        for monday, week_days in weeks.items():
            if monday in self.weeks:
                continue  # a week split across two chunks: made with the first
            self.weeks.add(monday)
            week_days = [d for d in (monday + datetime.timedelta(days=i) for i in range(5))
                         if is_school_day(d, self.b.term_defs) and d <= self.b.today]
            friday = self.b.at(monday - datetime.timedelta(days=3), 16, 10)
            shown = self.rng.random() > 0.03 and not monday <= self.forced["not_shown"] < monday + datetime.timedelta(7)
            week = MenuWeek(week_start=monday, published=shown, version=2 if shown else 1)
            menu = [(day, kind, self.dishes(day, kind)) for day in week_days for kind in self.meals]
            reasons = [_r(gettext_noop("set %(meal)s on %(date)s: %(dishes)s"), date=f"{day:%m-%d}",
                          meal=MealKind(kind).label, dishes="、".join(names)) for day, kind, names in menu]
            steps = [(friday, self.manager, _r(gettext_noop("started the weekly menu")), "+",
                      {"published": False, "version": 0}),
                     (friday, self.manager, "\n".join(reasons), "~", {"published": False, "version": 1})]
            if shown:
                steps.append((friday + datetime.timedelta(minutes=12), self.manager,
                              _r(gettext_noop("showed the menu to parents")), "~", None))
            self.rows.add(week, steps)
            for day, kind, names in menu:
                for position, name in enumerate(names):
                    self.rows.add(MenuDish(week=week, day=day, meal=kind, name=name, position=position),
                                  [(friday, self.manager, _r(gettext_noop("menu changed")), "+", None)])

    def inspection(self, checklist, day, items, moment):
        by = checklist.inspector
        failed = {}
        goal = self.forced_findings.get(day) if checklist is self.daily else None
        if checklist is self.daily and (goal or self.rng.random() < 0.03):
            number = self.rng.choice(list(FAILS))
            failed[items[number]] = FAILS[number]
        inspection = Inspection(checklist=checklist, due_date=day, inspector=by, status=Inspection.Status.DONE,
                                done_by=by, done_at=moment, version=1)
        if failed:
            reason = _r(gettext_noop("inspected: %(failed)s of %(n)s items did not pass"), failed=len(failed),
                        n=len(items))
        else:
            reason = _r(gettext_noop("inspected: all %(n)s items passed"), n=len(items))
        # the scheduler makes the day's inspection in the morning (no one signs that), the inspector records it
        self.rows.add(inspection, [
            (self.b.at(day, 6, 0), None, None, "+", {"status": Inspection.Status.OPEN, "done_by_id": None,
                                                      "done_at": None, "version": 0}),
            (moment, by, reason, "~", None)])
        for item in items:
            note, fix = failed.get(item, ("", ""))
            result = self.rows.add(InspectionResult(inspection=inspection, item=item, passed=not note, note=note), [
                (moment, by, _r(gettext_noop("did not pass: %(note)s"), note=note) if note else
                 _r(gettext_noop("passed")), "+", None)])
            if note:
                self.finding(result, note, fix, moment, by, goal)

    def finding(self, result, note, fix, moment, by, goal=None):
        """The failed item's finding: fixed by the canteen manager, verified by the head (one in eight fails its
        re-check first); the newest may still be open, fixed or reopened."""
        b, rng = self.b, self.rng
        deadline = moment.date() + datetime.timedelta(days=3)
        finding = Finding(area=FINDINGS_AREA, title=note[:120], found_by=by, found_at=moment,
                          responsible=self.manager, deadline=deadline, source_type=self.result_type)
        finding.result = result
        finding.number = self.finding_number(moment)
        state = {"status": Finding.Status.OPEN, "version": 1, "fix_note": "", "fixed_by_id": None, "fixed_at": None,
                 "verified_by_id": None, "verified_at": None, "verify_comment": "", "reopen_count": 0}
        steps = [(moment, by, _r(gettext_noop("found it; %(name)s to fix it by %(date)s"),
                                 name=display_name(self.manager), date=deadline.isoformat()), "+", dict(state))]
        recent = moment.date() >= self.days[-min(RECENT_DAYS, len(self.days))]
        if goal is None:
            goal = rng.choice(Finding.Status.values) if recent else Finding.Status.VERIFIED
        reopen = goal == Finding.Status.REOPENED or (goal == Finding.Status.VERIFIED and rng.random() < 0.125)
        at = moment
        for attempt in range(2 if reopen else 1):
            if goal == Finding.Status.OPEN:
                break
            at = b.later(at, 2, 20)
            state.update(status=Finding.Status.FIXED, fix_note=fix, fixed_by_id=self.manager.pk, fixed_at=at,
                         version=state["version"] + 1)
            steps.append((at, self.manager, _r(gettext_noop("fixed it: %(note)s"), note=fix), "~", dict(state)))
            if goal == Finding.Status.FIXED:
                break
            at = b.later(at, 1, 20)
            if attempt == 0 and reopen:
                comment = "复查仍未达标，请再次整改"
                state.update(status=Finding.Status.REOPENED, verified_by_id=self.head.pk, verified_at=at,
                             verify_comment=comment, reopen_count=1, version=state["version"] + 1)
                steps.append((at, self.head, _r(gettext_noop("did not pass the fix: %(comment)s"), comment=comment),
                              "~", dict(state)))
                if goal == Finding.Status.REOPENED:
                    break
                continue
            comment = "复查合格"
            state.update(status=Finding.Status.VERIFIED, verified_by_id=self.head.pk, verified_at=at,
                         verify_comment=comment, version=state["version"] + 1)
            steps.append((at, self.head, _r(gettext_noop("verified the fix: %(comment)s"), comment=comment), "~",
                          dict(state)))
        for name, value in state.items():
            setattr(finding, name, value)
        self.pending_findings.append((finding, steps))
        self.finding_total += 1

    def open_findings(self):
        """The chunk's findings, written after their results (their source ids known now)."""
        pending, self.pending_findings = self.pending_findings, []
        for finding, _steps in pending:
            finding.source_id = finding.result.pk
        self.b.write(Finding, [f for f, _s in pending])
        self.rows.history_total += self.b.history(
            self.b.history_row(f, when=when, by=by, reason=reason, kind=kind, state=state)
            for f, steps in pending for when, by, reason, kind, state in steps)

    def today(self):
        """Today, on a school day: the scheduler has made the day's inspections, still to do."""
        today = self.b.today
        if not is_school_day(today, self.b.term_defs):
            return
        moment = self.b.at(today, 6, 0)
        for checklist in (self.daily, self.weekly):
            if checklist.frequency == Checklist.Frequency.DAILY or today.weekday() == FRIDAY:
                self.rows.add(Inspection(checklist=checklist, due_date=today, inspector=checklist.inspector),
                              [(min(moment, self.b.now), None, None, "+", None)])
