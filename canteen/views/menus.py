"""Pages of the weekly menus: the list of weeks, a week's dishes (typed on a phone, one dish per line), the
printed menu for the noticeboard, and the parents' page by its unguessable link. Views parse input, call a
service and redirect after a POST."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import VersionForm
from logistics.history import history_timeline
from logistics.models import Term
from logistics.pdf import pdf_response
from logistics.services import join_list
from logistics.web import apply_errors, error_text, paginate, query_string, run_move

from ..forms.menus import GoToWeekForm, MenuFilterForm, WeekMenuForm, initial_text
from ..models import CanteenSettings, MealKind, MenuWeek, Sample
from ..selectors import menus as selectors
from ..services import menus as services


def _need_reader(user):
    if not user.has_perm("canteen.view_menuweek"):
        raise PermissionDenied(_("Your role cannot see the canteen's menus."))


def _monday(text):
    """The Monday of the week in the URL (2026-03-04 -> 2026-03-02); 404 for what is not a date."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
    return services.monday_of(day)


def _week_url(monday):
    return reverse("canteen:menu_week", args=[f"{monday:%Y-%m-%d}"])


def _get_week(day):
    """The weekly menu of the week in the URL, or 404 (moves need a week that exists)."""
    return get_object_or_404(MenuWeek, week_start=_monday(day))


# --- the list ------------------------------------------------------------------------------

@login_required
def menu_list(request):
    _need_reader(request.user)
    form = MenuFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    today = timezone.localdate()
    this_monday = services.monday_of(today)
    go = GoToWeekForm(request.GET if "day" in request.GET else None)
    if go.is_bound and go.is_valid():
        return redirect(_week_url(services.monday_of(go.cleaned_data["day"])))
    page = paginate(request, selectors.menu_list(status))
    for week in page.object_list:
        week.is_current = week.week_start == this_monday
    return render(request, "canteen/menus/menu_list.html", {
        "page": page, "form": form, "go_form": go if go.is_bound else GoToWeekForm(), "status": status,
        "query_string": query_string(request),
        "this_week_url": _week_url(this_monday),
        "next_week_url": _week_url(this_monday + datetime.timedelta(days=7)),
        "can_edit": request.user.has_perm("canteen.change_menuweek"),
    })


# --- a week --------------------------------------------------------------------------------

@login_required
def menu_week(request, day):
    """The week's dishes: a box per meal for the canteen (one dish per line), the grid for readers."""
    user = request.user
    _need_reader(user)
    monday = _monday(day)
    if day != f"{monday:%Y-%m-%d}":
        return redirect(_week_url(monday))
    week = MenuWeek.objects.filter(week_start=monday).first()
    can_edit = user.has_perm("canteen.change_menuweek") and user.has_perm("canteen.add_menuweek")
    settings = CanteenSettings.get()
    served = settings.served_meals()
    dishes = selectors.week_dishes(week)
    show_weekend = request.GET.get("weekend") == "1" or request.POST.get("weekend") == "1"
    grid = selectors.week_grid(monday, dishes, served)
    if show_weekend and len(grid) < 7:
        grid = _with_weekend(grid, monday, served)
    days = [entry["day"] for entry in grid]
    form = None
    if can_edit:
        version = week.version if week else 0
        if request.method == "POST":
            form = WeekMenuForm(request.POST, days=days, served=served)
            if form.is_valid():
                try:
                    week, late = services.set_week_dishes(week_start=monday, by=user, dishes=form.dishes(),
                                                          expected_version=form.cleaned_data["version"])
                except ValidationError as e:
                    apply_errors(form, e)
                else:
                    _saved_message(request, late)
                    return redirect(_week_url(monday) + ("?weekend=1" if show_weekend else ""))
        else:
            initial = {"version": version}
            for entry in grid:
                for meal in entry["meals"]:
                    initial[services.slot_key(entry["day"], meal["kind"])] = initial_text(
                        [d["name"] for d in meal["dishes"]])
            form = WeekMenuForm(initial=initial, days=days, served=served)
        for entry in grid:
            for meal in entry["meals"]:
                meal["field"] = form.bound(entry["day"], meal["kind"])
    elif request.method == "POST":
        raise PermissionDenied(_("Only the canteen manager changes the menus."))
    previous = MenuWeek.objects.filter(week_start=monday - datetime.timedelta(days=7)).first()
    today = timezone.localdate()
    last = monday + datetime.timedelta(days=6)
    served_days = set(Sample.objects.filter(meal__date__range=(monday, last), meal__served=True)
                      .values_list("meal__date", flat=True).distinct())
    for entry in grid:
        entry["served"] = entry["day"] in served_days
        entry["today"] = entry["day"] == today
    missing = services.missing_days(week, served) if week is not None and not week.published else []
    missing = [(day, MealKind(meal).label) for day, meal in missing]
    return render(request, "canteen/menus/menu_week.html", {
        "week": week, "monday": monday, "sunday": last, "grid": grid, "served": served, "form": form,
        "can_edit": can_edit, "repeats": selectors.repeats(week, dishes), "show_weekend": show_weekend,
        "has_dishes": bool(dishes), "missing": missing,
        "can_copy_previous": can_edit and not dishes and previous is not None,
        "previous_url": _week_url(monday - datetime.timedelta(days=7)),
        "next_url": _week_url(monday + datetime.timedelta(days=7)),
        "next_monday": monday + datetime.timedelta(days=7),
        "is_this_week": monday == services.monday_of(today),
        "public_url": (request.build_absolute_uri(reverse("canteen:menu_public", args=[week.public_key]))
                       if week is not None and week.published else ""),
        "version_form": VersionForm(initial={"version": week.version}) if week else None,
        "timeline": history_timeline(week) if week else [],
    })


def _with_weekend(grid, monday, served):
    shown = {entry["day"] for entry in grid}
    for n in (5, 6):
        day = monday + datetime.timedelta(days=n)
        if day not in shown:
            grid.append({"day": day, "meals": [{"kind": meal, "label": MealKind(meal).label, "dishes": []}
                                               for meal in served]})
    return sorted(grid, key=lambda entry: entry["day"])


def _saved_message(request, late):
    if not late:
        messages.success(request, _("The menu is saved."))
        return
    labels = dict(MealKind.choices)
    where = join_list(f"{day:%m-%d} {labels[meal]}" for day, meal in late)
    messages.warning(request, _("The menu is saved. %(where)s had already been served and sampled: the change is "
                                "noted in the history.") % {"where": where})


@login_required
@require_POST
def menu_copy(request, day):
    """Fill the week in the URL from the week before it (the usual way to start next week)."""
    monday = _monday(day)
    previous = MenuWeek.objects.filter(week_start=monday - datetime.timedelta(days=7)).first()
    if previous is None:
        messages.error(request, _("There is no menu for the week before to copy."))
    else:
        try:
            services.copy_week(from_week_id=previous.pk, to_week_start=monday, by=request.user)
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("Copied from the week of %(week)s: change what differs.")
                             % {"week": f"{previous.week_start:%Y-%m-%d}"})
    return redirect(_week_url(monday))


def _move(request, day, call, success):
    week = _get_week(day)
    return run_move(request, week, VersionForm, call, success, lambda w: _week_url(w.week_start))


@login_required
@require_POST
def menu_publish(request, day):
    return _move(request, day, lambda week, data: services.publish(
        week_id=week.pk, by=request.user, expected_version=data["version"]),
        _("The menu is shown to parents. Share the link below."))


@login_required
@require_POST
def menu_unpublish(request, day):
    return _move(request, day, lambda week, data: services.unpublish(
        week_id=week.pk, by=request.user, expected_version=data["version"]),
        _("The menu is no longer shown to parents."))


@login_required
@require_POST
def menu_new_link(request, day):
    return _move(request, day, lambda week, data: services.regenerate_link(
        week_id=week.pk, by=request.user, expected_version=data["version"]),
        _("A new link was made; the old one no longer works."))


# --- printed and public --------------------------------------------------------------------

def _week_context(week):
    served = CanteenSettings.get().served_meals()
    dishes = selectors.week_dishes(week)
    return {"week": week, "served": served, "grid": selectors.week_grid(week.week_start, dishes, served),
            "sunday": week.week_start + datetime.timedelta(days=6), "repeats": selectors.repeats(week, dishes)}


@login_required
def menu_print(request, day):
    """The week's menu on A4 landscape for the noticeboard, with the canteen manager's and the leader's
    signature lines."""
    _need_reader(request.user)
    week = _get_week(day)
    ctx = _week_context(week)
    # The noticeboard's grid: a row per meal, a column per day.
    ctx["rows"] = [{"label": MealKind(meal).label, "cells": [d["meals"][i]["dishes"] for d in ctx["grid"]]}
                   for i, meal in enumerate(ctx["served"])]
    ctx["print_term"] = Term.objects.current(week.week_start)
    ctx["printed_at"] = timezone.now()
    return pdf_response("print/canteen_menu.html", ctx, request, f"menu-{week.week_start:%Y-%m-%d}.pdf")


def menu_public(request, key):
    """The parents' page by the week's unguessable link: no login, never a person's name; 404 unless shown."""
    today = timezone.localdate()
    data = selectors.public_week(key, today)
    if data is None:
        raise Http404
    data["today"] = today
    data["sunday"] = data["week"].week_start + datetime.timedelta(days=6)
    if data["this_week"] is not None:
        data["this_week_url"] = reverse("canteen:menu_public", args=[data["this_week"].public_key])
    response = render(request, "canteen/menus/menu_public.html", data)
    # Public, but its ticks change during the day and a link taken back must stop working soon.
    response["Cache-Control"] = "private, max-age=60"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
