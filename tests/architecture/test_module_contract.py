"""The kernel assembles the home page, menu, roles, settings, demo and term figures from the modules."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.test import modify_settings, override_settings
from django.urls import reverse

from logistics import modules, roles
from logistics.modules import MenuEntry, Module, Section

ROOT = Path(__file__).resolve().parents[2]

plugged_in = [
    modify_settings(INSTALLED_APPS={"append": "tests.plugin_module"}),
    override_settings(ROOT_URLCONF="tests.plugin_module.project_urls"),
]


def with_plugin(func):
    for decorator in reversed(plugged_in):
        func = decorator(func)
    return func


def test_the_installed_modules_are_found_on_their_app_configs():
    assert [m.label for m in modules.modules()] == ["assets", "canteen", "safety", "finance"]


def test_the_import_contracts_hold():
    """logistics imports no module, assets not finance, canteen and safety not each other, selectors no services."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_the_kernel_source_names_no_module():
    """Not even in a string that Python would import at run time (templates aside, which say what they show)."""
    kernel = ROOT / "logistics"
    offenders = []
    for path in kernel.rglob("*.py"):
        if "migrations" in path.parts or path.name in ("settings.py", "urls.py"):
            continue
        text = path.read_text(encoding="utf-8")
        for name in ("assets", "finance", "canteen", "safety"):
            if f"from {name}" in text or f"import {name}" in text or f'"{name}.' in text:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


# --- a module added from outside the kernel -------------------------------------------------------

@with_plugin
def test_a_new_module_adds_its_home_section_and_menu_entry(users, school, client):
    client.force_login(users["teacher"])
    page = client.get(reverse("home")).content.decode()
    assert "section-library_returns" in page
    assert "Return 3 overdue books" in page
    # A decision others wait for comes before the teacher's own open requests.
    assert page.index("section-library_returns") < page.index("section-my_open")
    # A section with no rows says nothing to anyone.
    assert "section-library_empty" not in page
    assert 'href="/library/"' in page
    assert ">Library<" in page


@with_plugin
def test_a_new_module_is_found_and_its_figures_are_read():
    assert "plugin_module" in [m.label for m in modules.modules()]
    term = type("T", (), {"datetime_range": None})()
    figures = {f.key: f.value for f in modules.term_figures_of([apps.get_app_config("plugin_module")], term)}
    assert figures == {"library.loans": 42}


def test_a_module_that_contributes_nothing_still_works(users, school, client, monkeypatch):
    class Bare(Module):
        pass

    bare = Bare.create("tests.plugin_module")
    assert bare.home_sections(users["safety"], None) == [] and bare.panels(users["safety"], None) == []
    assert bare.menu == [] and bare.get_settings_model() is None and bare.demo_areas() == []
    assert bare.figures(None) == [] and bare.charts(None) == []
    installed = modules.modules()
    monkeypatch.setattr(modules, "modules", lambda: [*installed, bare])
    client.force_login(users["safety"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "section-my_open" in response.content.decode()  # assets' sections are there for everyone


# --- what the kernel assembles --------------------------------------------------------------------

def test_home_sections_put_decisions_first_then_by_order(monkeypatch):
    class A(Module):
        pass

    def fake(user, now):
        return [Section("mine", "mine", ["x"], order=1), Section("decide", "decide", ["x"], decision=True, order=90),
                Section("hidden", "hidden", []), Section("shown", "shown", [], show_empty=True, order=50)]

    config = A.create("tests.plugin_module")
    config.home = fake
    monkeypatch.setattr(modules, "modules", lambda: [config])
    assert [s.key for s in modules.home_sections(None, None)] == ["decide", "mine", "shown"]


def test_menu_entries_follow_their_order_and_permissions(users):
    menu = [e.url_name for e in modules.menu_entries()]
    assert menu.index("assets:repair_report") < menu.index("assets:asset_list") < menu.index("finance:purchase_list")
    entry = MenuEntry("x", "x", ("finance.approve_as_head", "finance.approve_as_principal"))
    assert entry.visible_to(users["head"]) and entry.visible_to(users["principal"])
    assert not entry.visible_to(users["teacher"])
    assert MenuEntry("x", "x", "is_staff").visible_to(users["teacher"]) is False


def test_each_module_declares_its_settings_record_edited_in_the_admin(school):
    from django.contrib import admin

    found = modules.settings_models()
    assert [m._meta.label for m in found] == ["assets.AssetSettings", "canteen.CanteenSettings",
                                              "safety.SafetySettings", "finance.FinanceSettings"]
    for model in found:
        assert model in admin.site._registry
        assert model.get().pk == model.get().pk  # one record
        assert hasattr(model, "history")


def test_demo_order_puts_a_module_after_those_it_needs(monkeypatch):
    def module(label, after=()):
        config = Module.create("tests.plugin_module")
        config.label, config.demo_after = label, after
        return config

    first, second, third = module("a", ("c",)), module("b"), module("c", ("b",))
    monkeypatch.setattr(modules, "modules", lambda: [first, second, third])
    assert [m.label for m in modules.demo_order()] == ["b", "c", "a"]
    looped = module("d", ("e",)), module("e", ("d",))
    monkeypatch.setattr(modules, "modules", lambda: list(looped))
    with pytest.raises(ValueError, match="cycle"):
        modules.demo_order()


def test_role_grants_come_from_the_modules():
    assert "assets.add_repairrequest" in roles.role_patterns(roles.STAFF)  # assets' every-employee grant
    assert "assets.add_repairrequest" not in roles.role_patterns(roles.AUDITOR)
    assert "finance.*" in roles.role_patterns(roles.FINANCE)
    assert "canteen.*" in roles.role_patterns(roles.CANTEEN)
    # The head approves write-offs up to the limit (the principal above it) and never changes the limits.
    assert roles.role_excluded(roles.LOGISTICS_HEAD) == {"assets.decide_writeoff_principal", "assets.add_assetsettings",
                                                         "assets.change_assetsettings"}


def test_roles_are_synced_after_migrate_whatever_the_order_of_the_apps():
    from logistics.roles import sync_role_permissions_after_migrate

    calls = []
    original = roles.sync_role_permissions
    try:
        roles.sync_role_permissions = calls.append
        for config in apps.get_app_configs():
            sync_role_permissions_after_migrate(config)
    finally:
        roles.sync_role_permissions = original
    assert len(calls) == 1  # once, after the last app with models, not after an app named "finance"


def test_term_figures_of_every_module_have_unique_keys(users, school):
    figures = modules.term_figures(school["term"])
    keys = [f.key for f in figures]
    assert len(keys) == len(set(keys))
    assert {"repairs.total", "repairs.done", "assets.added", "purchases.approved_total", "fees.collected",
            "aid.paid"} <= set(keys)
    assert all(f.chapter for f in figures)
