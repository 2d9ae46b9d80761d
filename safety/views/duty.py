"""Pages of the duty roster: the month's roster (every day, its shifts, the people on them, empty shifts marked),
laying out a period, a shift's page (the people on it, its handover log, its history) and the printed roster.
Anyone who works here reads the roster (it is posted at the gate too); the safety officer keeps it."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from logistics.history import history_timeline
from logistics.pdf import pdf_response
from logistics.services import display_name, require
from logistics.web import apply_errors, error_text, flash_form_errors

from ..forms.duty import AssignForm, HandoverForm, LayOutForm, parse_month
from ..models.duty import DutyShift
from ..selectors import duty as selectors
from ..services import duty as services


def _month(request):
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    first, last = selectors.month_bounds(year, month)
    return today, first, last


def _neighbours(first):
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return f"{previous:%Y-%m}", f"{following:%Y-%m}"


@login_required
def roster(request):
    """The month's roster: every day with its shifts; a shift with nobody on it is marked."""
    today, first, last = _month(request)
    show = request.GET.get("show", "all")
    if show not in ("all", "empty", "mine"):
        show = "all"
    shifts = selectors.roster(first, last)
    if show == "empty":
        shifts = [s for s in shifts if not s.people.all()]
    elif show == "mine":
        shifts = [s for s in shifts if request.user in s.people.all() or s.leader_id == request.user.pk]
    terms = selectors.terms_around(first, last)
    days = selectors.roster_days(first, last, shifts, terms)
    if show != "all":
        days = [d for d in days if d.shifts]
    previous, following = _neighbours(first)
    return render(request, "safety/duty/roster.html", {
        "days": days, "first": first, "month": f"{first:%Y-%m}", "previous": previous, "following": following,
        "today": today, "show": show, "empty_count": sum(1 for s in shifts if not s.people.all()),
        "shift_count": len(shifts), "can_arrange": request.user.has_perm(selectors.ARRANGE),
    })


@login_required
def roster_print(request):
    """The month's roster (值班安排表) as an A4 PDF, to post at the gate and in the duty room."""
    today, first, last = _month(request)
    shifts = selectors.roster(first, last)
    days = [d for d in selectors.roster_days(first, last, shifts, selectors.terms_around(first, last))]
    return pdf_response("print/safety_duty_roster.html", {
        "days": days, "first": first, "last": last, "printed_at": timezone.now(),
        "printed_by": display_name(request.user),
    }, request, f"duty-roster-{first:%Y-%m}.pdf")


@login_required
def lay_out(request):
    """Lay out the shifts of a period in one go (shifts already there are kept)."""
    require(request.user, selectors.ARRANGE)
    today = timezone.localdate()
    if request.method == "POST":
        form = LayOutForm(request.POST)
        if form.is_valid():
            try:
                created, kept = services.roster_lay_out(by=request.user, **form.service_arguments())
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if created:
                    messages.success(request, ngettext(
                        "%(n)s shift laid out (%(kept)s already there, kept).",
                        "%(n)s shifts laid out (%(kept)s already there, kept).", len(created))
                        % {"n": len(created), "kept": kept})
                else:
                    messages.info(request, _("Every shift of these days was already laid out; nothing was added."))
                return redirect(f"{reverse('safety:duty_roster')}?month={form.cleaned_data['first']:%Y-%m}")
    else:
        # By default the four weeks after the last shift laid out (from tomorrow when none is ahead).
        latest = DutyShift.objects.filter(day__gte=today).order_by("-day").values_list("day", flat=True).first()
        start = max(today + datetime.timedelta(days=1), (latest or today) + datetime.timedelta(days=1))
        form = LayOutForm(initial={"first": start, "last": start + datetime.timedelta(days=27)})
    return render(request, "safety/duty/lay_out.html", {"form": form}, status=400 if form.is_bound else 200)


def _get_shift(pk):
    return get_object_or_404(DutyShift.objects.select_related("leader").prefetch_related("people"), pk=pk)


def _shift_page(request, shift, *, assign_form=None, handover_form=None):
    """The shift's page; a form sent back with errors is shown again as typed (status 400)."""
    user = request.user
    people = list(shift.people.all())
    may_write = services.may_write_handover(user, shift, {p.pk for p in people})
    may_assign = user.has_perm(selectors.ASSIGN) and not shift.is_past
    start, end = selectors.shift_bounds(shift)
    if assign_form is None and may_assign:
        assign_form = AssignForm(initial={"people": people, "leader": shift.leader, "note": shift.note,
                                          "version": shift.version})
    if handover_form is None and may_write and timezone.now() >= start:
        handover_form = HandoverForm()
    bound = any(f is not None and f.is_bound for f in (assign_form, handover_form))
    return render(request, "safety/duty/shift_detail.html", {
        "shift": shift, "people": people, "start": start, "end": end, "handovers": selectors.handovers(shift),
        "assign_form": assign_form if may_assign else None, "handover_form": handover_form, "may_write": may_write,
        "started": timezone.now() >= start, "timeline": history_timeline(shift), "month": f"{shift.day:%Y-%m}",
    }, status=400 if bound else 200)


@login_required
def shift_detail(request, pk):
    """A shift: when, who is on duty, its handover log and history; the safety officer changes who is on it; the
    people on it write the handover."""
    return _shift_page(request, _get_shift(pk))


@require_POST
@login_required
def shift_assign(request, pk):
    require(request.user, selectors.ASSIGN)
    shift = _get_shift(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            flash_form_errors(request, form)
            return redirect("safety:shift_detail", pk=shift.pk)
        return _shift_page(request, shift, assign_form=form)
    d = form.cleaned_data
    try:
        services.shift_assign(shift_id=shift.pk, by=request.user, people=list(d["people"]), leader=d["leader"],
                              note=d["note"], expected_version=d["version"])
    except ValidationError as e:
        if getattr(e, "code", None) in ("stale", "past"):
            messages.error(request, error_text(e))
            return redirect("safety:shift_detail", pk=shift.pk)
        apply_errors(form, e)
        return _shift_page(request, _get_shift(pk), assign_form=form)
    messages.success(request, _("Saved: who is on duty."))
    return redirect("safety:shift_detail", pk=shift.pk)


@require_POST
@login_required
def handover_write(request, pk):
    shift = _get_shift(pk)
    if not services.may_write_handover(request.user, shift):
        raise PermissionDenied(_("Only the people on this shift (or the safety officer) write its handover."))
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return _shift_page(request, shift, handover_form=form)
    try:
        entry = services.handover_write(shift_id=shift.pk, by=request.user, text=form.cleaned_data["text"],
                                        all_normal=form.cleaned_data["all_normal"])
    except ValidationError as e:
        if getattr(e, "code", None) == "early":
            messages.error(request, error_text(e))
            return redirect("safety:shift_detail", pk=shift.pk)
        apply_errors(form, e)
        return _shift_page(request, shift, handover_form=form)
    if getattr(entry, "was_duplicate", False):
        messages.info(request, _("This handover was already saved; nothing was saved twice."))
    else:
        messages.success(request, _("Handover saved."))
    return redirect("safety:shift_detail", pk=shift.pk)
