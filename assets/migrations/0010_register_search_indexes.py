"""Trigram indexes for the register's and the repair queue's searches, on PostgreSQL only.

Django's icontains reads UPPER(column::text) LIKE UPPER('%…%'): no B-tree index serves a leading wildcard, so the
search read every row (160–320 ms over 50,000 assets). A GIN index of the same expression with pg_trgm's operator
class serves it (and an iexact, UPPER(…) = UPPER(…), as well). SQLite has no pg_trgm: there this migration does
nothing, and the searches stay what they were (a scan, fast enough at a small school's size).

Also the register's order with the status beside it: a deep page's ids (ids first, OFFSET over the on-register
rows in tag order) are read from this index alone, without visiting the table for each row skipped."""
from django.db import migrations

INDEXES = [
    ("asset_name_trgm", "assets_asset", "name"),
    ("asset_tag_trgm", "assets_asset", "tag"),
    ("asset_serial_trgm", "assets_asset", "serial_number"),
    ("repair_number_trgm", "assets_repairrequest", "number"),
    ("repair_title_trgm", "assets_repairrequest", "title"),
    ("repair_description_trgm", "assets_repairrequest", "description"),
    ("repair_work_done_trgm", "assets_repairrequest", "work_done"),
]

PAGE_INDEX = "asset_tag_page"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}"::text) gin_trgm_ops)')
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PAGE_INDEX} ON assets_asset (tag) INCLUDE (status, id)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {PAGE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0009_historicalrepairrequest_finding_and_more"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
