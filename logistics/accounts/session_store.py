"""Sessions kept in the database as Django keeps them, read by a query planned once per database connection
(logistics.prepared): every signed-in request reads its session first."""
import functools

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from ..prepared import rows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if connection.vendor != "postgresql":
            return super()._get_session_from_db()
        sql, fields = _session_query()
        found = rows("logistics_session", sql, [self.session_key, timezone.now()])
        if not found:
            self._session_key = None
            return None
        return self.model.from_db(connection.alias, fields, found[0])


@functools.cache
def _session_query():
    """(SQL, field names): the unexpired session with a key (%s: the key, then now), as Django's own backend reads
    it."""
    meta = SessionStore.get_model_class()._meta
    q = connection.ops.quote_name
    fields = [f.attname for f in meta.concrete_fields]
    sql = (f"SELECT {', '.join(q(f.column) for f in meta.concrete_fields)} FROM {q(meta.db_table)} "
           f"WHERE {q(meta.get_field('session_key').column)} = %s AND {q(meta.get_field('expire_date').column)} > %s")
    return sql, fields
