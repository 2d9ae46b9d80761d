"""Pages of the canteen's inspections: the list (to do first), an inspection done on a phone item by item (a
failed one goes to the kernel's rectification pages), an inspection started by hand, and the checklists.
Views parse input, call a service, and redirect after a POST."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics.history import history_timeline
from logistics.pdf import pdf_response
from logistics.services import display_name
from logistics.web import apply_errors, error_text, paginate, query_string

from ..forms.inspections import ChecklistForm, InspectionFilterForm, InspectionForm, StartForm
from ..models.inspections import Checklist, Inspection
from ..selectors import inspections as selectors
from ..services import inspections as services

VIEW = "canteen.view_inspection"
INSPECT = selectors.INSPECT


def _get_inspection(pk):
    return get_object_or_404(Inspection.objects.select_related("checklist", "inspector", "done_by"), pk=pk)


# --- inspections ----------------------------------------------------------------------------------

@login_required
@permission_required(VIEW, raise_exception=True)
def inspection_list(request):
    form = InspectionFilterForm(request.GET or None)
    qs = selectors.inspection_list()
    today = timezone.localdate()
    if form.is_valid():
        qs = selectors.filter_inspections(qs, form.cleaned_data, today)
    filtered = any(v for k, v in request.GET.items() if k != "page")
    return render(request, "canteen/inspections/inspection_list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request), "today": today,
        "filtered": filtered, "can_inspect": request.user.has_perm(INSPECT),
        "due_count": selectors.inspections_due(today).count(),
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def inspection_detail(request, pk):
    inspection = _get_inspection(pk)
    user = request.user
    today = timezone.localdate()
    may_record = inspection.can_record and user.has_perm(INSPECT) and inspection.due_date <= today
    form = None
    if request.method == "POST":
        if not user.has_perm(INSPECT):
            raise PermissionDenied(_("Your role cannot inspect the canteen."))
        form = InspectionForm(request.POST, request.FILES, items=inspection.checklist.items, today=today,
                              manager=selectors.canteen_manager())
        if form.is_valid():
            results, failed = form.service_arguments()
            try:
                done = services.inspection_record(
                    inspection_id=inspection.pk, by=user, results=results, failed_items=failed,
                    note=form.cleaned_data["note"], expected_version=form.cleaned_data["version"])
            except ValidationError as e:
                if getattr(e, "code", None) in ("stale", "not_allowed", "early"):
                    messages.error(request, error_text(e))
                    return redirect("canteen:inspection_detail", pk=inspection.pk)
                apply_errors(form, e)
            else:
                _say_done(request, done)
                return redirect("canteen:inspection_detail", pk=inspection.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
        may_record = True
    elif may_record:
        form = InspectionForm(items=inspection.checklist.items, today=today, manager=selectors.canteen_manager(),
                              initial={"version": inspection.version})
    results = [] if inspection.can_record else selectors.results_with_findings(inspection)
    failed = [r for r in results if not r.passed]
    return render(request, "canteen/inspections/inspection_detail.html", {
        "inspection": inspection, "form": form if may_record else None, "rows": form.rows() if form else [],
        "results": results, "failed": failed, "passed_count": len(results) - len(failed),
        "timeline": history_timeline(inspection), "today": today,
        "early": inspection.can_record and inspection.due_date > today,
    }, status=400 if form is not None and form.is_bound else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def inspection_print(request, pk):
    """The inspection record (检查记录) as an A4 PDF: each item's result, what was found and its rectification; an
    inspection still to do prints as a blank form to fill in by hand."""
    inspection = _get_inspection(pk)
    results = [] if inspection.can_record else selectors.results_with_findings(inspection)
    return pdf_response("print/canteen_inspection.html", {
        "inspection": inspection, "results": results, "printed_at": timezone.now(),
        "printed_by": display_name(request.user),
    }, request, f"inspection-{inspection.due_date:%Y-%m-%d}-{inspection.pk}.pdf")


def _say_done(request, inspection):
    if getattr(inspection, "was_duplicate", False):
        messages.info(request, _("This inspection was already recorded; nothing was saved twice."))
        return
    findings = getattr(inspection, "findings", [])
    if not findings:
        messages.success(request, _("Inspection recorded: everything passed."))
        return
    names = sorted({display_name(f.responsible) for f in findings})
    messages.success(request, ngettext(
        "Inspection recorded: %(n)s problem sent to %(names)s to fix.",
        "Inspection recorded: %(n)s problems sent to %(names)s to fix.", len(findings))
        % {"n": len(findings), "names": _(", ").join(names)})


@login_required
def inspection_start(request):
    """Start an inspection from a checklist today (ad hoc); today's scheduled one opens if there is one."""
    if not request.user.has_perm(INSPECT):
        raise PermissionDenied(_("Your role cannot inspect the canteen."))
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                inspection = services.inspection_start(checklist_id=form.cleaned_data["checklist"].pk,
                                                       by=request.user)
            except ValidationError as e:
                messages.error(request, error_text(e))
            else:
                if not inspection.was_created and not inspection.can_record:
                    messages.info(request, _("“%(title)s” was already done today.") % {
                        "title": inspection.checklist.title})
                return redirect("canteen:inspection_detail", pk=inspection.pk)
        else:
            messages.error(request, error_text(ValidationError(list(form.errors.get("checklist", [])))))
    today = timezone.localdate()
    checklists = list(Checklist.objects.filter(active=True).order_by("title"))
    todays = {i.checklist_id: i for i in Inspection.objects.filter(due_date=today)}
    for checklist in checklists:
        checklist.today = todays.get(checklist.pk)
    return render(request, "canteen/inspections/inspection_start.html", {"checklists": checklists, "today": today})


# --- checklists -----------------------------------------------------------------------------------

@login_required
@permission_required("canteen.view_checklist", raise_exception=True)
def checklist_list(request):
    show = request.GET.get("show", "active")
    if show not in ("active", "stopped", "all"):
        show = "active"
    return render(request, "canteen/inspections/checklist_list.html", {
        "page": paginate(request, selectors.checklist_list(show)), "show": show,
        "query_string": query_string(request),
    })


def _checklist_form_page(request, checklist=None):
    editing = checklist is not None
    if request.method == "POST":
        form = ChecklistForm(request.POST, editing=editing)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                if editing:
                    saved = services.checklist_change(checklist_id=checklist.pk, by=request.user,
                                                      expected_version=version, **data)
                else:
                    data.pop("active", None)
                    saved = services.checklist_add(by=request.user, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(saved, "was_duplicate", False):
                    messages.info(request, _("“%(title)s” was already saved; nothing was added twice.")
                                  % {"title": saved.title})
                else:
                    messages.success(request, _("Checklist saved."))
                return redirect("canteen:checklist_list")
    elif editing:
        form = ChecklistForm(editing=True, initial={
            "title": checklist.title, "items": "\n".join(checklist.items), "frequency": checklist.frequency,
            "weekdays": checklist.weekdays, "day_of_month": checklist.day_of_month,
            "only_in_term": checklist.only_in_term, "inspector": checklist.inspector_id, "active": checklist.active,
            "version": checklist.version})
    else:
        form = ChecklistForm()
    return render(request, "canteen/inspections/checklist_form.html", {
        "form": form, "checklist": checklist,
        "timeline": history_timeline(checklist) if editing else None,
    }, status=400 if form.is_bound else 200)


@login_required
@permission_required("canteen.add_checklist", raise_exception=True)
def checklist_add(request):
    return _checklist_form_page(request)


@login_required
@permission_required("canteen.change_checklist", raise_exception=True)
def checklist_edit(request, pk):
    return _checklist_form_page(request, get_object_or_404(Checklist, pk=pk))
