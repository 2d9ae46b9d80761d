from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("School")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .accounts import sessions  # noqa: F401  (starts the idle clock at every login)
        from .roles import sync_role_permissions_after_migrate

        # Later apps add permissions in their own migrations; keep the roles' grants complete.
        post_migrate.connect(sync_role_permissions_after_migrate, dispatch_uid="logistics.sync_roles")
