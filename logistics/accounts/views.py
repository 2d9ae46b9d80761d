"""The head's login records page, unlocking, and "log out my other sessions"."""
import ipaddress
import json
import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from ..forms import DateInput
from ..roles import LOGISTICS_HEAD, has_role
from . import records
from .sessions import sessions_end_others

PER_PAGE = 50


def _breakable(text, run=20):
    """text (an address, a user name someone typed) as HTML that may wrap after each colon or every `run`
    characters: an IPv6 address (phones on mobile data) or a long typed name stays inside a phone's card."""
    pieces = []
    for part in re.split(r"(?<=:)", text or ""):
        pieces += [part[i:i + run] for i in range(0, len(part), run)]
    return mark_safe("<wbr>".join(escape(piece) for piece in pieces))


def can_read_login_records(user):
    return user.is_active and (user.is_superuser or has_role(user, LOGISTICS_HEAD))


def _require_head(user):
    if not can_read_login_records(user):
        raise PermissionDenied(_("Only the head of logistics reads the login records."))


class LoginRecordFilter(forms.Form):
    user = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), required=False, choices=[
        ("", gettext_lazy("All")),
        (records.SUCCESS, pgettext_lazy("login", "Logged in")),
        (records.FAILURE, pgettext_lazy("login", "Failed")),
        (records.LOCKED, pgettext_lazy("login", "Failed, locked out")),
    ])
    day_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    day_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput)


@login_required
def login_records(request):
    """Who logged in or failed to, when and from where, newest first; the locks in force, each with an unlock
    button; the latest unlocks. For the head of logistics (and a superuser) only."""
    _require_head(request.user)
    form = LoginRecordFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = records.login_records(username=filters.get("user", "").strip(), outcome=filters.get("outcome", ""),
                                 day_from=filters.get("day_from"), day_to=filters.get("day_to"))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    names = records.display_names(r["username"] for r in page.object_list)
    for row in page.object_list:
        row["name"] = names.get(row["username"], "")
        row["admin"] = (row["path_info"] or "").startswith("/admin/")
        row["who"], row["address"] = _breakable(row["username"]), _breakable(row["ip_address"])
    locked_users, locked_addresses = records.locks_in_force()
    for lock in locked_users + locked_addresses:
        lock["shown"] = _breakable(lock["value"])
    unlocks = records.recent_unlocks()
    for entry in unlocks:
        try:
            entry.unlock_kind = json.loads(entry.change_message).get("unlock", "")
        except (ValueError, AttributeError):
            entry.unlock_kind = ""
        entry.shown = _breakable(entry.object_repr)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "logistics/login_records.html", {
        "form": form,
        "page": page,
        "query_string": urlencode(query),
        "locked_users": locked_users,
        "locked_addresses": locked_addresses,
        "unlocks": unlocks,
        "limits": records.failure_limits(),
    })


@require_POST
@login_required
def login_unlock(request):
    """Unlocks a user name or an address from the records page."""
    _require_head(request.user)
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
    valid = bool(value) and kind in (records.UNLOCK_USER, records.UNLOCK_ADDRESS)
    if valid and kind == records.UNLOCK_ADDRESS:
        try:
            value = str(ipaddress.ip_address(value))
        except ValueError:
            valid = False
    if not valid:
        messages.error(request, _("Nothing to unlock."))
    else:
        records.login_unlock(by=request.user, kind=kind, value=value)
        messages.success(request, _("%(value)s may log in again.") % {"value": value})
    return redirect("login_records")


@require_POST
@login_required
def end_other_sessions(request):
    """Logs the user out everywhere else (other browsers, phones), keeping this session."""
    ended = sessions_end_others(user=request.user, keep=request.session.session_key)
    messages.success(request, ngettext("%(count)d other session was ended.",
                                       "%(count)d other sessions were ended.", ended) % {"count": ended})
    return redirect("password_change")
