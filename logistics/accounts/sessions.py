"""Sessions end after the idle time the school sets (SchoolProfile.session_idle_minutes), and a person can end
their other sessions (another browser, a lost phone)."""
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

from ..models import SESSION_IDLE_MIN, SchoolProfile

# When the session was last used (seconds since the epoch), written at login and then at most once a minute.
LAST_ACTIVITY = "logistics_last_activity"
TOUCH_EVERY = 60


@receiver(user_logged_in, dispatch_uid="logistics.accounts.note_login_time")
def note_login_time(sender, request=None, user=None, **kwargs):
    """A new session starts active (the idle clock starts at login, with no write of its own)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY] = int(time.time())


class IdleTimeoutMiddleware:
    """Logs out a person whose session has not been used for the school's idle time and sends them to the
    login page with a message.

    No query on most requests: the time of the last activity is in the session (read anyway to know the user),
    written again at most once a minute, and the school's setting is read (from the cache) only when a session
    has been idle at least the shortest time the school may set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        last = session.get(LAST_ACTIVITY)
        if last is not None:
            now = time.time()
            idle = now - last
            if idle >= SESSION_IDLE_MIN * 60 and request.user.is_authenticated:
                limit = SchoolProfile.session_idle()
                if idle > limit:
                    return self.expired(request, limit // 60)
            if idle >= TOUCH_EVERY:
                session[LAST_ACTIVITY] = int(now)
        return self.get_response(request)

    def expired(self, request, minutes):
        logout(request)
        messages.info(request, ngettext(
            "You were logged out after %(minutes)d minute without activity. Please log in again.",
            "You were logged out after %(minutes)d minutes without activity. Please log in again.",
            minutes) % {"minutes": minutes})
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "")


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
