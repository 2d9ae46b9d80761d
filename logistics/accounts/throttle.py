"""Failed logins are counted by django-axes (settings: AXES_*, LOGIN_*): by user name and by address, each with its
own limit, and a locked-out person sees the login page again with how long to wait, in their language."""
import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext


def client_ip(request):
    """The address a request comes from: REMOTE_ADDR, or with PROXY_COUNT proxies in front, the address the
    outermost of them saw (each appends the address it saw to X-Forwarded-For; what a client wrote there itself
    is further left and never read). Anything that is not an address is ignored."""
    address = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            address = hops[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def limit_for(parameter):
    """How many failures within the cool-off lock a user name (AXES_FAILURE_LIMIT) or an address
    (LOGIN_ADDRESS_FAILURE_LIMIT: a school's staff often share one address, so it is higher)."""
    if parameter == "ip_address":
        return settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LoginHandler(AxesDatabaseHandler):
    """axes' database handler with a limit for each lockout parameter. axes compares one number, the largest
    count of failures, with AXES_FAILURE_LIMIT; here each parameter's count is scaled to that limit first, so an
    address locks at its own limit and a user name at AXES_FAILURE_LIMIT."""

    def counts(self, request, credentials=None):
        """[(parameter, failures within the cool-off, its limit, the last failure's time)]."""
        parameters = get_lockout_parameters(request, credentials)
        result = []
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            row = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            result.append((parameter, row["n"] or 0, limit_for(parameter), row["last"]))
        return result

    def get_failures(self, request, credentials=None):
        target = settings.AXES_FAILURE_LIMIT
        return max((n * target // limit for _, n, limit, _ in self.counts(request, credentials)), default=0)

    def lock_ends(self, request, credentials=None):
        """When the locks on this request's user name and address end (the latest of them), or None."""
        cool_off = get_cool_off(request)
        ends = [last + cool_off for _, n, limit, last in self.counts(request, credentials) if n >= limit and last]
        return max(ends, default=None)


def wait_minutes(request, credentials=None):
    """Whole minutes (at least one) until a locked-out request may try again."""
    handler = AxesProxyHandler.get_implementation()
    ends = handler.lock_ends(request, credentials) if isinstance(handler, LoginHandler) else None
    wait = (ends - timezone.now()) if ends else get_cool_off(request)
    return max(1, math.ceil(wait.total_seconds() / 60))


def lockout_message(minutes):
    return ngettext(
        "Too many failed logins. For safety, logging in is paused: try again in %(minutes)d minute.",
        "Too many failed logins. For safety, logging in is paused: try again in %(minutes)d minutes.",
        minutes) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again (the app's or the admin's address; the form posts back to
    it), saying how long to wait, with status 429."""
    minutes = wait_minutes(request, credentials)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "registration/login.html", {
        "form": AuthenticationForm(request),
        "next": next_url,
        "lockout_message": lockout_message(minutes),
        "lockout_minutes": minutes,
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
