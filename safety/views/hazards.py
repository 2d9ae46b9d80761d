"""Pages of hazards (隐患): reporting one (anyone, like a repair), the hazard ledger (隐患台账) for the readers of
safety, and opening a repair for a hazard. A hazard's own page, its fix and re-check are the kernel's
(/findings/<id>/); safety adds its move there through finding_links (SafetyConfig.finding_links)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.forms import new_submit_token
from logistics.models import Finding
from logistics.modules import Link
from logistics.web import apply_errors, paginate, query_string

from ..forms.hazards import HazardFilterForm, HazardRepairForm, HazardReportForm
from ..selectors import hazards as selectors
from ..services import hazards as services
from ..services.common import AREA, hazard_receiver

# Who reads the hazard ledger: the readers of safety (the safety officer, the head, the principal, the auditor).
READ = "safety.view_inspection"
PHOTOS_FORGOTTEN = gettext_lazy("For your safety the browser forgets chosen photos when a form is shown again: "
                                "please choose them again.")


def _get_hazard_for_user(request, pk):
    """The hazard if this user may read it; 404 otherwise (and for a finding of another area)."""
    qs = Finding.objects.in_area(AREA).visible_to(request.user).select_related("location__building", "responsible")
    return get_object_or_404(qs, pk=pk)


@login_required
def hazard_report(request):
    if not request.user.has_perm(services.REPORT):
        raise PermissionDenied(_("Your role cannot report hazards."))
    receiver = hazard_receiver()
    if request.method == "POST":
        form = HazardReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hazard = services.report_hazard(
                    by=request.user, title=data["title"], description=data["description"],
                    location=data["location"], severity=data["severity"], photos=data["photos"],
                    submit_token=data["submit_token"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(hazard, "was_duplicate", False):
                    messages.info(request, _("This hazard was already reported (%(number)s); it was not saved "
                                             "twice.") % {"number": hazard.number})
                else:
                    messages.success(request, _("Thank you. Hazard %(number)s was sent to the safety officer, to be "
                                                "fixed by %(date)s.")
                                     % {"number": hazard.number, "date": f"{hazard.deadline:%Y-%m-%d}"})
                return redirect("findings:detail", pk=hazard.pk)
        if request.FILES:
            messages.warning(request, PHOTOS_FORGOTTEN)
    else:
        initial = {"submit_token": new_submit_token()}
        if (loc := request.GET.get("location", "")).isdigit():
            initial["location"] = loc
        form = HazardReportForm(initial=initial)
    return render(request, "safety/hazards/report.html", {"form": form, "receiver": receiver})


@login_required
def hazard_list(request):
    """The hazard ledger (隐患台账): found, what, where, who, by when, fixed when, re-check, status."""
    if not request.user.has_perm(READ):
        raise PermissionDenied(_("Your role cannot read the hazard ledger."))
    form = HazardFilterForm(request.GET or None)
    qs = selectors.hazard_list(request.user)
    if form.is_valid():
        qs = selectors.filter_hazards(qs, form.cleaned_data)
    page = paginate(request, qs)
    filtered = form.is_bound and any(v for k, v in request.GET.items() if k != "page")
    return render(request, "safety/hazards/list.html", {
        "form": form, "page": page, "query_string": query_string(request), "filtered": filtered,
        "can_report": request.user.has_perm(services.REPORT),
    })


@login_required
def hazard_open_repair(request, pk):
    """A small confirm page: the kind of repair and its urgency (and the place, when the hazard has none)."""
    hazard = _get_hazard_for_user(request, pk)
    if not services.may_open_repair(request.user, hazard):
        raise PermissionDenied(_("Only the safety officer or the person responsible for this hazard can open a "
                                 "repair for it."))
    needs_location = hazard.location_id is None
    standing = services.standing_repair(hazard)
    if request.method == "POST":
        form = HazardRepairForm(request.POST, needs_location=needs_location)
        if form.is_valid():
            data = form.cleaned_data
            try:
                repair = services.open_repair_for_hazard(
                    finding_id=hazard.pk, by=request.user, category=data["category"], urgency=data["urgency"],
                    location=data.get("location"), description=data["description"],
                    expected_version=data["version"], submit_token=data["submit_token"])
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(repair, "was_duplicate", False):
                    messages.info(request, _("Repair %(number)s was already opened; it was not opened twice.")
                                  % {"number": repair.number})
                else:
                    messages.success(request, _("Repair %(number)s is in the repair queue, linked to this hazard.")
                                     % {"number": repair.number})
                return redirect("findings:detail", pk=hazard.pk)
    else:
        form = HazardRepairForm(initial={"version": hazard.version, "submit_token": new_submit_token()},
                                needs_location=needs_location)
    return render(request, "safety/hazards/open_repair.html", {
        "hazard": hazard, "form": form, "standing": standing,
        "can_open": hazard.can_fix and standing is None,
    })


def finding_links(finding, user):
    """What safety adds to a finding's page (SafetyConfig.finding_links): for a hazard still to be fixed with no
    repair standing, "Open a repair", offered to the safety officer and to the person responsible."""
    if finding.area != AREA or not finding.can_fix or not services.may_open_repair(user, finding):
        return []
    if services.standing_repair(finding) is not None:
        return []
    return [Link(label=_("Open a repair"), url=reverse("safety:hazard_open_repair", args=[finding.pk]),
                 detail=_("when fixing it needs logistics' workers"), action=True)]
