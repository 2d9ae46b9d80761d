"""The main menu: one list, shown by permission. An entry whose page does not exist yet is left out."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission needed or None, url names that count as "here")
MENU = [
    ("assets:repair_report", _("Report a repair"), "assets.add_repairrequest", ()),
    ("assets:repair_mine", _("My requests"), None, ()),
    ("assets:repair_queue", _("Repair queue"), "assets.view_repairrequest", ()),
    ("assets:schedule_list", _("Checks"), "assets.view_checkschedule", ("assets:check_task_detail",)),
    ("assets:asset_list", _("Assets"), "assets.view_asset", ()),
    ("assets:stocktake_list", _("Stocktakes"), "assets.view_stocktake", ()),
    ("assets:loan_list", _("Loans"), "assets.view_assetloan", ()),
    ("assets:supply_list", _("Supplies"), "assets.view_supplyitem", ()),
    ("assets:requisition_mine", _("My requisitions"), "assets.add_requisition", ()),
    ("assets:print_list", _("Printing"), "assets.add_printrequest", ()),
    ("finance:purchase_inbox", _("Approvals"), ("finance.approve_as_head", "finance.approve_as_principal"), ()),
    ("finance:purchase_list", _("Purchases"), "finance.add_purchaserequest", ()),
    ("finance:home", _("Finance"), "finance.view_budgetline", ()),
    ("admin:index", _("Records"), "is_staff", ()),
]


def menu_for(request):
    """[{url, label, current}] for the signed-in user."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    items = []
    for name, label, perm, also in MENU:
        if perm == "is_staff":
            if not user.is_staff:
                continue
        elif isinstance(perm, tuple):
            if not any(user.has_perm(p) for p in perm):
                continue
        elif perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": here == name or here in also,
                      "cta": name == "assets:repair_report"})
    return items
