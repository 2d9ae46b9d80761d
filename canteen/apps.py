from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Chapter, MenuEntry, Module

# What the canteen's readers may do besides reading: inspect (a failed item raises a finding in the kernel's
# found → fixed → verified tracking, which they verify), and record an accompanied meal (陪餐).
_INSPECT = ["canteen.view_*", "canteen.change_inspection", "canteen.add_inspectionresult",
            "logistics.view_finding", "logistics.add_finding", "logistics.verify_finding"]


class CanteenConfig(Module):
    """Food samples, morning checks, disinfection, suppliers and deliveries, menus, accompanied meals,
    inspections: the canteen manager's day on a phone, read and inspected by the head, the principal and
    the safety officer."""

    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "canteen"
    verbose_name = _("Canteen")
    home = "canteen.home.sections"
    settings_model = "canteen.CanteenSettings"
    demo = "canteen.demo"
    # Its share of `seed_demo --size large`: five years of the kitchen's daily records (canteen/demo/large.py).
    demo_large = "canteen.demo.large.build_large"
    term_figures = "canteen.figures.term_figures"
    term_chapters = [Chapter("canteen", _("Canteen management"), 30)]
    menu = [
        # The canteen manager's day starts here (a big button on the home page); readers find it in the menu.
        MenuEntry("canteen:today", _("Canteen today"), "canteen.add_sample", cta=True, order=40),
        MenuEntry("canteen:today", _("Canteen"), "canteen.view_meal", order=41),
    ]
    role_grants = {
        # The canteen manager keeps the logs and fixes what an inspection finds (the fix is verified by others).
        roles.CANTEEN: ["canteen.*", "logistics.view_finding", "logistics.add_finding", "logistics.fix_finding"],
        roles.LOGISTICS_HEAD: [*_INSPECT, "canteen.add_accompaniedmeal", "canteen.add_checklist",
                               "canteen.change_checklist"],
        # The principal is the person responsible for food safety (2019 rules): reads, inspects, eats with the
        # pupils, and sets the canteen's rules (its settings).
        roles.PRINCIPAL: [*_INSPECT, "canteen.add_accompaniedmeal", "canteen.change_canteensettings"],
        roles.SAFETY: _INSPECT,
    }
    # The canteen manager keeps the logs; the rules they are kept to are the principal's.
    role_excludes = {roles.CANTEEN: {"canteen.add_canteensettings", "canteen.change_canteensettings",
                                     "canteen.delete_canteensettings"}}
