"""Results that are costly to compute and change only when the records change: kept in the cache until they do.

Every business record keeps its history (django-simple-history), so every change to one adds a history row,
and the newest history row of every table, read together, says whether anything changed: ``stamp()`` reads
them in one query (each is the last entry of a primary-key index, whatever the size of the table). A result
cached under the stamp is fresh until the next change anywhere, in this transaction too (the writer reads its
own rows), with nothing to keep current on writes and no signal to forget. Changes that write no history (a
bulk update) are caught by ``timeout``; results that depend on today carry the date in their key.

    figures = fresh("dashboard", term.pk, compute=lambda: modules.term_figures(term))

A result that reads only some apps' records names them (``reads``: app labels): it is then fresh until one of
their tables changes, so a repair reported does not throw away the canteen's figures. The kernel's own records
(logistics: terms, places, the school) are always among them. A module's home sections, panels, figures and
charts are kept this way, under its ``Module.reads`` (tests/architecture checks that they read nothing else).

    figures = fresh("figures", term.pk, reads=("canteen",), compute=lambda: canteen_figures(term))

The cache is settings.CACHES["default"]: by default each process's own memory (a hit costs the stamp's query
and nothing else; every process computes a result once per change), or a shared one through CACHE_URL.
"""
import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from . import prepared

# A change that writes no history is seen at the latest this many seconds later.
TIMEOUT = 300

_SQL = None


# Every result depends on the kernel's records.
KERNEL = "logistics"


def _history_tables():
    """[(table, its history id column, app label)] of every history table, in the stamp's order."""
    tables = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("history_id")
        except Exception:  # noqa: BLE001 — FieldDoesNotExist: not a history table
            continue
        tables.append((model._meta.db_table, field.column, model._meta.app_label))
    return sorted(tables)


_COLUMNS = {}  # frozenset of app labels -> the stamp's columns of their history tables


def _columns(reads):
    labels = frozenset(reads) | {KERNEL}
    if labels not in _COLUMNS:
        _COLUMNS[labels] = tuple(i for i, (_t, _c, label) in enumerate(_history_tables()) if label in labels)
    return _COLUMNS[labels]


class Stamp(str):
    """What the records look like now (a short string: it changes whenever any history row is added); of(reads)
    says it of some apps' records only."""

    def __new__(cls, row):
        value = super().__new__(cls, _digest(row))
        value.row = tuple(row)
        return value

    def of(self, reads):
        """The stamp of the records of the apps labelled reads (and the kernel's): it changes only when one of
        their history tables gains a row."""
        if reads is None:
            return str(self)
        return _digest(tuple(self.row[i] for i in _columns(reads))) + ":" + ",".join(sorted(set(reads)))

    def __reduce__(self):
        return (Stamp, (self.row,))


def _digest(row):
    return hashlib.blake2b(repr(tuple(row)).encode(), digest_size=8).hexdigest()


def _stamp_sql():
    global _SQL
    if _SQL is None:
        qn = connection.ops.quote_name
        parts = [f"(SELECT MAX({qn(col)}) FROM {qn(table)})" for table, col, _app in _history_tables()]
        _SQL = "SELECT " + ", ".join(parts or ["0"])
    return _SQL


def stamp():
    """What the records look like now (a Stamp): it changes whenever any history row is added. One query,
    planned once per database connection (logistics.prepared: some eighty subqueries take PostgreSQL about ten
    milliseconds to plan, many times what they take to run)."""
    (row,) = prepared.rows("logistics_stamp", _stamp_sql())
    return Stamp(row)


def fresh(*key, compute, today=False, timeout=TIMEOUT, current=None, reads=None):
    """compute()'s result, from the cache while no record has changed since it was computed. key: what the
    result depends on besides the records (a term's id, a language); today: the result also depends on
    today's date (e.g. "overdue"); current: a stamp() the caller has already read; reads: the labels of the apps
    whose records compute() reads (None: any record's change counts). One query on a hit (the stamp; none with
    current), compute()'s on a miss, with the process's own cache (a shared database cache adds one on a hit,
    four on a miss). The result must be picklable.

    A result computed anew replaces the one it follows (same key, an older stamp or day), which no page will read
    again: the cache holds each key's latest result only, so a worker's memory does not grow with the changes
    made (every change would otherwise leave a stale copy of every result until the cache is full)."""
    parts = [str(k) for k in key]
    if today:
        parts.append(timezone.localdate().isoformat())
    name = _name(*parts, (current or stamp()).of(reads))
    value = cache.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        latest = _name("latest", *[str(k) for k in key])
        before = cache.get(latest)
        if before and before != name:
            cache.delete(before)
        cache.set_many({name: value, latest: name}, timeout)
    return value


def _name(*parts):
    return "fresh:" + hashlib.blake2b(":".join(parts).encode(), digest_size=16).hexdigest()


_MISSING = object()

