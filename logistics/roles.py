"""The roles of the school as Django groups, and the permissions each one holds.

Grants are patterns over "app_label.codename" so that a later module's permissions reach the
right roles as soon as its migration runs (post_migrate calls sync_role_permissions).
"""
from fnmatch import fnmatchcase

STAFF = "staff"
LOGISTICS = "logistics"
LOGISTICS_HEAD = "logistics_head"
PRINCIPAL = "principal"
FINANCE = "finance"
CANTEEN = "canteen"
SAFETY = "safety"
AUDITOR = "auditor"

ALL_ROLES = [STAFF, LOGISTICS, LOGISTICS_HEAD, PRINCIPAL, FINANCE, CANTEEN, SAFETY, AUDITOR]
OUR_APPS = ("logistics", "assets", "canteen", "safety", "finance")

# Everyone who works at the school may report a fault and see the places and terms.
_EVERY_EMPLOYEE = [
    "assets.add_repairrequest",
    "assets.add_requisition",
    "assets.add_printrequest",
    "finance.add_purchaserequest",
    "finance.add_purchaseitem",
    "logistics.view_location",
    "logistics.view_building",
    "logistics.view_term",
    "logistics.view_department",
]
_READ_ALL = [f"{app}.view_*" for app in OUR_APPS]

ROLE_GRANTS = {
    STAFF: _EVERY_EMPLOYEE,
    LOGISTICS: _EVERY_EMPLOYEE + [
        "assets.view_*",
        "assets.work_repairrequest",
        "assets.change_checktask",
        # the register, loans, damage, stocktake sheets
        "assets.add_asset", "assets.change_asset",
        "assets.add_assetloan", "assets.change_assetloan",
        "assets.add_damagerecord", "assets.change_damagerecord",
        "assets.add_writeoff", "assets.add_writeoffphoto",
        "assets.change_stocktakeroom", "assets.add_stocktakeline", "assets.change_stocktakeline",
        # supplies and printing
        "assets.add_supplyitem", "assets.change_supplyitem", "assets.add_stockmovement",
        "assets.issue_requisition", "assets.change_requisition",
        "assets.add_distribution", "assets.change_distribution", "assets.add_distributionline",
        "assets.change_distributionline", "assets.do_printrequest", "assets.change_printrequest",
        # purchases: logistics buys centrally and records quotes, orders and acceptance
        "finance.view_purchaserequest", "finance.view_purchaseitem", "finance.view_quote", "finance.add_quote",
        "finance.view_approval", "finance.view_budgetline", "finance.order_purchase", "finance.add_invoice",
        "finance.view_invoice",
    ],
    LOGISTICS_HEAD: _EVERY_EMPLOYEE + _READ_ALL + [
        "assets.*",
        "logistics.add_location", "logistics.change_location",
        "logistics.add_building", "logistics.change_building",
        "logistics.add_term", "logistics.change_term",
        "logistics.add_department", "logistics.change_department",
        "logistics.change_schoolprofile",
        "finance.approve_as_head", "finance.add_quote", "finance.order_purchase", "finance.record_meeting",
        "finance.add_invoice",
    ],
    PRINCIPAL: _EVERY_EMPLOYEE + _READ_ALL + ["logistics.change_schoolprofile", "assets.decide_writeoff_principal",
                                              "finance.approve_as_principal", "finance.record_meeting"],
    FINANCE: _EVERY_EMPLOYEE + ["finance.*"],
    CANTEEN: _EVERY_EMPLOYEE + ["canteen.*"],
    SAFETY: _EVERY_EMPLOYEE + ["safety.*"],
    AUDITOR: _READ_ALL,
}

# Grants a wildcard would give but the role must not have (the head approves write-offs up to the
# limit; above it the principal signs, not the head again).
ROLE_EXCLUDES = {
    LOGISTICS_HEAD: {"assets.decide_writeoff_principal"},
    # Finance keeps the books and pays; it does not approve purchases.
    FINANCE: {"finance.approve_as_head", "finance.approve_as_principal", "finance.record_meeting"},
}

# Permissions no role receives through a wildcard: deleting business records loses history.
# Nor does anyone edit a history row: history is written by the app, never by hand.
_NEVER_BY_PATTERN = ("delete_", "add_historical", "change_historical")


def permissions_for(role, all_perms):
    """The subset of all_perms (iterable of 'app.codename') that the role is granted."""
    patterns = ROLE_GRANTS[role]
    excluded = ROLE_EXCLUDES.get(role, set())
    granted = set()
    for perm in all_perms:
        if perm in excluded:
            continue
        codename = perm.split(".", 1)[1]
        for pattern in patterns:
            if pattern == perm or (
                "*" in pattern and fnmatchcase(perm, pattern) and not codename.startswith(_NEVER_BY_PATTERN)
            ):
                granted.add(perm)
                break
    return granted


def sync_role_permissions(apps):
    """Create the role groups and set each one's permissions from ROLE_GRANTS (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(content_type__app_label__in=OUR_APPS)
    }
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = {perms[name] for name in permissions_for(role, perms)}
        # Grants outside our apps (given by hand in the admin) are left as they are.
        current = set(group.permissions.filter(content_type__app_label__in=OUR_APPS))
        if wanted != current:
            group.permissions.remove(*(current - wanted))
            group.permissions.add(*(wanted - current))


def sync_role_permissions_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate receiver: runs once, after the last app (ours) has migrated."""
    from django.apps import apps as global_apps

    if sender.name != "finance" or using != "default":
        return
    sync_role_permissions(global_apps)


def user_roles(user):
    """The role names of a user, cached on the user object for the request."""
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def has_role(user, *roles):
    return bool(user_roles(user) & set(roles))
