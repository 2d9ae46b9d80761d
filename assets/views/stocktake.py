"""Pages of stocktakes (清查). Views parse input, call a service, and redirect after a POST."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.history import history_timeline
from logistics.models import Location, Term
from logistics.pdf import pdf_response
from logistics.web import error_text, flash_form_errors, paginate, query_string

from .. import selectors, services
from ..forms.stocktake import CloseForm, RoomSheetForm, SignForm, StocktakeFilterForm, StocktakeOpenForm
from ..models import Stocktake, StocktakeRoom

ROOM_PAGE_SIZE = 30


def _get_stocktake_for_user(request, pk):
    if not request.user.has_perm("assets.view_stocktake"):
        raise PermissionDenied(_("Your role cannot see stocktakes."))
    return get_object_or_404(Stocktake.objects.select_related("term", "opened_by", "closed_by"), pk=pk)


def _get_room_for_user(request, pk):
    if not request.user.has_perm("assets.view_stocktakeroom"):
        raise PermissionDenied(_("Your role cannot see stocktake sheets."))
    return get_object_or_404(selectors.room_for_sheet(), pk=pk)


def _can_record(user):
    return user.has_perm("assets.change_stocktakeroom") and user.has_perm("assets.change_stocktakeline")


# --- list, open ------------------------------------------------------------------------------

@login_required
@permission_required("assets.view_stocktake", raise_exception=True)
def stocktake_list(request):
    form = StocktakeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.stocktake_list(status=filters.get("status", ""), term=filters.get("term"),
                                  kind=filters.get("kind", ""))
    return render(request, "assets/stocktake/list.html", {
        "form": form, "page": paginate(request, qs), "query_string": query_string(request),
        "can_open": request.user.has_perm("assets.open_stocktake"),
    })


@login_required
def stocktake_open(request):
    if not request.user.has_perm("assets.open_stocktake"):
        raise PermissionDenied(_("Only the head of logistics opens stocktakes."))
    rooms = services.rooms_with_assets().select_related("building")
    if request.method == "POST":
        form = StocktakeOpenForm(request.POST, rooms=rooms)
        if form.is_valid():
            data = form.cleaned_data
            locations = list(data["locations"]) if data["scope"] == StocktakeOpenForm.ROOMS else None
            try:
                stocktake = services.stocktake_open(by=request.user, name=data["name"], kind=data["kind"],
                                                    term=data["term"], locations=locations)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Stocktake opened: %(n)s room sheets are ready to check.")
                                 % {"n": stocktake.rooms.count()})
                return redirect("assets:stocktake_detail", pk=stocktake.pk)
    else:
        term = Term.objects.current()
        form = StocktakeOpenForm(rooms=rooms, initial={"term": term, "kind": Stocktake.Kind.TERM_END})
    return render(request, "assets/stocktake/open.html", {"form": form})


# --- the school-wide summary -----------------------------------------------------------------

@login_required
def stocktake_detail(request, pk):
    stocktake = _get_stocktake_for_user(request, pk)
    status = request.GET.get("rooms", "")
    if status not in StocktakeRoom.Status.values:
        status = ""
    rooms = selectors.stocktake_rooms(stocktake, status=status)
    progress = selectors.room_progress(stocktake)
    can_close = request.user.has_perm("assets.open_stocktake") and stocktake.is_open
    return render(request, "assets/stocktake/detail.html", {
        "stocktake": stocktake,
        "figures": selectors.stocktake_figures(stocktake),
        "progress": progress,
        "page": paginate(request, rooms, ROOM_PAGE_SIZE),
        "room_status": status, "query_string": f"rooms={status}" if status else "",
        "room_statuses": StocktakeRoom.Status.choices,
        "found": list(selectors.found_lines(stocktake)[:200]),
        "can_close": can_close,
        "ready_to_close": progress["signed"] == progress["total"],
        "close_form": CloseForm(initial={"version": stocktake.version}) if can_close else None,
        "timeline": history_timeline(stocktake),
    })


@login_required
@require_POST
def stocktake_close(request, pk):
    stocktake = _get_stocktake_for_user(request, pk)
    if not request.user.has_perm("assets.open_stocktake"):
        raise PermissionDenied(_("Only the head of logistics closes stocktakes."))
    form = CloseForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assets:stocktake_detail", pk=stocktake.pk)
    try:
        closed = services.stocktake_close(stocktake_id=stocktake.pk, by=request.user,
                                          expected_version=form.cleaned_data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        s = closed.follow_up_summary
        messages.success(request, _(
            "Stocktake closed. %(lost)s lost, %(reduced)s batches reduced, %(repairs)s repair requests, "
            "%(damage_records)s damage records, %(moved)s moved, %(found)s found items to register.") % s)
    return redirect("assets:stocktake_detail", pk=stocktake.pk)


# --- one room's sheet ------------------------------------------------------------------------

def _sheet_form(room, data=None):
    lines, found = selectors.room_lines(room)
    places = list(Location.objects.filter(active=True).select_related("building"))
    return RoomSheetForm(data, room=room, lines=lines, found=found, places=places), lines, found


@login_required
def stocktake_room(request, pk):
    room = _get_room_for_user(request, pk)
    user = request.user
    can_record = _can_record(user) and room.can_record
    if request.method == "POST":
        if not _can_record(user):
            raise PermissionDenied(_("Only logistics staff record stocktake sheets."))
        form, lines, found = _sheet_form(room, request.POST)
        if not room.can_record:
            messages.error(request, _("This sheet can no longer change."))
            return redirect("assets:stocktake_room", pk=room.pk)
        if form.is_valid():
            try:
                saved = services.stocktake_room_save(
                    room_id=room.pk, by=user, lines=form.cleaned_lines, found=form.cleaned_found,
                    expected_version=form.version)
            except ValidationError as e:
                if getattr(e, "code", None) == "stale":
                    messages.error(request, error_text(e))
                    return redirect("assets:stocktake_room", pk=room.pk)
                form.errors.extend(e.messages)
            else:
                if saved.was_duplicate:
                    messages.info(request, _("This sheet was already saved; nothing was saved twice."))
                else:
                    messages.success(request, _("Sheet saved: %(room)s is checked.") % {"room": room.location.name})
                return redirect("assets:stocktake_room", pk=room.pk)
        else:
            form.errors.extend(form.line_errors())
    else:
        form, lines, found = _sheet_form(room) if can_record else (None, *selectors.room_lines(room))
    sign_form = None
    if user.has_perm("assets.change_stocktakeroom") and room.can_sign:
        sign_form = SignForm(initial={"version": room.version, "keeper_name": room.keeper_name})
    return render(request, "assets/stocktake/room.html", {
        "room": room, "stocktake": room.stocktake, "form": form, "lines": lines, "found": found,
        "can_record": can_record, "sign_form": sign_form, "timeline": history_timeline(room),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def stocktake_room_sign(request, pk):
    room = _get_room_for_user(request, pk)
    if not request.user.has_perm("assets.change_stocktakeroom"):
        raise PermissionDenied(_("Only logistics staff record signatures."))
    form = SignForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assets:stocktake_room", pk=room.pk)
    try:
        signed = services.stocktake_room_sign(room_id=room.pk, by=request.user,
                                              keeper_name=form.cleaned_data["keeper_name"],
                                              expected_version=form.cleaned_data["version"])
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        if signed.was_duplicate:
            messages.info(request, _("The signatures were already recorded."))
        else:
            messages.success(request, _("Signatures recorded for %(room)s.") % {"room": room.location.name})
    return redirect("assets:stocktake_room", pk=room.pk)


@login_required
def stocktake_room_print(request, pk):
    """The room's result sheet (资产盘点表) as an A4 PDF with signature lines."""
    room = _get_room_for_user(request, pk)
    rows = selectors.room_print_rows(room)
    return pdf_response("print/stocktake_room.html", {
        "room": room, "stocktake": room.stocktake, **rows, "printed_at": timezone.now(),
        "print_term": room.stocktake.term,
    }, request, f"stocktake-{room.stocktake_id}-room-{room.pk}.pdf")
