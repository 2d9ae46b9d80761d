"""The meals of a day and what is logged for them: food samples (留样) and their discard, tableware
disinfection, accompanied meals (陪餐), a meal not served.

Each move is one transaction that locks its row, checks who may and what the school's settings
(CanteenSettings) allow, and leaves a history sentence; a form sent twice (a double click in a wet
kitchen) saves one record (submit tokens)."""
import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from logistics import roles
from logistics.history import history_reason
from logistics.services import display_name, find_duplicate, insert_once, join_list, lock, require, save_with_history

from ..models import AccompaniedMeal, CanteenSettings, Disinfection, Meal, MealKind, MenuDish, Sample

# Who may review (审核) a sample's discard: the canteen's people and the school leaders who read its logs.
REVIEWER_ROLES = (roles.CANTEEN, roles.LOGISTICS_HEAD, roles.PRINCIPAL, roles.SAFETY)
# Who accompanies a meal as a school leader (陪餐).
LEADER_ROLES = (roles.PRINCIPAL, roles.LOGISTICS_HEAD)
MAX_SAMPLE_GRAMS = 2000
MAX_MINUTES = 600
MAX_CONCENTRATION = 5000
HEAT_METHODS = (Disinfection.Method.STEAM, Disinfection.Method.BOILING, Disinfection.Method.CABINET)


# --- helpers ---------------------------------------------------------------------------------------

def local_text(moment):
    """A moment as the school reads it: 2026-11-30 12:40, in local time."""
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def plain(number):
    """A Decimal as people write it: 100, 3.5 (never 1E+2 nor 3.50)."""
    return format(number.normalize(), "f")


def _number(value, field, message):
    """value as a Decimal, or a ValidationError on field."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not number.is_finite():
        raise ValidationError({field: message})
    return number


def _lock_meal(meal, expected_version=None, *, by=None):
    return lock(Meal, meal.pk if isinstance(meal, Meal) else meal, expected_version, pgettext("record", "meal"),
                by=by)


def _require_served(meal):
    if not meal.served:
        raise ValidationError(_("This meal is marked as not served (%(note)s); nothing can be logged for it.")
                              % {"note": meal.note or "—"}, code="not_served")


def _moment_on_meal_day(meal, moment, field, what):
    """moment (default now), refused when it lies in the future or on another day than the meal's."""
    now = timezone.now()
    moment = moment or now
    if moment > now + datetime.timedelta(minutes=5):
        raise ValidationError({field: _("The time of %(what)s cannot be in the future.") % {"what": what}})
    if timezone.localdate(moment) != meal.date:
        raise ValidationError({field: _("%(what)s is recorded on the day of its meal (%(date)s).")
                               % {"what": what, "date": meal.date.isoformat()}})
    return moment


def menu_dishes(meal):
    """The names of the dishes on the menu of a meal, in the menu's order."""
    return list(MenuDish.objects.filter(day=meal.date, meal=meal.kind).values_list("name", flat=True))


# --- the meal -------------------------------------------------------------------------------------

def meal_for(date, kind, by):
    """The meal of a day (made the first time something is logged for it); a kind the canteen does not
    serve is refused."""
    if not (by.is_active and (by.has_perm("canteen.add_meal") or by.has_perm("canteen.add_accompaniedmeal"))):
        raise PermissionDenied(_("You do not have the role for this."))
    if kind not in MealKind.values:
        raise ValidationError(_("There is no such meal."), code="kind")
    served = CanteenSettings.get().served_meals()
    if kind not in served:
        raise ValidationError(
            _("The canteen does not serve %(meal)s (it serves: %(served)s); the principal can change this in "
              "the canteen's settings.")
            % {"meal": MealKind(kind).label, "served": join_list(str(MealKind(k).label) for k in served) or "—"},
            code="not_served_kind")
    meal = Meal.objects.filter(date=date, kind=kind).first()
    if meal is not None:
        return meal
    meal = Meal(date=date, kind=kind)
    meal._change_reason = history_reason(gettext_noop("meal opened"))
    meal._history_user = by
    try:
        with transaction.atomic():
            meal.save(force_insert=True)
    except IntegrityError:  # opened a moment ago by someone else (or another tab)
        return Meal.objects.get(date=date, kind=kind)
    return meal


@transaction.atomic
def mark_not_served(meal, by, note, version=None):
    """Record that a meal was not served that day (an outing, a holiday): nothing is missing for it."""
    require(by, "canteen.change_meal")
    meal = _lock_meal(meal, version, by=by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the meal is not served (e.g. 春游, a holiday).")})
    if not meal.served:
        raise ValidationError(_("This meal is already marked as not served."), code="not_allowed")
    if meal.samples.exists() or meal.disinfections.exists() or meal.accompanied.exists():
        raise ValidationError(_("Samples, disinfection or an accompanied meal are already logged for this meal: it "
                                "was served."), code="not_allowed")
    meal.served = False
    meal.note = note[:200]
    return save_with_history(meal, by, history_reason(gettext_noop("marked not served: %(note)s"), note=meal.note))


@transaction.atomic
def mark_served(meal, by, version=None):
    """Undo "not served": the meal is served after all, and its logs are expected again."""
    require(by, "canteen.change_meal")
    meal = _lock_meal(meal, version, by=by)
    if meal.served:
        raise ValidationError(_("This meal is already marked as served."), code="not_allowed")
    meal.served = True
    meal.note = ""
    return save_with_history(meal, by, history_reason(gettext_noop("marked served again")))


# --- food samples ---------------------------------------------------------------------------------

@transaction.atomic
def take_sample(meal, dish, grams, fridge, fridge_c, by, taken_at=None, submit_token=None, *, extra=False):
    """Keep a sample of one dish of a meal: at least the set weight, in a refrigerator within the set
    range. A dish not on the meal's menu needs extra=True ("not on the menu"); one sample per dish."""
    require(by, "canteen.add_sample")
    if (existing := find_duplicate(Sample, submit_token, by, "taken_by_id")) is not None:
        return existing
    meal = _lock_meal(meal)
    _require_served(meal)
    profile = CanteenSettings.get()
    dish = " ".join((dish or "").split())
    if not dish:
        raise ValidationError({"dish": _("Name the dish.")})
    if len(dish) > Sample._meta.get_field("dish").max_length:
        raise ValidationError({"dish": _("The dish's name is too long.")})
    grams = _number(grams, "grams", _("Enter the weight in grams, e.g. 150."))
    if grams < profile.sample_min_grams:
        raise ValidationError({"grams": _("A sample must weigh at least %(min)s g (this one: %(grams)s g).")
                               % {"min": profile.sample_min_grams, "grams": plain(grams)}})
    if grams > MAX_SAMPLE_GRAMS or grams != int(grams):
        raise ValidationError({"grams": _("Enter the weight in whole grams, at most %(max)s g.")
                               % {"max": MAX_SAMPLE_GRAMS}})
    fridge_c = _number(fridge_c, "fridge_c", _("Enter the refrigerator's temperature, e.g. 4."))
    low, high = profile.fridge_min_c, profile.fridge_max_c
    if not (low <= fridge_c <= high):
        raise ValidationError({"fridge_c": _(
            "The sample refrigerator must be between %(min)s and %(max)s °C (it reads %(c)s °C): adjust it, or use "
            "another refrigerator, before keeping the sample.") % {
                "min": plain(low), "max": plain(high), "c": plain(fridge_c)}})
    if fridge_c != fridge_c.quantize(Decimal("0.1")):
        raise ValidationError({"fridge_c": _("One decimal place at most, e.g. 3.5.")})
    on_menu = MenuDish.objects.filter(day=meal.date, meal=meal.kind, name=dish).exists()
    if not on_menu and not extra:
        raise ValidationError({"dish": _(
            "“%(dish)s” is not on this meal's menu. If it was served as an extra dish, tick “not on the menu”.")
            % {"dish": dish}}, code="not_on_menu")
    taken = Sample.objects.filter(meal=meal, dish=dish).select_related("taken_by").first()
    if taken is not None:
        raise ValidationError(_("A sample of %(dish)s was already taken at %(time)s by %(name)s.")
                              % {"dish": dish, "time": local_text(taken.taken_at),
                                 "name": display_name(taken.taken_by)},
                              code="duplicate")
    taken_at = _moment_on_meal_day(meal, taken_at, "taken_at", _("a sample"))
    sample = Sample(meal=meal, dish=dish, grams=int(grams), taken_by=by, taken_at=taken_at,
                    fridge=" ".join((fridge or "").split())[:40], fridge_c=fridge_c)
    params = {"dish": dish, "grams": int(grams), "c": str(plain(fridge_c))}
    if on_menu:
        reason = history_reason(gettext_noop("sample taken: %(dish)s, %(grams)s g, refrigerator %(c)s °C"), **params)
    else:
        reason = history_reason(gettext_noop(
            "sample taken: %(dish)s (not on the menu), %(grams)s g, refrigerator %(c)s °C"), **params)
    sample._change_reason = reason
    sample._history_user = by
    return insert_once(sample, user=by, owner_field="taken_by_id", submit_token=submit_token)


def discard_from(sample, hours=None):
    """The moment from which a sample may be discarded (taken + the hours it is kept)."""
    if hours is None:
        hours = CanteenSettings.get().sample_hours
    return sample.taken_at + datetime.timedelta(hours=hours)


def _check_reviewer(reviewer, by):
    if reviewer is None:
        raise ValidationError({"reviewer": _("Choose the reviewer (审核人) who checks the discard.")})
    if reviewer.pk == by.pk:
        raise ValidationError({"reviewer": _("The reviewer checks your discard: choose someone other than "
                                             "yourself.")})
    if not (reviewer.is_active and roles.has_role(reviewer, *REVIEWER_ROLES)):
        raise ValidationError({"reviewer": _("%(name)s cannot review a discard: choose someone of the canteen or "
                                             "a school leader.") % {"name": display_name(reviewer)}})


def _discard(sample, by, reviewer, now, hours):
    if sample.discarded_at is not None:
        raise ValidationError(_("The sample of %(dish)s was already discarded at %(time)s.")
                              % {"dish": sample.dish, "time": local_text(sample.discarded_at)}, code="not_allowed")
    due = discard_from(sample, hours)
    if now < due:
        raise ValidationError(_(
            "The sample of %(dish)s (%(meal)s) is kept %(hours)s hours: it may be discarded from %(when)s.")
            % {"dish": sample.dish, "meal": sample.meal, "hours": hours, "when": local_text(due)},
            code="too_early")
    if reviewer.pk == sample.taken_by_id:
        raise ValidationError({"reviewer": _(
            "%(name)s took the sample of %(dish)s: the reviewer must be someone else.")
            % {"name": display_name(reviewer), "dish": sample.dish}})
    sample.discarded_at = now
    sample.discarded_by = by
    sample.reviewed_by = reviewer
    return save_with_history(sample, by, history_reason(
        gettext_noop("sample discarded: %(dish)s, reviewed by %(reviewer)s"), dish=sample.dish,
        reviewer=display_name(reviewer)))


@transaction.atomic
def discard_sample(sample_pk, by, reviewer, version=None):
    """Discard a sample kept long enough, with a reviewer (审核人) who did not take it."""
    require(by, "canteen.change_sample")
    sample = lock(Sample.objects.select_related("meal"), sample_pk, version, pgettext("record", "food sample"), by=by)
    _check_reviewer(reviewer, by)
    return _discard(sample, by, reviewer, timezone.now(), CanteenSettings.get().sample_hours)


@transaction.atomic
def discard_due(by, reviewer, pks):
    """Discard several samples at once (all or none); those already discarded (a second click) are left
    as they are. Returns the samples discarded now."""
    require(by, "canteen.change_sample")
    _check_reviewer(reviewer, by)
    pks = sorted({int(pk) for pk in pks})
    if not pks:
        raise ValidationError(_("Tick the samples to discard."), code="empty")
    samples = list(Sample.objects.select_for_update(of=("self",)).select_related("meal").filter(pk__in=pks)
                   .order_by("pk"))
    if len(samples) != len(pks):
        raise ValidationError(_("A sample on the page no longer exists; look at the list again."), code="stale")
    now = timezone.now()
    hours = CanteenSettings.get().sample_hours
    return [_discard(sample, by, reviewer, now, hours) for sample in samples if sample.discarded_at is None]


def reviewers():
    """The people who may review a discard, by name."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=REVIEWER_ROLES).distinct()
            .order_by("first_name", "username"))


def leaders():
    """The school leaders who accompany meals (陪餐), by name."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=LEADER_ROLES).distinct()
            .order_by("first_name", "username"))


# --- disinfection ---------------------------------------------------------------------------------

@transaction.atomic
def record_disinfection(meal, target, method, temperature_c, concentration_mg_l, minutes, by, done_at=None,
                        submit_token=None, *, note=""):
    """Log what was disinfected after a meal, how and for how long: heat needs its temperature, a chemical
    its concentration."""
    require(by, "canteen.add_disinfection")
    if (existing := find_duplicate(Disinfection, submit_token, by, "done_by_id")) is not None:
        return existing
    meal = _lock_meal(meal)
    _require_served(meal)
    if target not in Disinfection.Target.values:
        raise ValidationError({"target": _("Choose what was disinfected.")})
    if method not in Disinfection.Method.values:
        raise ValidationError({"method": _("Choose how it was disinfected.")})
    errors = {}
    temperature = concentration = None
    if method in HEAT_METHODS:
        if temperature_c in (None, ""):
            errors["temperature_c"] = _("%(method)s needs the temperature reached (°C).") % {
                "method": Disinfection.Method(method).label}
        else:
            temperature = _number(temperature_c, "temperature_c", _("Enter the temperature in °C, e.g. 120."))
            if not (Decimal(40) <= temperature <= Decimal(300)):
                errors["temperature_c"] = _("A heat disinfection temperature is between 40 and 300 °C.")
    elif temperature_c not in (None, ""):
        temperature = _number(temperature_c, "temperature_c", _("Enter the temperature in °C, e.g. 120."))
    if method == Disinfection.Method.CHEMICAL:
        if concentration_mg_l in (None, ""):
            errors["concentration_mg_l"] = _("Chemical disinfection needs the concentration (mg/L effective "
                                             "chlorine, e.g. 250).")
        else:
            concentration = _number(concentration_mg_l, "concentration_mg_l",
                                    _("Enter the concentration in mg/L, e.g. 250."))
            if not (0 < concentration <= MAX_CONCENTRATION) or concentration != int(concentration):
                errors["concentration_mg_l"] = _("The concentration is a whole number of mg/L between 1 and "
                                                 "%(max)s.") % {"max": MAX_CONCENTRATION}
    if minutes in (None, ""):
        errors["minutes"] = _("Say how many minutes it took.")
    else:
        minutes = _number(minutes, "minutes", _("Enter the minutes, e.g. 30."))
        if not (0 < minutes <= MAX_MINUTES) or minutes != int(minutes):
            errors["minutes"] = _("The minutes are a whole number between 1 and %(max)s.") % {"max": MAX_MINUTES}
    if errors:
        raise ValidationError(errors)
    done_at = _moment_on_meal_day(meal, done_at, "done_at", _("a disinfection"))
    record = Disinfection(meal=meal, target=target, method=method, temperature_c=temperature,
                          concentration_mg_l=int(concentration) if concentration is not None else None,
                          minutes=int(minutes), done_by=by, done_at=done_at, note=(note or "").strip()[:200])
    record._change_reason = history_reason(
        gettext_noop("disinfection logged: %(target)s, %(method)s, %(minutes)s min"),
        target=Disinfection.Target(target).label, method=Disinfection.Method(method).label, minutes=int(minutes))
    record._history_user = by
    return insert_once(record, user=by, owner_field="done_by_id", submit_token=submit_token)


# --- accompanied meals ----------------------------------------------------------------------------

@transaction.atomic
def record_accompanied(meal, companion, person=None, name="", rating=None, comments="", by=None, submit_token=None):
    """Record that a school leader (or a parent) ate with the pupils, with a rating and comments."""
    require(by, "canteen.add_accompaniedmeal")
    if (existing := find_duplicate(AccompaniedMeal, submit_token, by, "recorded_by_id")) is not None:
        return existing
    meal = _lock_meal(meal)
    _require_served(meal)
    Companion = AccompaniedMeal.Companion
    if companion not in Companion.values:
        raise ValidationError({"companion": _("Say who ate with the pupils.")})
    name = " ".join((name or "").split())[:40]
    if companion == Companion.LEADER:
        if person is None:
            raise ValidationError({"person": _("Choose the school leader who ate with the pupils.")})
        if not (person.is_active and roles.has_role(person, *LEADER_ROLES)):
            raise ValidationError({"person": _("%(name)s is not a school leader (the principal or the head of "
                                               "logistics).") % {"name": display_name(person)}})
        name = ""
        if AccompaniedMeal.objects.filter(meal=meal, person=person).exists():
            raise ValidationError(_("%(name)s's accompanied meal is already recorded for %(meal)s.")
                                  % {"name": display_name(person), "meal": meal}, code="duplicate")
    else:
        person = None
        if not name:
            raise ValidationError({"name": _("Write the name of the parent or visitor.")})
        if AccompaniedMeal.objects.filter(meal=meal, companion=companion, name=name).exists():
            raise ValidationError(_("%(name)s's accompanied meal is already recorded for %(meal)s.")
                                  % {"name": name, "meal": meal}, code="duplicate")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    now = timezone.now()
    if meal.date > timezone.localdate(now):
        raise ValidationError(_("An accompanied meal is recorded on its day or after it, not before."),
                              code="future")
    record = AccompaniedMeal(meal=meal, companion=companion, person=person, name=name, rating=rating,
                             comments=(comments or "").strip()[:2000], recorded_by=by, recorded_at=now)
    record._change_reason = history_reason(
        gettext_noop("accompanied meal recorded: %(who)s (%(companion)s), rating %(rating)s"),
        who=display_name(person) if person else name, companion=Companion(companion).label, rating=rating)
    record._history_user = by
    return insert_once(record, user=by, owner_field="recorded_by_id", submit_token=submit_token)
