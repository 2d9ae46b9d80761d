"""Demo menus: the lunches of the last five weeks, this week and next week (two meat dishes, two vegetables
and a soup each school day), typed by the canteen manager on the Friday before each week and shown to
parents; one week repeats a dish (the page flags it), one was never shown, next week is copied from this
one and changed. Runs before the meals' demo, which takes the day's dishes from these menus."""
import datetime

from django.core.exceptions import ValidationError

from logistics.demo import is_public_holiday

from ..models import MealKind, MenuDish, MenuWeek
from ..selectors.menus import school_days
from ..services import menus as services

MEAT = ["红烧鸡腿", "番茄炒蛋", "土豆烧牛肉", "糖醋里脊", "宫保鸡丁", "红烧肉", "清蒸鲈鱼", "鱼香肉丝", "香菇滑鸡",
        "麻婆豆腐", "咖喱鸡块", "可乐鸡翅", "青椒肉丝", "洋葱炒肉片", "红烧狮子头", "黄焖鸡", "虾仁炒蛋", "肉末茄子"]
VEG = ["清炒西兰花", "蒜蓉生菜", "醋溜土豆丝", "手撕包菜", "清炒油麦菜", "番茄炒花菜", "蚝油娃娃菜", "炒三丝",
       "玉米炒胡萝卜丁", "家常豆腐", "蒜蓉菠菜", "清炒冬瓜", "清炒南瓜", "木耳炒山药", "芹菜炒香干"]
SOUP = ["紫菜蛋花汤", "冬瓜排骨汤", "番茄蛋汤", "海带豆腐汤", "青菜豆腐汤", "玉米排骨汤", "萝卜丝汤", "丝瓜蛋汤"]

WEEKS_BACK = 5
REPEAT_WEEK = -3      # this week's offset whose Thursday repeats Monday's first dish
NOT_SHOWN_WEEK = -4   # a week the canteen forgot to show to parents


def _lunch(week_index, weekday):
    """The day's five dishes, rotating through the lists so that no week repeats one by chance."""
    n = week_index * 5 + weekday
    return [MEAT[(2 * n) % len(MEAT)], MEAT[(2 * n + 1) % len(MEAT)], VEG[(2 * n) % len(VEG)],
            VEG[(2 * n + 1) % len(VEG)], SOUP[n % len(SOUP)]]


class MenusDemo:
    def __init__(self):
        self.lines = []

    def seed(self, builder):
        """Build the weeks that are not there yet, each through the services at its business moment."""
        canteen = builder.users["canteen"]
        this_monday = services.monday_of(builder.today)
        built, shown = 0, 0
        for offset in range(-WEEKS_BACK, 1):
            monday = this_monday + datetime.timedelta(weeks=offset)
            if MenuWeek.objects.filter(week_start=monday).exists():
                continue
            days = [d for d in school_days(monday) if not is_public_holiday(d)]
            if not days:
                continue
            friday = builder.at(monday - datetime.timedelta(days=3), 15, 40)
            dishes = {}
            for day in days:
                names = _lunch(offset + 100, day.weekday())
                if offset == REPEAT_WEEK and day.weekday() == 3:
                    names[0] = _lunch(offset + 100, 0)[0]
                dishes[(day, MealKind.LUNCH)] = names
            with builder.clock(friday):
                week = services.week_for(week_start=monday, by=canteen)
                services.set_dishes(week_id=week.pk, by=canteen, dishes=dishes)
            built += 1
            if offset != NOT_SHOWN_WEEK:
                with builder.clock(friday + datetime.timedelta(minutes=25)):
                    shown += self._show(week, canteen)
        built += self._next_week(builder, canteen, this_monday)
        if built:
            current = MenuWeek.objects.filter(week_start=this_monday, published=True).first()
            where = f" (this week's for parents at /menu/{current.public_key}/)" if current else ""
            self.lines = [f"Menus: {built} weeks of lunches typed, {shown} shown to parents{where}, one dish "
                          f"repeated in the week of {this_monday + datetime.timedelta(weeks=REPEAT_WEEK):%Y-%m-%d}."]
        else:
            self.lines = ["Menus: already there, left as they are."]
        return None

    def _show(self, week, canteen):
        try:
            services.publish(week_id=week.pk, by=canteen)
        except ValidationError:  # a week with a holiday has no dishes that day; it stays unshown
            return 0
        return 1

    def _next_week(self, builder, canteen, this_monday):
        """Next week, started from this week's menu on Friday afternoon and changed for Tuesday to Thursday."""
        monday = this_monday + datetime.timedelta(weeks=1)
        source = MenuWeek.objects.filter(week_start=this_monday).first()
        if MenuWeek.objects.filter(week_start=monday).exists() or source is None \
                or not MenuDish.objects.filter(week=source).exists():
            return 0
        friday = builder.at(this_monday + datetime.timedelta(days=4), 16, 10)
        with builder.clock(friday):
            week = services.copy_week(from_week_id=source.pk, to_week_start=monday, by=canteen)
        days = [d for d in school_days(monday) if not is_public_holiday(d) and 1 <= d.weekday() <= 3]
        kept = set(MenuDish.objects.filter(week=week).exclude(day__in=days).values_list("name", flat=True))
        pools = [iter([n for n in pool[start:] + pool[:start] if n not in kept])
                 for pool, start in ((MEAT, 7), (VEG, 5), (SOUP, 3))]
        changes = {(day, MealKind.LUNCH): [next(pools[0]), next(pools[0]), next(pools[1]), next(pools[1]),
                                           next(pools[2])] for day in days}
        dropped = [d for d in school_days(monday) if is_public_holiday(d)]
        changes.update({(day, MealKind.LUNCH): [] for day in dropped})
        if changes:
            with builder.clock(friday + datetime.timedelta(minutes=15)):
                services.set_dishes(week_id=week.pk, by=canteen, dishes=changes)
        return 1

    def summary(self):
        return self.lines


AREA = MenusDemo()
