"""Create the school's roles as groups. Their permissions are (re)granted after every migrate
(logistics.roles.sync_role_permissions), because later modules' permissions exist only then."""
from django.db import migrations

ROLES = ["staff", "logistics", "logistics_head", "principal", "finance", "canteen", "safety", "auditor"]


def create_roles(apps, schema_editor):
    from logistics.roles import sync_role_permissions

    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    sync_role_permissions(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
