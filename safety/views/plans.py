"""Pages of emergency plans (应急预案) and drills (演练): the safety officer keeps the plans and their versions
and records drills from a phone; the principal, the head and the auditor read them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.files import document_response
from logistics.forms import VersionForm, new_submit_token
from logistics.history import history_timeline
from logistics.services import display_name
from logistics.web import apply_errors, paginate, private_file_response, query_string, run_move

from ..forms.plans import DrillFilterForm, DrillForm, FollowUpForm, PlanFilterForm, PlanForm, RetireForm
from ..models import Drill, EmergencyPlan
from ..selectors import plans as selectors
from ..services import plans as services

FILE_AGAIN = _("For your safety the browser forgets a chosen file when a form is shown again: please choose it "
               "again.")


def _plan(pk):
    return get_object_or_404(EmergencyPlan.objects.select_related("owner"), pk=pk)


def _drill(pk):
    return get_object_or_404(Drill.objects.select_related("plan", "recorded_by"), pk=pk)


def _review_state(plan, today, days):
    if not plan.active:
        return ""
    if plan.next_review < today:
        return "overdue"
    if (plan.next_review - today).days <= days:
        return "due"
    return ""


# --- plans ---------------------------------------------------------------------------------------

@login_required
@permission_required("safety.view_emergencyplan", raise_exception=True)
def plan_list(request):
    form = PlanFilterForm(request.GET or None)
    today, days = timezone.localdate(), selectors.review_warning_days()
    page = paginate(request, selectors.plan_list(form.cleaned_data if form.is_valid() else None, today, days))
    for plan in page.object_list:
        plan.review_state = _review_state(plan, today, days)
    return render(request, "safety/plans/plan_list.html", {
        "form": form, "page": page, "query_string": query_string(request), "warning_days": days,
    })


@login_required
@permission_required("safety.view_emergencyplan", raise_exception=True)
def plan_detail(request, pk):
    plan = _plan(pk)
    today, days = timezone.localdate(), selectors.review_warning_days()
    plan.review_state = _review_state(plan, today, days)
    drills = selectors.drill_list({"plan": plan})
    return render(request, "safety/plans/plan_detail.html", {
        "plan": plan, "versions": selectors.plan_versions(plan), "drills": _with_times(list(drills[:10])),
        "drill_count": drills.count(), "timeline": history_timeline(plan),
        "version_form": VersionForm(initial={"version": plan.version}),
    })


@login_required
@permission_required("safety.add_emergencyplan", raise_exception=True)
def plan_add(request):
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_add(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if getattr(plan, "was_duplicate", False):
                messages.info(request, _("This plan was already kept; it was not kept twice."))
            else:
                messages.success(request, _("%(title)s is kept, version %(label)s.")
                                 % {"title": plan.title, "label": plan.version_label})
            return redirect(plan)
    if request.method == "POST" and request.FILES:
        messages.warning(request, FILE_AGAIN)
    return render(request, "safety/plans/plan_form.html", {"form": form, "plan": None})


@login_required
@permission_required("safety.change_emergencyplan", raise_exception=True)
def plan_revise(request, pk):
    plan = _plan(pk)
    if request.method == "POST":
        form = PlanForm(request.POST, request.FILES, revising=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.plan_revise(plan_id=plan.pk, by=request.user, expected_version=version, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Version %(label)s is now in force.") % {"label": data["version_label"]})
                return redirect(plan)
        if request.FILES:
            messages.warning(request, FILE_AGAIN)
    else:
        form = PlanForm(revising=True, initial={"version": plan.version, "summary": plan.summary,
                                                "approved_on": timezone.localdate()})
    return render(request, "safety/plans/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
@permission_required("safety.change_emergencyplan", raise_exception=True)
def plan_retire(request, pk):
    def call(plan, data):
        services.plan_retire(plan_id=plan.pk, by=request.user, reason=data["reason"],
                             expected_version=data["version"])
    return run_move(request, _plan(pk), RetireForm, call, _("The plan is no longer in force."),
                    "safety:emergencyplan_detail")


@login_required
@require_POST
@permission_required("safety.change_emergencyplan", raise_exception=True)
def plan_reinstate(request, pk):
    def call(plan, data):
        services.plan_reinstate(plan_id=plan.pk, by=request.user, expected_version=data["version"])
    return run_move(request, _plan(pk), VersionForm, call, _("The plan is in force again."),
                    "safety:emergencyplan_detail")


@login_required
@permission_required("safety.view_emergencyplan", raise_exception=True)
def plan_document(request, pk, history_id=None):
    """The plan's document (the current version, or an earlier one from its history), to its readers only."""
    plan = _plan(pk)
    if history_id is None:
        if not plan.document:
            raise Http404
        return document_response(plan.document, f"plan-{plan.pk}-{plan.version_label}")
    record = get_object_or_404(plan.history.exclude(document=""), history_id=history_id)
    # The history keeps the stored file's name; the file is kept under it (a revision adds a new one).
    document = FieldFile(plan, EmergencyPlan._meta.get_field("document"), record.document)
    return document_response(document, f"plan-{plan.pk}-{record.version_label}")


# --- drills --------------------------------------------------------------------------------------

@login_required
@permission_required("safety.view_drill", raise_exception=True)
def drill_list(request):
    form = DrillFilterForm(request.GET or None)
    page = paginate(request, selectors.drill_list(form.cleaned_data if form.is_valid() else None))
    _with_times(page.object_list)
    return render(request, "safety/plans/drill_list.html", {
        "form": form, "page": page, "query_string": query_string(request),
    })


def _with_times(drills):
    for drill in drills:
        drill.evacuation_text = services.format_evacuation_time(drill.evacuation_seconds)
    return drills


@login_required
@permission_required("safety.add_drill", raise_exception=True)
def drill_add(request):
    if request.method == "POST":
        form = DrillForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                drill = services.drill_record(by=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(drill, "was_duplicate", False):
                    messages.info(request, _("This drill was already recorded; it was not recorded twice."))
                else:
                    messages.success(request, _("The drill is recorded. Add its follow-up actions below."))
                return redirect(drill)
        if request.FILES:
            messages.warning(request, FILE_AGAIN)
    else:
        initial = {"held_on": timezone.localdate()}
        if (pk := request.GET.get("plan", "")).isdigit():
            initial["plan"] = int(pk)
        form = DrillForm(initial=initial)
    return render(request, "safety/plans/drill_form.html", {"form": form, "today": timezone.localdate()})


@login_required
@permission_required("safety.view_drill", raise_exception=True)
def drill_detail(request, pk):
    drill = _drill(pk)
    follow_ups = list(selectors.drill_follow_ups(drill))
    form = None
    if request.user.has_perm("safety.add_drill") and request.user.has_perm("logistics.add_finding"):
        form = FollowUpForm(initial={"submit_token": new_submit_token(), "responsible": drill.recorded_by_id})
    return render(request, "safety/plans/drill_detail.html", {
        "drill": drill, "photos": list(drill.photos.all()), "follow_ups": follow_ups, "form": form,
        "evacuation": services.format_evacuation_time(drill.evacuation_seconds),
        "timeline": history_timeline(drill),
    })


@login_required
@permission_required("safety.add_drill", raise_exception=True)
def drill_follow_up_add(request, pk):
    drill = _drill(pk)
    form = FollowUpForm(request.POST or None, initial={"submit_token": new_submit_token()})
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.drill_follow_up_add(drill_id=drill.pk, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if getattr(finding, "was_duplicate", False):
                messages.info(request, _("This action was already added (%(number)s); it was not added twice.")
                              % {"number": finding.number})
            else:
                messages.success(request, _("Follow-up action %(number)s added for %(name)s.")
                                 % {"number": finding.number, "name": display_name(finding.responsible)})
            return redirect(drill)
    return render(request, "safety/plans/follow_up_form.html", {"form": form, "drill": drill})


@login_required
@permission_required("safety.view_drill", raise_exception=True)
def drill_photo(request, pk, photo_id):
    drill = _drill(pk)
    return private_file_response(get_object_or_404(drill.photos, pk=photo_id).image)
