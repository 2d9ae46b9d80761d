from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .nav import menu_for
from .roles import user_roles


def school(request):
    """The school's name and the user's roles, for the base layout's header and menu."""
    user = getattr(request, "user", None)
    roles = sorted(user_roles(user)) if user is not None and user.is_authenticated else []
    return {
        "main_menu": menu_for(request) if user is not None and user.is_authenticated else [],
        "school_name": SimpleLazyObject(_school_name),
        "role_names": roles,
        "role_labels": [settings.ROLE_LABELS.get(r, r) for r in roles],
    }


def _school_name():
    from .models import SchoolProfile

    profile = SchoolProfile.objects.order_by("pk").only("name").first()
    return profile.name if profile else ""
