"""The roles of the school as Django groups, and the permissions each one holds.

Grants are patterns over "app_label.codename": the kernel's here, each module's on its AppConfig
(role_grants, role_excludes). They are synced after every migrate, so a module's permissions reach
the right roles as soon as its migration runs (post_migrate calls sync_role_permissions).
"""
import functools
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
# A key of a module's role_grants that stands for every role whose people work at the school
# (everyone but the auditor, who only reads).
EVERY_EMPLOYEE = "every_employee"
EMPLOYEE_ROLES = [STAFF, LOGISTICS, LOGISTICS_HEAD, PRINCIPAL, FINANCE, CANTEEN, SAFETY]

# Everyone who works at the school sees the places, terms and departments.
_KERNEL_EVERY_EMPLOYEE = [
    "logistics.view_location",
    "logistics.view_building",
    "logistics.view_term",
    "logistics.view_department",
]
# Reading every model of the kernel and of every module (permissions outside them are never looked at).
READ_ALL = ["*.view_*"]

# The kernel's own grants; each module adds its own (its AppConfig's role_grants, see logistics.modules).
KERNEL_GRANTS = {
    EVERY_EMPLOYEE: _KERNEL_EVERY_EMPLOYEE,
    LOGISTICS_HEAD: READ_ALL + [
        "logistics.add_location", "logistics.change_location",
        "logistics.add_building", "logistics.change_building",
        "logistics.add_term", "logistics.change_term",
        "logistics.add_department", "logistics.change_department",
        # the term summary: the head writes and submits it (logistics.summary)
        "logistics.add_termsummary", "logistics.change_termsummary",
    ],
    # The school's profile and each module's settings (limits included) are changed by the principal, never
    # by the head alone (see each module's role_grants); every change is kept in their history.
    PRINCIPAL: READ_ALL + ["logistics.change_schoolprofile", "logistics.sign_termsummary"],
    # Finance reads the term summaries it contributes figures to.
    FINANCE: ["logistics.view_termsummary", "logistics.view_summarychapter"],
    AUDITOR: READ_ALL,
}


def our_apps():
    """The labels whose permissions the roles manage: the kernel and every installed module."""
    from .modules import modules

    return ("logistics", *(m.label for m in modules()))


def role_patterns(role):
    """The permission patterns a role is granted: the kernel's and every module's."""
    from .modules import role_grants

    patterns = []
    for grants in (KERNEL_GRANTS, role_grants()):
        patterns += grants.get(role, [])
        if role in EMPLOYEE_ROLES:
            patterns += grants.get(EVERY_EMPLOYEE, [])
    return patterns


def role_excluded(role):
    from .modules import role_excludes

    return role_excludes().get(role, set())


# Permissions no role receives through a wildcard: deleting business records loses history.
# Nor does anyone edit a history row: history is written by the app, never by hand.
_NEVER_BY_PATTERN = ("delete_", "add_historical", "change_historical")


def permissions_for(role, all_perms):
    """The subset of all_perms (iterable of 'app.codename') that the role is granted."""
    patterns = role_patterns(role)
    excluded = role_excluded(role)
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
    """Create the role groups and set each one's permissions from the kernel's and the modules' grants (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    apps_ = our_apps()
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(content_type__app_label__in=apps_)
    }
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = {perms[name] for name in permissions_for(role, perms)}
        # Grants outside our apps (given by hand in the admin) are left as they are.
        current = set(group.permissions.filter(content_type__app_label__in=apps_))
        if wanted != current:
            group.permissions.remove(*(current - wanted))
            group.permissions.add(*(wanted - current))


def sync_role_permissions_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate receiver: runs once per migrate, after the last app with models has migrated (and so
    after Django has created every app's permissions), whatever the order of the apps."""
    from django.apps import apps as global_apps

    last = [c for c in global_apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label or using != "default":
        return
    sync_role_permissions(global_apps)


def user_roles(user):
    """The role names of a user, cached on the user object for the request (read with its permissions)."""
    if not hasattr(user, "_role_names"):
        if user.is_authenticated:
            load_roles_and_permissions(user)
        else:
            user._role_names = set()
    return user._role_names


def load_roles_and_permissions(user):
    """A user's groups (roles) and every permission they hold, through a group or their own, in one query
    (Django's ModelBackend reads the two kinds of permission in two, and the roles take a third): a page asks
    for both on every request, so the query is written once per process and planned once per database
    connection (logistics.prepared)."""
    from .prepared import rows

    sql, params = _roles_query()
    roles, perms = set(), set()
    for role, app_label, codename in rows("logistics_roles", sql, [user.pk if p == _ANY else p for p in params]):
        if role:
            roles.add(role)
        if codename:
            perms.add(f"{app_label}.{codename}")
    user._role_names = roles
    user._role_perms = perms


def user_with_roles(user_id):
    """The active or inactive user with user_id (None if there is none), with their roles and permissions already
    read, in one query (PostgreSQL only: it reads arrays): the session names a user on every request, and every
    page then asks for their roles and permissions (the menu, the permission checks)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.db import connection

    from .prepared import rows

    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except (ValidationError, ValueError, TypeError):
        return None
    sql, fields = _user_query()
    found = rows("logistics_user", sql, [pk])
    if not found:
        return None
    *values, role_names, perms = found[0]
    user = model.from_db(connection.alias, fields, values)
    user._role_names = set(role_names)
    user._role_perms = set(perms)
    return user


@functools.cache
def _user_query():
    """(SQL, the user's field names) of user_with_roles: the user's row, an array of their roles (groups) and one
    of every permission they hold through a group or their own, as "app_label.codename"."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    q = connection.ops.quote_name
    model = get_user_model()
    fields = [f.attname for f in model._meta.concrete_fields]
    member = model.groups.through._meta
    group_perm = Group.permissions.through._meta
    own_perm = model.user_permissions.through._meta
    user_col = q(member.get_field(model._meta.model_name).column)
    own_user_col = q(own_perm.get_field(model._meta.model_name).column)
    sql = (
        f"SELECT {', '.join('u.' + q(f.column) for f in model._meta.concrete_fields)}, "
        f"ARRAY(SELECT g.{q('name')} FROM {q(member.db_table)} m JOIN {q(Group._meta.db_table)} g "
        f"ON g.{q('id')} = m.{q('group_id')} WHERE m.{user_col} = u.{q(model._meta.pk.column)}), "
        f"ARRAY(SELECT ct.{q('app_label')} || '.' || p.{q('codename')} FROM {q(Permission._meta.db_table)} p "
        f"JOIN {q(ContentType._meta.db_table)} ct ON ct.{q('id')} = p.{q('content_type_id')} "
        f"WHERE p.{q('id')} IN (SELECT gp.{q('permission_id')} FROM {q(group_perm.db_table)} gp "
        f"JOIN {q(member.db_table)} m ON m.{q('group_id')} = gp.{q('group_id')} "
        f"WHERE m.{user_col} = u.{q(model._meta.pk.column)} "
        f"UNION SELECT up.{q('permission_id')} FROM {q(own_perm.db_table)} up "
        f"WHERE up.{own_user_col} = u.{q(model._meta.pk.column)})) "
        f"FROM {q(model._meta.db_table)} u WHERE u.{q(model._meta.pk.column)} = %s")
    return sql, fields


# The user's id in the query as written once (no user has it): replaced by each user's.
_ANY = -7_654_321


@functools.cache
def _roles_query():
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Value

    groups = Group.objects.filter(user=_ANY).order_by().values_list(
        "name", "permissions__content_type__app_label", "permissions__codename")
    own = (Permission.objects.filter(user=_ANY).order_by().annotate(role=Value("", output_field=CharField()))
           .values_list("role", "content_type__app_label", "codename"))
    return groups.union(own, all=True).query.sql_with_params()


def has_role(user, *roles):
    return bool(user_roles(user) & set(roles))
