"""Demo meals: the current term's lunches on school days, each with a sample of every dish (one missing on a
recent day), tableware disinfected after the meal, samples discarded after 48 hours by the canteen manager and
reviewed by the head, and an accompanied meal by the principal or the head most days (one day without, one
parent). Built through the services at their business moments (builder.clock); the dishes are the menu's when
the menus demo made one, else a small rotation of the canteen's own."""
import datetime
from decimal import Decimal

from logistics.demo import is_school_day

from ..models import AccompaniedMeal, CanteenSettings, Disinfection, Meal, MealKind, MenuDish, Sample
from ..services import meals as services

# Four dishes a day when there is no menu: a meat dish, a half-meat dish, a vegetable, a soup.
DISHES = [
    ["红烧鸡块", "番茄炒蛋", "清炒油麦菜", "紫菜蛋花汤"],
    ["土豆烧牛肉", "青椒肉丝", "蒜蓉西兰花", "冬瓜排骨汤"],
    ["糖醋里脊", "麻婆豆腐", "手撕包菜", "玉米胡萝卜汤"],
    ["清蒸鱼块", "肉末茄子", "炒豆芽", "白菜豆腐汤"],
    ["宫保鸡丁", "胡萝卜炒肉片", "香菇青菜", "番茄鸡蛋汤"],
]
COMMENTS = [
    ("菜品温度合适，分量足，学生吃得干净。", 5),
    ("米饭略硬，已提醒食堂调整加水量。", 4),
    ("青菜新鲜，口味偏淡，适合学生。", 5),
    ("餐具消毒到位，就餐秩序良好。", 5),
    ("汤稍咸，建议减盐。", 4),
    ("剩饭剩菜较少，学生反映鸡块好吃。", 5),
]
FRIDGE = "留样柜1"
MISSING_DAY = 3      # school days ago: one dish's sample was not taken
NO_ACCOMPANIED_DAY = 4  # school days ago: no leader ate with the pupils
PARENT_DAY = 6       # school days ago: a parent joined


class MealsDemo:
    """seed(builder) builds the term's lunches; idempotent (nothing is added when samples exist)."""

    def seed(self, builder):
        if Sample.objects.exists() or Meal.objects.exists():
            return None
        profile = CanteenSettings.get()
        kind = MealKind.LUNCH if MealKind.LUNCH in profile.served_meals() else profile.served_meals()[0]
        canteen, head, principal = builder.users["canteen"], builder.users["head"], builder.users["principal"]
        rng = builder.rng
        days = self._days(builder)
        ends = profile.meal_ends(kind)
        menus = {}
        for day, name in (MenuDish.objects.filter(day__gte=days[0] if days else builder.today, meal=kind)
                          .order_by("day", "position", "pk").values_list("day", "name")):
            menus.setdefault(day, []).append(name)
        recent = days[::-1]
        missing_day = recent[MISSING_DAY] if len(recent) > MISSING_DAY else None
        no_leader_day = recent[NO_ACCOMPANIED_DAY] if len(recent) > NO_ACCOMPANIED_DAY else None
        parent_day = recent[PARENT_DAY] if len(recent) > PARENT_DAY else None
        taken = []
        for index, day in enumerate(days):
            served_at = builder.at(day, ends.hour, ends.minute)
            if served_at - datetime.timedelta(minutes=30) > builder.now:
                continue  # today's lunch not cooked yet
            with builder.clock(builder.at(day, 10, 40)):
                meal = services.meal_for(day, kind, canteen)
            dishes = menus.get(day) or DISHES[index % len(DISHES)]
            extra = day not in menus
            for position, dish in enumerate(dishes):
                if day == missing_day and (extra or position == len(dishes) - 1):
                    continue  # the soup's sample was forgotten (with no menu to tell, the whole meal's)
                moment = builder.at(day, 11, 5 + 3 * position)
                with builder.clock(moment):
                    taken.append(services.take_sample(
                        meal, dish, rng.choice([130, 140, 150, 150, 160, 180]), FRIDGE,
                        Decimal(rng.choice(["2.5", "3.0", "3.5", "4.0", "4.5"])), canteen, extra=extra))
            done_at = builder.at(day, 13, rng.randint(5, 40))
            if done_at <= builder.now:
                with builder.clock(done_at):
                    services.record_disinfection(meal, Disinfection.Target.TABLEWARE, Disinfection.Method.CABINET,
                                                 Decimal("120"), None, 30, canteen)
                    if day.weekday() == 2:  # Wednesdays: boards and surfaces with chlorine solution too
                        services.record_disinfection(meal, Disinfection.Target.BOARDS, Disinfection.Method.CHEMICAL,
                                                     None, 250, 15, canteen)
            if day != no_leader_day and served_at <= builder.now:
                leader = principal if index % 2 else head
                comment, rating = COMMENTS[index % len(COMMENTS)]
                with builder.clock(served_at + datetime.timedelta(minutes=rng.randint(5, 40))):
                    services.record_accompanied(meal, AccompaniedMeal.Companion.LEADER, person=leader,
                                                rating=rating, comments=comment, by=leader)
                    if day == parent_day:
                        services.record_accompanied(meal, AccompaniedMeal.Companion.PARENT, name="李明轩家长",
                                                    rating=4, comments="孩子说饭菜可口，希望多些水果。",
                                                    by=principal)
        self._discard(builder, taken, profile.sample_hours, canteen, head)
        return None

    def _days(self, builder):
        """The school days of the current term up to today."""
        _name, first, last = builder.term_defs[1]
        days, day = [], first
        while day <= min(last, builder.today):
            if is_school_day(day, builder.term_defs):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def _discard(self, builder, samples, hours, by, reviewer):
        """Each sample discarded on the first working morning after its 48 hours, the day's in one go."""
        batches = {}
        for sample in samples:
            due = sample.taken_at + datetime.timedelta(hours=hours)
            local = builder.at(due.astimezone(builder.tz).date(), 7, 40)
            moment = local if local >= due else builder.at(local.date() + datetime.timedelta(days=1), 7, 40)
            while moment.weekday() >= 5:
                moment = builder.at(moment.date() + datetime.timedelta(days=1), 7, 40)
            if moment < builder.now:
                batches.setdefault(moment, []).append(sample.pk)
        for moment, pks in sorted(batches.items()):
            with builder.clock(moment):
                services.discard_due(by, reviewer, pks)

    def summary(self):
        samples = Sample.objects.count()
        kept = Sample.objects.filter(discarded_at__isnull=True).count()
        return [f"Meals: {Meal.objects.count()} meals, {samples} food samples ({kept} still kept), "
                f"{Disinfection.objects.count()} disinfections, {AccompaniedMeal.objects.count()} accompanied meals"]


AREA = MealsDemo()
