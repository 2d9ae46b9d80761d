"""What a module's home sections, panels, figures and charts read is what it says it reads (Module.reads).

They are kept in the cache until a record of the apps they read changes (logistics.freshness, reads=): a module
that read another's records without naming it would show that module's old figures after a change. So each
one is computed on the demo school for every role while the queries are recorded, and every table they touch
that belongs to an app keeping history must belong to the module itself, the kernel or an app it names."""
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from logistics import modules
from logistics.freshness import KERNEL
from logistics.models import Term

pytestmark = pytest.mark.django_db


def _app_of_table():
    """{table: app label} of the apps that keep history (the only ones the stamp sees)."""
    every = list(apps.get_models(include_auto_created=True))
    kept = {m._meta.app_label for m in every if any(f.name == "history_id" for f in m._meta.fields)}
    return {m._meta.db_table: m._meta.app_label for m in every if m._meta.app_label in kept}


def _tables(queries):
    names = set()
    for q in queries:
        names.update(re.findall(r'"([A-Za-z0-9_]+)"', q["sql"]))
    return names


def _read(module, people):
    term = Term.objects.current()
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        for user in people.values():
            module.home_sections(user, now)
            module.panels(user, now)
        if term is not None:
            module.figures(term)
            module.charts(term)
    return _tables(ctx.captured_queries), len(ctx.captured_queries)


def _outside(module, people):
    tables, count = _read(module, people)
    assert count > 0, "the module read nothing: the walk did not reach it"
    app_of = _app_of_table()
    allowed = {KERNEL, *module.reads_all}
    return sorted(f"{t} ({app_of[t]})" for t in tables if t in app_of and app_of[t] not in allowed)


@pytest.mark.parametrize("label", [m.label for m in modules.modules()])
def test_a_module_reads_only_what_it_names(label, people):
    outside = _outside(apps.get_app_config(label), people)
    assert not outside, f"{label} reads these without naming their app in its AppConfig's reads: {outside}"


def test_a_module_names_only_installed_modules():
    labels = {m.label for m in modules.modules()}
    for m in modules.modules():
        assert set(m.reads) <= labels - {m.label}, m.label


def test_a_read_not_named_is_caught(people, monkeypatch):
    """The check can fail: the canteen made to count the register's assets on its home page, without naming
    assets, is caught."""
    from assets.models import Asset

    canteen = apps.get_app_config("canteen")
    monkeypatch.setattr(canteen, "reads", ())
    monkeypatch.setattr(canteen, "home", lambda user, now: [Asset.objects.count()] and [])
    assert "assets_asset (assets)" in _outside(canteen, people)
    monkeypatch.setattr(canteen, "reads", ("assets",))
    assert "assets_asset (assets)" not in _outside(canteen, people)
