"""Queries run on every request, planned once per database connection.

PostgreSQL plans each query it is sent; for a query of many joins or subqueries the plan costs several times
the run (the stamp of logistics.freshness: some eighty subqueries, about ten milliseconds to plan; a user's roles
with their permissions: five joins, three). Django sends its parameters inside the text (client-side binding),
so nothing is planned once. ``rows(name, sql, params)`` prepares the query on the connection the first time it
is run outside a transaction (``PREPARE name AS …``), then executes it (``EXECUTE name(…)``): the plan is reused
for the connection's life (``CONN_MAX_AGE``). Inside a transaction not yet prepared, on other databases, and with
settings.DB_PREPARED_QUERIES off (behind a pooler in transaction mode), it is a plain query. Each query's text
must be the same every time under its name; its parameters may differ."""
import re
import weakref

from django.conf import settings
from django.db import connection

# connection's driver connection -> {name: the text prepared under it}
_PREPARED = weakref.WeakKeyDictionary()


def _numbered(sql):
    """sql with its %s placeholders as PostgreSQL's $1, $2 …"""
    counter = iter(range(1, 10_000))
    return re.sub(r"%s", lambda _m: f"${next(counter)}", sql.replace("%%", "%"))


def rows(name, sql, params=()):
    """The rows of sql with params (Django's %s placeholders), planned once per connection on PostgreSQL."""
    with connection.cursor() as cursor:
        raw = connection.connection
        if connection.vendor != "postgresql" or not settings.DB_PREPARED_QUERIES:
            cursor.execute(sql, params)
            return cursor.fetchall()
        done = _PREPARED.setdefault(raw, {}) if raw is not None else {}
        if name in done and done[name] != sql:
            raise ValueError(f"prepared query {name!r} asked for with another text")
        if name not in done and not connection.in_atomic_block:
            cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
            done[name] = sql
        if name in done:
            if params:
                cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
            else:
                cursor.execute(f"EXECUTE {name}")
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


def queryset_rows(name, queryset):
    """The rows of queryset (a values_list), planned once per connection: its text must not change with its
    parameters (a filter on an id, not on a list of them)."""
    sql, params = queryset.query.sql_with_params()
    return rows(name, sql, params)
