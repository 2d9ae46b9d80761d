"""Pages of the school vehicles: the list (vehicles and drivers with every paper and its warning, routes with
their vehicle, driver, classes and pupils), each record's page with its history, keeping them (the safety
officer), the pre-trip check on a phone and the list of checks. Views parse input, call a service, redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.history import history_timeline
from logistics.web import apply_errors, paginate, query_string

from ..forms.vehicles import CheckFilterForm, DriverForm, ListFilterForm, RouteForm, TripCheckForm, VehicleForm
from ..models.vehicles import Driver, Route, TripCheck, Vehicle
from ..selectors import vehicles as selectors
from ..services import vehicles as services

READ = selectors.READ
TABS = ("vehicles", "drivers", "routes")


@login_required
@permission_required(READ, raise_exception=True)
def vehicle_list(request):
    """Vehicles, drivers or routes (a tab each), filtered; every paper with its state and a warning badge."""
    tab = request.GET.get("tab", "vehicles")
    if tab not in TABS:
        tab = "vehicles"
    form = ListFilterForm(request.GET or None)
    show, q = "active", ""
    if form.is_valid():
        show, q = form.cleaned_data["show"] or "active", form.cleaned_data["q"].strip()
    today = timezone.localdate()
    warn = selectors.warning_days()
    qs = {"vehicles": selectors.vehicle_list, "drivers": selectors.driver_list,
          "routes": selectors.route_list}[tab](show, q)
    page = paginate(request, qs)
    if tab == "vehicles":
        selectors.with_papers(page.object_list, today, warn, selectors.vehicle_papers)
    elif tab == "drivers":
        selectors.with_papers(page.object_list, today, warn, selectors.driver_papers)
    return render(request, "safety/vehicles/vehicle_list.html", {
        "tab": tab, "form": form, "show": show, "q": q, "page": page, "query_string": query_string(request),
        "warning_days": warn, "can_keep": request.user.has_perm(selectors.KEEP),
        "can_check": request.user.has_perm(selectors.CHECK),
    })


@login_required
@permission_required(READ, raise_exception=True)
def vehicle_detail(request, pk):
    vehicle = get_object_or_404(Vehicle, pk=pk)
    today = timezone.localdate()
    selectors.with_papers([vehicle], today, selectors.warning_days(), selectors.vehicle_papers)
    return render(request, "safety/vehicles/vehicle_detail.html", {
        "vehicle": vehicle, "routes": list(vehicle.routes.select_related("driver", "escort")),
        "checks": list(selectors.check_list(vehicle=vehicle)[:10]), "timeline": history_timeline(vehicle),
        "can_keep": request.user.has_perm(selectors.KEEP), "today": today,
    })


@login_required
@permission_required(READ, raise_exception=True)
def driver_detail(request, pk):
    driver = get_object_or_404(Driver.objects.select_related("user"), pk=pk)
    selectors.with_papers([driver], timezone.localdate(), selectors.warning_days(), selectors.driver_papers)
    return render(request, "safety/vehicles/driver_detail.html", {
        "driver": driver, "routes": list(driver.routes.select_related("vehicle")),
        "timeline": history_timeline(driver), "can_keep": request.user.has_perm(selectors.KEEP),
    })


@login_required
@permission_required(READ, raise_exception=True)
def route_detail(request, pk):
    route = get_object_or_404(Route.objects.select_related("vehicle", "driver", "escort"), pk=pk)
    return render(request, "safety/vehicles/route_detail.html", {
        "route": route, "stops": [s.strip() for s in route.stops.splitlines() if s.strip()],
        "timeline": history_timeline(route), "can_keep": request.user.has_perm(selectors.KEEP),
    })


# --- keeping vehicles, drivers and routes -----------------------------------------------------------

FORMS = {Vehicle: VehicleForm, Driver: DriverForm, Route: RouteForm}


def _keep_page(request, model, pk=None):
    obj = get_object_or_404(model, pk=pk) if pk else None
    form_class = FORMS[model]
    if request.method == "POST":
        form = form_class(request.POST, instance=obj)
        if form.is_valid():
            data, version = form.data_for_service()
            try:
                saved = services.keep(model, by=request.user, data=data, pk=pk, expected_version=version)
            except ValidationError as e:
                if getattr(e, "code", None) == "stale":
                    messages.error(request, " ".join(e.messages))
                    return redirect(obj.get_absolute_url())
                apply_errors(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect(saved.get_absolute_url())
    else:
        form = form_class(instance=obj, initial={"version": obj.version} if obj else None)
    return render(request, "safety/vehicles/keep_form.html", {
        "form": form, "obj": obj, "what": model._meta.verbose_name,
        "back": obj.get_absolute_url() if obj else None,
    }, status=400 if form.is_bound else 200)


def _keeper(model, action):
    perm = f"safety.{action}_{model._meta.model_name}"

    @login_required
    @permission_required(perm, raise_exception=True)
    def view(request, pk=None):
        return _keep_page(request, model, pk)

    view.__name__ = f"{model._meta.model_name}_{action}"
    return view


vehicle_add, vehicle_edit = _keeper(Vehicle, "add"), _keeper(Vehicle, "change")
driver_add, driver_edit = _keeper(Driver, "add"), _keeper(Driver, "change")
route_add, route_edit = _keeper(Route, "add"), _keeper(Route, "change")


# --- the pre-trip check ---------------------------------------------------------------------------

def _my_drivers(user):
    return Driver.objects.filter(user=user, active=True)


@login_required
def trip_check(request):
    """The pre-trip check on a phone: the vehicle, the driver, each item, fit or not. The safety officer checks
    any vehicle; a driver with a user account checks as themselves."""
    user = request.user
    officer = user.has_perm(selectors.CHECK)
    mine = list(_my_drivers(user))
    if not officer and not mine:
        raise PermissionDenied(_("Only the safety officer, or a driver on their own account, records a pre-trip "
                                 "check."))
    vehicles = Vehicle.objects.filter(active=True)
    drivers = Driver.objects.filter(active=True) if officer else Driver.objects.filter(pk__in=[d.pk for d in mine])
    today = timezone.localdate()
    if request.method == "POST":
        form = TripCheckForm(request.POST, vehicles=Vehicle.objects.all(), drivers=Driver.objects.all())
        if form.is_valid():
            d = form.cleaned_data
            try:
                check = services.trip_check_record(by=user, vehicle_id=d["vehicle"].pk, driver_id=d["driver"].pk,
                                                   items=form.items(), fit=d["fit"], note=d["note"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(check, "was_duplicate", False):
                    messages.info(request, _("This check was already saved; nothing was saved twice."))
                elif check.fit:
                    messages.success(request, _("%(plate)s: fit for the trip.") % {"plate": check.vehicle.plate})
                else:
                    messages.warning(request, _("%(plate)s: not fit for the trip. Tell the safety officer.")
                                     % {"plate": check.vehicle.plate})
                return redirect("safety:trip_check_detail", pk=check.pk)
        form.fields["vehicle"].queryset = vehicles
        form.fields["driver"].queryset = drivers
    else:
        initial = {}
        if request.GET.get("vehicle", "").isdigit():
            initial["vehicle"] = int(request.GET["vehicle"])
        if len(mine) == 1:
            initial["driver"] = mine[0].pk
            route = mine[0].routes.filter(active=True).first()
            initial.setdefault("vehicle", route.vehicle_id if route else None)
        if initial.get("vehicle") and "driver" not in initial:
            # The driver of the vehicle's route, as usual.
            route = Route.objects.filter(vehicle_id=initial["vehicle"], active=True, driver__active=True).first()
            initial["driver"] = route.driver_id if route else None
        form = TripCheckForm(initial=initial, vehicles=vehicles, drivers=drivers)
    done = {c.vehicle_id: c for c in TripCheck.objects.filter(day=today).select_related("checked_by")}
    return render(request, "safety/vehicles/trip_check.html", {
        "form": form, "today": today, "today_status": [(v, done.get(v.pk)) for v in vehicles],
    }, status=400 if form.is_bound else 200)


def _may_read_check(user, check):
    return user.has_perm(READ) or (check.driver.user_id == user.pk) or check.checked_by_id == user.pk


@login_required
def trip_check_detail(request, pk):
    check = get_object_or_404(TripCheck.objects.select_related("vehicle", "driver", "checked_by"), pk=pk)
    if not _may_read_check(request.user, check):
        raise PermissionDenied
    return render(request, "safety/vehicles/trip_check_detail.html", {
        "check": check, "items": selectors.items_of(check), "timeline": history_timeline(check),
    })


@login_required
@permission_required(READ, raise_exception=True)
def trip_check_list(request):
    form = CheckFilterForm(request.GET or None)
    kwargs = {}
    if form.is_valid():
        d = form.cleaned_data
        kwargs = {"vehicle": d["vehicle"], "fit": {"yes": True, "no": False}.get(d["fit"]), "first": d["first"],
                  "last": d["last"]}
    return render(request, "safety/vehicles/trip_check_list.html", {
        "form": form, "page": paginate(request, selectors.check_list(**kwargs)), "query_string": query_string(request),
        "can_check": request.user.has_perm(selectors.CHECK),
    })
