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


# --- the session and the user, read on every signed-in request --------------------------------------------------

def _on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere Django's own queries read them")


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_request_reads_its_session_and_its_user_with_roles_in_two_prepared_queries(client):
    _on_postgresql()
    connection.close()
    user = User.objects.create_user("prep2", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.LOGISTICS)[0])
    client.force_login(user)
    client.get("/")  # prepares them on this connection
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/repairs/")
    sent = [q["sql"] for q in queries.captured_queries]
    assert page.status_code == 200
    assert sent[0].startswith("EXECUTE logistics_session(")
    assert sent[1] == f"EXECUTE logistics_user({user.pk})"
    # nothing else reads the session, the user's row or their roles (the queue reads who may be assigned)
    assert not any('FROM "django_session"' in s or '"auth_user"."password"' in s or "logistics_roles" in s
                   for s in sent)


@pytest.mark.django_db(transaction=True)
def test_the_user_read_with_roles_holds_what_django_would_read(users):
    _on_postgresql()
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from logistics.auth import RoleBackend

    connection.close()
    head = users["head"]
    own = Permission.objects.get(codename="delete_term")  # no role holds it: given to this one person
    head.user_permissions.add(own)
    read = RoleBackend().get_user(str(head.pk))
    assert read.pk == head.pk and read.username == "head" and read.password == head.password
    assert read._role_names == {roles.LOGISTICS_HEAD}
    django_read = User.objects.get(pk=head.pk)
    assert read.get_all_permissions() == ModelBackend().get_all_permissions(django_read)
    assert "logistics.delete_term" in read.get_all_permissions()
    # a role given shows at the next read, on the same connection (the plan is kept, not the answer)
    head.groups.add(Group.objects.get(name=roles.CANTEEN))
    assert RoleBackend().get_user(head.pk)._role_names == {roles.LOGISTICS_HEAD, roles.CANTEEN}


@pytest.mark.django_db(transaction=True)
def test_no_user_an_inactive_one_or_a_bad_id_is_nobody(users):
    _on_postgresql()
    from logistics.auth import RoleBackend

    assert RoleBackend().get_user(987654) is None
    assert RoleBackend().get_user("not a number") is None
    users["teacher"].is_active = False
    users["teacher"].save()
    assert RoleBackend().get_user(users["teacher"].pk) is None


@pytest.mark.django_db(transaction=True)
def test_an_expired_or_deleted_session_signs_nobody_in(client, users):
    _on_postgresql()
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(users["teacher"])
    assert client.get("/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302
    client.force_login(users["teacher"])
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.cookies["sessionid"].value).delete()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
