"""The world the security tests walk: the demo school (`seed_demo`), built once for the package and rolled back.

`seed_demo` builds every module's records through the services (people of every role, a teacher's own repairs
and another's, purchases at every step, the canteen's and safety's logs): about 40 s on PostgreSQL on a loaded
2-core machine, against minutes for each file building its own. It is built inside one transaction held open
for the package's tests (each test runs in a savepoint inside it, rolled back after it) and rolled back at the
end, so nothing of it reaches the other tests of the suite. The few kinds of record the demo does not make
(photos of some records, a user's background jobs) are added here, so each URL parameter has a record.
"""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.utils import timezone

from tests.conftest import image_bytes

from . import urlwalk

User = get_user_model()

# One user per role of tests/conftest.py's PEOPLE, as the demo names them, plus the demo's superuser.
ROLE_USERS = {
    "staff": "teacher", "logistics": "logistics", "logistics_head": "head", "principal": "principal",
    "finance": "finance", "canteen": "canteen", "safety": "safety", "auditor": "auditor", "superuser": "admin",
}


def _add_missing_photos():
    """A photo on two records of each kind whose photos the demo does not make (repairs, write-offs, deliveries)."""
    head = User.objects.get(username="head")
    for label in urlwalk.BUSINESS_APPS:
        for model in urlwalk.business_models(label):
            if not model._meta.model_name.endswith("photo") or model.objects.exists():
                continue
            image = next(f for f in model._meta.concrete_fields if isinstance(f, models.FileField))
            parent_fk = next(f for f in model._meta.concrete_fields
                             if f.is_relation and f.related_model is not User)
            for parent in urlwalk.two_records(parent_fk.related_model.objects.all(), parent_fk.related_model):
                owner = urlwalk.owner_field(parent_fk.related_model)
                by = (getattr(parent, owner.name) if owner else None) or head
                photo = model(**{parent_fk.name: parent})
                for f in urlwalk.user_fields(model):
                    setattr(photo, f.name, by)
                getattr(photo, image.name).save("photo.png", ContentFile(image_bytes()), save=False)
                for f in ("width", "height"):
                    if hasattr(photo, f):
                        setattr(photo, f, 48)
                for f in model._meta.concrete_fields:
                    if isinstance(f, models.DateTimeField) and getattr(photo, f.attname) is None:
                        setattr(photo, f.attname, timezone.now())
                photo.save()


def _add_jobs():
    """A finished background job (a file in "My files") of a teacher and one of the head."""
    from logistics.jobs.models import Job

    for username in ("teacher", "head"):
        job = Job(kind="assets.register_xlsx", owner=User.objects.get(username=username), key=username * 4,
                  status=Job.Status.DONE, filename="register.xlsx", finished_at=timezone.now())
        job.file.save("register.xlsx", ContentFile(b"PK fake"), save=False)
        job.size = 7
        job.save()


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("security-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--force", stdout=io.StringIO())
            _add_missing_photos()
            _add_jobs()
            users = {role: User.objects.get(username=name) for role, name in ROLE_USERS.items()}
            # Each role's session, made once: a test's clients only carry its cookie (no login per test).
            sessions = {}
            for role, user in users.items():
                c = Client()
                c.force_login(user)
                sessions[role] = c.cookies
            yield {"users": users, "sessions": sessions}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def people(world, db):
    """The world's users by role, fresh for the test (no permission cache carried over)."""
    return {role: User.objects.get(pk=u.pk) for role, u in world["users"].items()}


@pytest.fixture
def clients(world, db):
    """client(role) -> a client signed in as the role's user (None: an anonymous visitor); a server error comes
    back as a 500 answer instead of an exception, so one walk reports them all."""
    def client(role, **kwargs):
        c = Client(raise_request_exception=False, **kwargs)
        if role is not None:
            c.cookies.update(world["sessions"][role])
        return c
    return client


# Tables a GET may write to without changing any record: the session (a message shown once, the login) and
# the login records of django-axes.
NOT_RECORDS = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


def writes():
    """What the current transaction has written so far, per table: one query.

    PostgreSQL counts every row inserted, updated or deleted by this transaction (pg_stat_xact_user_tables),
    so an update is seen too. Elsewhere (SQLite): the row count of every table and the newest history id."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
                           "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0")
            return {t: n for t, n in cursor.fetchall() if t not in NOT_RECORDS}
        tables = [t for t in connection.introspection.table_names() if t not in NOT_RECORDS]
        parts = []
        for t in tables:
            q = connection.ops.quote_name(t)
            expr = f"(SELECT count(*) FROM {q})"
            if t.endswith("history") or "_historical" in t:
                expr += f" + (SELECT coalesce(max(history_id), 0) FROM {q}) * 1000003"
            parts.append(f"SELECT '{t}', {expr}")
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def changed(before, after):
    return {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}


@pytest.fixture
def quick_print(monkeypatch):
    """Printed documents are rendered from their templates as always, but not laid out into a PDF: the walk
    is about who gets which answer, and WeasyPrint's layout (a second or more per document on a loaded
    machine, for each role) is what the print tests (tests/test_print_documents.py) check."""
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 walk")
