"""The authentication backend: Django's ModelBackend with a user's permissions read with their roles."""
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .roles import load_roles_and_permissions, user_with_roles


class RoleBackend(ModelBackend):
    """Django's ModelBackend (passwords, active flag, superusers alike) with a user's permissions read together
    with their roles, in one query a request: on PostgreSQL the same query that reads the user the session names."""

    def get_user(self, user_id):
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            if not hasattr(user_obj, "_role_perms"):
                load_roles_and_permissions(user_obj)
            user_obj._perm_cache = user_obj._role_perms
        return user_obj._perm_cache
