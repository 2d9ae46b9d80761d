import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from .nav import menu_for
from .roles import user_roles

log = logging.getLogger(__name__)


def school(request):
    """The school's name and the user's roles, for the base layout's header and menu.

    A database that stops answering leaves the header without the school's name rather than the page without a
    layout (the error pages of logistics.errors need neither)."""
    user = getattr(request, "user", None)
    try:
        signed_in = user is not None and user.is_authenticated
        roles = sorted(user_roles(user)) if signed_in else []
        menu = menu_for(request) if signed_in else []
    except DatabaseError:
        log.warning("The menu was left out: the database did not answer", exc_info=True)
        roles, menu = [], []
    return {
        "main_menu": menu,
        "school_name": SimpleLazyObject(_school_name),
        "role_names": roles,
        "role_labels": [settings.ROLE_LABELS.get(r, r) for r in roles],
    }


def _school_name():
    from .models import SchoolProfile

    try:
        return SchoolProfile.school_name()
    except DatabaseError:
        log.warning("The school's name was left out: the database did not answer", exc_info=True)
        return ""
