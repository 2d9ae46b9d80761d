"""Pages of findings: the list, raising one by hand, a finding's page with its moves, its photos and its
printed rectification notice (隐患整改通知书). Views parse input, call a service, and redirect after a POST.

Who reads a finding: holders of logistics.view_finding, the person responsible for it and the person who found
it (read only: the moves still need their own right)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.forms import new_submit_token
from logistics.history import history_timeline
from logistics.models import Finding, FindingPhoto
from logistics.modules import finding_links
from logistics.pdf import pdf_response
from logistics.web import apply_errors, flash_form_errors, paginate, private_file_response, query_string, run_move

from . import selectors, services
from .areas import area_name, area_names, raising_areas
from .forms import (
    FindingExtendForm,
    FindingFilterForm,
    FindingFixForm,
    FindingRaiseForm,
    FindingReassignForm,
    FindingVerifyForm,
)

VIEW = "logistics.view_finding"
# Several forms share a page: each its own ids (names stay plain, as the services' views read them).
FIX_ID, VERIFY_ID = "fix_%s", "verify_%s"


def _get_finding_for_user(request, pk):
    """The finding if this user may read it; 404 otherwise, so ids cannot be probed."""
    qs = Finding.objects.visible_to(request.user).select_related(
        "location__building", "responsible", "found_by", "fixed_by", "verified_by", "source_type")
    return get_object_or_404(qs, pk=pk)


# --- list and raising by hand ------------------------------------------------------------------

@login_required
def finding_list(request):
    names = area_names()
    form = FindingFilterForm(request.GET or None, areas=list(names.items()))
    qs = selectors.finding_list(request.user)
    if form.is_valid():
        qs = selectors.filter_findings(qs, form.cleaned_data)
    page = paginate(request, qs)
    for finding in page.object_list:
        finding.area_name = names.get(finding.area, finding.area)
    return render(request, "findings/list.html", {
        "form": form, "page": page, "query_string": query_string(request),
        "sees_all": request.user.has_perm(VIEW),
        "can_raise": _may_raise_by_hand(request.user) and bool(raising_areas()),
    })


def _may_raise_by_hand(user):
    """Raising by hand (naming anyone responsible, with any deadline) is for those who read every finding and
    may add one; a module's own report page (a teacher reporting a hazard) goes through the module."""
    return user.has_perm(services.ADD) and user.has_perm(VIEW)


@login_required
def finding_new(request):
    if not _may_raise_by_hand(request.user):
        raise PermissionDenied(_("Your role cannot raise findings."))
    areas = raising_areas()
    if not areas:
        raise PermissionDenied(_("No part of the school's work takes findings raised by hand yet."))
    if request.method == "POST":
        form = FindingRaiseForm(request.POST, request.FILES, areas=areas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                finding = services.finding_raise(
                    area=data["area"], title=data["title"], description=data["description"],
                    location=data["location"], severity=data["severity"], responsible=data["responsible"],
                    deadline=data["deadline"], by=request.user, photos=data["photos"],
                    submit_token=data["submit_token"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(finding, "was_duplicate", False):
                    messages.info(request, _("This finding was already saved (%(number)s); it was not saved twice.")
                                  % {"number": finding.number})
                else:
                    messages.success(request, _("Finding %(number)s saved; its responsible person sees it now.")
                                     % {"number": finding.number})
                return redirect("findings:detail", pk=finding.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
    else:
        initial = {"submit_token": new_submit_token()}
        if len(areas) == 1:
            initial["area"] = areas[0][0]
        form = FindingRaiseForm(initial=initial, areas=areas)
    return render(request, "findings/new.html", {"form": form})


# --- a finding's page and its moves ------------------------------------------------------------

def _source(finding):
    """(text, url) of the record the finding came from, or None."""
    if not finding.source_type_id:
        return None
    try:
        source = finding.source
    except Exception:  # a model since removed: the link is history, not an error page
        source = None
    if source is None:
        return None
    url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
    return str(source), url


def _detail(request, finding, *, fix_form=None, verify_form=None, status=200):
    user = request.user
    photos = list(finding.photos.all())
    may_fix = services.can_fix(user, finding) and finding.can_fix
    may_verify = services.can_verify(user, finding) and finding.can_verify
    may_manage = user.has_perm(services.VERIFY) and finding.can_reassign
    initial = {"version": finding.version}
    # A form sent back with errors that the page no longer offers (it changed meanwhile, or the fixer tried
    # to verify): its errors are said as messages.
    for form, shown in ((fix_form, may_fix), (verify_form, may_verify)):
        if form is not None and form.errors and not shown:
            flash_form_errors(request, form)
    ctx = {
        "finding": finding, "area_name": area_name(finding.area), "source": _source(finding),
        "found_photos": [p for p in photos if p.kind == FindingPhoto.Kind.FOUND],
        "fixed_photos": [p for p in photos if p.kind == FindingPhoto.Kind.FIXED],
        "timeline": history_timeline(finding),
        "fix_form": (fix_form or FindingFixForm(initial=initial, auto_id=FIX_ID)) if may_fix else None,
        "verify_form": (verify_form or FindingVerifyForm(initial=initial, auto_id=VERIFY_ID)) if may_verify else None,
        # The one who fixed it holds the permission but may not verify their own fix: say so.
        "own_fix": (finding.can_verify and user.has_perm(services.VERIFY) and finding.fixed_by_id == user.pk),
        "reassign_form": FindingReassignForm(initial=initial, auto_id="reassign_%s") if may_manage else None,
        "extend_form": FindingExtendForm(initial=initial, auto_id="extend_%s") if may_manage else None,
        "can_print": user.has_perm(VIEW) or finding.responsible_id == user.pk,
    }
    # What the installed modules link to it (a repair opened for a hazard) and the moves they offer here.
    ctx["links"], ctx["module_actions"] = finding_links(finding, user)
    ctx["has_actions"] = bool(ctx["fix_form"] or ctx["verify_form"] or ctx["reassign_form"] or ctx["module_actions"])
    return render(request, "findings/detail.html", ctx, status=status)


@login_required
def finding_detail(request, pk):
    return _detail(request, _get_finding_for_user(request, pk))


@login_required
@require_POST
def finding_fix(request, pk):
    """The fix form is shown again with what was typed when it cannot be saved."""
    finding = _get_finding_for_user(request, pk)
    if not services.can_fix(request.user, finding):
        raise PermissionDenied(_("Only the person responsible for it, or someone who records fixes, can do this."))
    form = FindingFixForm(request.POST, request.FILES, auto_id=FIX_ID)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_fix(finding_id=finding.pk, by=request.user, note=data["note"], photos=data["photos"],
                                 expected_version=data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Fix recorded. Someone else will now verify it."))
            return redirect("findings:detail", pk=finding.pk)
    if request.FILES:
        messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                    "shown again: please choose them again."))
    return _detail(request, _get_finding_for_user(request, pk), fix_form=form)


@login_required
@require_POST
def finding_verify(request, pk):
    finding = _get_finding_for_user(request, pk)
    if not request.user.has_perm(services.VERIFY):
        raise PermissionDenied(_("Your role cannot verify fixes."))
    form = FindingVerifyForm(request.POST, auto_id=VERIFY_ID)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_verify(finding_id=finding.pk, by=request.user, ok=data["ok"], comment=data["comment"],
                                    expected_version=data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Verified: the finding is closed.") if data["ok"]
                             else _("Not passed: it went back to the responsible person."))
            return redirect("findings:detail", pk=finding.pk)
    return _detail(request, _get_finding_for_user(request, pk), verify_form=form)


@login_required
@require_POST
def finding_reassign(request, pk):
    if not request.user.has_perm(services.VERIFY):
        raise PermissionDenied(_("Your role cannot reassign findings."))

    def call(finding, data):
        services.finding_reassign(finding_id=finding.pk, by=request.user, responsible=data["responsible"],
                                  reason=data["reason"], expected_version=data["version"])
    return run_move(request, _get_finding_for_user(request, pk), FindingReassignForm, call,
                    _("Reassigned."), "findings:detail")


@login_required
@require_POST
def finding_extend(request, pk):
    if not request.user.has_perm(services.VERIFY):
        raise PermissionDenied(_("Your role cannot change deadlines."))

    def call(finding, data):
        services.finding_extend(finding_id=finding.pk, by=request.user, deadline=data["deadline"],
                                reason=data["reason"], expected_version=data["version"])
    return run_move(request, _get_finding_for_user(request, pk), FindingExtendForm, call,
                    _("Deadline moved."), "findings:detail")


@login_required
def finding_photo(request, pk, photo_id):
    """Photos are served through the app, to the people who may read the finding only."""
    finding = _get_finding_for_user(request, pk)
    photo = get_object_or_404(FindingPhoto, pk=photo_id, finding=finding)
    return private_file_response(photo.image)


@login_required
def finding_notice(request, pk):
    """The rectification notice (隐患整改通知书) as an A4 PDF."""
    finding = _get_finding_for_user(request, pk)
    return pdf_response("print/rectification_notice.html", {
        "finding": finding, "area_name": area_name(finding.area), "printed_at": timezone.now(),
    }, request, f"{finding.number}.pdf")
