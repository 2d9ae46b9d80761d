"""Pages of the kitchen's staff and the morning check: the list, a person's page, the day's checks (one tap for
the usual morning), the month's grid and its print. Views parse input, call a service, and redirect after a POST."""
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from logistics.history import history_entries, history_timeline
from logistics.pdf import pdf_response
from logistics.web import apply_errors, error_text, flash_form_errors, paginate, private_file_response, query_string

from ..forms.staff import AllNormalForm, CheckForm, DayForm, LeaveForm, StaffFilterForm, StaffForm
from ..models.staff import NORMAL, SYMPTOMS, CanteenStaff, MorningCheck
from ..selectors import staff as selectors
from ..services import staff as services

VIEW_STAFF = "canteen.view_canteenstaff"
VIEW_CHECKS = "canteen.view_morningcheck"


def _get_staff(pk):
    return get_object_or_404(CanteenStaff.objects.select_related("user"), pk=pk)


# --- staff ---------------------------------------------------------------------------------------

@login_required
@permission_required(VIEW_STAFF, raise_exception=True)
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.staff_list(q=data.get("q", ""), show=data.get("show") or "active"))
    today, days = timezone.localdate(), selectors.warning_days()
    for person in page.object_list:
        person.certificate_state = selectors.certificate_state(person, today, days)
        person.days_left = person.certificate_days_left(today)
    return render(request, "canteen/staff/staff_list.html", {
        "form": form, "page": page, "query_string": query_string(request), "show": data.get("show") or "active",
        "warning_days": days,
    })


@login_required
@permission_required(VIEW_STAFF, raise_exception=True)
def staff_detail(request, pk):
    staff = _get_staff(pk)
    today = timezone.localdate()
    days = selectors.warning_days()
    staff.certificate_state = selectors.certificate_state(staff, today, days)
    staff.days_left = staff.certificate_days_left(today)
    checks = selectors.recent_checks(staff, today)
    user = request.user
    return render(request, "canteen/staff/staff_detail.html", {
        "staff": staff, "checks": checks, "timeline": history_timeline(staff),
        "check_timeline": _check_timeline(selectors.check_changes(staff, today)),
        "can_change": user.has_perm("canteen.change_canteenstaff"),
        "leave_form": LeaveForm(initial={"version": staff.version}), "today": today,
    })


def _check_timeline(records):
    """The corrections of several checks as timeline entries (each counted from its own check's previous
    row), oldest first, each reason led by the check's day."""
    groups = {}
    for record in records:
        groups.setdefault(record.id, []).append(record)
    # The checks themselves are listed above: here, only what was changed after them.
    entries = [e for rows in groups.values() if len(rows) > 1 for e in history_entries(rows, MorningCheck)
               if e["kind"] != "+"]
    for e in entries:
        e["reason"] = f"{e['record'].date:%Y-%m-%d} · {e['reason']}"
    return sorted(entries, key=lambda e: e["when"])


@login_required
@permission_required(VIEW_STAFF, raise_exception=True)
def staff_photo(request, pk):
    """The certificate's photo, served through the app to those who may read the staff records only."""
    staff = _get_staff(pk)
    if not staff.certificate_photo:
        raise Http404
    return private_file_response(staff.certificate_photo)


def _staff_form_page(request, staff=None):
    editing = staff is not None
    if request.method == "POST":
        form = StaffForm(request.POST, request.FILES, editing=editing)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                if editing:
                    saved = services.staff_edit(staff_id=staff.pk, by=request.user, expected_version=version, **data)
                else:
                    saved = services.staff_add(by=request.user, **data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if getattr(saved, "was_duplicate", False):
                    messages.info(request, _("%(name)s is already on the list; nothing was added twice.")
                                  % {"name": saved.name})
                else:
                    messages.success(request, _("Saved."))
                return redirect("canteen:staff_detail", pk=saved.pk)
        if request.FILES:
            messages.warning(request, _("For your safety the browser forgets chosen photos when a form is "
                                        "shown again: please choose them again."))
    elif editing:
        form = StaffForm(editing=True, initial={
            "name": staff.name, "post": staff.post, "phone": staff.phone, "user": staff.user_id,
            "certificate_number": staff.certificate_number, "certificate_issuer": staff.certificate_issuer,
            "certificate_expires": staff.certificate_expires, "last_checkup": staff.last_checkup,
            "version": staff.version})
    else:
        form = StaffForm(initial={"post": CanteenStaff.Post.HELPER})
    return render(request, "canteen/staff/staff_form.html", {"form": form, "staff": staff})


@login_required
@permission_required("canteen.add_canteenstaff", raise_exception=True)
def staff_add(request):
    return _staff_form_page(request)


@login_required
@permission_required("canteen.change_canteenstaff", raise_exception=True)
def staff_edit(request, pk):
    return _staff_form_page(request, _get_staff(pk))


def _move(request, pk, form_class, call, success):
    if not request.user.has_perm("canteen.change_canteenstaff"):
        raise PermissionDenied(_("Your role cannot change the kitchen's staff."))
    staff = _get_staff(pk)
    form = form_class(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            call(staff, form.cleaned_data)
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, success % {"name": staff.name})
    return redirect("canteen:staff_detail", pk=staff.pk)


@login_required
@require_POST
def staff_leave(request, pk):
    def call(staff, data):
        services.staff_deactivate(staff_id=staff.pk, by=request.user, reason=data["reason"],
                                  expected_version=data["version"])
    return _move(request, pk, LeaveForm, call, _("%(name)s has left the kitchen: off the morning check from now on."))


@login_required
@require_POST
def staff_return(request, pk):
    def call(staff, data):
        services.staff_reactivate(staff_id=staff.pk, by=request.user, expected_version=data["version"])
    return _move(request, pk, LeaveForm, call, _("%(name)s works in the kitchen again."))


# --- the day's checks ---------------------------------------------------------------------------------

def _day(request, value):
    """The day asked for (?date=, a form's date), today when none; a day to come is refused with a message."""
    today = timezone.localdate()
    form = DayForm({"date": value})
    day = form.cleaned_data.get("date") if form.is_valid() else None
    if value and day is None:
        messages.error(request, _("That is not a date; showing today."))
    if day and day > today:
        messages.error(request, _("Morning checks are recorded on the day; showing today."))
        day = None
    return day or today


def _checks_url(day, pk=None):
    url = reverse("canteen:checks_today")
    if day != timezone.localdate():
        url += "?" + urlencode({"date": day.isoformat()})
    return url + (f"#staff-{pk}" if pk else "")


def _render_day(request, day, failed=None, status=200):
    status_ = selectors.checks_status(day)
    for row in status_.rows:
        # Each person's form has its own ids: the page holds one per person.
        auto_id = f"s{row.staff.pk}_%s"
        if failed is not None and failed.data.get("staff") == str(row.staff.pk):
            failed.auto_id = auto_id
            row.form = failed
        elif row.check is not None:
            row.form = CheckForm(auto_id=auto_id, initial={
                "staff": row.staff.pk, "date": day, "symptoms": [c for c in row.check.symptoms if c != NORMAL],
                "temperature_c": row.check.temperature_c, "note": row.check.note, "version": row.check.version})
        else:
            row.form = CheckForm(auto_id=auto_id, initial={"staff": row.staff.pk, "date": day})
    today = timezone.localdate()
    return render(request, "canteen/staff/checks_today.html", {
        "day": day, "status": status_, "today": today, "is_today": day == today,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1) if day < today else None,
        "symptom_chips": [(code, label) for code, label in SYMPTOMS if code != NORMAL],
        "to_check_pks": [r.staff.pk for r in status_.to_check],
        "blocked": [r for r in status_.to_check if r.certificate_reason],
        "can_record": request.user.has_perm("canteen.add_morningcheck"),
        "can_correct": request.user.has_perm("canteen.change_morningcheck"),
    }, status=status)


@login_required
@permission_required(VIEW_CHECKS, raise_exception=True)
def checks_today(request):
    return _render_day(request, _day(request, request.GET.get("date", "")))


@login_required
@require_POST
def check_record(request):
    """One person's check from the day's page (normal, symptoms, off duty, or a correction)."""
    if not request.user.has_perm("canteen.add_morningcheck"):
        raise PermissionDenied(_("Your role cannot record morning checks."))
    form = CheckForm(request.POST)
    if not form.is_valid():
        day = _day(request, request.POST.get("date", ""))
        messages.error(request, _("The check was not recorded: see the person's row."))
        return _render_day(request, day, failed=form, status=400)
    data = form.cleaned_data
    staff = get_object_or_404(CanteenStaff, pk=data["staff"])
    try:
        check = services.record_check(
            staff=staff, date=data["date"], by=request.user, symptoms=data["symptoms"],
            temperature_c=data["temperature_c"], fit_requested=form.fit_requested, note=data["note"],
            correction_reason=data["correction_reason"], expected_version=data["version"])
    except ValidationError as e:
        apply_errors(form, e)
        messages.error(request, _("%(name)s: not recorded. %(why)s") % {"name": staff.name, "why": error_text(e)})
        return _render_day(request, data["date"], failed=form, status=400)
    if getattr(check, "was_duplicate", False):
        messages.info(request, _("%(name)s was already recorded; nothing changed.") % {"name": staff.name})
    elif check.fit:
        messages.success(request, _("%(name)s: %(codes)s, fit for kitchen duty.")
                         % {"name": staff.name, "codes": check.codes})
    else:
        messages.warning(request, _("%(name)s: off kitchen duty today (%(why)s).")
                         % {"name": staff.name, "why": check.off_duty_text})
    return redirect(_checks_url(data["date"], staff.pk))


@login_required
@require_POST
def checks_all_normal(request):
    """Everyone the page listed as not yet checked: 0 (normal), except those without a valid certificate."""
    if not request.user.has_perm("canteen.add_morningcheck"):
        raise PermissionDenied(_("Your role cannot record morning checks."))
    form = AllNormalForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(_checks_url(_day(request, request.POST.get("date", ""))))
    day = form.cleaned_data["date"]
    try:
        result = services.record_all_normal(date=day, by=request.user, staff_pks=form.cleaned_data["staff"])
    except ValidationError as e:
        messages.error(request, error_text(e))
        return redirect(_checks_url(timezone.localdate()))
    if result.recorded:
        n = len(result.recorded)
        messages.success(request, ngettext("%(n)s person recorded 0 (normal), fit for kitchen duty.",
                                           "%(n)s people recorded 0 (normal), fit for kitchen duty.", n) % {"n": n})
    for staff, why in result.refused:
        messages.error(request, _("%(name)s was not recorded as fit: %(why)s. Not in the kitchen today.")
                       % {"name": staff.name, "why": why})
    if not result.recorded and not result.refused:
        messages.info(request, _("Everyone listed was already checked."))
    return redirect(_checks_url(day))


# --- the month's grid ----------------------------------------------------------------------------------

def _grid(year, month):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    grid = selectors.month_grid(year, month)
    letters = [pgettext("weekday, one character", "Mo"), pgettext("weekday, one character", "Tu"),
               pgettext("weekday, one character", "We"), pgettext("weekday, one character", "Th"),
               pgettext("weekday, one character", "Fr"), pgettext("weekday, one character", "Sa"),
               pgettext("weekday, one character", "Su")]
    for cell in grid.days:
        cell.letter = letters[cell.date.weekday()] if cell.date else ""
    return grid


@login_required
@permission_required(VIEW_CHECKS, raise_exception=True)
def check_grid(request, year, month):
    grid = _grid(year, month)
    today = timezone.localdate()
    return render(request, "canteen/staff/check_grid.html", {
        "grid": grid, "today": today, "symptoms": SYMPTOMS,
        "has_next": grid.next <= (today.year, today.month),
    })


@login_required
@permission_required(VIEW_CHECKS, raise_exception=True)
def check_grid_print(request, year, month):
    """The month's grid on A4 landscape, as the inspectors ask for it (staff × days 1–31, the codes' legend)."""
    grid = _grid(year, month)
    return pdf_response("print/canteen_check_grid.html", {
        "grid": grid, "symptoms": SYMPTOMS, "printed_at": timezone.now(),
    }, request, f"morning-checks-{year}-{month:02d}.pdf")
