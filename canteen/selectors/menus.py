"""Reads of the weekly menus: a week's grid, its repeated dishes, the parents' page (with whether each day's
samples and morning checks were done) and the menus' term figures. Each in a constant number of queries."""
import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.models import Term
from logistics.modules import Figure

from ..models import CanteenSettings, CanteenStaff, Meal, MealKind, MenuDish, MenuWeek, MorningCheck, Sample

# Staples served every day are not "repeated dishes": flagging the rice daily would hide the real repeats.
STAPLES = {"米饭", "白米饭", "大米饭", "米饭（自选）", "馒头", "花卷", "rice", "steamed rice"}

DONE, INCOMPLETE, PENDING, FUTURE, NONE = "done", "incomplete", "pending", "future", "none"


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def week_of(day):
    """The MenuWeek of the week containing day, or None."""
    return MenuWeek.objects.filter(week_start=_monday(day)).first()


def dishes_for(date, kind):
    """The names of the dishes on the menu of one meal of one day, in their order."""
    return list(MenuDish.objects.filter(day=date, meal=kind).order_by("position", "pk").values_list("name", flat=True))


def school_days(week_start):
    """The school days of the week starting week_start: weekdays inside a term; every weekday when the
    school has not entered any term yet."""
    weekdays = [week_start + datetime.timedelta(days=n) for n in range(5)]
    terms = list(Term.objects.filter(start__lte=weekdays[-1], end__gte=weekdays[0]).values_list("start", "end"))
    if not terms and not Term.objects.exists():
        return weekdays
    return [day for day in weekdays if any(start <= day <= end for start, end in terms)]


def menu_list(status=""):
    """The weekly menus, newest first, with how many dishes and days each holds; status "published" or
    "draft" keeps those shown to parents or not."""
    qs = MenuWeek.objects.annotate(dish_count=Count("dishes"), day_count=Count("dishes__day", distinct=True))
    if status == "published":
        qs = qs.filter(published=True)
    elif status == "draft":
        qs = qs.filter(published=False)
    return qs.order_by("-week_start")


def week_dishes(week):
    """{(day, meal): [names]} of a week (one query; {} for a week not made yet)."""
    grid = {}
    if week is None or week.pk is None:
        return grid
    for day, meal, name in (MenuDish.objects.filter(week=week).order_by("day", "meal", "position", "pk")
                            .values_list("day", "meal", "name")):
        grid.setdefault((day, meal), []).append(name)
    return grid


def repeats(week, dishes=None):
    """The dishes served on two days or more of the week at the same meal: [{meal, name, days}], by meal and
    name. dishes: the week's {(day, meal): [names]} when already read (week_dishes)."""
    dishes = week_dishes(week) if dishes is None else dishes
    seen = {}
    for (day, meal), names in dishes.items():
        for name in names:
            if name.lower() not in STAPLES:
                seen.setdefault((meal, name), set()).add(day)
    order = [k for k, _l in MealKind.choices]
    return [{"meal": meal, "meal_label": MealKind(meal).label, "name": name, "days": sorted(days)}
            for (meal, name), days in sorted(seen.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))
            if len(days) > 1]


def week_grid(week_start, dishes, served):
    """The days to show for a week (Monday to Friday, and a weekend day that has dishes), each with its
    served meals' dishes: [{day, meals: [{kind, label, dishes}]}]."""
    repeated = {(r["meal"], r["name"]) for r in repeats(None, dishes)}
    days = []
    for n in range(7):
        day = week_start + datetime.timedelta(days=n)
        if n >= 5 and not any((day, meal) in dishes for meal in served):
            continue
        meals = [{"kind": meal, "label": MealKind(meal).label,
                  "dishes": [{"name": name, "repeated": (meal, name) in repeated}
                             for name in dishes.get((day, meal), [])]}
                 for meal in served]
        days.append({"day": day, "meals": meals})
    return days


def public_week(key, today):
    """What the parents' page shows for the link key, or None when no published menu has it: the week's
    grid and, per day up to today, whether every dish's sample was kept and every kitchen worker checked
    in the morning (done / incomplete / pending for today / future / none). Never a person's name."""
    week = MenuWeek.objects.filter(public_key=key, published=True).first()
    if week is None:
        return None
    served = CanteenSettings.get().served_meals()
    dishes = week_dishes(week)
    last = week.week_start + datetime.timedelta(days=6)
    sampled = set(Sample.objects.filter(meal__date__range=(week.week_start, last), meal__served=True)
                  .values_list("meal__date", "meal__kind", "dish"))
    not_served = set(Meal.objects.filter(date__range=(week.week_start, last), served=False)
                     .values_list("date", "kind"))
    active = set(CanteenStaff.objects.filter(active=True).values_list("pk", flat=True))
    checked = {}
    for day, staff in MorningCheck.objects.filter(date__range=(week.week_start, last),
                                                  staff__active=True).values_list("date", "staff_id"):
        checked.setdefault(day, set()).add(staff)
    days = week_grid(week.week_start, dishes, served)
    for entry in days:
        day = entry["day"]
        meals = [m for m in entry["meals"] if m["dishes"] and (day, m["kind"]) not in not_served]
        if day > today:
            entry["samples"] = entry["checks"] = FUTURE
            continue
        if not meals:
            entry["samples"] = entry["checks"] = NONE
            continue
        complete = all((day, m["kind"], d["name"]) in sampled for m in meals for d in m["dishes"])
        entry["samples"] = DONE if complete else (PENDING if day == today else INCOMPLETE)
        if not active:
            entry["checks"] = NONE
        else:
            entry["checks"] = DONE if active <= checked.get(day, set()) else (PENDING if day == today else INCOMPLETE)
    this_week = None
    if week.week_start != _monday(today):
        this_week = MenuWeek.objects.filter(week_start=_monday(today), published=True).first()
    return {"week": week, "days": days, "served": served, "this_week": this_week,
            "repeats": repeats(week, dishes)}


def term_figures(term):
    """The menus' figures for a term (three queries): the share of its school weeks so far whose menu was
    shown to parents, and how many different dishes were on the menus."""
    today = timezone.localdate()
    last = min(term.end, today)
    mondays = []
    monday = _monday(term.start)
    while monday <= last:
        if any(term.start <= monday + datetime.timedelta(days=n) <= term.end for n in range(5)):
            mondays.append(monday)
        monday += datetime.timedelta(days=7)
    published = MenuWeek.objects.filter(week_start__in=mondays, published=True).count() if mondays else 0
    dishes = (MenuDish.objects.filter(day__range=(term.start, last)).values("name").distinct().count()
              if mondays else 0)
    percent = round(100 * published / len(mondays)) if mondays else None
    return [
        Figure(key="menus.published_percent", label=_("weeks with the menu shown to parents"), value=percent,
               unit="%", chapter="canteen", order=60),
        Figure(key="menus.distinct_dishes", label=_("different dishes on the menus"), value=dishes,
               chapter="canteen", order=61),
    ]

