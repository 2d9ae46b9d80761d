"""Pages of the responsibility pledges (安全责任书): the year's list with who has signed, put together in one go,
each pledge marked signed with its scan. The safety officer keeps them; the principal, the head and the
auditor read them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from logistics.files import document_response
from logistics.forms import VersionForm
from logistics.history import history_timeline
from logistics.models import Department
from logistics.services import join_list
from logistics.web import apply_errors, paginate, query_string, run_move

from ..forms.pledges import PledgeFilterForm, PledgeSignForm, PledgeYearForm
from ..models import Pledge
from ..selectors import pledges as selectors
from ..services import pledges as services

PAGE_SIZE = 50


def _pledge(pk):
    return get_object_or_404(Pledge.objects.select_related("signer"), pk=pk)


def _year(request):
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return services.school_year(timezone.localdate())


@login_required
@permission_required("safety.view_pledge", raise_exception=True)
def pledge_list(request):
    year = _year(request)
    form = PledgeFilterForm(request.GET or None)
    page = paginate(request, selectors.pledge_list(year, form.cleaned_data if form.is_valid() else None),
                    size=PAGE_SIZE)
    years = selectors.pledge_years()
    current = services.school_year(timezone.localdate())
    if current not in years:
        years = sorted({*years, current}, reverse=True)
    return render(request, "safety/pledges/pledge_list.html", {
        "year": year, "next_year": year + 1, "years": [(y, y + 1) for y in years], "form": form, "page": page,
        "counts": selectors.pledge_counts(year), "query_string": query_string(request),
    })


@login_required
@permission_required("safety.add_pledge", raise_exception=True)
def pledge_year_create(request):
    year = services.school_year(timezone.localdate())
    # Every department is ticked: the year's list is usually all of them.
    form = PledgeYearForm(request.POST or None, initial={
        "year": year, "departments": list(Department.objects.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, kept = services.pledge_year_create(by=request.user, year=data["year"],
                                                        departments=list(data["departments"]),
                                                        classes=data["classes"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            text = ngettext("%(n)s pledge put on the list.", "%(n)s pledges put on the list.", len(created)) % {
                "n": len(created)}
            if kept:
                text += " " + _("Already on it, left as they were: %(names)s.") % {"names": join_list(kept)}
            messages.success(request, text)
            return redirect(f"{reverse('safety:pledge_list')}?year={data['year']}")
    return render(request, "safety/pledges/year_form.html", {"form": form})


def _detail(request, pledge, form=None):
    if form is None and request.user.has_perm("safety.change_pledge") and not pledge.is_signed:
        form = PledgeSignForm(initial={"version": pledge.version, "signed_on": timezone.localdate()})
    return render(request, "safety/pledges/pledge_detail.html", {
        "pledge": pledge, "form": form, "timeline": history_timeline(pledge),
        "version_form": VersionForm(initial={"version": pledge.version}),
    })


@login_required
@permission_required("safety.view_pledge", raise_exception=True)
def pledge_detail(request, pk):
    return _detail(request, _pledge(pk))


@login_required
@require_POST
@permission_required("safety.change_pledge", raise_exception=True)
def pledge_sign(request, pk):
    pledge = _pledge(pk)
    form = PledgeSignForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.pledge_sign(pledge_id=pledge.pk, by=request.user, signed_on=form.cleaned_data["signed_on"],
                                 scan=form.cleaned_data["scan"], expected_version=form.cleaned_data["version"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("%(name)s: signed; the scan is kept.") % {"name": pledge.name})
            return redirect(f"{reverse('safety:pledge_list')}?year={pledge.year}")
    if request.FILES:
        messages.warning(request, _("For your safety the browser forgets a chosen file when a form is shown "
                                    "again: please choose it again."))
    pledge.refresh_from_db()
    return _detail(request, pledge, form)


@login_required
@require_POST
@permission_required("safety.change_pledge", raise_exception=True)
def pledge_remove(request, pk):
    pledge = _pledge(pk)

    def call(obj, data):
        services.pledge_remove(pledge_id=obj.pk, by=request.user, expected_version=data["version"])
    back = f"{reverse('safety:pledge_list')}?year={pledge.year}"
    response = run_move(request, pledge, VersionForm, call, _("Taken off the list."), back)
    if Pledge.objects.filter(pk=pledge.pk).exists():
        return redirect(pledge)
    return response


@login_required
@permission_required("safety.view_pledge", raise_exception=True)
def pledge_scan(request, pk):
    pledge = _pledge(pk)
    if not pledge.scan:
        raise Http404
    return document_response(pledge.scan, f"pledge-{pledge.year}-{pledge.pk}")
