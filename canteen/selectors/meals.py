"""Reads of the meals area shared by pages, home sections and the term summary: a day's meals and what is
still missing for them, samples due for discard, the logs' lists, the term's figures.

When is a meal expected? The canteen does not keep the school calendar: a meal is expected on a day when
it is on that day's menu or something was logged for it (a Meal record that is served). A meal marked
not served expects nothing. What is missing is counted once the meal has ended (its end time in the
settings): the samples of its menu's dishes, the disinfection (once the set minutes after the end have
passed too) and, for the meal a school leader accompanies, the accompanied meal.

Every function here runs a constant number of queries, whatever the number of records."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Figure

from ..models import MEAL_ORDER, AccompaniedMeal, CanteenSettings, Disinfection, Meal, MealKind, MenuDish, Sample

PRINCIPAL, HEAD = roles.PRINCIPAL, roles.LOGISTICS_HEAD


@dataclass
class MealStatus:
    """One meal of a day as the today page and the home sections show it."""

    date: datetime.date
    kind: str
    meal: Meal | None
    dishes: list                      # names on the menu, in order
    samples: list                     # Sample, in the order taken
    missing_samples: list             # menu dishes with no sample yet
    disinfections: list
    accompanied: list
    ends_at: datetime.datetime        # when the meal ends
    disinfection_due_at: datetime.datetime
    ended: bool
    disinfection_missing: bool        # the time for it has passed and none is logged
    accompanied_expected: bool        # the meal a school leader accompanies
    accompanied_missing: bool         # ended, expected and none recorded
    expected: bool = True             # on the menu or logged (see the module's docstring)
    extra_dishes: list = field(default_factory=list)  # sampled dishes not on the menu

    @property
    def label(self):
        return MealKind(self.kind).label

    @property
    def served(self):
        return self.meal is None or self.meal.served

    @property
    def samples_missing(self):
        """Dishes without a sample once the meal has ended (all of the menu's, or "no sample" for a meal
        logged without a menu)."""
        if not (self.served and self.ended and self.expected):
            return False
        return bool(self.missing_samples) or not self.samples

    @property
    def anything_missing(self):
        return self.samples_missing or self.disinfection_missing or self.accompanied_missing

    @property
    def url(self):
        return meal_url(self.date, self.kind)


def meal_url(date, kind):
    return reverse("canteen:meal_detail", kwargs={"date": date, "kind": kind})


def _moment(day, time):
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _meals(first, last):
    """Meals of the days first..last with their samples, disinfections and accompanied meals (4 queries)."""
    return list(Meal.objects.filter(date__gte=first, date__lte=last).prefetch_related(
        Prefetch("samples", queryset=Sample.objects.select_related("taken_by", "discarded_by", "reviewed_by")
                 .order_by("taken_at", "pk")),
        Prefetch("disinfections", queryset=Disinfection.objects.select_related("done_by").order_by("done_at", "pk")),
        Prefetch("accompanied", queryset=AccompaniedMeal.objects.select_related("person").order_by("recorded_at",
                                                                                                      "pk")),
    ))


def _statuses(first, last, now, profile, *, only_expected):
    meals = {(m.date, m.kind): m for m in _meals(first, last)}
    menus = {}
    for day, kind, name in (MenuDish.objects.filter(day__gte=first, day__lte=last)
                            .order_by("day", "meal", "position", "pk").values_list("day", "meal", "name")):
        menus.setdefault((day, kind), []).append(name)
    served = profile.served_meals()
    result = []
    day = first
    while day <= last:
        for kind in served:
            meal = meals.get((day, kind))
            dishes = menus.get((day, kind), [])
            expected = bool(dishes) or (meal is not None and meal.served)
            if only_expected and not expected:
                continue
            result.append(_status(day, kind, meal, dishes, now, profile, expected))
        day += datetime.timedelta(days=1)
    return result


def _status(day, kind, meal, dishes, now, profile, expected):
    samples = list(meal.samples.all()) if meal else []
    disinfections = list(meal.disinfections.all()) if meal else []
    accompanied = list(meal.accompanied.all()) if meal else []
    sampled = {s.dish for s in samples}
    ends_at = _moment(day, profile.meal_ends(kind))
    due_at = ends_at + datetime.timedelta(minutes=profile.disinfection_within_minutes)
    served = meal is None or meal.served
    ended = now >= ends_at
    accompanied_expected = kind == profile.accompanied_meal
    menu = set(dishes)
    return MealStatus(
        date=day, kind=kind, meal=meal, dishes=dishes, samples=samples,
        missing_samples=[d for d in dishes if d not in sampled] if served else [],
        disinfections=disinfections, accompanied=accompanied, ends_at=ends_at, disinfection_due_at=due_at,
        ended=ended,
        disinfection_missing=served and expected and now >= due_at and not disinfections,
        accompanied_expected=accompanied_expected,
        accompanied_missing=served and expected and accompanied_expected and ended and not accompanied,
        expected=expected, extra_dishes=[s.dish for s in samples if s.dish not in menu],
    )


def day_status(date, now=None):
    """[MealStatus] for each meal the canteen serves on date, in the day's order (6 queries)."""
    now = now or timezone.now()
    return _statuses(date, date, now, CanteenSettings.get(), only_expected=False)


def meal_status(date, kind, now=None):
    """The MealStatus of one meal (its page), or None for a kind the canteen does not serve."""
    return next((s for s in day_status(date, now) if s.kind == kind), None)


def missing_after_meals(now=None, days=7):
    """[MealStatus] of the last `days` days (today included) whose meal has ended with something missing:
    a dish without a sample, no disinfection, no accompanied meal. Newest first (6 queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    statuses = _statuses(today - datetime.timedelta(days=days - 1), today, now, CanteenSettings.get(),
                         only_expected=True)
    missing = [s for s in statuses if s.anything_missing]
    return sorted(missing, key=lambda s: (s.date, MEAL_ORDER[s.kind]), reverse=True)


def samples_due(now=None, hours=None):
    """Samples kept long enough (taken at least the set hours ago) and not yet discarded, oldest first."""
    now = now or timezone.now()
    if hours is None:
        hours = CanteenSettings.get().sample_hours
    return (Sample.objects.filter(discarded_at__isnull=True, taken_at__lte=now - datetime.timedelta(hours=hours))
            .select_related("meal", "taken_by").order_by("taken_at", "pk"))


def samples_kept(now=None):
    """Samples still in the refrigerator (not discarded), oldest first."""
    return Sample.objects.filter(discarded_at__isnull=True).select_related("meal", "taken_by").order_by("taken_at")


def last_sample_by(user):
    """The last sample this user took (its refrigerator and temperature are offered again), or None."""
    return Sample.objects.filter(taken_by=user).order_by("-taken_at", "-pk").first()


# --- the logs --------------------------------------------------------------------------------------

def sample_log(*, first=None, last=None, kind="", q=""):
    """Samples for the log and its print: by day, meal and order taken, filtered."""
    qs = Sample.objects.select_related("meal", "taken_by", "discarded_by", "reviewed_by")
    if first:
        qs = qs.filter(meal__date__gte=first)
    if last:
        qs = qs.filter(meal__date__lte=last)
    if kind:
        qs = qs.filter(meal__kind=kind)
    if q:
        qs = qs.filter(dish__icontains=q)
    return qs.order_by("-meal__date", "meal__kind", "taken_at", "pk")


def disinfection_log(*, first=None, last=None, kind="", method=""):
    qs = Disinfection.objects.select_related("meal", "done_by")
    if first:
        qs = qs.filter(meal__date__gte=first)
    if last:
        qs = qs.filter(meal__date__lte=last)
    if kind:
        qs = qs.filter(meal__kind=kind)
    if method:
        qs = qs.filter(method=method)
    return qs.order_by("-meal__date", "meal__kind", "-done_at", "-pk")


def accompanied_log(*, first=None, last=None, companion=""):
    qs = AccompaniedMeal.objects.select_related("meal", "person", "recorded_by")
    if first:
        qs = qs.filter(meal__date__gte=first)
    if last:
        qs = qs.filter(meal__date__lte=last)
    if companion:
        qs = qs.filter(companion=companion)
    return qs.order_by("-meal__date", "meal__kind", "-recorded_at", "-pk")


# --- the term -------------------------------------------------------------------------------------

def discard_deadline(due):
    """The end of the first weekday (Monday to Friday) after the day a sample became due: a discard by then
    is on time (a sample due on a Thursday may wait until Friday evening, one due at the weekend until
    Monday evening)."""
    day = timezone.localdate(due) + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return _moment(day + datetime.timedelta(days=1), datetime.time.min)


def _discard_figures(samples, hours, now):
    """{taken, closed, on_time, late_open} of samples (one query): closed are those discarded or past their
    deadline; late_open those past it and still kept."""
    kept = datetime.timedelta(hours=hours)
    data = {"taken": 0, "closed": 0, "on_time": 0, "late_open": 0}
    for taken_at, discarded_at in samples.values_list("taken_at", "discarded_at"):
        data["taken"] += 1
        deadline = discard_deadline(taken_at + kept)
        if discarded_at is not None:
            data["closed"] += 1
            data["on_time"] += discarded_at <= deadline
        elif now >= deadline:
            data["closed"] += 1
            data["late_open"] += 1
    return data


def _percent(part, whole):
    return round(100 * part / whole) if whole else None


def term_figures(term, now=None):
    """[Figure] of the meals area for a term (chapter "canteen"), in 6 queries.

    meals.served: meals expected (on the menu or logged) and not marked not served, up to now;
    samples.complete_percent: of the meals served that have ended, those with a sample of every menu
    dish (at least one sample when there is no menu);
    samples.discarded_on_time_percent: of the samples discarded or past their deadline (see
    discard_deadline), those discarded by it;
    disinfection.logged_percent: of the meals served that have ended, those with a disinfection;
    accompanied.held_percent: of the days the accompanied meal was served and ended, those with an
    accompanied meal;
    samples.not_discarded (an open item): samples past their discard deadline and still kept."""
    now = now or timezone.now()
    profile = CanteenSettings.get()
    first, last = term.start, min(term.end, timezone.localdate(now))
    served_kinds = profile.served_meals()
    meals = {(d, k): (served, samples, dis, acc) for d, k, served, samples, dis, acc in (
        Meal.objects.filter(date__gte=first, date__lte=last)
        .annotate(n_samples=Count("samples", distinct=True), n_dis=Count("disinfections", distinct=True),
                  n_acc=Count("accompanied", distinct=True))
        .values_list("date", "kind", "served", "n_samples", "n_dis", "n_acc"))}
    menus = {}
    for day, kind, name in MenuDish.objects.filter(day__gte=first, day__lte=last).values_list("day", "meal", "name"):
        menus.setdefault((day, kind), set()).add(name)
    sampled = {}
    for day, kind, dish in Sample.objects.filter(meal__date__gte=first, meal__date__lte=last).values_list(
            "meal__date", "meal__kind", "dish"):
        sampled.setdefault((day, kind), set()).add(dish)
    served = ended = complete = disinfected = 0
    accompanied_days = accompanied_held = 0
    for key in sorted(set(meals) | set(menus)):
        day, kind = key
        if kind not in served_kinds:
            continue
        meal = meals.get(key)
        if meal is not None and not meal[0]:
            continue  # not served
        served += 1
        if now < _moment(day, profile.meal_ends(kind)):
            continue
        ended += 1
        dishes, taken = menus.get(key, set()), sampled.get(key, set())
        if taken and dishes <= taken:
            complete += 1
        if meal is not None and meal[2]:
            disinfected += 1
        if kind == profile.accompanied_meal:
            accompanied_days += 1
            if meal is not None and meal[3]:
                accompanied_held += 1
    discard = _discard_figures(Sample.objects.filter(meal__date__gte=first, meal__date__lte=last),
                               profile.sample_hours, now)
    parents = AccompaniedMeal.objects.filter(meal__date__gte=first, meal__date__lte=last,
                                             companion=AccompaniedMeal.Companion.PARENT).count()
    fig = Figure
    return [
        fig("meals.served", _("meals served"), served, _("meals"), chapter="canteen", order=10),
        fig("samples.taken", _("food samples kept"), discard["taken"], _("samples"), chapter="canteen", order=11),
        fig("samples.complete_percent", _("meals with every dish sampled"), _percent(complete, ended), "%",
            chapter="canteen", order=12, home=(PRINCIPAL, HEAD)),
        fig("samples.discarded_on_time_percent", _("samples discarded on time"),
            _percent(discard["on_time"], discard["closed"]), "%", chapter="canteen", order=13),
        fig("disinfection.logged_percent", _("meals with tableware disinfection logged"),
            _percent(disinfected, ended), "%", chapter="canteen", order=14),
        fig("accompanied.held_percent", _("days with an accompanied meal (陪餐)"),
            _percent(accompanied_held, accompanied_days), "%", chapter="canteen", order=15,
            home=(PRINCIPAL,)),
        fig("accompanied.parents", _("accompanied meals by parents"), parents, _("times"), chapter="canteen",
            order=16),
        fig("samples.not_discarded", _("samples overdue for discard"), discard["late_open"], _("samples"),
            chapter="canteen", order=17, carry=True),
    ]
