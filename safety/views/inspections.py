"""Pages of the safety inspections: the checklists (read here, kept in the admin), an inspection done on a phone
item by item (each failed item a hazard on the kernel's pages), a spot check started from a checklist, the list
and the printed record. Views parse input, call a service, and redirect after a POST."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from logistics.history import history_timeline
from logistics.pdf import pdf_response
from logistics.services import display_name
from logistics.web import (
    apply_errors,
    error_text,
    flash_form_errors,
    paginate,
    paginate_ids_first,
    private_file_response,
    query_string,
)

from ..forms.inspections import InspectionFilterForm, InspectionForm, TypicalItemsForm
from ..models.inspections import Inspection, InspectionPlan, InspectionResult
from ..selectors import inspections as selectors
from ..services import inspections as services
from ..services.common import hazard_receiver

VIEW_PLAN = "safety.view_inspectionplan"


def _get_inspection_for_user(request, pk):
    """The inspection, if the user may read it (404 when it does not exist, 403 when not theirs to read)."""
    inspection = get_object_or_404(Inspection.objects.select_related("plan", "inspector", "done_by"), pk=pk)
    if not selectors.may_read(request.user, inspection):
        raise PermissionDenied(_("Only the inspector, the safety officer and the school's leaders read this "
                                 "inspection."))
    return inspection


# --- checklists -----------------------------------------------------------------------------------

@login_required
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_list(request):
    show = request.GET.get("show", "active")
    if show not in ("active", "stopped", "all"):
        show = "active"
    page = paginate(request, selectors.plan_list(show))
    page.object_list = selectors.with_plan_counts(list(page.object_list))
    return render(request, "safety/inspections/plan_list.html", {
        "page": page, "show": show, "query_string": query_string(request),
        "can_start": request.user.has_perm("safety.add_inspection"),
    })


@login_required
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_detail(request, pk):
    plan = get_object_or_404(InspectionPlan.objects.select_related("inspector"), pk=pk)
    items = selectors.plan_items(plan)
    today = timezone.localdate()
    return render(request, "safety/inspections/plan_detail.html", {
        "plan": plan, "areas": selectors.by_area(items), "n_items": len(items),
        "recent": selectors.recent_inspections(plan), "timeline": history_timeline(plan), "today": today,
        "can_start": request.user.has_perm("safety.add_inspection") and plan.active and bool(items),
        "can_change": request.user.has_perm("safety.change_inspectionplan"),
        "typical_form": TypicalItemsForm(initial={"version": plan.version}),
    })


@login_required
@require_POST
def plan_start(request, pk):
    """Start a spot check of the checklist today (today's inspection opens when it already has one)."""
    if not request.user.has_perm("safety.add_inspection"):
        raise PermissionDenied(_("Only the safety officer starts an inspection off the schedule."))
    plan = get_object_or_404(InspectionPlan, pk=pk)
    try:
        inspection = services.start_inspection(plan=plan, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
        return redirect("safety:plan_detail", pk=plan.pk)
    if not inspection.was_created:
        if inspection.can_record:
            messages.info(request, _("Today's inspection of “%(title)s” was already on the list; it opens here.")
                          % {"title": plan.title})
        else:
            messages.info(request, _("“%(title)s” was already inspected today.") % {"title": plan.title})
    return redirect("safety:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def plan_typical(request, pk):
    """Add the typical school checklist's items to this checklist."""
    if not request.user.has_perm("safety.change_inspectionplan"):
        raise PermissionDenied(_("Only the safety officer changes checklists."))
    plan = get_object_or_404(InspectionPlan, pk=pk)
    form = TypicalItemsForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("safety:plan_detail", pk=plan.pk)
    try:
        added = services.plan_add_typical_items(plan_id=plan.pk, by=request.user,
                                                expected_version=form.cleaned_data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        if added:
            messages.success(request, ngettext("%(n)s typical item added.", "%(n)s typical items added.", added)
                             % {"n": added})
        else:
            messages.info(request, _("The checklist already has every typical item."))
    return redirect("safety:plan_detail", pk=plan.pk)


# --- inspections ----------------------------------------------------------------------------------

@login_required
def inspection_list(request):
    """Everything for readers; the others see the inspections assigned to them."""
    form = InspectionFilterForm(request.GET or None)
    qs = selectors.inspection_list(request.user)
    today = timezone.localdate()
    if form.is_valid():
        qs = selectors.filter_inspections(qs, form.cleaned_data, today)
    filtered = any(v for k, v in request.GET.items() if k != "page")
    page = paginate_ids_first(request, qs)
    page.object_list = selectors.with_failed_counts(page.object_list)
    return render(request, "safety/inspections/inspection_list.html", {
        "form": form, "page": page, "query_string": query_string(request), "today": today,
        "filtered": filtered, "reads_all": request.user.has_perm(selectors.VIEW),
    })


@login_required
def inspection_detail(request, pk):
    inspection = _get_inspection_for_user(request, pk)
    user = request.user
    today = timezone.localdate()
    may_record = (inspection.can_record and selectors.may_record(user, inspection)
                  and inspection.due_date <= today)
    form = None
    if request.method == "POST":
        if not selectors.may_record(user, inspection):
            raise PermissionDenied(_("Only the inspector assigned, or the safety officer, records this "
                                     "inspection."))
        items = selectors.plan_items(inspection.plan)
        form = InspectionForm(request.POST, request.FILES, items=items, today=today, receiver=hazard_receiver(),
                              may_name=services.names_fixer(user))
        if form.is_valid():
            try:
                done = services.record_inspection(
                    inspection_id=inspection.pk, by=user, results=form.service_arguments(),
                    note=form.cleaned_data["note"], expected_version=form.cleaned_data["version"])
            except ValidationError as e:
                if getattr(e, "code", None) in ("stale", "not_allowed", "early", "empty"):
                    messages.error(request, error_text(e))
                    return redirect("safety:inspection_detail", pk=inspection.pk)
                apply_errors(form, e)
            else:
                _say_done(request, done)
                return redirect("safety:inspection_detail", pk=inspection.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
        may_record = True
    elif may_record:
        form = InspectionForm(items=selectors.plan_items(inspection.plan), today=today, receiver=hazard_receiver(),
                              may_name=services.names_fixer(user), initial={"version": inspection.version})
    results = [] if inspection.can_record else selectors.results_with_hazards(inspection)
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("pass", "fail", "na")}
    return render(request, "safety/inspections/inspection_detail.html", {
        "inspection": inspection, "form": form if may_record else None, "groups": form.rows() if form else [],
        "results": selectors.by_area(results), "counts": counts, "n_results": len(results),
        "items": selectors.by_area(selectors.plan_items(inspection.plan)) if inspection.can_record and not form
        else [],
        "timeline": history_timeline(inspection), "today": today,
        "early": inspection.can_record and inspection.due_date > today,
        "assigned_elsewhere": inspection.can_record and not selectors.may_record(user, inspection),
    }, status=400 if form is not None and form.is_bound else 200)


def _say_done(request, inspection):
    if getattr(inspection, "was_duplicate", False):
        messages.info(request, _("This inspection was already recorded; nothing was saved twice."))
        return
    hazards = getattr(inspection, "hazards", [])
    if not hazards:
        messages.success(request, _("Inspection recorded: no item failed."))
        return
    names = sorted({display_name(f.responsible) for f in hazards})
    messages.success(request, ngettext(
        "Inspection recorded: %(n)s hazard sent to %(names)s to fix.",
        "Inspection recorded: %(n)s hazards sent to %(names)s to fix.", len(hazards))
        % {"n": len(hazards), "names": _(", ").join(names)})


@login_required
def inspection_print(request, pk):
    """The inspection record (检查记录) as an A4 PDF: 序号, 检查项目, 检查内容, 检查结果, 整改措施, 检查人; an
    inspection still to do prints as a blank form to fill in by hand."""
    inspection = _get_inspection_for_user(request, pk)
    if inspection.can_record:
        rows = [{"area": i.get_area_display(), "item": i.text} for i in selectors.plan_items(inspection.plan)]
    else:
        rows = [{"area": r.get_area_display(), "item": r.item, "result": r} for r in
                selectors.results_with_hazards(inspection)]
    return pdf_response("print/safety_inspection.html", {
        "inspection": inspection, "rows": rows, "printed_at": timezone.now(),
        "printed_by": display_name(request.user),
    }, request, f"safety-inspection-{inspection.due_date:%Y-%m-%d}-{inspection.pk}.pdf")


@login_required
def result_photo(request, pk, result_id):
    """A result's photo, for those who may read the inspection."""
    inspection = _get_inspection_for_user(request, pk)
    result = get_object_or_404(InspectionResult, pk=result_id, inspection=inspection)
    if not result.photo:
        raise Http404
    return private_file_response(result.photo)
