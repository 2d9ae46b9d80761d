from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Module


class CanteenConfig(Module):
    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "canteen"
    verbose_name = _("Canteen")
    home_panels = "canteen.home.panels"
    role_grants = {roles.CANTEEN: ["canteen.*"]}
