"""Every page of the benchmark (scripts/bench/pages.py) runs at most 15 queries, and as many at two data sizes.

Size one is the large builder's central school at a small scale (its assets, repairs, purchases and history
rows, and the other modules' large data as far as they have it) with the normal demo on top (a record of every
kind, each with its history). Size two adds to it: every listed table gets copies of its newest rows (each list
three times longer at least, its deep page deeper), and every record opened gets a longer history, each change
naming other rooms and people. Each page is requested by the role that uses it, in-process through the test
client, after one warm-up request (a served app keeps its caches warm), with the Django admin changelist of the
same data beside each list; home pages are measured elsewhere (tests/logistics/test_home_pages.py). A page is the
same page at both sizes by its key (the deep page's number aside): a record's page opens the same record, a list
takes its filter value and deep page from the data. Admin changelists must be constant too, not at most 15.
"""
import copy
import io
import re
import uuid
import warnings

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test import Client, override_settings

from scripts.bench import measure
from scripts.bench.pages import DETAILS, LISTS, build_pages

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAX_QUERIES = 15
SCALE = 0.001  # about 50 assets, 20 repairs and 10 purchases more than the normal demo's


def _client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _pages():
    return [p for p in build_pages(documents=False).pages if p.kind != "home"]


def _key(page_key):
    """A deep page's number follows the data's size: the same page either way."""
    return re.sub(r" page \d+$", " page deep", page_key)


def _counts(pages):
    clients = {}

    def client_for(username):
        return clients.get(username) or clients.setdefault(username, _client_for(username))

    counts = {}
    for page in pages:
        connection.queries_log.clear()  # the log keeps 9,000 queries: a full one counts nothing
        result = measure.count_queries(client_for, [page], warm=True)[page.key]
        assert result["status"] == 200, (page.key, page.url, result["status"])
        counts[_key(page.key)] = result["queries"]
        if page.admin_url:
            assert result["admin_status"] == 200, (page.key, page.admin_url)
            counts[_key(page.key) + " (admin)"] = result["admin_queries"]
    return counts


def _more_history(pages):
    """Each record opened at size one gets more history: a few more changes, each naming other rooms and people."""
    from django.apps import apps
    from django.urls import resolve

    from logistics.models import Location

    rooms = list(Location.objects.order_by("pk")[:6])
    people = list(User.objects.order_by("pk")[:6])
    for page in pages:
        if page.kind != "detail":
            continue
        match = resolve(page.url.split("?")[0])
        model = next((apps.get_model(label) for name, _user, label in DETAILS if name == match.view_name), None)
        if model is None or not hasattr(model, "history") or not match.args:
            continue
        obj = model.objects.filter(pk=match.args[0]).first()
        if obj is None:
            continue
        fields = {f.name: f for f in model._meta.concrete_fields if f.is_relation and not f.unique}
        for i in range(6):
            changed = False
            for name, field in fields.items():
                if field.is_relation and field.related_model is Location and not field.primary_key:
                    setattr(obj, name, rooms[i % len(rooms)])
                    changed = True
                elif field.is_relation and field.related_model is User and field.null:
                    setattr(obj, name, people[i % len(people)])
                    changed = True
            if not changed:
                break
            obj._change_reason = None
            obj.save()


def _seed():
    """The large builder's central school, then the normal demo (a record of every kind)."""
    with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", "--size", "large", "--scale", str(SCALE), stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())


def _more_rows(copies=2, most=200):
    """Copies of the newest rows (up to `most`) of every table a list shows, `copies` times: unique text made unique
    again, unique ids new. A table whose copies break a rule of its own is left as it is (named in a warning)."""
    from django.apps import apps

    left = []
    for label in sorted({spec[2] for spec in LISTS if spec[2]}):
        model = apps.get_model(label)
        rows = list(model.objects.order_by("-pk")[:most])
        try:
            with transaction.atomic():
                for copy in range(copies):
                    model.objects.bulk_create([_copy(row, f"~{copy}{i:04d}") for i, row in enumerate(rows)])
        except (IntegrityError, _NotCopied):
            left.append(label)
    if left:
        warnings.warn(f"not copied (their rows must be unique): {left}", stacklevel=2)


class _NotCopied(Exception):
    pass


def _copy(row, suffix):
    clone = copy.copy(row)
    clone._state = copy.copy(row._state)
    clone._state.adding = True
    clone.pk = None
    for field in row._meta.concrete_fields:
        if field.primary_key or not field.unique:
            continue
        value = getattr(row, field.attname)
        if isinstance(field, models.UUIDField):
            setattr(clone, field.attname, uuid.uuid4())
        elif isinstance(field, models.CharField) and value:
            setattr(clone, field.attname, value[: field.max_length - len(suffix)] + suffix)
        elif value is not None:
            raise _NotCopied(field.name)
    return clone


@pytest.mark.django_db
def test_every_page_runs_at_most_15_queries_and_as_many_at_two_sizes():
    _seed()
    before = _pages()
    small = _counts(before)

    _more_rows()
    _more_history(before)
    # The same records' pages (now with longer histories), the lists as the data now has them.
    pages = [p for p in _pages() if p.kind != "detail"] + [p for p in before if p.kind == "detail"]
    large = _counts(pages)

    too_many = {k: n for k, n in {**small, **large}.items() if n > MAX_QUERIES and not k.endswith("(admin)")}
    grown = {k: (small[k], large[k]) for k in small if k in large and large[k] != small[k]}
    missing = set(small) - set(large)
    assert (too_many, grown, missing) == ({}, {}, set()), (
        f"pages above {MAX_QUERIES} queries: {too_many}; pages whose query count changed with the data (small, "
        f"large): {grown}; pages of the small data the large data lacks: {missing}")
