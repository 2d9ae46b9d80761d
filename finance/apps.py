from django.utils.translation import gettext_lazy as _

from logistics import roles
from logistics.modules import Chapter, MenuEntry, Module


class FinanceConfig(Module):
    """Budget lines, purchases and their approval, orders, acceptance, invoices, the ledger, fees, aid."""

    # Module is an AppConfig too: say which of the two Django should use.
    default = True
    name = "finance"
    verbose_name = _("Finance")

    home = "finance.home.sections"
    settings_model = "finance.FinanceSettings"
    demo = "finance.demo"
    demo_large = "finance.demo.large.build_large"  # seed_demo --size large: budgets, purchases, fees, aid
    # Acceptance puts goods into the register and stock: the assets demo comes first.
    demo_after = ("assets",)
    term_figures = "finance.figures.term_figures"
    term_charts = "finance.figures.term_charts"
    # shared with assets, which declares it too (the kernel counts a key once)
    term_chapters = [Chapter("finance_assets", _("Finance and school property"), 20)]
    # The school's books: other modules post money they receive or pay here (logistics.modules.post_money).
    ledger = "finance.services.procurement.ledger_entry_post"
    menu = [
        MenuEntry("finance:purchase_inbox", _("Approvals"), ("finance.approve_as_head", "finance.approve_as_principal"),
                  order=30),
        MenuEntry("finance:purchase_list", _("Purchases"), "finance.add_purchaserequest", order=31),
        MenuEntry("finance:home", _("Finance"), "finance.view_budgetline", order=32),
        # Class teachers reach their aid applications (readers of the finance pages find aid in its hub).
        MenuEntry("finance:aid_list", _("Student aid"), "finance.add_aidapplication", order=33),
    ]
    role_grants = {
        roles.EVERY_EMPLOYEE: ["finance.add_purchaserequest", "finance.add_purchaseitem"],
        # Logistics buys centrally and records quotes, orders and acceptance.
        roles.LOGISTICS: [
            "finance.view_purchaserequest", "finance.view_purchaseitem", "finance.view_quote", "finance.add_quote",
            "finance.view_approval", "finance.view_budgetline", "finance.order_purchase", "finance.add_invoice",
            "finance.view_invoice",
        ],
        roles.LOGISTICS_HEAD: ["finance.approve_as_head", "finance.add_quote", "finance.order_purchase",
                               "finance.record_meeting", "finance.add_invoice", "finance.decide_aid_as_head"],
        # The approval limits and the other settings of finance are the principal's to change.
        roles.PRINCIPAL: ["finance.approve_as_principal", "finance.record_meeting", "finance.decide_aid_as_principal",
                          "finance.change_financesettings"],
        # Student aid: a class teacher applies for a pupil; the head or the principal (FinanceSettings)
        # decides; finance pays and puts the list online.
        roles.STAFF: ["finance.add_aidapplication"],
        roles.FINANCE: ["finance.*"],
    }
    # Finance keeps the books and pays; it does not approve purchases, nor apply for or decide aid.
    role_excludes = {roles.FINANCE: {"finance.approve_as_head", "finance.approve_as_principal",
                                     "finance.record_meeting", "finance.add_aidapplication",
                                     "finance.add_financesettings", "finance.change_financesettings",
                                     "finance.decide_aid_as_head", "finance.decide_aid_as_principal"}}
