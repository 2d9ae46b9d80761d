"""logistics.prepared: the queries of every request are planned once per database connection on PostgreSQL, and
still read what is there now (a role given shows at once)."""
import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics import prepared, roles


def _fresh_user(pk):
    return User.objects.get(pk=pk)  # no roles read yet


@pytest.mark.django_db(transaction=True)
def test_a_users_roles_are_read_by_a_query_planned_once_and_see_a_role_given():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere it is a plain query")
    connection.close()  # a new connection: nothing prepared on it yet
    user = User.objects.create_user("prep", password="x")
    group, _ = Group.objects.get_or_create(name=roles.CANTEEN)
    with CaptureQueriesContext(connection) as queries:
        assert roles.user_roles(_fresh_user(user.pk)) == set()
        user.groups.add(group)
        assert roles.user_roles(_fresh_user(user.pk)) == {roles.CANTEEN}
    sent = [q["sql"] for q in queries.captured_queries if "logistics_roles" in q["sql"]]
    assert sent[0].startswith("PREPARE logistics_roles AS")
    assert sum(s.startswith("PREPARE") for s in sent) == 1
    assert [s.split("(")[0] for s in sent[1:]] == ["EXECUTE logistics_roles"] * 2


@pytest.mark.django_db
def test_inside_a_transaction_not_yet_prepared_it_is_a_plain_query():
    assert connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries:
        rows = prepared.rows("logistics_test_plain", "SELECT %s + 1", [41])
    assert rows == [(42,)]
    if connection.vendor == "postgresql":
        assert not any(q["sql"].startswith("PREPARE") for q in queries.captured_queries)


def test_one_name_one_text(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    prepared._PREPARED.setdefault(connection.connection, {})["logistics_test_one"] = "SELECT 1"
    with pytest.raises(ValueError):
        prepared.rows("logistics_test_one", "SELECT 2")


def test_placeholders_are_numbered():
    assert prepared._numbered("SELECT %s, %s WHERE a LIKE '5%%'") == "SELECT $1, $2 WHERE a LIKE '5%'"


def test_behind_a_pooler_nothing_is_prepared(db, settings, django_assert_num_queries):
    """DB_PREPARED_QUERIES off (pgbouncer in transaction mode): every query is sent as it is."""
    settings.DB_PREPARED_QUERIES = False
    with CaptureQueriesContext(connection) as queries:
        assert prepared.rows("logistics_test_pooler", "SELECT %s + 1", [1]) == [(2,)]
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1 + 1"]
