"""Every page of the benchmark (scripts/bench/pages.py) runs at most 15 queries, and as many at two data sizes.

Each size is the large builder's central school (at two small scales: its assets, repairs, purchases and
history rows, and the other modules' large data as far as they have it) with the normal demo on top (a record of
every kind, each with its history); at the larger size the records opened get more history, each change naming
other rooms and people. Each page is requested by the role
that uses it, in-process through the test client, after one warm-up request (a served app keeps its caches
warm); the Django admin changelist of the same data beside each list. Home pages are measured elsewhere
(tests/logistics/test_home_pages.py).

A page is the same page at both sizes by its key (the deep page's number aside); its records, filter value and
deep page are taken from the data at each size. Admin changelists must be constant too, not at most 15.
"""
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from scripts.bench import measure
from scripts.bench.pages import build_pages

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAX_QUERIES = 15
SMALL_SCALE = 0.001
LARGE_SCALE = 0.003


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
        model = next((apps.get_model(label) for name, _user, label in _details() if name == match.view_name), None)
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


def _details():
    from scripts.bench.pages import DETAILS

    return DETAILS


def _seed(scale):
    """The large builder's central school at this scale, then the normal demo (a record of every kind)."""
    with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", "--size", "large", "--scale", str(scale), stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_page_runs_at_most_15_queries_and_as_many_at_two_sizes():
    _seed(SMALL_SCALE)
    small = _counts(_pages())

    if connection.vendor == "postgresql":  # the deferred foreign key checks first: TRUNCATE refuses pending ones
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)  # inside the test's transaction: rolled back after
    _seed(LARGE_SCALE)
    pages = _pages()
    _more_history(pages)  # the records opened now have a longer history than those opened at the small size
    large = _counts(pages)

    too_many = {k: n for k, n in {**small, **large}.items() if n > MAX_QUERIES and not k.endswith("(admin)")}
    grown = {k: (small[k], large[k]) for k in small if k in large and large[k] != small[k]}
    missing = set(small) - set(large)
    assert (too_many, grown, missing) == ({}, {}, set()), (
        f"pages above {MAX_QUERIES} queries: {too_many}; pages whose query count changed with the data (small, "
        f"large): {grown}; pages of the small data the large data lacks: {missing}")
