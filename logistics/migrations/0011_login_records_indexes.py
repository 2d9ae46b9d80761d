"""Indexes for the login records (django-axes' AccessLog and AccessFailureLog): on the time of each record, which
axes does not index, since the login records page reads them newest first and `prune_login_records` deletes by
it; and on the user name in capitals, which the page's filter by user name (any case) compares. Plain SQL, the
same on PostgreSQL and SQLite; IF NOT EXISTS so a database where someone made them by hand migrates too."""
from django.db import migrations

TABLES = ["axes_accesslog", "axes_accessfailurelog"]
INDEXES = {"attempt_time": "attempt_time", "username_upper": "UPPER(username)"}


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0010_session_idle_minutes"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {table}_{name}_idx ON {table} ({expression})",
            reverse_sql=f"DROP INDEX IF EXISTS {table}_{name}_idx",
        )
        for table in TABLES for name, expression in INDEXES.items()
    ]
