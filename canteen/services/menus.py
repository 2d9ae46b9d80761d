"""The weekly menus: a week's dishes per day and meal, copied from the week before, shown to parents by an
unguessable link. Each move is one transaction that locks the week first, checks the page's version and
leaves a history sentence (stored untranslated, shown in the reader's language)."""
import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics.history import history_reason
from logistics.services import lock, require, save_with_history

from ..models import CanteenSettings, Meal, MealKind, MenuDish, MenuWeek, Sample
from ..selectors import menus as selectors

# More than this is a typing mistake (a whole week pasted into one meal), not a school lunch.
MAX_DISHES = 12
NAME_MAX = MenuDish._meta.get_field("name").max_length


def monday_of(day):
    """The Monday of the week that holds day."""
    return day - datetime.timedelta(days=day.weekday())


def _lock_week(week_id, expected_version=None, *, by=None):
    return lock(MenuWeek, week_id, expected_version, pgettext("record", "weekly menu"), by=by)


def _day_text(day):
    # History params are stored as written: the ISO date reads the same in both languages.
    return f"{day:%Y-%m-%d}"


@transaction.atomic
def week_for(*, week_start, by):
    """The weekly menu of the week holding week_start (any day of it is moved to its Monday), made if missing."""
    require(by, "canteen.add_menuweek")
    monday = monday_of(week_start)
    week = MenuWeek.objects.filter(week_start=monday).first()
    if week is not None:
        return week
    week = MenuWeek(week_start=monday)
    week._change_reason = history_reason(gettext_noop("started the weekly menu"))
    week._history_user = by
    try:
        with transaction.atomic():
            week.save(force_insert=True)
    except IntegrityError:  # the same week made a moment ago by another page (unique week_start)
        existing = MenuWeek.objects.filter(week_start=monday).first()
        if existing is None:
            raise
        return existing
    return week


def slot_key(day, meal):
    """The name of one meal of one day in errors (and in the week page's form): "2026-03-02_lunch"."""
    return f"{day:%Y-%m-%d}_{meal}"


def clean_dishes(week, dishes, served=None):
    """{(day, meal): [names]} checked against the week and the canteen's meals: names trimmed (inner spaces
    made one), empty lines dropped. The ValidationError holds every problem at once, by slot_key; nothing
    is changed here."""
    served = served if served is not None else CanteenSettings.get().served_meals()
    last = week.week_start + datetime.timedelta(days=6)
    labels = dict(MealKind.choices)
    cleaned, errors = {}, {}
    for (day, meal), names in dishes.items():
        problems = errors.setdefault(slot_key(day, meal), [])
        if not (week.week_start <= day <= last):
            problems.append(_("%(date)s is not in the week of %(week)s.")
                            % {"date": _day_text(day), "week": _day_text(week.week_start)})
            continue
        if meal not in served:
            problems.append(_("The canteen does not serve %(meal)s (see the canteen's settings).")
                            % {"meal": labels.get(meal, meal)})
            continue
        values = [" ".join(str(n).split()) for n in names]
        values = [n for n in values if n]
        where = {"date": _day_text(day), "meal": labels[meal]}
        if len(values) > MAX_DISHES:
            problems.append(_("%(meal)s on %(date)s has %(n)s dishes: at most %(max)s.")
                            % {**where, "n": len(values), "max": MAX_DISHES})
        seen = set()
        for name in values:
            if len(name) > NAME_MAX:
                problems.append(_("“%(name)s…” is too long for a dish name: at most %(max)s characters.")
                                % {"name": name[:12], "max": NAME_MAX})
            elif name in seen:
                problems.append(_("%(name)s is listed twice for %(meal)s on %(date)s.") % {**where, "name": name})
            seen.add(name)
        cleaned[(day, meal)] = values
    errors = {key: messages for key, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def set_dishes(*, week_id, by, dishes, expected_version=None):
    """Set the dishes of some meals of a week ({(day, meal): [names]}; the meals not given are left as they
    are). A meal already served and sampled may still be changed; its history says so.

    Returns the list of (day, meal) changed after they were served, for the page to say."""
    require(by, "canteen.change_menuweek")
    week = _lock_week(week_id, expected_version, by=by)
    cleaned = clean_dishes(week, dishes)
    current = {}
    for dish in MenuDish.objects.filter(week=week).order_by("day", "meal", "position", "pk"):
        current.setdefault((dish.day, dish.meal), []).append(dish)
    changed = [key for key, names in cleaned.items() if [d.name for d in current.get(key, [])] != names]
    if not changed:
        return []
    sampled = set(Sample.objects.filter(meal__date__in={day for day, _m in changed}, meal__served=True)
                  .values_list("meal__date", "meal__kind"))
    reasons, after_service = [], []
    for key in sorted(changed, key=lambda k: (k[0], _meal_order(k[1]))):
        day, meal = key
        names = cleaned[key]
        late = key in sampled
        _replace(week, day, meal, current.get(key, []), names, by, late)
        params = {"date": _day_text(day), "meal": MealKind(meal).label,
                  # Stored as written, read in both languages: dish names are written in Chinese.
                  "dishes": "、".join(names) if names else "—"}
        if late:
            after_service.append(key)
            reasons.append(history_reason(gettext_noop(
                "changed %(meal)s on %(date)s after it was served (its samples were already taken): %(dishes)s"),
                **params))
        elif names:
            reasons.append(history_reason(gettext_noop("set %(meal)s on %(date)s: %(dishes)s"), **params))
        else:
            reasons.append(history_reason(gettext_noop("cleared %(meal)s on %(date)s"), **params))
    save_with_history(week, by, "\n".join(reasons))
    return after_service


@transaction.atomic
def set_week_dishes(*, week_start, by, dishes, expected_version=None):
    """The week page's save: the week made if missing and its dishes set, all or nothing.

    Returns (week, [(day, meal) changed after they were served])."""
    week = week_for(week_start=week_start, by=by)
    after_service = set_dishes(week_id=week.pk, by=by, dishes=dishes, expected_version=expected_version)
    return MenuWeek.objects.get(pk=week.pk), after_service


def _meal_order(meal):
    return [k for k, _l in MealKind.choices].index(meal)


def _replace(week, day, meal, old, names, by, late):
    """Make one meal's dishes names: removed ones deleted, kept ones re-ordered, new ones added (each with
    its own history row)."""
    reason = (history_reason(gettext_noop("menu changed after the meal was served")) if late
              else history_reason(gettext_noop("menu changed")))
    keep = {d.name: d for d in old}
    for dish in old:
        if dish.name not in names:
            dish._history_user = by
            dish._change_reason = reason
            dish.delete()
    for position, name in enumerate(names):
        dish = keep.get(name)
        if dish is None:
            dish = MenuDish(week=week, day=day, meal=meal, name=name, position=position)
        elif dish.position == position:
            continue
        dish.position = position
        dish._history_user = by
        dish._change_reason = reason
        dish.save()


@transaction.atomic
def copy_week(*, from_week_id, to_week_start, by):
    """Start a week from another one's dishes, day for day (next week from this one). Refused when the
    week to fill already has dishes: those are changed on its own page."""
    require(by, "canteen.change_menuweek")
    source = MenuWeek.objects.get(pk=from_week_id)
    target = week_for(week_start=to_week_start, by=by)
    if target.pk == source.pk:
        raise ValidationError(_("A week cannot be copied onto itself."), code="same_week")
    target = _lock_week(target.pk, by=by)
    if MenuDish.objects.filter(week=target).exists():
        raise ValidationError(_("The week of %(week)s already has dishes: change them on its page.")
                              % {"week": _day_text(target.week_start)}, code="not_empty")
    served = CanteenSettings.get().served_meals()
    offset = target.week_start - source.week_start
    copied = [MenuDish(week=target, day=d.day + offset, meal=d.meal, name=d.name, position=d.position)
              for d in MenuDish.objects.filter(week=source, meal__in=served).order_by("day", "meal", "position")]
    if not copied:
        raise ValidationError(_("The week of %(week)s has no dishes to copy.")
                              % {"week": _day_text(source.week_start)}, code="empty")
    reason = history_reason(gettext_noop("copied from the week of %(week)s"), week=_day_text(source.week_start))
    for dish in copied:
        dish._history_user = by
        dish._change_reason = reason
        dish.save()
    return save_with_history(target, by, reason)


def missing_days(week, served=None):
    """The (day, meal) of the week's school days that have no dish yet: weekdays inside a term (any weekday
    when the school has no term around that week), without the meals recorded as not served."""
    served = served if served is not None else CanteenSettings.get().served_meals()
    days = selectors.school_days(week.week_start)
    filled = set(MenuDish.objects.filter(week=week).values_list("day", "meal").distinct())
    not_served = set(Meal.objects.filter(date__in=days, served=False).values_list("date", "kind"))
    return [(day, meal) for day in days for meal in served
            if (day, meal) not in filled and (day, meal) not in not_served]


@transaction.atomic
def publish(*, week_id, by, expected_version=None):
    """Show the week's menu to parents by its link: every school day of the week needs its dishes first."""
    require(by, "canteen.change_menuweek")
    week = _lock_week(week_id, expected_version, by=by)
    if week.published:
        raise ValidationError(_("This menu is already shown to parents."), code="published")
    if not selectors.school_days(week.week_start):
        raise ValidationError(_("The week of %(week)s has no school days: there is no menu to show.")
                              % {"week": _day_text(week.week_start)}, code="no_school")
    missing = missing_days(week)
    if missing:
        labels = dict(MealKind.choices)
        where = pgettext("between list items", ", ").join(
            f"{_day_text(day)} {labels[meal]}" for day, meal in missing)
        raise ValidationError(_("Parents see the whole week: add the dishes of %(where)s first.") % {"where": where},
                              code="incomplete")
    week.published = True
    return save_with_history(week, by, history_reason(gettext_noop("showed the menu to parents")))


@transaction.atomic
def unpublish(*, week_id, by, expected_version=None):
    """Take the week's menu off the parents' page (its link shows nothing until it is shown again)."""
    require(by, "canteen.change_menuweek")
    week = _lock_week(week_id, expected_version, by=by)
    if not week.published:
        raise ValidationError(_("This menu is not shown to parents."), code="not_published")
    week.published = False
    return save_with_history(week, by, history_reason(gettext_noop("took the menu off the parents' page")))


@transaction.atomic
def regenerate_link(*, week_id, by, expected_version=None):
    """A new link for parents; the old one stops working at once (a link shared where it should not be)."""
    require(by, "canteen.change_menuweek")
    week = _lock_week(week_id, expected_version, by=by)
    week.public_key = uuid.uuid4()
    return save_with_history(week, by, history_reason(gettext_noop("made a new link for parents (the old one "
                                                                   "no longer works)")))
