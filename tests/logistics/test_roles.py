"""The school's roles as groups: each exists after migrate and holds what its people need, no more."""
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from logistics import roles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users fixture makes ten accounts: a fast hasher keeps each test in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def perms_of(role):
    """The group's permissions as 'app_label.codename'."""
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_the_eight_roles_exist_after_migrate():
    assert set(roles.ALL_ROLES) == {"staff", "logistics", "logistics_head", "principal", "finance", "canteen",
                                    "safety", "auditor"}
    assert set(Group.objects.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True)) == set(
        roles.ALL_ROLES)


@pytest.mark.parametrize(("role", "has", "has_not"), [
    ("staff",
     ["assets.add_repairrequest", "logistics.view_location", "logistics.view_term"],
     ["assets.view_repairrequest", "assets.work_repairrequest", "assets.assign_repairrequest",
      "assets.change_checktask"]),
    ("logistics",
     ["assets.add_repairrequest", "assets.view_repairrequest", "assets.work_repairrequest",
      "assets.change_checktask", "assets.view_checkschedule", "assets.view_repairphoto"],
     ["assets.assign_repairrequest", "assets.change_repairrequest", "assets.change_checkschedule",
      "logistics.change_schoolprofile"]),
    ("logistics_head",
     ["assets.assign_repairrequest", "assets.work_repairrequest", "assets.view_repairrequest",
      "assets.add_checkschedule", "assets.change_checkschedule", "assets.change_checktask",
      "logistics.add_location", "logistics.change_location", "logistics.change_term",
      "logistics.view_schoolprofile", "assets.view_assetsettings", "finance.view_financesettings"],
     ["assets.delete_repairrequest", "logistics.delete_location", "assets.change_historicalrepairrequest",
      "assets.add_historicalrepairrequest",
      # the school's limits and settings are the principal's, never the head's alone
      "logistics.change_schoolprofile", "assets.change_assetsettings", "assets.add_assetsettings",
      "finance.change_financesettings"]),
    ("principal",
     ["assets.add_repairrequest", "assets.view_repairrequest", "assets.view_checktask",
      "logistics.view_schoolprofile", "logistics.change_schoolprofile", "assets.change_assetsettings",
      "finance.change_financesettings"],
     ["assets.assign_repairrequest", "assets.work_repairrequest", "assets.change_repairrequest"]),
    ("finance", ["assets.add_repairrequest", "logistics.view_location", "finance.view_financesettings"],
     ["assets.view_repairrequest", "assets.work_repairrequest", "finance.change_financesettings",
      "finance.add_financesettings"]),
    ("canteen", ["assets.add_repairrequest", "logistics.view_location"],
     ["assets.view_repairrequest", "assets.work_repairrequest"]),
    ("safety", ["assets.add_repairrequest", "logistics.view_location"],
     ["assets.view_repairrequest", "assets.work_repairrequest"]),
    ("auditor",
     ["assets.view_repairrequest", "assets.view_checktask", "assets.view_historicalrepairrequest",
      "logistics.view_schoolprofile", "logistics.view_term"],
     ["assets.add_repairrequest", "assets.work_repairrequest", "assets.assign_repairrequest"]),
])
def test_each_role_holds_its_key_permissions(role, has, has_not):
    granted = perms_of(role)
    assert set(has) <= granted
    assert not set(has_not) & granted


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_the_people_of_each_role_get_its_permissions(users, role):
    user = next(u for u in users.values() if u.groups.filter(name=role).exists())
    for perm in perms_of(role):
        assert user.has_perm(perm), perm


def test_auditor_can_only_read():
    granted = perms_of("auditor")
    assert granted
    assert all(perm.split(".", 1)[1].startswith("view_") for perm in granted)
    # ...and reads every model of our apps.
    every_view = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=roles.our_apps(), codename__startswith="view_")
    }
    assert granted == every_view


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_no_role_deletes_records_or_edits_history(role):
    for perm in perms_of(role):
        codename = perm.split(".", 1)[1]
        assert not codename.startswith(("delete_", "add_historical", "change_historical")), perm


def test_a_later_module_permissions_reach_the_right_roles():
    later = ["canteen.view_menu", "canteen.add_menu", "canteen.delete_menu"]
    assert roles.permissions_for(roles.CANTEEN, later) == {"canteen.view_menu", "canteen.add_menu"}
    assert roles.permissions_for(roles.AUDITOR, later) == {"canteen.view_menu"}
    assert roles.permissions_for(roles.PRINCIPAL, later) == {"canteen.view_menu"}
    assert roles.permissions_for(roles.LOGISTICS_HEAD, later) == {"canteen.view_menu"}
    assert roles.permissions_for(roles.STAFF, later) == set()
    assert roles.permissions_for(roles.FINANCE, later) == set()


def test_sync_restores_a_lost_grant_and_keeps_hand_given_ones():
    group = Group.objects.get(name="logistics")
    work = Permission.objects.get(content_type__app_label="assets", codename="work_repairrequest")
    by_hand = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    stray = Permission.objects.get(content_type__app_label="assets", codename="delete_repairrequest")
    group.permissions.remove(work)
    group.permissions.add(by_hand, stray)
    before = perms_of("staff")
    roles.sync_role_permissions(apps)
    granted = perms_of("logistics")
    assert "assets.work_repairrequest" in granted
    assert "auth.view_user" in granted  # outside our apps: given in the admin, left alone
    assert "assets.delete_repairrequest" not in granted
    assert perms_of("staff") == before  # idempotent for the others


def test_sync_recreates_a_deleted_role():
    Group.objects.filter(name="auditor").delete()
    roles.sync_role_permissions(apps)
    assert "assets.view_repairrequest" in perms_of("auditor")


def test_user_roles_and_has_role(users):
    head = users["head"]
    assert roles.user_roles(head) == {"logistics_head"}
    assert roles.has_role(head, roles.LOGISTICS, roles.LOGISTICS_HEAD)
    assert not roles.has_role(users["teacher"], roles.LOGISTICS, roles.LOGISTICS_HEAD)


def test_the_menu_follows_a_permission_given_or_taken_at_once(users, client):
    """The menu is worked out once per set of permissions (logistics.nav): a person given a permission sees its
    entry on their next page, and loses it when it is taken away."""
    from django.contrib.auth.models import Permission

    teacher = users["teacher"]
    client.force_login(teacher)
    assert 'href="/canteen/' not in client.get("/").content.decode()
    view_menu = Permission.objects.get(content_type__app_label="canteen", codename="view_meal")
    teacher.user_permissions.add(view_menu)
    assert 'href="/canteen/' in client.get("/").content.decode()
    teacher.user_permissions.remove(view_menu)
    assert 'href="/canteen/' not in client.get("/").content.decode()
