"""Helpers every area's services share: who may act, stale pages, refused moves, saving with history."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def require(user, perm, message=None):
    """PermissionDenied unless an active user holds perm."""
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message or _("You do not have the role for this."))


def check_version(obj, expected_version, what):
    """ValidationError (code "stale") when the page that sent the move showed an older version."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise ValidationError(
            _("This %(what)s was changed by someone else while you had it open (now: %(status)s). "
              "Nothing was saved; look at it again and decide.")
            % {"what": what, "status": obj.get_status_display()},
            code="stale",
        )


def refuse(obj, action):
    """ValidationError (code "not_allowed") for a move the record's status does not allow."""
    raise ValidationError(
        _("A record that is “%(status)s” cannot be %(action)s.")
        % {"status": obj.get_status_display(), "action": action},
        code="not_allowed",
    )


def save_with_history(obj, user, reason, *, bump=True):
    """Save obj with the history's user and reason (see logistics.history), raising its version."""
    if bump and hasattr(obj, "version"):
        obj.version += 1
    obj._change_reason = reason
    obj._history_user = user
    obj.save()
    return obj
