"""The login records (axes' AccessLog for logins, AccessFailureLog for failures), the locks in force, unlocking,
and pruning old records. Each read is one query, whatever the number of rows; the records are read and pruned
by their time, which migration logistics 0011 indexes (axes does not)."""
import datetime
import json

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import BooleanField, F, Max, Sum, Value
from django.utils import timezone

from .throttle import limit_for

SUCCESS, FAILURE, LOCKED = "success", "failure", "locked"
_FIELDS = ["attempt_time", "username", "ip_address", "path_info", "failed", "locked"]


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def login_records(*, username="", outcome="", day_from=None, day_to=None):
    """Logins and failed logins, newest first, as dicts of _FIELDS; outcome: "" (all), SUCCESS, FAILURE (every
    failure) or LOCKED (the failures that locked); days are the school's local days, both included."""
    parts = []
    if outcome in ("", SUCCESS):
        parts.append(AccessLog.objects.annotate(failed=Value(False, output_field=BooleanField()),
                                                locked=Value(False, output_field=BooleanField())))
    if outcome in ("", FAILURE, LOCKED):
        failures = AccessFailureLog.objects.annotate(failed=Value(True, output_field=BooleanField()),
                                                     locked=F("locked_out"))
        parts.append(failures.filter(locked_out=True) if outcome == LOCKED else failures)
    for i, qs in enumerate(parts):
        if username:
            qs = qs.filter(username__iexact=username)
        if day_from:
            qs = qs.filter(attempt_time__gte=_day_start(day_from))
        if day_to:
            qs = qs.filter(attempt_time__lt=_day_start(day_to + datetime.timedelta(days=1)))
        parts[i] = qs.values(*_FIELDS).order_by()
    records = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return records.order_by("-attempt_time")


@transaction.atomic
def login_records_prune(*, older_than):
    """Deletes the logins and failed logins recorded before older_than; the failures that count towards a lock
    (AccessAttempt) stay, so no lock ends early. Returns (logins, failures) deleted."""
    logins, _ = AccessLog.objects.filter(attempt_time__lt=older_than).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=older_than).delete()
    return logins, failures


def locks_in_force(now=None):
    """(user names, addresses) locked now: [{"value", "failures", "until"}], each list in one query."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=(now or timezone.now()) - cool_off)
    result = []
    for field, parameter in (("username", "username"), ("ip_address", "ip_address")):
        rows = (recent.exclude(**{f"{field}__isnull": True}).values(field)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=limit_for(parameter)).order_by(field))
        result.append([{"value": r[field], "failures": r["failures"], "until": r["last"] + cool_off}
                       for r in rows])
    return tuple(result)


def recent_unlocks(limit=10):
    """The latest unlocks (here or by deleting attempts in the admin), with who did them: one query."""
    content_type = ContentType.objects.get_for_model(AccessAttempt)
    return list(LogEntry.objects.filter(content_type=content_type, action_flag=DELETION)
                .select_related("user").order_by("-action_time")[:limit])


UNLOCK_USER, UNLOCK_ADDRESS = "username", "address"


@transaction.atomic
def login_unlock(*, by, kind, value):
    """Forgets the failed logins of a user name or an address, so it may log in again at once; the unlock is
    kept in the admin's log (who, when, what). Returns how many attempt records were removed."""
    if not value:  # axes would read "no user name, no address" as "everyone"
        raise ValueError("nothing to unlock")
    if kind == UNLOCK_USER:
        removed = reset(username=value)
    elif kind == UNLOCK_ADDRESS:
        removed = reset(ip=value)
    else:
        raise ValueError(kind)
    LogEntry.objects.create(
        user=by, content_type=ContentType.objects.get_for_model(AccessAttempt), object_id="",
        object_repr=value[:200], action_flag=DELETION,
        change_message=json.dumps({"unlock": kind, "removed": removed}))
    return removed


def display_names(usernames):
    """{username: full name} for the user names on a page: one query."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in={u for u in usernames if u})
    return {u.username: u.get_full_name() for u in users.only("username", "first_name", "last_name")}


def failure_limits():
    return {"user": settings.AXES_FAILURE_LIMIT, "address": settings.LOGIN_ADDRESS_FAILURE_LIMIT}
