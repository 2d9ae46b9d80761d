"""Pages of the repair journey. Views parse input, call a service, and redirect after a POST."""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from logistics.forms import VersionForm, new_submit_token
from logistics.history import history_timeline
from logistics.models import Location
from logistics.pdf import pdf_response
from logistics.web import PAGE_SIZE, paginate, private_file_response, query_string, run_move

from .. import selectors, services
from ..forms import (
    CheckCompleteForm,
    OptionalReasonForm,
    ReasonForm,
    RepairAssignForm,
    RepairCompleteForm,
    RepairFilterForm,
    RepairReportForm,
)
from ..models import Asset, AssetSettings, CheckSchedule, CheckTask, RepairCategory, RepairPhoto, RepairRequest, Urgency


def _get_repair_for_user(request, pk):
    """The repair if this user may read it; 404 otherwise, so ids cannot be probed."""
    qs = RepairRequest.objects.visible_to(request.user).select_related(
        "location__building", "reporter", "assignee", "check_task__schedule", "asset")
    return get_object_or_404(qs, pk=pk)


# --- report --------------------------------------------------------------------------------

@login_required
def repair_report(request):
    if not request.user.has_perm("assets.add_repairrequest"):
        raise PermissionDenied(_("Your role cannot report repairs."))
    initial = {"submit_token": new_submit_token()}
    if loc := request.GET.get("location"):
        if Location.objects.filter(pk=loc if str(loc).isdigit() else 0, active=True).exists():
            initial["location"] = loc
    asset = _asset_for_report(request.POST.get("asset") or request.GET.get("asset"))
    if asset is not None:
        initial.update(asset=asset.pk, location=asset.location_id, category=_repair_category_for(asset))
    if request.method == "POST":
        form = RepairReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                repair = services.repair_report(
                    reporter=request.user, category=data["category"], location=data["location"],
                    title=data["title"], description=data["description"], urgency=data["urgency"],
                    photos=data["photos"], submit_token=data["submit_token"], asset=data.get("asset"),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                if getattr(repair, "was_duplicate", False):
                    messages.info(request, _("This request was already sent (%(number)s); it was not sent twice.")
                                  % {"number": repair.number})
                else:
                    messages.success(request, _("Thank you. Your request %(number)s was sent to logistics.")
                                     % {"number": repair.number})
                return redirect("assets:repair_detail", pk=repair.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
    else:
        form = RepairReportForm(initial=initial)
    if asset is not None:
        form.fields["title"].help_text = _("About %(tag)s %(name)s.") % {"tag": asset.tag, "name": asset.name}
    return render(request, "assets/repairs/repair_report.html", {"form": form, "urgency_targets": urgency_targets()})


def _asset_for_report(value):
    """The asset a report starts from (?asset=<pk> from its page), if it is on the register."""
    if not value or not str(value).isdigit():
        return None
    asset = Asset.objects.select_related("category").filter(pk=value).first()
    return asset if asset is not None and asset.is_active else None


def _repair_category_for(asset):
    """A first guess of the kind of fault from the asset's classification (A02 equipment, A05 furniture)."""
    code = asset.category.code or ""
    if code.startswith("A02"):
        return RepairCategory.IT
    if code.startswith("A05"):
        return RepairCategory.FURNITURE
    return None


def urgency_targets():
    """[(label, "within 8 hours"), …] from the school's settings, for the report form's hint."""
    profile = AssetSettings.get()
    result = []
    for value, label in Urgency.choices:
        result.append((label, target_text(services.target_hours(value, profile))))
    return result


def target_text(hours):
    """“within 8 hours”, “within 3 days”."""
    if hours >= 24 and hours % 24 == 0:
        return ngettext("within %(n)s day", "within %(n)s days", hours // 24) % {"n": hours // 24}
    return ngettext("within %(n)s hour", "within %(n)s hours", hours) % {"n": hours}


# --- lists ---------------------------------------------------------------------------------

@login_required
def repair_mine(request):
    qs = selectors.repair_list(request.user).filter(reporter=request.user)
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=RepairRequest.OPEN_STATUSES)
    elif status == "closed":
        qs = qs.filter(status__in=RepairRequest.CLOSED_STATUSES)
    return render(request, "assets/repairs/repair_mine.html", {
        "page": selectors.repair_page(qs, request.GET.get("page"), PAGE_SIZE), "status": status,
        "query_string": urlencode({"status": status}) if status else "",
    })


@login_required
@permission_required("assets.view_repairrequest", raise_exception=True)
def repair_queue(request):
    workers = selectors.workers()
    form = RepairFilterForm(request.GET or None, workers=workers)
    qs = selectors.repair_list(request.user)
    if form.is_valid():
        qs = selectors.filter_repairs(qs, form.cleaned_data)
    counts = dict(
        RepairRequest.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue_count = RepairRequest.objects.overdue().count()
    # Status tabs keep the other filters (search, place, worker …) that are set.
    others = request.GET.copy()
    others.pop("page", None)
    others.pop("status", None)
    S = RepairRequest.Status
    tabs = []
    for value, label, count in [
        ("", _("All"), None), ("open", _("All open"), None), (S.REPORTED, S.REPORTED.label, counts.get(S.REPORTED)),
        ("overdue", _("Overdue"), overdue_count), (S.ASSIGNED, S.ASSIGNED.label, counts.get(S.ASSIGNED)),
        (S.IN_PROGRESS, S.IN_PROGRESS.label, counts.get(S.IN_PROGRESS)), (S.DONE, S.DONE.label, counts.get(S.DONE)),
    ]:
        q = others.copy()
        if value:
            q["status"] = value
        tabs.append({"value": value, "label": label, "count": count, "query": q.urlencode()})
    page = selectors.repair_page(qs, request.GET.get("page"), PAGE_SIZE)
    return render(request, "assets/repairs/repair_queue.html", {
        "form": form, "page": page, "tabs": tabs, "current_status": request.GET.get("status", ""),
        "query_string": query_string(request),
    })


# --- detail and moves ----------------------------------------------------------------------

@login_required
def repair_detail(request, pk):
    repair = _get_repair_for_user(request, pk)
    user = request.user
    ctx = {
        "repair": repair,
        "photos": list(repair.photos.all()),
        "timeline": history_timeline(repair),
        "is_reporter": repair.reporter_id == user.pk,
        "is_assignee": repair.assignee_id == user.pk,
        "can_assign": user.has_perm("assets.assign_repairrequest") and repair.can_assign,
        "can_reject": user.has_perm("assets.assign_repairrequest") and repair.can_reject,
        "can_take": services.can_work(user) and repair.can_take,
        # The target that applied when it was reported, even if the school has changed it since.
        "target_text": target_text(round((repair.due_at - repair.reported_at).total_seconds() / 3600)),
    }
    if ctx["can_assign"]:
        ctx["assign_form"] = RepairAssignForm(workers=selectors.workers(),
                                              initial={"version": repair.version, "assignee": repair.assignee_id})
    ctx["version_form"] = VersionForm(initial={"version": repair.version})
    ctx["reason_form"] = ReasonForm(initial={"version": repair.version})
    ctx["cancel_form"] = OptionalReasonForm(initial={"version": repair.version})
    if ctx["is_assignee"] and repair.can_complete:
        ctx["complete_form"] = RepairCompleteForm(initial={"version": repair.version})
    ctx["has_actions"] = any([
        ctx["can_assign"], ctx["can_reject"], ctx["can_take"], "complete_form" in ctx,
        ctx["is_assignee"] and repair.can_start,
        ctx["is_reporter"] and (repair.can_confirm or repair.can_cancel),
    ])
    return render(request, "assets/repairs/repair_detail.html", ctx)


def _act(request, pk, form_class, call, success, form_kwargs=None):
    """Run one move from the detail page and go back to it (see logistics.web.run_move)."""
    repair = _get_repair_for_user(request, pk)
    return run_move(request, repair, form_class, call, success, "assets:repair_detail", form_kwargs=form_kwargs)


@login_required
@require_POST
def repair_assign(request, pk):
    def call(repair, data):
        services.repair_assign(request_id=repair.pk, by=request.user, assignee=data["assignee"],
                               expected_version=data["version"])
    if not request.user.has_perm("assets.assign_repairrequest"):
        raise PermissionDenied(_("Only the head of logistics assigns repairs."))
    return _act(request, pk, RepairAssignForm, call, _("Assigned."), {"workers": selectors.workers()})


@login_required
@require_POST
def repair_take(request, pk):
    def call(repair, data):
        services.repair_take(request_id=repair.pk, worker=request.user, expected_version=data["version"])
    return _act(request, pk, VersionForm, call, _("It is yours now."))


@login_required
@require_POST
def repair_start(request, pk):
    def call(repair, data):
        services.repair_start(request_id=repair.pk, worker=request.user, expected_version=data["version"])
    return _act(request, pk, VersionForm, call, _("Work started."))


@login_required
@require_POST
def repair_complete(request, pk):
    def call(repair, data):
        services.repair_complete(
            request_id=repair.pk, worker=request.user, work_done=data["work_done"],
            parts_used=data["parts_used"], cost=data["cost"], minutes_spent=data["minutes_spent"],
            expected_version=data["version"])
    return _act(request, pk, RepairCompleteForm, call, _("Marked done. The reporter will be asked to confirm."))


@login_required
@require_POST
def repair_confirm(request, pk):
    def call(repair, data):
        services.repair_confirm(request_id=repair.pk, by=request.user, expected_version=data["version"])
    return _act(request, pk, VersionForm, call, _("Thank you for confirming. The request is closed."))


@login_required
@require_POST
def repair_reopen(request, pk):
    def call(repair, data):
        services.repair_reopen(request_id=repair.pk, by=request.user, reason=data["reason"],
                               expected_version=data["version"])
    return _act(request, pk, ReasonForm, call, _("Reopened. It went back to the worker."))


@login_required
@require_POST
def repair_reject(request, pk):
    def call(repair, data):
        services.repair_reject(request_id=repair.pk, by=request.user, reason=data["reason"],
                               expected_version=data["version"])
    return _act(request, pk, ReasonForm, call, _("Rejected. The reporter sees your reason."))


@login_required
@require_POST
def repair_cancel(request, pk):
    def call(repair, data):
        services.repair_cancel(request_id=repair.pk, by=request.user, reason=data["reason"],
                               expected_version=data["version"])
    return _act(request, pk, OptionalReasonForm, call, _("Your request was cancelled."))


@login_required
def repair_photo(request, pk, photo_id):
    """Photos are served through the app, to the people who may read the request only."""
    repair = _get_repair_for_user(request, pk)
    photo = get_object_or_404(RepairPhoto, pk=photo_id, request=repair)
    return private_file_response(photo.image)


# --- recurring checks ----------------------------------------------------------------------

@login_required
@permission_required("assets.view_checkschedule", raise_exception=True)
def schedule_list(request):
    schedules = CheckSchedule.objects.select_related("assignee").prefetch_related("locations__building")
    tasks = (CheckTask.objects.select_related("schedule", "assignee", "completed_by")
             .annotate(fault_count=Count("repair_requests"))
             .order_by("-due_date", "schedule__title"))
    status = request.GET.get("status", "open")
    if status in CheckTask.Status.values:
        tasks = tasks.filter(status=status)
    return render(request, "assets/repairs/schedule_list.html", {
        "schedules": schedules, "page": paginate(request, tasks), "status": status,
        "today": timezone.localdate(),
    })


@login_required
@permission_required("assets.view_checktask", raise_exception=True)
def check_task_detail(request, pk):
    task = get_object_or_404(CheckTask.objects.select_related("schedule", "assignee", "completed_by"), pk=pk)
    can_complete = request.user.has_perm("assets.change_checktask") and task.can_complete
    if request.method == "POST":
        if not request.user.has_perm("assets.change_checktask"):
            raise PermissionDenied(_("Your role cannot record checks."))
        form = CheckCompleteForm(request.POST, task=task)
        if form.is_valid():
            data = form.cleaned_data
            fault = None
            if data["report_fault"]:
                fault = {"location": data["fault_location"], "category": task.schedule.category,
                         "title": data["fault_title"], "description": data["findings"],
                         "urgency": data["fault_urgency"]}
            try:
                _task, repair = services.check_complete(
                    task_id=task.pk, by=request.user, all_ok=data["all_ok"], findings=data["findings"],
                    fault=fault, expected_version=data["version"])
            except ValidationError as e:
                for message in e.messages:
                    form.add_error(None, message)
            else:
                if repair:
                    messages.success(request, _("Check recorded; repair request %(number)s opened.")
                                     % {"number": repair.number})
                    return redirect("assets:repair_detail", pk=repair.pk)
                messages.success(request, _("Check recorded."))
                return redirect(reverse("assets:schedule_list"))
    else:
        form = CheckCompleteForm(task=task, initial={"version": task.version, "all_ok": "yes"})
    return render(request, "assets/repairs/check_task_detail.html", {
        "task": task, "form": form, "can_complete": can_complete,
        "locations": task.schedule.locations.select_related("building"),
        "repairs": task.repair_requests.select_related("location__building"),
        "timeline": history_timeline(task),
    })


@login_required
def repair_print(request, pk):
    """The request as an A4 work order (维修单) with signature lines, for the worker's clipboard."""
    repair = _get_repair_for_user(request, pk)
    return pdf_response("print/repair_order.html", {
        "repair": repair, "timeline": history_timeline(repair),
        "printed_at": timezone.now(),
    }, request, f"{repair.number}.pdf")
