from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Module


class SafetyConfig(Module):
    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "safety"
    verbose_name = _("Safety")
    home_panels = "safety.home.panels"
    role_grants = {roles.SAFETY: ["safety.*"]}
