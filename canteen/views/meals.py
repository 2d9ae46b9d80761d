"""Pages of the meals area: a meal (its dishes' samples, disinfection, accompanied meal), the samples due
for discard, the sample log and its print (留样记录表), the disinfection log, the accompanied meals.
Views parse input, call a service, and redirect after a successful POST; a refused form is shown again
with what was typed."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from logistics.forms import new_submit_token
from logistics.freshness import fresh
from logistics.history import history_entries
from logistics.pdf import pdf_response
from logistics.web import apply_errors, error_text, flash_form_errors, paginate, query_string

from ..forms.meals import (
    AccompaniedFilterForm,
    AccompaniedForm,
    DiscardDueForm,
    DiscardForm,
    DisinfectionFilterForm,
    DisinfectionForm,
    NotServedForm,
    SampleFilterForm,
    SampleForm,
    SamplePrintForm,
)
from ..models import AccompaniedMeal, CanteenSettings, Disinfection, Meal, MealKind, Sample
from ..selectors import meals as selectors
from ..services import meals as services


def _moment(day, time):
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _meal_status(date, kind, day=None):
    """The meal's status (from the day's, when given), or 404 for a kind the canteen does not serve."""
    if kind not in MealKind.values:
        raise Http404
    day = selectors.day_status(date) if day is None else day
    status = next((s for s in day if s.kind == kind), None)
    if status is None:
        raise Http404
    return status


def _timeline(meal):
    """The meal's history with its samples', disinfections' and accompanied meals', oldest first."""
    if meal is None:
        return []
    entries = []
    sources = [(Meal, Meal.history.filter(id=meal.pk)),
               (Sample, Sample.history.filter(meal_id=meal.pk)),
               (Disinfection, Disinfection.history.filter(meal_id=meal.pk)),
               (AccompaniedMeal, AccompaniedMeal.history.filter(meal_id=meal.pk))]
    for model, qs in sources:
        by_record = {}
        for row in qs.select_related("history_user").order_by("history_date", "history_id")[:300]:
            by_record.setdefault(row.id, []).append(row)
        for rows in by_record.values():
            entries += history_entries(rows, model)
    return sorted(entries, key=lambda e: e["when"])


def _day_and_timeline(date, kind):
    """The day's meals (MealStatus) and this meal's timeline: kept (logistics.freshness) until a record changes,
    a minute at most (what a meal lacks depends on the clock), in the reader's language. Two queries instead of
    ten."""
    def compute():
        day_meals = selectors.day_status(date)
        status = next((s for s in day_meals if s.kind == kind), None)
        return day_meals, _timeline(status.meal if status else None)

    return fresh("canteen.meal_detail", date.isoformat(), kind, translation.get_language(), timeout=60,
                 compute=compute)


def _detail(request, date, kind, *, sample_form=None, extra_form=None, disinfection_form=None,
            accompanied_form=None, not_served_form=None, status=400):
    user = request.user
    if kind not in MealKind.values:
        raise Http404
    day_meals, timeline = _day_and_timeline(date, kind)
    meal_status = _meal_status(date, kind, day_meals)
    meal = meal_status.meal
    profile = CanteenSettings.get()
    today = timezone.localdate()
    need_time = date != today
    last = selectors.last_sample_by(user)
    sample_initial = {"grams": profile.sample_min_grams,
                      "fridge": last.fridge if last else "", "fridge_c": last.fridge_c if last else None}
    can_log = meal_status.served and date <= today
    rows = []
    taken = {s.dish: s for s in meal_status.samples}
    for dish in meal_status.dishes:
        form = None
        if dish not in taken and can_log and user.has_perm("canteen.add_sample"):
            if sample_form is not None and sample_form.data.get("dish") == dish:
                form = sample_form
            else:
                form = SampleForm(initial={**sample_initial, "dish": dish, "submit_token": new_submit_token()},
                                  need_time=need_time, auto_id=f"id_s{len(rows)}_%s")
        rows.append({"dish": dish, "sample": taken.get(dish), "form": form})
    for sample in meal_status.samples:
        if sample.dish not in meal_status.dishes:
            rows.append({"dish": sample.dish, "sample": sample, "form": None, "extra": True})
    now = timezone.now()
    for row in rows:
        if row["sample"] is not None:
            row["discard_at"] = services.discard_from(row["sample"], profile.sample_hours)
            row["due"] = now >= row["discard_at"]
    ctx = {
        "status": meal_status, "meal": meal, "date": date, "kind": kind, "today": today, "rows": rows,
        "profile": profile, "can_log": can_log, "need_time": need_time,
        "timeline": timeline,
        "version": meal.version if meal else 0,
        "day_meals": day_meals,
        "previous_day": date - datetime.timedelta(days=1), "next_day": date + datetime.timedelta(days=1),
    }
    if can_log and user.has_perm("canteen.add_sample"):
        ctx["extra_form"] = extra_form or SampleForm(
            initial={**sample_initial, "extra": True, "submit_token": new_submit_token()}, need_time=need_time,
            auto_id="id_extra_%s")
    if can_log and user.has_perm("canteen.add_disinfection"):
        ctx["disinfection_form"] = disinfection_form or DisinfectionForm(
            initial={"submit_token": new_submit_token(), "temperature_c": 120, "minutes": 30}, need_time=need_time)
    if can_log and user.has_perm("canteen.add_accompaniedmeal"):
        ctx["accompanied_form"] = accompanied_form or AccompaniedForm(
            initial={"submit_token": new_submit_token()}, leaders=services.leaders())
    if user.has_perm("canteen.change_meal") and date <= today + datetime.timedelta(days=60):
        ctx["not_served_form"] = not_served_form or NotServedForm(initial={"version": ctx["version"]})
    if user.has_perm("canteen.change_sample"):
        ctx["discard_url"] = any(r.get("due") and r["sample"].discarded_at is None for r in rows)
    bound = any(f is not None for f in (sample_form, extra_form, disinfection_form, accompanied_form,
                                        not_served_form))
    return render(request, "canteen/meals/meal_detail.html", ctx, status=status if bound else 200)


@login_required
@permission_required("canteen.view_meal", raise_exception=True)
def meal_detail(request, date, kind):
    return _detail(request, date, kind)


def _at(date, time):
    """The moment a past day's record was made (its time typed), or None for today (now)."""
    return _moment(date, time) if time else None


def _back(date, kind, anchor=""):
    return redirect(selectors.meal_url(date, kind) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def meal_sample_take(request, date, kind):
    _meal_status(date, kind)
    if not request.user.has_perm("canteen.add_sample"):
        raise PermissionDenied(_("Only the canteen keeps food samples."))
    form = SampleForm(request.POST, need_time=date != timezone.localdate())
    extra = request.POST.get("extra_form") == "1"
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meal = services.meal_for(date, kind, request.user)
                sample = services.take_sample(
                    meal, data["dish"], data["grams"], data["fridge"], data["fridge_c"], request.user,
                    taken_at=_at(date, data["taken_time"]), submit_token=data["submit_token"], extra=data["extra"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if getattr(sample, "was_duplicate", False):
                messages.info(request, _("The sample of %(dish)s was already saved; it was not saved twice.")
                              % {"dish": sample.dish})
            else:
                messages.success(request, _("Sample of %(dish)s kept: %(grams)s g. Label it with the dish, meal, "
                                            "date and time.") % {"dish": sample.dish, "grams": sample.grams})
            return _back(date, kind, "samples")
    if extra:
        return _detail(request, date, kind, extra_form=form)
    return _detail(request, date, kind, sample_form=form)


@login_required
@require_POST
def meal_disinfection(request, date, kind):
    _meal_status(date, kind)
    if not request.user.has_perm("canteen.add_disinfection"):
        raise PermissionDenied(_("Only the canteen logs disinfection."))
    form = DisinfectionForm(request.POST, need_time=date != timezone.localdate())
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meal = services.meal_for(date, kind, request.user)
                record = services.record_disinfection(
                    meal, data["target"], data["method"], data["temperature_c"], data["concentration_mg_l"],
                    data["minutes"], request.user, done_at=_at(date, data["done_time"]),
                    submit_token=data["submit_token"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if getattr(record, "was_duplicate", False):
                messages.info(request, _("This disinfection was already logged; it was not logged twice."))
            else:
                messages.success(request, _("Disinfection logged."))
            return _back(date, kind, "disinfection")
    return _detail(request, date, kind, disinfection_form=form)


def _record_accompanied(request, date, kind, form):
    """Run the accompanied-meal service for a valid form; the record, or None with the errors on the form."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            meal = services.meal_for(date, kind, request.user)
            record = services.record_accompanied(
                meal, data["companion"], person=data["person"], name=data["name"], rating=data["rating"],
                comments=data["comments"], by=request.user, submit_token=data["submit_token"])
    except ValidationError as e:
        apply_errors(form, e)
        return None
    if getattr(record, "was_duplicate", False):
        messages.info(request, _("This accompanied meal was already recorded; it was not recorded twice."))
    else:
        messages.success(request, _("Accompanied meal recorded. Thank you."))
    return record


@login_required
@require_POST
def meal_accompanied(request, date, kind):
    _meal_status(date, kind)
    if not request.user.has_perm("canteen.add_accompaniedmeal"):
        raise PermissionDenied(_("Your role does not record accompanied meals."))
    form = AccompaniedForm(request.POST, leaders=services.leaders())
    if form.is_valid() and _record_accompanied(request, date, kind, form) is not None:
        return _back(date, kind, "accompanied")
    return _detail(request, date, kind, accompanied_form=form)


@login_required
@require_POST
def meal_not_served(request, date, kind):
    _meal_status(date, kind)
    if not request.user.has_perm("canteen.change_meal"):
        raise PermissionDenied(_("Only the canteen marks a meal as not served."))
    form = NotServedForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                meal = services.meal_for(date, kind, request.user)
                services.mark_not_served(meal, request.user, form.cleaned_data["note"],
                                         form.cleaned_data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Marked as not served: nothing is expected for this meal."))
            return _back(date, kind)
    return _detail(request, date, kind, not_served_form=form)


@login_required
@require_POST
def meal_served(request, date, kind):
    _meal_status(date, kind)
    if not request.user.has_perm("canteen.change_meal"):
        raise PermissionDenied(_("Only the canteen marks a meal as not served."))
    meal = get_object_or_404(Meal, date=date, kind=kind)
    form = NotServedForm(request.POST)
    form.fields["note"].required = False
    if not form.is_valid():
        flash_form_errors(request, form)
        return _back(date, kind)
    try:
        services.mark_served(meal, request.user, form.cleaned_data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("The meal is served again: its samples and logs are expected."))
    return _back(date, kind)


# --- discard --------------------------------------------------------------------------------------

@login_required
@require_POST
def sample_discard(request, pk):
    """Discard one sample from its meal's page."""
    if not request.user.has_perm("canteen.change_sample"):
        raise PermissionDenied(_("Only the canteen discards samples."))
    sample = get_object_or_404(Sample.objects.select_related("meal"), pk=pk)
    form = DiscardForm(request.POST, reviewers=services.reviewers())
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.discard_sample(sample.pk, request.user, form.cleaned_data["reviewer"],
                                    form.cleaned_data["version"])
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("The sample of %(dish)s is discarded.") % {"dish": sample.dish})
    return _back(sample.meal.date, sample.meal.kind, "samples")


@login_required
@permission_required("canteen.change_sample", raise_exception=True)
def sample_discard_due(request):
    now = timezone.now()
    due = selectors.samples_due(now)
    reviewers = services.reviewers().exclude(pk=request.user.pk)
    if request.method == "POST":
        form = DiscardDueForm(request.POST, samples=Sample.objects.all(), reviewers=reviewers)
        if form.is_valid():
            try:
                done = services.discard_due(request.user, form.cleaned_data["reviewer"],
                                            [s.pk for s in form.cleaned_data["samples"]])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if done:
                    messages.success(request, ngettext("%(n)s sample discarded.", "%(n)s samples discarded.",
                                                       len(done)) % {"n": len(done)})
                else:
                    messages.info(request, _("These samples were already discarded."))
                return redirect("canteen:sample_discard_due")
        status = 400
    else:
        form = DiscardDueForm(samples=due, reviewers=reviewers, initial={"samples": list(due.values_list("pk",
                                                                                                         flat=True))})
        status = 200
    samples = list(due[:200])
    chosen = {str(v) for v in (form.data.getlist("samples") if form.is_bound else form.initial["samples"])}
    return render(request, "canteen/meals/discard_due.html", {
        "form": form, "samples": samples, "chosen": chosen, "more": due.count() > len(samples) if samples else False,
        "kept": selectors.samples_kept().filter(taken_at__gt=now - datetime.timedelta(
            hours=CanteenSettings.get().sample_hours)).count(),
    }, status=status)


# --- logs -----------------------------------------------------------------------------------------

@login_required
@permission_required("canteen.view_sample", raise_exception=True)
def sample_log(request):
    form = SampleFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.sample_log(first=data.get("first"), last=data.get("last"), kind=data.get("kind", ""),
                              q=(data.get("q") or "").strip())
    return render(request, "canteen/meals/sample_log.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
        "print_form": SamplePrintForm(initial={"date": timezone.localdate(), "period": "week"}),
        "hours": CanteenSettings.get().sample_hours,
    })


@login_required
@permission_required("canteen.view_sample", raise_exception=True)
def sample_log_print(request):
    form = SamplePrintForm(request.GET or None)
    first, last, period = form.range()
    samples = list(selectors.sample_log(first=first, last=last).order_by("meal__date", "meal__kind", "taken_at",
                                                                          "pk"))
    meal_order = {k: i for i, k in enumerate(MealKind.values)}
    samples.sort(key=lambda s: (s.meal.date, meal_order[s.meal.kind], s.taken_at, s.pk))
    return pdf_response("print/canteen_sample_log.html", {
        "samples": samples, "first": first, "last": last, "period": period, "profile": CanteenSettings.get(),
        "printed_at": timezone.now(),
    }, request, f"samples-{first:%Y%m%d}-{last:%Y%m%d}.pdf")


@login_required
@permission_required("canteen.view_disinfection", raise_exception=True)
def disinfection_log(request):
    form = DisinfectionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.disinfection_log(first=data.get("first"), last=data.get("last"), kind=data.get("kind", ""),
                                    method=data.get("method", ""))
    return render(request, "canteen/meals/disinfection_log.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request)})


@login_required
@permission_required("canteen.view_accompaniedmeal", raise_exception=True)
def accompanied_list(request):
    """The accompanied meals with their ratings and comments; the principal and the head add today's."""
    profile = CanteenSettings.get()
    today = timezone.localdate()
    kind = profile.accompanied_meal
    can_add = request.user.has_perm("canteen.add_accompaniedmeal") and kind in profile.served_meals()
    add_form = None
    status = 200
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("Your role does not record accompanied meals."))
        add_form = AccompaniedForm(request.POST, leaders=services.leaders())
        if add_form.is_valid() and _record_accompanied(request, today, kind, add_form) is not None:
            return redirect("canteen:accompanied_list")
        status = 400
    elif can_add:
        initial = {"submit_token": new_submit_token()}
        if request.user.has_perm("canteen.add_accompaniedmeal") and request.user in services.leaders():
            initial["person"] = request.user.pk
        add_form = AccompaniedForm(initial=initial, leaders=services.leaders())
    form = AccompaniedFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.accompanied_log(first=data.get("first"), last=data.get("last"),
                                   companion=data.get("companion", ""))
    return render(request, "canteen/meals/accompanied_list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
        "add_form": add_form, "today": today, "kind": kind, "kind_label": MealKind(kind).label,
        "today_status": selectors.meal_status(today, kind) if can_add else None,
    }, status=status)
