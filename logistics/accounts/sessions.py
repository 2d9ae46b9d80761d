"""Sessions end after the idle time the school sets (SchoolProfile.session_idle_minutes), and a person can end
their other sessions (another browser, a lost phone)."""
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

from ..models import SESSION_IDLE_MAX, SESSION_IDLE_MIN, SchoolProfile

# When the session's idle clock started: written into the session at login (a write that happens anyway).
LAST_ACTIVITY = "logistics_last_activity"
# Later activity is kept in a signed cookie tied to the session, refreshed at most once a minute: no database
# write on any request (a session save every minute would be a query on pages that otherwise make none).
ACTIVITY_COOKIE = "logistics_activity"
TOUCH_EVERY = 60
_SALT = "logistics.accounts.activity"


@receiver(user_logged_in, dispatch_uid="logistics.accounts.note_login_time")
def note_login_time(sender, request=None, user=None, **kwargs):
    """A new session starts active: the idle clock starts at login."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY] = int(time.time())


def _activity_stamp(session_key, when):
    return signing.Signer(salt=_SALT).sign(f"{session_key}:{int(when)}")


def _activity_time(request):
    """The last activity the cookie vouches for, if it was signed here for this very session; else 0. A client
    can only drop it or send an older one (and so be logged out sooner), never move it forward."""
    try:
        key, _, when = signing.Signer(salt=_SALT).unsign(request.COOKIES.get(ACTIVITY_COOKIE, "")).rpartition(":")
        return int(when) if key and key == request.session.session_key else 0
    except (signing.BadSignature, ValueError):
        return 0


class IdleTimeoutMiddleware:
    """Logs out a person whose session has not been used for the school's idle time and sends them to the
    login page with a message.

    No query of its own: the idle clock's start is in the session (read anyway to know the user) and the last
    activity in a signed cookie; the school's setting is read (from the cache) only when a session has been idle
    at least the shortest time the school may set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.session.get(LAST_ACTIVITY)
        if started is None:
            return self.get_response(request)
        now = time.time()
        idle = now - max(started, _activity_time(request))
        if idle >= SESSION_IDLE_MIN * 60 and request.user.is_authenticated:
            limit = SchoolProfile.session_idle()
            if idle > limit:
                return self.expired(request, limit // 60)
        response = self.get_response(request)
        key = request.session.session_key
        if idle >= TOUCH_EVERY and key and request.session.get(LAST_ACTIVITY) is not None:
            response.set_cookie(ACTIVITY_COOKIE, _activity_stamp(key, now), max_age=SESSION_IDLE_MAX * 60,
                                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response

    def expired(self, request, minutes):
        logout(request)
        messages.info(request, ngettext(
            "You were logged out after %(minutes)d minute without activity. Please log in again.",
            "You were logged out after %(minutes)d minutes without activity. Please log in again.",
            minutes) % {"minutes": minutes})
        response = redirect_to_login(request.get_full_path() if request.method == "GET" else "")
        response.delete_cookie(ACTIVITY_COOKIE)
        return response


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_end_others(*, user, keep):
    """Ends every session of user but the one whose key is keep (None: all of them), wherever they are kept.
    Returns how many ended. Reads the sessions not yet expired, once."""
    store = _session_store()
    model = store.get_model_class()
    pk = str(user.pk)
    keys = []
    rows = (model.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep)
            .values_list("session_key", "session_data"))
    for key, data in rows.iterator(chunk_size=500):
        if str(store().decode(data).get(SESSION_KEY)) == pk:
            keys.append(key)
    for key in keys:
        store(session_key=key).delete()
    return len(keys)
