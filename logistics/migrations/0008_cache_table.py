"""The shared cache's table, for CACHE_URL=dbcache://logistics_cache (settings.CACHES): made where migrate runs,
so choosing that cache needs no separate `createcachetable`. Nothing to undo: the table is the cache's, and holds nothing
that cannot be computed again."""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", "logistics_cache", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("logistics", "0007_findings")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
